//! Importing a youth contest's list of entries (one row per member, the
//! rows of a group sharing its code) and an honors list of nominations
//! (one row per candidate). Each entry goes through the same checks as the
//! online form; an entry with any problem is rejected whole, each problem
//! named by its row and column. Writing is one transaction.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Range};
use sqlx::SqlitePool;

use super::judges_import::{cell_text, column_letter};
use super::spreadsheet::{self, Sheet};
use super::{honors, lifecycle, youth};
use crate::app::entries::{EntryImportReport, ImportedEntry};
use crate::app::error::AppError;
use crate::app::honors::validate::Nomination;
use crate::app::honors::{HonorRules, NominationForm};
use crate::app::judges::RowProblem;
use crate::app::youth::validate::{Part, Who, YouthDraft, check};
use crate::app::youth::{MemberForm, SupervisorForm, YouthForm, YouthRules};
use crate::domain::dates::format_date;
use crate::domain::lifecycle::EntryState;
use crate::domain::text::{clean_line, fold_accents, split_title};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Code,
    Title,
    Field,
    Name,
    Birth,
    Age,
    Grade,
    School,
    Commune,
    Province,
    District,
    Supervisor,
    Email,
    Phone,
    Degree,
    DegreeDate,
    AcademicTitle,
    Expertise,
    Workplace,
    Unit,
    Achievements,
}

/// Which column a heading names, ignoring accents and case.
fn column_for(header: &str) -> Option<Col> {
    let h = fold_accents(header);
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    let col = if has(&["huyen", "quan/"]) || h == "quan" {
        Col::District
    } else if has(&["ngay cap", "nam cap", "nam bao ve", "ngay bao ve"]) {
        Col::DegreeDate
    } else if has(&["ngay sinh", "nam sinh"]) {
        Col::Birth
    } else if has(&["huong dan"]) {
        Col::Supervisor
    } else if has(&["dien thoai", "sdt", "di dong"]) {
        Col::Phone
    } else if has(&["email", "e-mail", "thu dien tu"]) {
        Col::Email
    } else if has(&["don vi de cu", "don vi gioi thieu", "don vi tien cu"]) {
        Col::Unit
    } else if has(&["ho va ten", "ho ten"]) {
        Col::Name
    } else if h.starts_with("ma") {
        Col::Code
    } else if has(&["ten du an", "ten san pham", "ten de tai", "ten mo hinh"]) {
        Col::Title
    } else if has(&["hang muc", "danh hieu"]) {
        Col::Field
    } else if has(&["linh vuc chuyen mon", "chuyen nganh", "chuyen mon"]) {
        Col::Expertise
    } else if has(&["linh vuc"]) {
        Col::Field
    } else if h == "tuoi" || h.starts_with("tuoi ") {
        Col::Age
    } else if has(&["hoc ham", "chuc danh"]) {
        Col::AcademicTitle
    } else if has(&["hoc vi", "trinh do"]) {
        Col::Degree
    } else if has(&["lop"]) {
        Col::Grade
    } else if has(&["truong"]) {
        Col::School
    } else if has(&["xa", "phuong"]) {
        Col::Commune
    } else if has(&["tinh", "thanh pho"]) {
        Col::Province
    } else if has(&["co quan", "noi cong tac", "don vi cong tac"]) {
        Col::Workplace
    } else if has(&["thanh tich"]) {
        Col::Achievements
    } else {
        return None;
    };
    Some(col)
}

/// An Excel row number and its cells as text.
type SheetRow = (u32, Vec<String>);

/// A sheet's header and data rows, with cells read as text.
struct Table {
    columns: HashMap<Col, usize>,
    first_col: u32,
    /// (Excel row, cells as text), blank rows left out.
    rows: Vec<SheetRow>,
}

impl Table {
    fn get(&self, row: &[String], col: Col) -> String {
        self.columns
            .get(&col)
            .and_then(|&c| row.get(c))
            .cloned()
            .unwrap_or_default()
    }

    fn letter(&self, col: Col) -> String {
        column_letter(self.first_col as usize + self.columns.get(&col).copied().unwrap_or(0))
    }
}

