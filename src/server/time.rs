//! Instants are stored in UTC and shown in the edition's time zone.

use chrono::{DateTime, Datelike, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub const DEFAULT_ZONE: &str = "Asia/Ho_Chi_Minh";

pub fn now() -> DateTime<Utc> {
    Utc::now()
}

pub fn now_text() -> String {
    to_text(now())
}

pub fn to_text(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn from_text(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Asia::Ho_Chi_Minh)
}

/// Reads a local date and time as a browser's `datetime-local` input sends
/// it (`2026-12-31T17:00`) or as typed (`31/12/2026 17:00`).
pub fn parse_local(text: &str, zone_name: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let formats = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
    ];
    let naive = formats
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .filter(|t| (2000..=2100).contains(&t.year()))?;
    zone(zone_name)
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Shows an instant as `dd/mm/yyyy HH:MM` in the given zone.
pub fn show(instant: DateTime<Utc>, zone_name: &str) -> String {
    instant
        .with_timezone(&zone(zone_name))
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// The value a `datetime-local` input needs to show an instant.
pub fn to_local_input(instant: DateTime<Utc>, zone_name: &str) -> String {
    instant
        .with_timezone(&zone(zone_name))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_in_vietnam_is_seven_hours_ahead_of_utc() {
        let deadline = parse_local("31/12/2026 17:00", DEFAULT_ZONE).unwrap();
        assert_eq!(to_text(deadline), "2026-12-31T10:00:00Z");
        assert_eq!(show(deadline, DEFAULT_ZONE), "31/12/2026 17:00");
    }
}
