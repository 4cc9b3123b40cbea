//! The rules an entry form must meet, shared by the browser and the server.

use chrono::{Datelike, NaiveDate};

use super::{AuthorForm, EntryForm};
use crate::app::error::AppError;
use crate::domain::dates::parse_date;
use crate::domain::text::{Email, FullName, clean_line, clean_text, parse_phone};

/// The most authors an entry may name.
pub const AUTHORS_MAX: usize = 20;

/// The longest summary, in characters (about three printed pages).
pub const SUMMARY_MAX: usize = 10_000;

/// An author, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Author {
    pub full_name: FullName,
    pub birth_date: NaiveDate,
    pub phone: String,
    pub email: Email,
    pub unit: String,
    pub share: i64,
}

/// An entry, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryDraft {
    pub field_id: i64,
    pub title: String,
    pub summary: String,
    pub applied_since: NaiveDate,
    pub applying_unit: String,
    pub authors: Vec<Author>,
}

fn author(number: usize, form: &AuthorForm, today: NaiveDate) -> Result<Author, AppError> {
    let field = |name: &str| format!("Tác giả {number} – {name}");
    let full_name = FullName::parse(&form.full_name)
        .map_err(|e| AppError::invalid(&field("Họ và tên"), e.to_string()))?;
    let birth_date = parse_date(&form.birth_date)
        .ok_or_else(|| AppError::invalid(&field("Ngày sinh"), "cần ngày hợp lệ dạng dd/mm/yyyy"))?;
    if birth_date >= today || birth_date.year() < 1900 {
        return Err(AppError::invalid(
            &field("Ngày sinh"),
            "ngày sinh không hợp lý",
        ));
    }
    let phone = parse_phone(&form.phone).ok_or_else(|| {
        AppError::invalid(
            &field("Điện thoại"),
            "cần số di động 10 chữ số hoặc số cố định 11 chữ số, bắt đầu bằng 0",
        )
    })?;
    let email =
        Email::parse(&form.email).map_err(|e| AppError::invalid(&field("Email"), e.to_string()))?;
    let unit = clean_line(&form.unit);
    if unit.is_empty() || unit.chars().count() > 300 {
        return Err(AppError::invalid(
            &field("Đơn vị"),
            "chưa nhập đơn vị công tác",
        ));
    }
    let share = form
        .share
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|s| (1..=100).contains(s))
        .ok_or_else(|| {
            AppError::invalid(&field("Tỷ lệ đóng góp"), "cần số nguyên từ 1 đến 100 (%)")
        })?;
    Ok(Author {
        full_name,
        birth_date,
        phone,
        email,
        unit,
        share,
    })
}