fn find_table(range: &Range<Data>, needed: &[Col]) -> Option<Table> {
    let (first_row, first_col) = range.start()?;
    let rows: Vec<&[Data]> = range.rows().collect();
    let (header, columns) = rows.iter().take(15).enumerate().find_map(|(i, row)| {
        let mut columns = HashMap::new();
        for (c, cell) in row.iter().enumerate() {
            if let Some(col) = column_for(&cell_text(Some(cell))) {
                columns.entry(col).or_insert(c);
            }
        }
        needed
            .iter()
            .all(|n| columns.contains_key(n))
            .then_some((i, columns))
    })?;
    let rows = rows
        .iter()
        .enumerate()
        .skip(header + 1)
        .map(|(i, row)| {
            let cells: Vec<String> = row.iter().map(|c| cell_text(Some(c))).collect();
            (first_row + i as u32 + 1, cells)
        })
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Some(Table {
        columns,
        first_col,
        rows,
    })
}

fn open_table(
    path: &Path,
    needed: &[Col],
    what: &str,
) -> Result<(Table, Vec<RowProblem>), AppError> {
    let sheets: Vec<Sheet> = spreadsheet::read_sheets(path)?;
    for sheet in sheets {
        if let Some(table) = find_table(&sheet.range, needed) {
            let mut notes = Vec::new();
            if let Some((row, column)) = sheet.beyond {
                notes.push(RowProblem {
                    row: row + 1,
                    column: column_letter(column as usize),
                    message: format!(
                        "ô này và các ô ngoài {} dòng, {} cột đầu bị bỏ qua",
                        spreadsheet::MAX_ROWS,
                        spreadsheet::MAX_COLUMNS
                    ),
                });
            }
            if let Some(&c) = table.columns.get(&Col::District) {
                notes.push(RowProblem {
                    row: table
                        .rows
                        .first()
                        .map(|r| r.0)
                        .unwrap_or(1)
                        .saturating_sub(1),
                    column: column_letter(table.first_col as usize + c),
                    message: "cột huyện bị bỏ qua: từ năm 2025 địa chỉ chỉ còn xã/phường và tỉnh"
                        .into(),
                });
            }
            return Ok((table, notes));
        }
    }
    Err(AppError::invalid(
        "Tệp",
        format!("không tìm thấy trang tính {what}"),
    ))
}

/// Takes "Cô", "Thầy" and academic titles off a teacher's name.
fn teacher_name(raw: &str) -> String {
    let line = clean_line(raw);
    let rest = ["Cô ", "Thầy ", "cô ", "thầy "]
        .iter()
        .find_map(|p| line.strip_prefix(p))
        .unwrap_or(&line);
    split_title(rest).1
}

/// A youth group read from the sheet, with the rows of its members.
pub struct YouthRow {
    pub draft: YouthDraft,
    pub code_in_file: String,
}

