//! The rules a nomination must meet, shared by the form, the server and
//! the spreadsheet import.

use chrono::NaiveDate;

use super::{Category, HonorRules, NominationForm};
use crate::app::error::AppError;
use crate::domain::dates::{format_date, parse_date};
use crate::domain::text::{Email, FullName, clean_line, clean_text, fold_accents, parse_phone};
use crate::domain::youth::age_on;

/// A nomination, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Nomination {
    pub field_id: i64,
    pub full_name: FullName,
    pub birth_date: NaiveDate,
    pub email: Option<Email>,
    pub phone: String,
    pub degree: String,
    pub degree_date: Option<NaiveDate>,
    pub academic_title: String,
    pub expertise: String,
    pub workplace: String,
    pub achievements: String,
    pub checks: Vec<i64>,
}

/// The longest achievements text, in characters.
pub const ACHIEVEMENTS_MAX: usize = 20_000;

/// Whether a degree as written is a doctorate ("TS.", "PGS.TS.", "Tiến
/// sĩ", "TSKH", "PhD", "Dr.", "Doctor of …"); "ThS.", "KTS." (architect)
/// and "Kỹ thuật số" are not. Reads whole words, not letters inside them.
pub fn is_doctorate(degree: &str) -> bool {
    let folded = fold_accents(degree);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let any = |wanted: &[&str]| words.iter().any(|w| wanted.contains(w));
    any(&["ts", "tskh", "phd", "dr", "doctor", "doctorate"])
        || words
            .windows(2)
            .any(|pair| pair == ["tien", "si"] || pair == ["ph", "d"])
}

/// The youngest and oldest a candidate can plausibly be on the reference date.
pub const CANDIDATE_AGES: std::ops::RangeInclusive<i32> = 18..=100;
/// The longest degree, title or field of expertise, in characters.
pub const TEXT_MAX: usize = 200;