impl EntryDraft {
    /// Checks a typed entry. `today` is the date in the edition's zone.
    pub fn parse(form: &EntryForm, today: NaiveDate) -> Result<Self, AppError> {
        if form.field_id <= 0 {
            return Err(AppError::invalid("Lĩnh vực", "hãy chọn một lĩnh vực"));
        }
        let title = clean_line(&form.title);
        if title.is_empty() || title.chars().count() > 300 {
            return Err(AppError::invalid("Tên giải pháp", "cần từ 1 đến 300 ký tự"));
        }
        let summary = clean_text(&form.summary);
        if summary.is_empty() {
            return Err(AppError::invalid("Tóm tắt", "chưa nhập tóm tắt giải pháp"));
        }
        if summary.chars().count() > SUMMARY_MAX {
            return Err(AppError::invalid(
                "Tóm tắt",
                format!("tóm tắt dài quá {SUMMARY_MAX} ký tự"),
            ));
        }
        let applied_since = parse_date(&form.applied_since)
            .ok_or_else(|| AppError::invalid("Ngày áp dụng", "cần ngày hợp lệ dạng dd/mm/yyyy"))?;
        if applied_since.year() < 1950 {
            return Err(AppError::invalid(
                "Ngày áp dụng",
                "ngày áp dụng không hợp lý",
            ));
        }
        if applied_since > today {
            return Err(AppError::invalid(
                "Ngày áp dụng",
                "giải pháp phải đã được áp dụng vào thực tế",
            ));
        }
        let applying_unit = clean_line(&form.applying_unit);
        if applying_unit.is_empty() || applying_unit.chars().count() > 300 {
            return Err(AppError::invalid(
                "Đơn vị áp dụng",
                "chưa nhập đơn vị áp dụng giải pháp",
            ));
        }

        let mut authors = Vec::new();
        for (index, row) in form.authors.iter().enumerate() {
            if !row.is_blank() {
                authors.push(author(index + 1, row, today)?);
            }
        }
        if authors.is_empty() {
            return Err(AppError::invalid("Tác giả", "cần ít nhất một tác giả"));
        }
        if authors.len() > AUTHORS_MAX {
            return Err(AppError::invalid(
                "Tác giả",
                format!("một giải pháp có tối đa {AUTHORS_MAX} tác giả"),
            ));
        }
        let total: i64 = authors.iter().map(|a| a.share).sum();
        if total != 100 {
            return Err(AppError::invalid(
                "Tỷ lệ đóng góp",
                format!("tổng tỷ lệ đóng góp là {total}%, cần đúng 100%"),
            ));
        }
        let mut emails: Vec<&str> = authors.iter().map(|a| a.email.as_str()).collect();
        emails.sort_unstable();
        if emails.windows(2).any(|w| w[0] == w[1]) {
            return Err(AppError::invalid("Tác giả", "hai tác giả có cùng email"));
        }
        Ok(Self {
            field_id: form.field_id,
            title,
            summary,
            applied_since,
            applying_unit,
            authors,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, email: &str, share: &str) -> AuthorForm {
        AuthorForm {
            full_name: name.into(),
            birth_date: "07/09/1990".into(),
            phone: "0912 000 101".into(),
            email: email.into(),
            unit: "Công ty Cơ khí An Bình".into(),
            share: share.into(),
        }
    }

    fn form(authors: Vec<AuthorForm>) -> EntryForm {
        EntryForm {
            id: 0,
            edition_id: 1,
            field_id: 2,
            title: "Máy  bóc vỏ hạt sen".into(),
            summary: "Tóm tắt".into(),
            applied_since: "2024-03-01".into(),
            applying_unit: "HTX Sen Hồng".into(),
            authors,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    #[test]
    fn shares_that_sum_to_100_are_accepted_and_blank_rows_skipped() {
        let f = form(vec![
            row("Nguyễn Văn Hùng", "a@example.com", "60"),
            AuthorForm::default(),
            row("Lê Thị B", "b@example.com", "40%"),
        ]);
        let draft = EntryDraft::parse(&f, today()).unwrap();
        assert_eq!(draft.authors.len(), 2);
        assert_eq!(draft.title, "Máy bóc vỏ hạt sen");
        assert_eq!(draft.authors[0].phone, "0912000101");
    }

    #[test]
    fn shares_that_do_not_sum_to_100_are_refused_with_the_total() {
        let f = form(vec![
            row("Nguyễn Văn Hùng", "a@example.com", "60"),
            row("Lê Thị B", "b@example.com", "30"),
        ]);
        let error = EntryDraft::parse(&f, today()).unwrap_err();
        assert_eq!(
            error,
            AppError::invalid(
                "Tỷ lệ đóng góp",
                "tổng tỷ lệ đóng góp là 90%, cần đúng 100%"
            )
        );
    }

    #[test]
    fn a_bad_author_value_names_the_author_and_the_field() {
        let mut bad = row("Lê Thị B", "b@example.com", "40");
        bad.birth_date = "31/02/1995".into();
        let f = form(vec![row("Nguyễn Văn Hùng", "a@example.com", "60"), bad]);
        match EntryDraft::parse(&f, today()).unwrap_err() {
            AppError::Invalid { field, .. } => assert_eq!(field, "Tác giả 2 – Ngày sinh"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_solution_not_yet_applied_is_refused() {
        let mut f = form(vec![row("Nguyễn Văn Hùng", "a@example.com", "100")]);
        f.applied_since = "2027-01-01".into();
        assert!(
            matches!(EntryDraft::parse(&f, today()), Err(AppError::Invalid { field, .. }) if field == "Ngày áp dụng")
        );
    }
}
