//! The rules a youth entry must meet. The form in the browser, the server
//! and the spreadsheet import all call `check`, so they refuse the same
//! things with the same words.

use chrono::NaiveDate;

use super::{MemberForm, SupervisorForm, YouthForm, YouthRules};
use crate::app::error::AppError;
use crate::domain::dates::parse_date;
use crate::domain::text::{Email, FullName, clean_line, clean_text, fold_case, parse_phone};
use crate::domain::youth::{SchoolLevel, group_for};

/// Which value of the form a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Field,
    Title,
    Summary,
    Video,
    Members,
    Supervisors,
    Name,
    BirthDate,
    School,
    Grade,
    Commune,
    Province,
    Phone,
    Email,
}

impl Part {
    pub fn label(self) -> &'static str {
        match self {
            Part::Field => "Lĩnh vực",
            Part::Title => "Tên sản phẩm",
            Part::Summary => "Mô tả sản phẩm",
            Part::Video => "Đường dẫn video",
            Part::Members => "Thành viên",
            Part::Supervisors => "Giáo viên hướng dẫn",
            Part::Name => "Họ và tên",
            Part::BirthDate => "Ngày sinh",
            Part::School => "Trường",
            Part::Grade => "Lớp",
            Part::Commune => "Xã/phường",
            Part::Province => "Tỉnh/thành phố",
            Part::Phone => "Điện thoại",
            Part::Email => "Email",
        }
    }
}

/// Who in the form a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    Entry,
    /// A member, by their position among the rows typed (0-based).
    Member(usize),
    Supervisor(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub who: Who,
    pub part: Part,
    pub message: String,
}

impl Problem {
    /// The field as the form labels it: "Thành viên 2 – Ngày sinh".
    pub fn label(&self) -> String {
        match self.who {
            Who::Entry => self.part.label().to_string(),
            Who::Member(i) => format!("Thành viên {} – {}", i + 1, self.part.label()),
            Who::Supervisor(i) => {
                format!("Giáo viên hướng dẫn {} – {}", i + 1, self.part.label())
            }
        }
    }
}

