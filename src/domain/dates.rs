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

/// Where a day stands against a period that runs from its first to its
/// last day, both included; a missing bound does not bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    NotYet(NaiveDate),
    Open,
    Over(NaiveDate),
}

impl Period {
    pub fn of(today: NaiveDate, first: Option<NaiveDate>, last: Option<NaiveDate>) -> Self {
        match (first, last) {
            (Some(first), _) if today < first => Period::NotYet(first),
            (_, Some(last)) if today > last => Period::Over(last),
            _ => Period::Open,
        }
    }

    /// Why a judge cannot score now, or `None` while the round is open.
    pub fn refusal(self) -> Option<String> {
        match self {
            Period::NotYet(first) => Some(format!(
                "Vòng chấm bắt đầu từ ngày {}; phiếu chấm chưa mở.",
                format_date(first)
            )),
            Period::Open => None,
            Period::Over(last) => Some(format!(
                "Vòng chấm đã kết thúc ngày {}; phiếu không sửa hay nộp được nữa. \
                 Nếu cần thêm thời gian, hãy liên hệ Ban tổ chức để gia hạn.",
                format_date(last)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_is_open_from_its_first_to_its_last_day_inclusive() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let (first, last) = (Some(day(10)), Some(day(20)));
        assert_eq!(Period::of(day(9), first, last), Period::NotYet(day(10)));
        assert_eq!(Period::of(day(10), first, last), Period::Open);
        assert_eq!(Period::of(day(20), first, last), Period::Open);
        assert_eq!(Period::of(day(21), first, last), Period::Over(day(20)));
        assert_eq!(Period::of(day(1), None, last), Period::Open);
        assert_eq!(Period::of(day(31), first, None), Period::Open);
        let refusal = Period::of(day(21), first, last).refusal().unwrap();
        assert!(refusal.starts_with("Vòng chấm đã kết thúc ngày 20/12/2026"));
    }

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
