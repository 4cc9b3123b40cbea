//! Detecting a conflict of interest between a judge and an entry: the
//! judge is one of its people (author, supervising teacher, candidate) or
//! works at the unit of one of them, or at the applying or nominating unit.

use super::text::{fold_accents, fold_case, split_title};

/// What is known of a person for this check.
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub name: String,
    pub email: String,
    pub unit: String,
}

/// What is known of an entry for this check.
#[derive(Debug, Clone, Default)]
pub struct EntryPeople {
    /// Authors, members, candidates: the entry is theirs.
    pub authors: Vec<Person>,
    /// Supervising teachers.
    pub supervisors: Vec<Person>,
    /// The applying unit of a technical solution, the nominating unit of
    /// an honors candidate.
    pub units: Vec<String>,
}

/// A unit's name folded so that spelling variants compare equal: case,
/// accents, spaces and punctuation do not matter.
pub fn unit_key(raw: &str) -> String {
    fold_accents(raw)
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn same_person(judge: &Person, other: &Person) -> bool {
    let email = |p: &Person| fold_case(&p.email);
    if !judge.email.trim().is_empty() && email(judge) == email(other) {
        return true;
    }
    // Two people can share a name; a name counts only with the same unit.
    let name = |p: &Person| fold_case(&split_title(&p.name).1);
    name(judge) == name(other) && same_unit(&judge.unit, &other.unit)
}

fn same_unit(a: &str, b: &str) -> bool {
    let (a, b) = (unit_key(a), unit_key(b));
    !a.is_empty() && a == b
}

/// Why `judge` has a conflict with the entry, in words for the report, or
/// `None`.
pub fn detect(judge: &Person, entry: &EntryPeople) -> Option<String> {
    if let Some(author) = entry.authors.iter().find(|a| same_person(judge, a)) {
        return Some(format!("là tác giả ({})", author.name));
    }
    if let Some(teacher) = entry.supervisors.iter().find(|s| same_person(judge, s)) {
        return Some(format!("là người hướng dẫn ({})", teacher.name));
    }
    if let Some(unit) = entry.units.iter().find(|u| same_unit(&judge.unit, u)) {
        return Some(format!("cùng đơn vị áp dụng, đề cử ({unit})"));
    }
    entry
        .authors
        .iter()
        .chain(&entry.supervisors)
        .find(|p| same_unit(&judge.unit, &p.unit))
        .map(|p| format!("cùng đơn vị với {} ({})", p.name, p.unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, email: &str, unit: &str) -> Person {
        Person {
            name: name.into(),
            email: email.into(),
            unit: unit.into(),
        }
    }

    #[test]
    fn a_judge_who_is_an_author_is_found_by_email_in_any_case() {
        // vn_02 GK07 and vn_01's author of GP-03.
        let judge = person("Hoàng Văn Dũng", "DUNG.HOANG@example.net", "Sở Xây dựng");
        let entry = EntryPeople {
            authors: vec![person(
                "Hoàng Văn Dũng",
                "dung.hoang@example.net",
                "Công ty B",
            )],
            ..Default::default()
        };
        assert_eq!(
            detect(&judge, &entry).as_deref(),
            Some("là tác giả (Hoàng Văn Dũng)")
        );
    }

    #[test]
    fn a_judge_at_the_applying_unit_is_found_whatever_the_spelling() {
        let judge = person(
            "PGS.TS. Trần Văn B",
            "b@example.com",
            "trường cao đẳng kỹ thuật  An Bình",
        );
        let entry = EntryPeople {
            authors: vec![person("Lê C", "c@example.com", "Công ty C")],
            units: vec!["Trường Cao đẳng Kỹ thuật An Bình.".into()],
            ..Default::default()
        };
        assert!(
            detect(&judge, &entry)
                .unwrap()
                .starts_with("cùng đơn vị áp dụng")
        );
    }

    #[test]
    fn namesakes_at_different_units_are_not_a_conflict() {
        // vn_02 GK08 and GK09: two people named Phạm Thị Hạnh.
        let judge = person("Phạm Thị Hạnh", "hanh1@example.com", "Sở Y tế");
        let entry = EntryPeople {
            authors: vec![person(
                "Phạm Thị Hạnh",
                "hanh2@example.com",
                "Bệnh viện tỉnh",
            )],
            ..Default::default()
        };
        assert_eq!(detect(&judge, &entry), None);
    }

    #[test]
    fn a_supervising_teacher_and_a_colleague_of_an_author_are_conflicts() {
        let entry = EntryPeople {
            authors: vec![person("Ngô Bảo", "", "Trường THCS Lê Lợi")],
            supervisors: vec![person(
                "Đỗ Thị Mai",
                "mai@example.com",
                "Trường THCS Lê Lợi",
            )],
            ..Default::default()
        };
        let teacher = person("ThS. Đỗ Thị Mai", "MAI@example.com", "");
        assert!(
            detect(&teacher, &entry)
                .unwrap()
                .starts_with("là người hướng dẫn")
        );
        let colleague = person("Vũ An", "an@example.com", "Truong THCS Le Loi");
        assert!(
            detect(&colleague, &entry)
                .unwrap()
                .starts_with("cùng đơn vị với Ngô Bảo")
        );
        let stranger = person("Vũ An", "an@example.com", "");
        assert_eq!(detect(&stranger, &entry), None);
    }
}