/// Reads a youth list and checks each group against the edition's rules.
pub fn read_youth(
    path: &Path,
    rules: &YouthRules,
) -> Result<(EntryImportReport, Vec<YouthRow>), AppError> {
    let (table, notes) = open_table(
        path,
        &[Col::Name, Col::Birth],
        "có cột \"Họ và tên\" và \"Ngày sinh\"",
    )?;
    let mut report = EntryImportReport {
        notes,
        ..Default::default()
    };
    // Group the member rows by the project's code (or title), in order.
    let mut groups: Vec<(String, Vec<&SheetRow>)> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let key = match clean_line(&table.get(&row.1, Col::Code)) {
            code if !code.is_empty() => code,
            _ => clean_line(&table.get(&row.1, Col::Title)),
        };
        // A row with neither code nor title is an entry of its own.
        match group_of.get(&key).filter(|_| !key.is_empty()) {
            Some(&index) => groups[index].1.push(row),
            None => {
                group_of.insert(key.clone(), groups.len());
                groups.push((key, vec![row]));
            }
        }
    }
    let mut accepted = Vec::new();
    for (key, rows) in groups {
        report.rows += 1;
        let first = &rows[0].1;
        let field_name = fold_accents(&table.get(first, Col::Field));
        let field_id = rules
            .fields
            .iter()
            .find(|f| fold_accents(&f.name) == field_name)
            .map(|f| f.id)
            .unwrap_or(0);
        let mut supervisors: Vec<SupervisorForm> = Vec::new();
        for row in &rows {
            for name in table.get(&row.1, Col::Supervisor).split([';', '\n']) {
                let name = teacher_name(name);
                if !name.is_empty() && !supervisors.iter().any(|s| s.full_name == name) {
                    supervisors.push(SupervisorForm {
                        full_name: name,
                        ..Default::default()
                    });
                }
            }
        }
        let form = YouthForm {
            field_id,
            title: table.get(first, Col::Title),
            members: rows
                .iter()
                .map(|row| MemberForm {
                    full_name: table.get(&row.1, Col::Name),
                    birth_date: table.get(&row.1, Col::Birth),
                    school: table.get(&row.1, Col::School),
                    grade: table.get(&row.1, Col::Grade),
                    commune: table.get(&row.1, Col::Commune),
                    province: table.get(&row.1, Col::Province),
                })
                .collect(),
            supervisors,
            ..Default::default()
        };
        let first_row = rows[0].0;
        match check(&form, rules) {
            Ok(draft) => {
                for (member, row) in draft.members.iter().zip(&rows) {
                    let stated = table.get(&row.1, Col::Age);
                    let digits: String = stated.chars().filter(|c| c.is_ascii_digit()).collect();
                    if let Ok(stated_age) = digits.parse::<i32>()
                        && stated_age != member.age
                    {
                        report.notes.push(RowProblem {
                            row: row.0,
                            column: table.letter(Col::Age),
                            message: format!(
                                "tuổi ghi {stated_age}, theo ngày sinh là {} tuổi vào ngày {}; dùng ngày sinh",
                                member.age,
                                format_date(rules.window.on)
                            ),
                        });
                    }
                }
                report.imported += 1;
                report.entries.push(ImportedEntry {
                    row: first_row,
                    code_in_file: key.clone(),
                    title: draft.title.clone(),
                    people: draft
                        .members
                        .iter()
                        .map(|m| m.full_name.to_string())
                        .collect(),
                });
                accepted.push(YouthRow {
                    draft,
                    code_in_file: key,
                });
            }
            Err(problems) => {
                report.rejected += 1;
                for problem in problems {
                    let (row, col) = match (problem.who, problem.part) {
                        (Who::Member(i), part) => (
                            rows.get(i).map(|r| r.0).unwrap_or(first_row),
                            match part {
                                Part::BirthDate => Col::Birth,
                                Part::School => Col::School,
                                Part::Grade => Col::Grade,
                                Part::Commune => Col::Commune,
                                Part::Province => Col::Province,
                                _ => Col::Name,
                            },
                        ),
                        (Who::Supervisor(_), _) | (Who::Entry, Part::Supervisors) => {
                            (first_row, Col::Supervisor)
                        }
                        (Who::Entry, Part::Field) => (first_row, Col::Field),
                        (Who::Entry, Part::Title) => (first_row, Col::Title),
                        (Who::Entry, _) => (first_row, Col::Name),
                    };
                    let message = match problem.part {
                        Part::Field if field_id == 0 => format!(
                            "lĩnh vực \"{}\" không có trong kỳ thi",
                            clean_line(&table.get(first, Col::Field))
                        ),
                        _ => problem.message,
                    };
                    report.rejections.push(RowProblem {
                        row,
                        column: table.letter(col),
                        message: match key.as_str() {
                            "" => message,
                            key => format!("{key}: {message}"),
                        },
                    });
                }
            }
        }
    }
    report.rejections.sort_by_key(|p| p.row);
    report.notes.sort_by_key(|p| p.row);
    Ok((report, accepted))
}