impl From<Problem> for AppError {
    fn from(problem: Problem) -> Self {
        AppError::invalid(&problem.label(), problem.message)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub full_name: FullName,
    pub birth_date: NaiveDate,
    pub age: i32,
    pub school: String,
    pub grade: String,
    pub level: SchoolLevel,
    pub commune: String,
    pub province: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Supervisor {
    pub full_name: FullName,
    pub school: String,
    pub phone: String,
    pub email: Option<Email>,
}

/// A youth entry, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct YouthDraft {
    pub field_id: i64,
    pub title: String,
    pub summary: String,
    pub video_url: String,
    pub members: Vec<Member>,
    pub supervisors: Vec<Supervisor>,
    pub level_group_id: i64,
}

/// The longest description, in characters.
pub const SUMMARY_MAX: usize = 10_000;
/// The longest school or other one-line text, in characters.
pub const TEXT_MAX: usize = 200;
/// The longest grade ("Lớp 12A1", "SV năm 3"), in characters.
pub const GRADE_MAX: usize = 30;
/// The longest commune or province name, in characters.
pub const PLACE_MAX: usize = 100;

fn member(
    index: usize,
    form: &MemberForm,
    rules: &YouthRules,
    problems: &mut Vec<Problem>,
) -> Option<Member> {
    let mut fail = |part, message: String| {
        problems.push(Problem {
            who: Who::Member(index),
            part,
            message,
        })
    };
    let full_name = FullName::parse(&form.full_name)
        .map_err(|e| fail(Part::Name, e.to_string()))
        .ok();
    let birth_date = match parse_date(&form.birth_date) {
        Some(date) => Some(date),
        None if form.birth_date.trim().chars().all(|c| c.is_ascii_digit())
            && form.birth_date.trim().len() == 4 =>
        {
            fail(
                Part::BirthDate,
                format!(
                    "chỉ có năm {}; cần ngày sinh đầy đủ dd/mm/yyyy để tính tuổi",
                    form.birth_date.trim()
                ),
            );
            None
        }
        None if form.birth_date.trim().is_empty() => {
            fail(Part::BirthDate, "chưa nhập ngày sinh".into());
            None
        }
        None => {
            fail(
                Part::BirthDate,
                format!(
                    "\"{}\" không phải ngày hợp lệ dạng dd/mm/yyyy",
                    form.birth_date.trim()
                ),
            );
            None
        }
    };
    let age = birth_date.and_then(|birth| {
        rules
            .window
            .check(birth)
            .map_err(|message| fail(Part::BirthDate, message))
            .ok()
    });
    let mut bounded = |part, raw: &str, max: usize| {
        let text = clean_line(raw);
        if text.chars().count() > max {
            fail(part, format!("tối đa {max} ký tự"));
        }
        text
    };
    let school = bounded(Part::School, &form.school, TEXT_MAX);
    let grade = bounded(Part::Grade, &form.grade, GRADE_MAX);
    let commune = bounded(Part::Commune, &form.commune, PLACE_MAX);
    let province = bounded(Part::Province, &form.province, PLACE_MAX);
    if school.is_empty() {
        fail(Part::School, "chưa nhập trường".into());
    }
    let level = if grade.is_empty() {
        fail(Part::Grade, "chưa nhập lớp".into());
        None
    } else {
        let level = SchoolLevel::derive(&grade, &school);
        if level.is_none() {
            fail(
                Part::Grade,
                format!("không xác định được cấp học từ lớp \"{grade}\""),
            );
        }
        level
    };
    if let Some(level) = level
        && !rules.level_groups.iter().any(|g| g.levels.contains(&level))
    {
        let groups: Vec<&str> = rules.level_groups.iter().map(|g| g.name.as_str()).collect();
        fail(
            Part::Grade,
            format!(
                "cấp {} không thuộc bảng thi nào của kỳ thi ({})",
                level.label(),
                groups.join("; ")
            ),
        );
    }
    Some(Member {
        full_name: full_name?,
        birth_date: birth_date?,
        age: age?,
        school,
        grade,
        level: level?,
        commune,
        province,
    })
}

fn supervisor(
    index: usize,
    form: &SupervisorForm,
    problems: &mut Vec<Problem>,
) -> Option<Supervisor> {
    let mut fail = |part, message: String| {
        problems.push(Problem {
            who: Who::Supervisor(index),
            part,
            message,
        })
    };
    let full_name = FullName::parse(&form.full_name)
        .map_err(|e| fail(Part::Name, e.to_string()))
        .ok();
    let phone = if form.phone.trim().is_empty() {
        Some(String::new())
    } else {
        let phone = parse_phone(&form.phone);
        if phone.is_none() {
            fail(
                Part::Phone,
                "cần số di động 10 chữ số hoặc số cố định 11 chữ số, bắt đầu bằng 0".into(),
            );
        }
        phone
    };
    let email = if form.email.trim().is_empty() {
        Some(None)
    } else {
        Email::parse(&form.email)
            .map(Some)
            .map_err(|e| fail(Part::Email, e.to_string()))
            .ok()
    };
    let school = clean_line(&form.school);
    if school.chars().count() > TEXT_MAX {
        fail(Part::School, format!("tối đa {TEXT_MAX} ký tự"));
    }
    Some(Supervisor {
        full_name: full_name?,
        school,
        phone: phone?,
        email: email?,
    })
}

/// Checks a typed youth entry against the edition's rules and returns
/// every problem found, each tied to the member and value it concerns.
pub fn check(form: &YouthForm, rules: &YouthRules) -> Result<YouthDraft, Vec<Problem>> {
    let mut problems = Vec::new();
    let fail = |problems: &mut Vec<Problem>, part, message: &str| {
        problems.push(Problem {
            who: Who::Entry,
            part,
            message: message.to_string(),
        })
    };
    if !rules.fields.iter().any(|f| f.id == form.field_id) {
        fail(
            &mut problems,
            Part::Field,
            "hãy chọn một lĩnh vực của kỳ thi",
        );
    }
    let title = clean_line(&form.title);
    if title.is_empty() || title.chars().count() > 300 {
        fail(&mut problems, Part::Title, "cần từ 1 đến 300 ký tự");
    }
    let summary = clean_text(&form.summary);
    if summary.chars().count() > SUMMARY_MAX {
        fail(
            &mut problems,
            Part::Summary,
            &format!("mô tả dài quá {SUMMARY_MAX} ký tự"),
        );
    }
    let video_url = clean_line(&form.video_url);
    if !video_url.is_empty()
        && (!(video_url.starts_with("https://") || video_url.starts_with("http://"))
            || video_url.contains(' ')
            || video_url.len() > 500)
    {
        fail(
            &mut problems,
            Part::Video,
            "cần một đường dẫn bắt đầu bằng https://, ví dụ https://youtu.be/…",
        );
    }

    // Rows keep their place in the form, so that a problem is said under
    // the row it concerns even when rows above it were left blank.
    let typed: Vec<(usize, &MemberForm)> = form
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.is_blank())
        .collect();
    let mut members: Vec<(usize, Member)> = Vec::new();
    for (count, &(position, row)) in typed.iter().enumerate() {
        if count == rules.group_max {
            problems.push(Problem {
                who: Who::Member(position),
                part: Part::Name,
                message: format!(
                    "nhóm có {} thành viên, tối đa {} thành viên",
                    typed.len(),
                    rules.group_max
                ),
            });
        }
        if let Some(member) = member(position, row, rules, &mut problems) {
            members.push((position, member));
        }
    }
    if typed.is_empty() {
        fail(&mut problems, Part::Members, "cần ít nhất một thành viên");
    }
    for (i, (position, a)) in members.iter().enumerate() {
        let same = |b: &Member| {
            fold_case(b.full_name.as_str()) == fold_case(a.full_name.as_str())
                && b.birth_date == a.birth_date
        };
        if members[..i].iter().any(|(_, b)| same(b)) {
            problems.push(Problem {
                who: Who::Member(*position),
                part: Part::Name,
                message: format!("{} được nhập hai lần", a.full_name),
            });
        }
    }
    let members: Vec<Member> = members.into_iter().map(|(_, m)| m).collect();

