//! Time zones: the IANA database built into the binary (jiff's bundled copy, so the server reads
//! no system files and fetches nothing), and a moment as a clinic reads it, in the clinic's
//! time zone with its abbreviation ("3 March 2026 14:05 GMT").
//!
//! Everything stored stays UTC; only what a page shows is converted.

use jiff::tz::{TimeZone, TimeZoneDatabase};
use time::{OffsetDateTime, UtcOffset};

/// A time zone of the IANA database.
#[derive(Debug, Clone)]
pub struct Zone {
    tz: TimeZone,
    name: String,
}

/// The database built into the binary. Never the system's copy, whatever features other crates
/// turn on: what a page shows must not depend on the machine.
fn db() -> TimeZoneDatabase {
    TimeZoneDatabase::bundled()
}

impl Zone {
    pub fn utc() -> Zone {
        Zone { tz: TimeZone::UTC, name: "UTC".into() }
    }

    /// The zone with this IANA name (case-insensitive, such as `Europe/London`); the error says
    /// what to give instead.
    pub fn by_name(name: &str) -> Result<Zone, String> {
        let name = name.trim();
        match db().get(name) {
            Ok(tz) => {
                let name = tz.iana_name().unwrap_or(name).to_owned();
                Ok(Zone { tz, name })
            }
            Err(_) => Err(format!(
                "{name:?} is not a time zone of the IANA database; give a name like Europe/London \
                 or America/New_York"
            )),
        }
    }

    /// The zone as jiff has it, for rules that work in wall-clock time (reminders).
    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// The zone's IANA name, as stored.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The same moment at the zone's offset then, so its date and time are what a clock in the
    /// zone showed.
    pub fn local(&self, t: OffsetDateTime) -> OffsetDateTime {
        let seconds = self.offset_info(t).0;
        match UtcOffset::from_whole_seconds(seconds) {
            Ok(offset) => t.to_offset(offset),
            Err(_) => t,
        }
    }

    /// The zone's abbreviation at that moment ("GMT", "BST", "CET"; "+03" where the database
    /// has none).
    pub fn abbreviation(&self, t: OffsetDateTime) -> String {
        self.offset_info(t).1
    }

    /// A moment as people read it: "3 March 2026 14:05 GMT".
    pub fn date_time(&self, t: OffsetDateTime) -> String {
        let l = self.local(t);
        format!(
            "{} {} {} {:02}:{:02} {}",
            l.day(),
            l.month(),
            l.year(),
            l.hour(),
            l.minute(),
            self.abbreviation(t)
        )
    }

    /// Offset from UTC in seconds, and abbreviation, at `t`.
    fn offset_info(&self, t: OffsetDateTime) -> (i32, String) {
        let Ok(ts) = jiff::Timestamp::from_second(t.unix_timestamp()) else {
            return (0, "UTC".into());
        };
        let info = self.tz.to_offset_info(ts);
        (info.offset().seconds(), info.abbreviation().to_owned())
    }
}

/// The names a clinic can choose from: every place zone of the database (`Area/City`), sorted,
/// with `UTC` first. Legacy and `Etc/` names are left out; they stay valid when typed.
pub fn choices() -> Vec<String> {
    let mut names: Vec<String> = db()
        .available()
        .map(|n| n.as_str().to_owned())
        .filter(|n| {
            let area = n.split('/').next().unwrap_or("");
            n.contains('/')
                && matches!(
                    area,
                    "Africa"
                        | "America"
                        | "Antarctica"
                        | "Arctic"
                        | "Asia"
                        | "Atlantic"
                        | "Australia"
                        | "Europe"
                        | "Indian"
                        | "Pacific"
                )
        })
        .collect();
    names.sort();
    names.dedup();
    names.insert(0, "UTC".into());
    names
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn shows_a_moment_in_the_zone_with_its_abbreviation() {
        let london = Zone::by_name("europe/london").unwrap();
        assert_eq!(london.name(), "Europe/London");
        // Winter: GMT, same as UTC; summer: BST, an hour ahead.
        assert_eq!(london.date_time(datetime!(2026-01-15 09:30 UTC)), "15 January 2026 09:30 GMT");
        assert_eq!(london.date_time(datetime!(2026-07-15 09:30 UTC)), "15 July 2026 10:30 BST");
        let chicago = Zone::by_name("America/Chicago").unwrap();
        // Across midnight the date changes too.
        assert_eq!(
            chicago.date_time(datetime!(2026-03-01 03:00 UTC)),
            "28 February 2026 21:00 CST"
        );
        assert_eq!(
            Zone::utc().date_time(datetime!(2026-03-01 03:00 UTC)),
            "1 March 2026 03:00 UTC"
        );
        let local = chicago.local(datetime!(2026-03-01 03:00 UTC));
        assert_eq!(local, datetime!(2026-03-01 03:00 UTC));
        assert_eq!(local.offset().whole_hours(), -6);
    }

    #[test]
    fn unknown_names_are_refused_and_the_choices_come_from_the_bundled_database() {
        assert!(Zone::by_name("Mars/Olympus_Mons").unwrap_err().contains("Europe/London"));
        assert!(Zone::by_name("").is_err());
        let choices = choices();
        assert_eq!(choices[0], "UTC");
        for name in ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"] {
            assert!(choices.iter().any(|c| c == name), "{name}");
        }
        assert!(choices.len() > 300, "{}", choices.len());
        assert!(choices.iter().all(|c| Zone::by_name(c).is_ok()));
    }
}
