//! The client's address behind reverse proxies. A proxy's `X-Forwarded-For` (or `Forwarded`)
//! header is believed only when the connection comes from an address the operator listed as a
//! trusted proxy; anyone else could write any address there. Also the source key that sign-in
//! limits and refusal counts are kept under.

use std::{net::IpAddr, str::FromStr};

use axum::http::{HeaderMap, header};
use ipnet::{IpNet, Ipv6Net};

/// Which header the trusted proxies write the client's address in. Only that one is read: a
/// proxy passes the other through unchanged, so a client could fill it with anything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProxyHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2` (nginx, Caddy, Traefik, HAProxy).
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client, for=proxy1`.
    Forwarded,
}

impl FromStr for ProxyHeader {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Ok(ProxyHeader::XForwardedFor),
            "forwarded" => Ok(ProxyHeader::Forwarded),
            other => {
                Err(format!("\"{other}\" is not a proxy header: use x-forwarded-for or forwarded"))
            }
        }
    }
}

/// The reverse proxies in front of the server. Empty (the default): the connection's peer is
/// the client, and forwarding headers are ignored.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies {
    pub nets: Vec<IpNet>,
    pub header: ProxyHeader,
}

impl TrustedProxies {
    /// Parses a list of addresses and networks (`10.0.0.0/8, 192.168.1.5, fd00::/8`), separated
    /// by commas or spaces. The error names the entry that is neither.
    pub fn parse_list(list: &str) -> Result<Vec<IpNet>, String> {
        list.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .map(|n| n.trunc())
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!(
                            "\"{s}\" is not an IP address or network (examples: 10.0.0.1, \
                             10.0.0.0/8, fd00::/8)"
                        )
                    })
            })
            .collect()
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.nets.iter().any(|n| n.contains(&ip))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the
    /// right-most address in the forwarding header that is not itself a trusted proxy. Each
    /// proxy appends the address it was connected from, so everything left of the first
    /// untrusted hop was written by someone not trusted. An entry that is not an address
    /// (`unknown`, an obfuscated name) stops the walk at the trusted hop that wrote it.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let hops = match self.header {
            ProxyHeader::XForwardedFor => x_forwarded_for(headers),
            ProxyHeader::Forwarded => forwarded(headers),
        };
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            let Some(ip) = hop else { return client };
            client = ip.to_canonical();
            if !self.trusts(client) {
                return client;
            }
        }
        client
    }
}

/// Every header line's entries, in order: `X-Forwarded-For: a, b` and a second line `c` is
/// the same as `a, b, c`.
fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("garbage").split(','))
        .map(|s| address(s.trim()))
        .collect()
}

/// The `for=` of each element of RFC 7239 `Forwarded` headers, in order.
fn forwarded(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all(header::FORWARDED)
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("for=garbage").split(','))
        .map(|element| {
            let node = element.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| v.trim().trim_matches('"'))
            });
            node.and_then(address)
        })
        .collect()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn address(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| s.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

/// The key limits and counts are kept under for a client: its IPv4 address, or its IPv6 /64.
/// One IPv6 subscriber usually holds a whole /64, so keying on single addresses would give one
/// attacker 2^64 fresh allowances.
pub fn source_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            Ipv6Net::new(v6, 64).map_or_else(|_| v6.to_string(), |n| n.trunc().to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn proxies(list: &str, header: ProxyHeader) -> TrustedProxies {
        TrustedProxies { nets: TrustedProxies::parse_list(list).unwrap(), header }
    }

    fn with(name: &'static str, values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(name, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let p = proxies("10.0.0.0/8", ProxyHeader::XForwardedFor);
        let h = with("x-forwarded-for", &["198.51.100.7"]);
        assert_eq!(p.client(ip("203.0.113.5"), &h), ip("203.0.113.5"));
        assert_eq!(TrustedProxies::default().client(ip("10.0.0.1"), &h), ip("10.0.0.1"));
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let p = proxies("10.0.0.0/8, 192.168.1.5", ProxyHeader::XForwardedFor);
        // The client forged the first entry; the proxies appended the rest.
        let h = with("x-forwarded-for", &["1.2.3.4, 198.51.100.7", "192.168.1.5"]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("198.51.100.7"));
        // No header: the proxy itself.
        assert_eq!(p.client(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"));
        // Only trusted hops: the left-most of them.
        let h = with("x-forwarded-for", &["192.168.1.5"]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("192.168.1.5"));
        // Something that is not an address stops the walk at the hop that wrote it.
        let h = with("x-forwarded-for", &["198.51.100.7, unknown, 192.168.1.5"]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("192.168.1.5"));
    }

    #[test]
    fn ports_brackets_and_forwarded_are_understood() {
        let x = proxies("127.0.0.1", ProxyHeader::XForwardedFor);
        let h = with("x-forwarded-for", &["[2001:db8::7]:4711"]);
        assert_eq!(x.client(ip("127.0.0.1"), &h), ip("2001:db8::7"));
        let h = with("x-forwarded-for", &["198.51.100.7:80"]);
        assert_eq!(x.client(ip("::ffff:127.0.0.1"), &h), ip("198.51.100.7"));
        let f = proxies("127.0.0.1", ProxyHeader::Forwarded);
        let h = with("forwarded", &["for=1.2.3.4, For=\"[2001:db8::7]:4711\";proto=https"]);
        assert_eq!(f.client(ip("127.0.0.1"), &h), ip("2001:db8::7"));
        // The header not chosen is not read.
        let h = with("x-forwarded-for", &["198.51.100.7"]);
        assert_eq!(f.client(ip("127.0.0.1"), &h), ip("127.0.0.1"));
    }

    #[test]
    fn bad_entries_are_named() {
        let e = TrustedProxies::parse_list("10.0.0.0/8, proxy.local").unwrap_err();
        assert!(e.contains("\"proxy.local\""), "{e}");
        assert!(TrustedProxies::parse_list("10.0.0.0/33").is_err());
        assert_eq!(TrustedProxies::parse_list(" ").unwrap(), vec![]);
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        assert_eq!(source_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(source_key(ip("2001:db8:1:2:bbbb::9")), "2001:db8:1:2::/64");
        assert_eq!(source_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
        assert_eq!(source_key(ip("192.0.2.1")), "192.0.2.1");
    }
}
