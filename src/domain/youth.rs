//! Rules of the Youth and Children Creativity Contest: a member's age by
//! exact birthday on the edition's reference date, school levels read
//! from what people write ("7A", "Lớp 1", "SV năm 3"), and the level
//! group an entry competes in.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::text::fold_accents;

/// Age in whole years on `on`, counted by exact birthday: a child born on
/// 05/09/2019 is 6 from 05/09/2025 on, and 5 the day before. Someone born
/// on 29 February has their birthday on 1 March in a year without one.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years - 1
    } else {
        years
    }
}

/// The age window of an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeWindow {
    pub min: i32,
    pub max: i32,
    /// The reference date the organizer picked.
    pub on: NaiveDate,
}

impl AgeWindow {
    /// Why a birth date is outside the window, in words for the form.
    pub fn check(&self, birth: NaiveDate) -> Result<i32, String> {
        let on = super::dates::format_date(self.on);
        if birth >= self.on {
            return Err(format!("ngày sinh phải trước ngày {on}"));
        }
        let age = age_on(birth, self.on);
        if age < self.min {
            Err(format!(
                "mới {age} tuổi vào ngày {on}, chưa đủ {} tuổi",
                self.min
            ))
        } else if age > self.max {
            Err(format!(
                "đã {age} tuổi vào ngày {on}, quá {} tuổi",
                self.max
            ))
        } else {
            Ok(age)
        }
    }
}

/// A school level, from the lowest up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SchoolLevel {
    Preschool,
    Primary,
    LowerSecondary,
    UpperSecondary,
    /// Vocational college or university students.
    Higher,
}

impl SchoolLevel {
    pub const ALL: [SchoolLevel; 5] = [
        SchoolLevel::Preschool,
        SchoolLevel::Primary,
        SchoolLevel::LowerSecondary,
        SchoolLevel::UpperSecondary,
        SchoolLevel::Higher,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            SchoolLevel::Preschool => "preschool",
            SchoolLevel::Primary => "primary",
            SchoolLevel::LowerSecondary => "lower_secondary",
            SchoolLevel::UpperSecondary => "upper_secondary",
            SchoolLevel::Higher => "higher",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_db() == text)
    }

    /// The short name Vietnamese schools use.
    pub fn label(self) -> &'static str {
        match self {
            SchoolLevel::Preschool => "Mầm non",
            SchoolLevel::Primary => "Tiểu học",
            SchoolLevel::LowerSecondary => "THCS",
            SchoolLevel::UpperSecondary => "THPT",
            SchoolLevel::Higher => "Cao đẳng – Đại học",
        }
    }

    /// Reads a level as an organizer names it in a level-group line.
    pub fn from_label(text: &str) -> Option<Self> {
        let t = fold_accents(text);
        let t = t.trim();
        match t {
            "mam non" | "mau giao" => Some(SchoolLevel::Preschool),
            "tieu hoc" | "th" => Some(SchoolLevel::Primary),
            "thcs" | "trung hoc co so" => Some(SchoolLevel::LowerSecondary),
            "thpt" | "trung hoc pho thong" => Some(SchoolLevel::UpperSecondary),
            "cao dang - dai hoc" | "cao dang – dai hoc" | "cao dang" | "dai hoc" | "sinh vien" => {
                Some(SchoolLevel::Higher)
            }
            _ => None,
        }
    }

    /// Derives the level from the grade as written ("7A", "Lớp 10A1",
    /// "Mẫu giáo lớn", "SV năm 3") and, when the grade says nothing, from
    /// the school's name ("Trường THCS Kim Đồng").
    pub fn derive(grade: &str, school: &str) -> Option<Self> {
        let g = fold_accents(grade);
        if g.contains("mau giao") || g.contains("mam non") || g.starts_with("la ") {
            return Some(SchoolLevel::Preschool);
        }
        if g.starts_with("sv") || g.contains("sinh vien") || g.contains("nam thu") {
            return Some(SchoolLevel::Higher);
        }
        let number: String = g
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if let Ok(n) = number.parse::<u32>() {
            return match n {
                1..=5 => Some(SchoolLevel::Primary),
                6..=9 => Some(SchoolLevel::LowerSecondary),
                10..=12 => Some(SchoolLevel::UpperSecondary),
                _ => None,
            };
        }
        let s = fold_accents(school);
        if s.contains("mam non") || s.contains("mau giao") {
            Some(SchoolLevel::Preschool)
        } else if s.contains("tieu hoc") {
            Some(SchoolLevel::Primary)
        } else if s.contains("thcs") || s.contains("trung hoc co so") {
            Some(SchoolLevel::LowerSecondary)
        } else if s.contains("thpt") || s.contains("trung hoc pho thong") {
            Some(SchoolLevel::UpperSecondary)
        } else if s.contains("dai hoc") || s.contains("cao dang") {
            Some(SchoolLevel::Higher)
        } else {
            None
        }
    }
}