/// Writes checked youth groups as submitted entries owned by `actor` (the
/// organizer who imports them), in one transaction.
pub async fn apply_youth(
    pool: &SqlitePool,
    edition: i64,
    actor: i64,
    rows: &[YouthRow],
    file_name: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    for row in rows {
        let id = youth::write(&mut tx, edition, actor, 0, &row.draft).await?;
        submit_imported(&mut tx, id, actor, file_name, &row.code_in_file).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn submit_imported(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    actor: i64,
    file_name: &str,
    code_in_file: &str,
) -> Result<(), AppError> {
    let now = super::time::now_text();
    sqlx::query("UPDATE entries SET state = 'submitted', submitted_at = ? WHERE id = ?")
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let mut reason = format!("Nhập từ tệp {file_name}");
    if !code_in_file.is_empty() {
        reason.push_str(&format!(", mã trong tệp {code_in_file}"));
    }
    lifecycle::record(
        tx,
        id,
        actor,
        EntryState::Draft,
        EntryState::Submitted,
        &reason,
    )
    .await
}

/// A nomination read from the sheet.
pub struct NominationRow {
    pub nomination: Nomination,
    pub unit: String,
}

/// Reads a list of nominations and checks each against the category's
/// rules.
pub fn read_nominations(
    path: &Path,
    rules: &HonorRules,
) -> Result<(EntryImportReport, Vec<NominationRow>), AppError> {
    let (table, notes) = open_table(
        path,
        &[Col::Name, Col::Birth, Col::Field],
        "có cột \"Họ và tên\", \"Ngày sinh\" và \"Hạng mục\"",
    )?;
    let mut report = EntryImportReport {
        notes,
        ..Default::default()
    };
    let mut accepted = Vec::new();
    for (excel_row, cells) in &table.rows {
        report.rows += 1;
        let category = fold_accents(&table.get(cells, Col::Field));
        let field_id = rules
            .categories
            .iter()
            .find(|c| fold_accents(&c.name) == category)
            .map(|c| c.id)
            .unwrap_or(0);
        let form = NominationForm {
            field_id,
            full_name: table.get(cells, Col::Name),
            birth_date: table.get(cells, Col::Birth),
            email: table.get(cells, Col::Email),
            phone: table.get(cells, Col::Phone),
            degree: table.get(cells, Col::Degree),
            degree_date: table.get(cells, Col::DegreeDate),
            academic_title: table.get(cells, Col::AcademicTitle),
            expertise: table.get(cells, Col::Expertise),
            workplace: table.get(cells, Col::Workplace),
            achievements: table.get(cells, Col::Achievements),
            ..Default::default()
        };
        match crate::app::honors::validate::parse(&form, rules) {
            Ok(nomination) => {
                report.imported += 1;
                report.entries.push(ImportedEntry {
                    row: *excel_row,
                    code_in_file: String::new(),
                    title: nomination.full_name.to_string(),
                    people: vec![nomination.full_name.to_string()],
                });
                accepted.push(NominationRow {
                    nomination,
                    unit: clean_line(&table.get(cells, Col::Unit)),
                });
            }
            Err(error) => {
                report.rejected += 1;
                let (field, message) = match error {
                    AppError::Invalid { field, message } => (field, message),
                    other => (String::new(), other.to_string()),
                };
                let col = match field.as_str() {
                    "Hạng mục" => Col::Field,
                    "Ngày sinh" => Col::Birth,
                    "Email" => Col::Email,
                    "Điện thoại" => Col::Phone,
                    "Học vị" => Col::Degree,
                    "Ngày cấp bằng" => Col::DegreeDate,
                    "Cơ quan công tác" => Col::Workplace,
                    "Thành tích" => Col::Achievements,
                    _ => Col::Name,
                };
                let message = if col == Col::Field && field_id == 0 {
                    format!(
                        "hạng mục \"{}\" không có trong đợt tôn vinh",
                        clean_line(&table.get(cells, Col::Field))
                    )
                } else {
                    message
                };
                report.rejections.push(RowProblem {
                    row: *excel_row,
                    column: table.letter(col),
                    message,
                });
            }
        }
    }
    Ok((report, accepted))
}

/// Writes checked nominations as submitted, owned by `actor`, in one
/// transaction.
pub async fn apply_nominations(
    pool: &SqlitePool,
    edition: i64,
    actor: i64,
    rows: &[NominationRow],
    file_name: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    for row in rows {
        let id = honors::write(&mut tx, edition, actor, 0, &row.nomination, &row.unit).await?;
        submit_imported(&mut tx, id, actor, file_name, "").await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The organizer the command line acts as: the first one created.
pub async fn first_organizer(pool: &SqlitePool) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM users WHERE role = 'organizer' ORDER BY id LIMIT 1")
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| {
            AppError::Conflict(
                "Chưa có tài khoản Ban tổ chức; hãy tạo bằng `sangtao create-organizer` trước."
                    .into(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::editions::FieldItem;
    use crate::domain::youth::{AgeWindow, LevelGroup, SchoolLevel};
    use chrono::NaiveDate;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    /// The rules the sample file assumes: ages 6 to 20 on 01/10/2025 by
    /// exact birthday, at most 5 members, the file's own fields.
    fn sample_rules() -> YouthRules {
        YouthRules {
            window: AgeWindow {
                min: 6,
                max: 20,
                on: NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(),
            },
            group_max: 5,
            level_groups: vec![
                LevelGroup {
                    id: 1,
                    name: "Tiểu học và THCS".into(),
                    levels: vec![
                        SchoolLevel::Preschool,
                        SchoolLevel::Primary,
                        SchoolLevel::LowerSecondary,
                    ],
                },
                LevelGroup {
                    id: 2,
                    name: "THPT và sinh viên".into(),
                    levels: vec![SchoolLevel::UpperSecondary, SchoolLevel::Higher],
                },
            ],
            fields: ["Kỹ thuật", "Vật liệu", "Môi trường", "Nông nghiệp"]
                .iter()
                .enumerate()
                .map(|(i, name)| FieldItem {
                    id: i as i64 + 1,
                    name: name.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_sample_youth_list_gets_the_expected_verdicts() {
        let (report, rows) =
            read_youth(&fixture("vn_04_youth_contest.xlsx"), &sample_rules()).unwrap();
        assert_eq!(
            report.counts_json(),
            r#"{"rows":7,"imported":3,"merged":0,"rejected":4}"#
        );
        let imported: Vec<&str> = rows.iter().map(|r| r.code_in_file.as_str()).collect();
        assert_eq!(imported, vec!["DA-01", "DA-04", "DA-07"]);

        // Every member expected.json marks as breaking the rules (under the
        // exact-birthday convention) is named by its row, and no other.
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(fixture("vn_04_expected.json")).unwrap())
                .unwrap();
        let breaking = ["AGE_BELOW", "AGE_ABOVE", "DOB_YEAR_ONLY", "GROUP_HAS"];
        let mut expected_rows: Vec<u64> = expected["expected_members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| {
                m["issues"].as_array().unwrap().iter().any(|i| {
                    let issue = i.as_str().unwrap();
                    breaking.iter().any(|b| issue.starts_with(b))
                })
            })
            .map(|m| m["excel_row"].as_u64().unwrap())
            .collect();
        expected_rows.sort();
        let rejected_rows: Vec<u64> = report.rejections.iter().map(|p| p.row as u64).collect();
        assert_eq!(rejected_rows, expected_rows);
        assert_eq!(rejected_rows, vec![5, 6, 15, 16]);
        let at = |row: u32| {
            report
                .rejections
                .iter()
                .find(|p| p.row == row)
                .map(|p| format!("{}: {}", p.column, p.message))
                .unwrap()
        };
        assert_eq!(
            at(5),
            "E: DA-02: mới 5 tuổi vào ngày 01/10/2025, chưa đủ 6 tuổi"
        );
        assert_eq!(
            at(6),
            "E: DA-03: đã 21 tuổi vào ngày 01/10/2025, quá 20 tuổi"
        );
        assert_eq!(
            at(15),
            "D: DA-05: nhóm có 6 thành viên, tối đa 5 thành viên"
        );
        assert!(
            at(16).starts_with("E: DA-06: chỉ có năm 2010"),
            "{}",
            at(16)
        );

        // Members per project as the file groups them, merged cells included.
        for row in &rows {
            let count = expected["expected_project_member_counts"][&row.code_in_file]
                .as_u64()
                .unwrap();
            assert_eq!(
                row.draft.members.len() as u64,
                count,
                "{}",
                row.code_in_file
            );
        }
        // The stated age that disagrees with the birth date is remarked on,
        // and the birth date wins.
        assert!(
            report
                .notes
                .iter()
                .any(|n| n.row == 17 && n.column == "F" && n.message.contains("tuổi ghi 11"))
        );
        let hân = &rows[2].draft.members[0];
        assert_eq!((hân.full_name.as_str(), hân.age), ("Châu Ngọc Hân", 13));
        // The district column is left out, and said so.
        assert!(report.notes.iter().any(|n| n.column == "I"));
    }

    #[test]
    fn names_typed_in_nfd_are_stored_in_nfc() {
        let mut rules = sample_rules();
        rules.group_max = 6;
        let (_, rows) = read_youth(&fixture("vn_04_youth_contest.xlsx"), &rules).unwrap();
        let da05 = rows.iter().find(|r| r.code_in_file == "DA-05").unwrap();
        assert_eq!(da05.draft.members.len(), 6);
        let thảo = da05.draft.members[1].full_name.as_str();
        assert_eq!(thảo, "Đàm Thị Thảo");
        assert!(unicode_normalization::is_nfc(thảo));
        assert_eq!(da05.draft.supervisors[0].full_name.as_str(), "Lê Thị Hằng");
    }
}