    let typed: Vec<(usize, &SupervisorForm)> = form
        .supervisors
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.is_blank())
        .collect();
    if typed.is_empty() {
        fail(
            &mut problems,
            Part::Supervisors,
            "cần ít nhất một giáo viên hướng dẫn",
        );
    }
    if typed.len() > 2 {
        fail(
            &mut problems,
            Part::Supervisors,
            "tối đa hai giáo viên hướng dẫn",
        );
    }
    let supervisors: Vec<Supervisor> = typed
        .iter()
        .filter_map(|&(position, s)| supervisor(position, s, &mut problems))
        .collect();

    let levels: Vec<SchoolLevel> = members.iter().map(|m| m.level).collect();
    let group = group_for(&rules.level_groups, &levels);
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some(group) = group else {
        fail(&mut problems, Part::Members, "không xác định được bảng thi");
        return Err(problems);
    };
    Ok(YouthDraft {
        field_id: form.field_id,
        title,
        summary,
        video_url,
        members,
        supervisors,
        level_group_id: group.id,
    })
}

/// `check`, with the first problem as the error a server function returns.
pub fn parse(form: &YouthForm, rules: &YouthRules) -> Result<YouthDraft, AppError> {
    check(form, rules).map_err(|mut problems| AppError::from(problems.remove(0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::editions::FieldItem;
    use crate::domain::youth::{AgeWindow, LevelGroup, default_level_groups};

    fn rules() -> YouthRules {
        YouthRules {
            window: AgeWindow {
                min: 6,
                max: 18,
                on: NaiveDate::from_ymd_opt(2026, 5, 31).unwrap(),
            },
            group_max: 5,
            level_groups: default_level_groups()
                .into_iter()
                .enumerate()
                .map(|(i, (name, levels))| LevelGroup {
                    id: i as i64 + 1,
                    name,
                    levels,
                })
                .collect(),
            fields: vec![FieldItem {
                id: 7,
                name: "Đồ dùng học tập".into(),
            }],
        }
    }

    fn pupil(name: &str, birth: &str, grade: &str) -> MemberForm {
        MemberForm {
            full_name: name.into(),
            birth_date: birth.into(),
            school: "Trường THCS Kim Đồng".into(),
            grade: grade.into(),
            commune: "Phường Tân Phú".into(),
            province: "An Bình".into(),
        }
    }

    fn form(members: Vec<MemberForm>) -> YouthForm {
        YouthForm {
            field_id: 7,
            title: "Thước kẻ gấp đa năng".into(),
            members,
            supervisors: vec![SupervisorForm {
                full_name: "Lê Thị Hằng".into(),
                phone: "0912 000 333".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_group_within_the_rules_gets_its_level_group() {
        let draft = check(
            &form(vec![
                pupil("Lý Gia Bảo", "20/05/2013", "7A"),
                pupil("Trịnh Khánh Linh", "02/09/2012", "8B"),
            ]),
            &rules(),
        )
        .unwrap();
        assert_eq!(draft.level_group_id, 1);
        assert_eq!(draft.members[0].age, 13);
        assert_eq!(draft.supervisors[0].phone, "0912000333");
    }

    #[test]
    fn a_member_too_young_is_named_with_the_reason() {
        let problems = check(
            &form(vec![
                pupil("Lý Gia Bảo", "20/05/2013", "7A"),
                pupil("Cao Minh Khang", "01/06/2020", "Lớp 1"),
            ]),
            &rules(),
        )
        .unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].label(), "Thành viên 2 – Ngày sinh");
        assert_eq!(
            problems[0].message,
            "mới 5 tuổi vào ngày 31/05/2026, chưa đủ 6 tuổi"
        );
    }

    #[test]
    fn the_sixth_member_of_a_group_of_five_is_refused() {
        let members: Vec<MemberForm> = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà"]
            .into_iter()
            .map(|given| pupil(&format!("Trần Văn {given}"), "01/01/2012", "8A"))
            .collect();
        let problems = check(&form(members.clone()), &rules()).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].who, Who::Member(5));
        assert!(problems[0].message.contains("6 thành viên, tối đa 5"));
        assert!(check(&form(members[..5].to_vec()), &rules()).is_ok());
    }

    #[test]
    fn a_year_alone_is_not_a_birth_date() {
        let problems =
            check(&form(vec![pupil("Văn Đức Thắng", "2010", "9C")]), &rules()).unwrap_err();
        assert!(problems[0].message.starts_with("chỉ có năm 2010"));
    }

    #[test]
    fn an_entry_needs_a_teacher_and_a_valid_contact() {
        let mut f = form(vec![pupil("Lý Gia Bảo", "20/05/2013", "7A")]);
        f.supervisors[0].email = "co.hang@".into();
        let problems = check(&f, &rules()).unwrap_err();
        assert_eq!(problems[0].label(), "Giáo viên hướng dẫn 1 – Email");
        f.supervisors.clear();
        let problems = check(&f, &rules()).unwrap_err();
        assert_eq!(problems[0].part, Part::Supervisors);
    }
}
