//! Dates as Vietnamese people write them: dd/mm/yyyy.

use chrono::NaiveDate;

/// Reads a date typed as dd/mm/yyyy (also d/m/yyyy, dashes or dots), or as
/// ISO yyyy-mm-dd, which is what a browser's date input sends.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let value = raw.trim();
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Some(date);
    }
    let parts: Vec<&str> = value.split(['/', '-', '.']).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// Shows a date as dd/mm/yyyy.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Shows an ISO date string as dd/mm/yyyy, or as given if it is not one.
pub fn format_iso_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(format_date)
        .unwrap_or_else(|_| iso.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_ways_dates_are_written() {
        let d = NaiveDate::from_ymd_opt(2001, 2, 1).unwrap();
        assert_eq!(parse_date("1/2/2001"), Some(d));
        assert_eq!(parse_date("01-02-2001"), Some(d));
        assert_eq!(parse_date("2001-02-01"), Some(d));
        assert_eq!(format_date(d), "01/02/2001");
    }

    #[test]
    fn refuses_dates_that_do_not_exist() {
        assert_eq!(parse_date("31/02/1995"), None);
        assert_eq!(parse_date("12/04/85"), None);
    }
}