/// Checks a nomination; the error names the form field.
pub fn parse(form: &NominationForm, rules: &HonorRules) -> Result<Nomination, AppError> {
    let category: &Category = rules
        .categories
        .iter()
        .find(|c| c.id == form.field_id)
        .ok_or_else(|| AppError::invalid("Hạng mục", "hãy chọn một hạng mục tôn vinh"))?;
    let full_name = FullName::parse(&form.full_name)
        .map_err(|e| AppError::invalid("Họ và tên", e.to_string()))?;
    let birth_date = parse_date(&form.birth_date)
        .ok_or_else(|| AppError::invalid("Ngày sinh", "cần ngày hợp lệ dạng dd/mm/yyyy"))?;
    let age = age_on(birth_date, rules.age_on);
    if birth_date >= rules.age_on || !CANDIDATE_AGES.contains(&age) {
        return Err(AppError::invalid(
            "Ngày sinh",
            format!(
                "ngày sinh không hợp lý: ứng viên {age} tuổi vào ngày {}",
                format_date(rules.age_on)
            ),
        ));
    }
    if let Some(max) = category.age_max
        && age > max
    {
        return Err(AppError::invalid(
            "Ngày sinh",
            format!(
                "ứng viên đã {age} tuổi vào ngày {}, quá {max} tuổi của hạng mục \"{}\"",
                format_date(rules.age_on),
                category.name
            ),
        ));
    }
    let email = match form.email.trim() {
        "" => None,
        raw => Some(Email::parse(raw).map_err(|e| AppError::invalid("Email", e.to_string()))?),
    };
    let phone = match form.phone.trim() {
        "" => String::new(),
        raw => parse_phone(raw).ok_or_else(|| {
            AppError::invalid(
                "Điện thoại",
                "cần số di động 10 chữ số hoặc số cố định 11 chữ số, bắt đầu bằng 0",
            )
        })?,
    };
    let bounded = |label: &str, raw: &str| {
        let text = clean_line(raw);
        if text.chars().count() > TEXT_MAX {
            return Err(AppError::invalid(label, format!("tối đa {TEXT_MAX} ký tự")));
        }
        Ok(text)
    };
    let degree = bounded("Học vị", &form.degree)?;
    let academic_title = bounded("Học hàm, danh hiệu", &form.academic_title)?;
    let expertise = bounded("Chuyên ngành", &form.expertise)?;
    let degree_date = match form.degree_date.trim() {
        "" => None,
        raw => Some(parse_date(raw).ok_or_else(|| {
            AppError::invalid("Ngày cấp bằng", "cần ngày hợp lệ dạng dd/mm/yyyy")
        })?),
    };
    if let (Some(from), Some(to)) = (category.degree_from, category.degree_to) {
        if !is_doctorate(&degree) {
            return Err(AppError::invalid(
                "Học vị",
                format!(
                    "hạng mục \"{}\" dành cho người có bằng tiến sĩ",
                    category.name
                ),
            ));
        }
        let Some(date) = degree_date else {
            return Err(AppError::invalid(
                "Ngày cấp bằng",
                "cần ngày cấp bằng tiến sĩ",
            ));
        };
        if date < from || date > to {
            return Err(AppError::invalid(
                "Ngày cấp bằng",
                format!(
                    "bằng cấp ngày {} nằm ngoài thời gian xét từ {} đến {}",
                    format_date(date),
                    format_date(from),
                    format_date(to)
                ),
            ));
        }
    }
    let workplace = clean_line(&form.workplace);
    if workplace.is_empty() || workplace.chars().count() > 300 {
        return Err(AppError::invalid(
            "Cơ quan công tác",
            "chưa nhập cơ quan công tác",
        ));
    }
    let achievements = clean_text(&form.achievements);
    if achievements.chars().count() > ACHIEVEMENTS_MAX {
        return Err(AppError::invalid(
            "Thành tích",
            format!("phần thành tích dài quá {ACHIEVEMENTS_MAX} ký tự"),
        ));
    }
    let mut checks = Vec::new();
    for id in &form.checks {
        if !category.criteria.iter().any(|c| c.id == *id) {
            return Err(AppError::invalid(
                "Tiêu chí",
                "có tiêu chí không thuộc hạng mục đã chọn",
            ));
        }
        if !checks.contains(id) {
            checks.push(*id);
        }
    }
    Ok(Nomination {
        field_id: category.id,
        full_name,
        birth_date,
        email,
        phone,
        degree,
        degree_date,
        academic_title,
        expertise,
        workplace,
        achievements,
        checks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::honors::CriterionLine;

    fn rules() -> HonorRules {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        HonorRules {
            age_on: date(2026, 5, 18).unwrap(),
            self_nomination: false,
            categories: vec![
                Category {
                    id: 1,
                    name: "Tiến sĩ mới của năm".into(),
                    age_max: None,
                    degree_from: date(2025, 5, 1),
                    degree_to: date(2026, 4, 30),
                    criteria: vec![],
                },
                Category {
                    id: 2,
                    name: "Tài năng trẻ".into(),
                    age_max: Some(35),
                    degree_from: None,
                    degree_to: None,
                    criteria: vec![CriterionLine {
                        id: 9,
                        text: "Có bài báo quốc tế".into(),
                    }],
                },
            ],
        }
    }

    fn form(field_id: i64, birth: &str) -> NominationForm {
        NominationForm {
            field_id,
            full_name: "Phan Thị Minh Châu".into(),
            birth_date: birth.into(),
            degree: "TS.".into(),
            degree_date: "15/09/2025".into(),
            workplace: "Trường Đại học An Bình".into(),
            checks: vec![9],
            ..Default::default()
        }
    }

    #[test]
    fn young_talents_are_35_at_most_on_the_reference_date() {
        // 35 until the day before the 36th birthday.
        assert!(parse(&form(2, "19/05/1990"), &rules()).is_ok());
        let error = parse(&form(2, "18/05/1990"), &rules()).unwrap_err();
        assert!(error.to_string().contains("36 tuổi"), "{error}");
    }

    #[test]
    fn doctorates_are_read_from_whole_words() {
        for yes in [
            "TS.",
            "PGS.TS.",
            "Tiến sĩ",
            "TSKH",
            "Ph.D.",
            "PhD",
            "Dr.",
            "Doctor of Philosophy",
        ] {
            assert!(is_doctorate(yes), "{yes}");
        }
        for no in [
            "ThS.",
            "KTS.",
            "ThS. Kỹ thuật số",
            "ThS. Nghệ thuật sân khấu",
            "Cử nhân",
        ] {
            assert!(!is_doctorate(no), "{no}");
        }
    }

    #[test]
    fn a_doctorate_outside_the_window_is_refused() {
        let mut f = form(1, "01/01/1985");
        f.checks.clear();
        assert!(parse(&f, &rules()).is_ok());
        f.degree_date = "30/04/2025".into();
        let error = parse(&f, &rules()).unwrap_err();
        assert!(error.to_string().starts_with("Ngày cấp bằng"), "{error}");
        f.degree_date = "15/09/2025".into();
        f.degree = "ThS.".into();
        assert!(
            parse(&f, &rules())
                .unwrap_err()
                .to_string()
                .starts_with("Học vị")
        );
    }

    #[test]
    fn a_criterion_of_another_category_is_refused() {
        let mut f = form(1, "01/01/1985");
        f.checks = vec![9];
        assert!(
            parse(&f, &rules())
                .unwrap_err()
                .to_string()
                .starts_with("Tiêu chí")
        );
    }
}