/// A level group: entries whose highest member level is in `levels` are
/// ranked together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelGroup {
    pub id: i64,
    pub name: String,
    pub levels: Vec<SchoolLevel>,
}

/// The default groups: primary with lower secondary, and upper secondary.
pub fn default_level_groups() -> Vec<(String, Vec<SchoolLevel>)> {
    vec![
        (
            "Tiểu học và THCS".into(),
            vec![
                SchoolLevel::Preschool,
                SchoolLevel::Primary,
                SchoolLevel::LowerSecondary,
            ],
        ),
        ("THPT".into(), vec![SchoolLevel::UpperSecondary]),
    ]
}

/// The group of an entry: a mixed group competes with the highest level
/// among its members, so older pupils never lift a younger group's ranks.
pub fn group_for<'a>(groups: &'a [LevelGroup], levels: &[SchoolLevel]) -> Option<&'a LevelGroup> {
    let highest = levels.iter().max()?;
    groups.iter().find(|g| g.levels.contains(highest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_birthday_on_the_reference_date_counts_the_day_before_does_not() {
        let on = date(2025, 10, 1);
        assert_eq!(age_on(date(2019, 10, 1), on), 6);
        assert_eq!(age_on(date(2019, 10, 2), on), 5);
        assert_eq!(age_on(date(2004, 11, 20), on), 20);
        let window = AgeWindow {
            min: 6,
            max: 18,
            on: date(2026, 5, 31),
        };
        assert_eq!(window.check(date(2020, 5, 31)), Ok(6));
        assert!(
            window
                .check(date(2020, 6, 1))
                .unwrap_err()
                .contains("5 tuổi")
        );
        // 18 until the day before the 19th birthday.
        assert_eq!(window.check(date(2007, 6, 1)), Ok(18));
        assert!(
            window
                .check(date(2007, 5, 31))
                .unwrap_err()
                .contains("19 tuổi")
        );
    }

    #[test]
    fn a_leap_day_birthday_comes_on_the_first_of_march() {
        let birth = date(2008, 2, 29);
        assert_eq!(age_on(birth, date(2026, 2, 28)), 17);
        assert_eq!(age_on(birth, date(2026, 3, 1)), 18);
        assert_eq!(age_on(birth, date(2028, 2, 29)), 20);
    }

    #[test]
    fn levels_are_read_from_grades_as_people_write_them() {
        let level = |g: &str, s: &str| SchoolLevel::derive(g, s);
        assert_eq!(level("7A", ""), Some(SchoolLevel::LowerSecondary));
        assert_eq!(level("Lớp 1", ""), Some(SchoolLevel::Primary));
        assert_eq!(level("10A1", ""), Some(SchoolLevel::UpperSecondary));
        assert_eq!(level("Mẫu giáo lớn", ""), Some(SchoolLevel::Preschool));
        assert_eq!(level("SV năm 3", ""), Some(SchoolLevel::Higher));
        assert_eq!(
            level("", "Trường THCS Kim Đồng"),
            Some(SchoolLevel::LowerSecondary)
        );
        assert_eq!(level("", "Nhà văn hóa"), None);
    }

    #[test]
    fn a_mixed_group_competes_at_its_highest_level() {
        let groups: Vec<LevelGroup> = default_level_groups()
            .into_iter()
            .enumerate()
            .map(|(i, (name, levels))| LevelGroup {
                id: i as i64 + 1,
                name,
                levels,
            })
            .collect();
        let pick = |levels: &[SchoolLevel]| group_for(&groups, levels).map(|g| g.id);
        assert_eq!(
            pick(&[SchoolLevel::Primary, SchoolLevel::LowerSecondary]),
            Some(1)
        );
        assert_eq!(
            pick(&[SchoolLevel::LowerSecondary, SchoolLevel::UpperSecondary]),
            Some(2)
        );
        assert_eq!(pick(&[SchoolLevel::Higher]), None);
    }
}
