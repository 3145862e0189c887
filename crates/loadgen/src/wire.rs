//! Just enough WebSocket framing (RFC 6455) for the streaming phase.
//!
//! The handshake goes through tokio-tungstenite; after it the generator writes its frames
//! straight to the socket and parses the server's few small replies itself. A generic
//! WebSocket stream per session cost the generator more CPU per frame than the server spends
//! analysing it (zero-filling a 128 KiB read buffer before every poll, a lock between the
//! halves of the split stream, a copy and an allocation per message); here a frame is one
//! copy into a reused buffer and one `send` system call.

/// Text frame opcode.
pub(crate) const TEXT: u8 = 0x1;
/// Binary frame opcode.
pub(crate) const BINARY: u8 = 0x2;
const CONTINUATION: u8 = 0x0;
const CLOSE: u8 = 0x8;

/// The largest server message accepted; the server's messages are a few hundred bytes.
const MAX_PAYLOAD: u64 = 1 << 20;

/// Appends one client frame (final, masked with `key` as a client must) whose payload is the
/// concatenation of `parts`.
pub(crate) fn push_frame(out: &mut Vec<u8>, opcode: u8, key: [u8; 4], parts: &[&[u8]]) {
    let n: usize = parts.iter().map(|p| p.len()).sum();
    out.push(0x80 | opcode);
    match n {
        0..=125 => out.push(0x80 | n as u8),
        126..=0xFFFF => {
            out.push(0x80 | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        _ => {
            out.push(0x80 | 127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(&key);
    let at = out.len();
    for p in parts {
        out.extend_from_slice(p);
    }
    mask(&mut out[at..], key);
}

/// XORs `buf` with the repeated mask key, eight bytes at a time.
fn mask(buf: &mut [u8], key: [u8; 4]) {
    let k8 = u64::from_ne_bytes([key[0], key[1], key[2], key[3], key[0], key[1], key[2], key[3]]);
    let mut chunks = buf.chunks_exact_mut(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        c.copy_from_slice(&(u64::from_ne_bytes(w) ^ k8).to_ne_bytes());
    }
    // The remainder starts at a multiple of 8, so the key index restarts at 0.
    for (j, b) in chunks.into_remainder().iter_mut().enumerate() {
        *b ^= key[j % 4];
    }
}

/// A message from the server.
#[derive(Debug, PartialEq)]
pub(crate) enum Incoming<'a> {
    Text(&'a str),
    Close,
    /// Binary, ping, pong: the live protocol does not use them from the server.
    Other,
}

/// Reassembles the server's messages from the bytes read so far.
#[derive(Default)]
pub(crate) struct Reader {
    /// Bytes read and not yet consumed; `start` is where the next frame begins.
    pub(crate) buf: Vec<u8>,
    start: usize,
    /// A fragmented text message being collected.
    fragments: Vec<u8>,
    /// A complete message from fragments, handed out by `next`.
    assembled: Vec<u8>,
}

impl Reader {
    pub(crate) fn new() -> Reader {
        Reader { buf: Vec::with_capacity(8 * 1024), ..Reader::default() }
    }

    /// Makes room for the next read: drops consumed bytes and keeps spare capacity (the
    /// socket read fills spare capacity without zeroing it first).
    pub(crate) fn prepare(&mut self) {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        if self.buf.capacity() - self.buf.len() < 2048 {
            self.buf.reserve(8 * 1024);
        }
    }

    /// The next complete message, `Ok(None)` when more bytes are needed, or a protocol error.
    pub(crate) fn next(&mut self) -> Result<Option<Incoming<'_>>, String> {
        loop {
            let b = &self.buf[self.start..];
            if b.len() < 2 {
                return Ok(None);
            }
            let (fin, opcode, masked) = (b[0] & 0x80 != 0, b[0] & 0x0F, b[1] & 0x80 != 0);
            let (len, mut head) = match b[1] & 0x7F {
                126 if b.len() >= 4 => (u64::from(u16::from_be_bytes([b[2], b[3]])), 4),
                127 if b.len() >= 10 => {
                    let mut l = [0u8; 8];
                    l.copy_from_slice(&b[2..10]);
                    (u64::from_be_bytes(l), 10)
                }
                126 | 127 => return Ok(None),
                n => (u64::from(n), 2),
            };
            if len > MAX_PAYLOAD {
                return Err(format!("a server message of {len} bytes"));
            }
            let key = if masked {
                if b.len() < head + 4 {
                    return Ok(None);
                }
                head += 4;
                Some([b[head - 4], b[head - 3], b[head - 2], b[head - 1]])
            } else {
                None
            };
            let len = len as usize;
            if b.len() < head + len {
                return Ok(None);
            }
            let at = self.start + head;
            self.start = at + len;
            if let Some(k) = key {
                mask(&mut self.buf[at..at + len], k);
            }
            let payload = at..at + len;
            match (opcode, fin) {
                (TEXT, true) => {
                    let text = std::str::from_utf8(&self.buf[payload])
                        .map_err(|_| "a text message that is not UTF-8".to_owned())?;
                    return Ok(Some(Incoming::Text(text)));
                }
                (TEXT, false) => {
                    self.fragments.clear();
                    self.fragments.extend_from_slice(&self.buf[payload]);
                }
                (CONTINUATION, _) => {
                    self.fragments.extend_from_slice(&self.buf[payload]);
                    if self.fragments.len() as u64 > MAX_PAYLOAD {
                        return Err("a fragmented server message over 1 MiB".into());
                    }
                    if fin {
                        self.assembled = std::mem::take(&mut self.fragments);
                        let text = std::str::from_utf8(&self.assembled)
                            .map_err(|_| "a text message that is not UTF-8".to_owned())?;
                        return Ok(Some(Incoming::Text(text)));
                    }
                }
                (CLOSE, _) => return Ok(Some(Incoming::Close)),
                _ => return Ok(Some(Incoming::Other)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a server sends: unmasked.
    fn server_frame(first: u8, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![first];
        if payload.len() < 126 {
            f.push(payload.len() as u8);
        } else {
            f.push(126);
            f.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        }
        f.extend_from_slice(payload);
        f
    }

    #[test]
    fn client_frames_decode_with_tungstenite() {
        use std::io::Cursor;
        use tokio_tungstenite::tungstenite::protocol::frame::FrameHeader;
        for n in [0usize, 5, 125, 126, 1066, 70_000] {
            let payload: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
            let (a, b) = payload.split_at(n / 3);
            let mut out = vec![];
            push_frame(&mut out, BINARY, [0x12, 0x34, 0x56, 0x78], &[a, b]);
            let mut cur = Cursor::new(&out);
            let (h, len) = FrameHeader::parse(&mut cur).unwrap().unwrap();
            assert_eq!(len as usize, n);
            assert!(h.is_final);
            let key = h.mask.unwrap();
            let at = cur.position() as usize;
            let got: Vec<u8> = out[at..].iter().enumerate().map(|(j, x)| x ^ key[j % 4]).collect();
            assert_eq!(got, payload);
        }
    }

    #[test]
    fn server_messages_are_reassembled_across_reads() {
        let mut all = server_frame(0x81, br#"{"type":"pong","id":30}"#);
        all.extend(server_frame(0x01, b"{\"type\":"));
        all.extend(server_frame(0x80, b"\"summary\"}"));
        let long = format!("{{\"x\":\"{}\"}}", "a".repeat(300));
        all.extend(server_frame(0x81, long.as_bytes()));
        all.extend(server_frame(0x88, &[0x03, 0xE8]));
        let mut r = Reader::new();
        let mut got = vec![];
        // One byte at a time: every split point of every header is exercised.
        for byte in all {
            r.prepare();
            r.buf.push(byte);
            while let Some(m) = r.next().unwrap() {
                got.push(match m {
                    Incoming::Text(t) => t.to_owned(),
                    Incoming::Close => "close".into(),
                    Incoming::Other => "other".into(),
                });
            }
        }
        assert_eq!(got, [r#"{"type":"pong","id":30}"#, r#"{"type":"summary"}"#, &long, "close"]);
    }

    #[test]
    fn oversized_messages_are_refused() {
        let mut r = Reader::new();
        r.buf.extend_from_slice(&[0x81, 127, 0, 0, 0, 1, 0, 0, 0, 0]);
        assert!(r.next().is_err());
    }
}
