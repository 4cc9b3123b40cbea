//! Reading the organizer's judge list (.xlsx, .xls or .ods) and writing it
//! in one transaction. The same code serves the preview, the confirmed
//! import in the UI and `sangtao import judges`.

use std::collections::HashMap;
use std::path::Path;

use calamine::Data;
use sqlx::SqlitePool;

use super::mail::Site;
use super::{auth, time};
use crate::app::error::AppError;
use crate::app::judges::{ImportOutcome, ImportReport, InviteLink, JudgeRowPreview, RowProblem};
use crate::domain::text::{Email, FullName, clean_line, parse_phone, split_title};

/// How long a set-password link stays valid.
pub const INVITE_DAYS: i64 = 14;

/// The column letters Excel shows: 0 → A, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push((b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A cell as text: whole numbers without ".0", dates as dd/mm/yyyy.
pub fn cell_text(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Bool(b)) => b.to_string(),
        Some(Data::DateTime(d)) => d
            .as_datetime()
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => s.clone(),
        Some(Data::Error(_)) => String::new(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Code,
    Name,
    Title,
    Unit,
    Email,
    Phone,
    Role,
}

/// Which column a heading names. Headings that mention a phone, an
/// address or a fax are never the unit, even when they say "cơ quan".
fn column_for(header: &str) -> Option<Column> {
    let h = clean_line(header).to_lowercase();
    let h = h.as_str();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["điện thoại", "di động", "sđt", "số đt"]) {
        Some(Column::Phone)
    } else if has(&["email", "e-mail", "thư điện tử"]) || h == "mail" {
        Some(Column::Email)
    } else if has(&["địa chỉ", "fax"]) {
        None
    } else if h.starts_with("mã") {
        Some(Column::Code)
    } else if h.contains("họ và tên") || h == "họ tên" || h == "tên" {
        Some(Column::Name)
    } else if has(&["học hàm", "học vị"]) {
        Some(Column::Title)
    } else if has(&["cơ quan", "đơn vị"]) {
        Some(Column::Unit)
    } else if has(&["vai trò", "chức danh", "nhiệm vụ"]) {
        Some(Column::Role)
    } else {
        None
    }
}

/// Reads a judge list and decides, row by row, what an import would do.
pub fn read(path: &Path) -> Result<ImportReport, AppError> {
    for sheet in super::spreadsheet::read_sheets(path)? {
        if let Some(mut report) = read_sheet(&sheet.range) {
            if let Some((row, column)) = sheet.beyond {
                report.notes.push(RowProblem {
                    row: row + 1,
                    column: column_letter(column as usize),
                    message: format!(
                        "ô này và các ô ngoài {} dòng, {} cột đầu bị bỏ qua",
                        super::spreadsheet::MAX_ROWS,
                        super::spreadsheet::MAX_COLUMNS
                    ),
                });
            }
            return Ok(report);
        }
    }
    Err(AppError::invalid(
        "Tệp",
        "không tìm thấy trang tính có cột \"Họ và tên\" và \"Email\"",
    ))
}

fn read_sheet(range: &calamine::Range<Data>) -> Option<ImportReport> {
    let (first_row, first_col) = range.start()?;
    let rows: Vec<&[Data]> = range.rows().collect();
    let (header_index, columns) = rows.iter().take(15).enumerate().find_map(|(i, row)| {
        // The first heading of each kind wins ("Điện thoại cơ quan" before
        // "Điện thoại di động").
        let mut columns: HashMap<Column, usize> = HashMap::new();
        for (c, cell) in row.iter().enumerate() {
            if let Some(column) = column_for(&cell_text(Some(cell))) {
                columns.entry(column).or_insert(c);
            }
        }
        (columns.contains_key(&Column::Name) && columns.contains_key(&Column::Email))
            .then_some((i, columns))
    })?;

    let mut report = ImportReport::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (offset, row) in rows.iter().enumerate().skip(header_index + 1) {
        let excel_row = first_row + offset as u32 + 1;
        let get = |col: Column| {
            columns
                .get(&col)
                .map(|&c| cell_text(row.get(c)))
                .unwrap_or_default()
        };
        let letter = |col: Column| {
            column_letter(first_col as usize + columns.get(&col).copied().unwrap_or(0))
        };
        if row
            .iter()
            .all(|cell| cell_text(Some(cell)).trim().is_empty())
        {
            continue;
        }
        report.rows += 1;
        let reject = |report: &mut ImportReport, col: Column, message: String| {
            report.rejected += 1;
            report.rejections.push(RowProblem {
                row: excel_row,
                column: letter(col),
                message,
            });
        };

        let (title_in_name, name_text) = split_title(&get(Column::Name));
        let full_name = match FullName::parse(&name_text) {
            Ok(name) => name,
            Err(e) => {
                reject(&mut report, Column::Name, e.to_string());
                continue;
            }
        };
        let email = match Email::parse(&get(Column::Email)) {
            Ok(email) => email,
            Err(e) => {
                reject(&mut report, Column::Email, e.to_string());
                continue;
            }
        };
        let code = clean_line(&get(Column::Code));
        let role = clean_line(&get(Column::Role));
        if let Some(&first) = seen.get(email.as_str()) {
            let kept = &report.people[first];
            let first = match kept.code.as_str() {
                "" => format!("dòng {}", kept.row),
                code => format!("dòng {} ({code})", kept.row),
            };
            let mut message = format!("trùng email với {first}, đã gộp");
            if !role.is_empty() && !kept.council_role.is_empty() && role != kept.council_role {
                message.push_str(&format!(
                    "; vai trò khác nhau: \"{role}\" và \"{}\", giữ \"{}\"",
                    kept.council_role, kept.council_role
                ));
            }
            report.merged += 1;
            report.notes.push(RowProblem {
                row: excel_row,
                column: letter(Column::Email),
                message,
            });
            continue;
        }
        let phone_raw = get(Column::Phone);
        let phone = parse_phone(&phone_raw).unwrap_or_default();
        if phone.is_empty() && !phone_raw.trim().is_empty() {
            report.notes.push(RowProblem {
                row: excel_row,
                column: letter(Column::Phone),
                message: format!(
                    "số điện thoại \"{}\" không hợp lệ, đã bỏ qua",
                    phone_raw.trim()
                ),
            });
        }
        let title_column = clean_line(&get(Column::Title));
        let folded = |t: &str| t.replace(['.', ' '], "").to_lowercase();
        let title = if folded(&title_in_name).contains(&folded(&title_column)) {
            title_in_name
        } else if title_in_name.is_empty() {
            title_column
        } else {
            format!("{title_in_name} {title_column}")
        };
        seen.insert(email.as_str().to_string(), report.people.len());
        report.people.push(JudgeRowPreview {
            row: excel_row,
            code,
            title,
            full_name: full_name.to_string(),
            email: email.to_string(),
            unit: clean_line(&get(Column::Unit)),
            phone,
            council_role: role,
        });
    }
    report.email_column = column_letter(first_col as usize + columns[&Column::Email]);
    report.imported = report.people.len() as u32;
    Some(report)
}

/// Moves to the rejections the people whose address already belongs to an
/// account that is not a judge's (a contestant, an organizer): such a row
/// cannot be imported, and the preview must say so before anyone confirms.
pub async fn vet(pool: &SqlitePool, report: &mut ImportReport) -> Result<(), AppError> {
    let mut kept = Vec::with_capacity(report.people.len());
    for person in std::mem::take(&mut report.people) {
        let role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE email = ?")
            .bind(&person.email)
            .fetch_optional(pool)
            .await?;
        match role.as_deref() {
            Some(role) if role != "judge" => {
                report.rejections.push(RowProblem {
                    row: person.row,
                    column: report.email_column.clone(),
                    message: format!(
                        "email {} đã dùng cho một tài khoản không phải giám khảo",
                        person.email
                    ),
                });
                report.rejected += 1;
            }
            _ => kept.push(person),
        }
    }
    report.rejections.sort_by_key(|p| p.row);
    report.imported = kept.len() as u32;
    report.people = kept;
    Ok(())
}

/// Mails a judge the invitation to an edition with their set-password
/// link, inside the caller's transaction.
pub async fn invite_judge(
    conn: &mut sqlx::SqliteConnection,
    site: &Site,
    edition: i64,
    link: &InviteLink,
) -> Result<(), AppError> {
    let edition: String = sqlx::query_scalar(
        "SELECT name || ' lần thứ ' || number || ' (' || year || ')' FROM editions WHERE id = ?",
    )
    .bind(edition)
    .fetch_one(&mut *conn)
    .await?;
    let values = serde_json::json!({
        "org": site.org_name,
        "name": link.full_name,
        "edition": edition,
        "link": link.url,
        "days": INVITE_DAYS,
    });
    super::mail::enqueue(
        conn,
        "judge_invitation",
        &link.email,
        &link.full_name,
        &values,
    )
    .await
}

/// Writes the people of a report as judges of an edition, in one
/// transaction, and returns a set-password link for each new account.
pub async fn apply(
    pool: &SqlitePool,
    site: &Site,
    edition: i64,
    report: ImportReport,
) -> Result<ImportOutcome, AppError> {
    let mut tx = pool.begin().await?;
    let mut links = Vec::new();
    let now = time::now_text();
    for person in &report.people {
        let existing: Option<(i64, String, Option<String>)> =
            sqlx::query_as("SELECT id, role, password_hash FROM users WHERE email = ?")
                .bind(&person.email)
                .fetch_optional(&mut *tx)
                .await?;
        let (user_id, needs_link) = match existing {
            Some((_, role, _)) if role != "judge" => {
                return Err(AppError::invalid(
                    &format!("Dòng {}", person.row),
                    format!(
                        "email {} đã dùng cho một tài khoản không phải giám khảo",
                        person.email
                    ),
                ));
            }
            Some((id, _, hash)) => (id, hash.is_none()),
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (email, full_name, role, created_at) VALUES (?, ?, 'judge', ?) RETURNING id",
                )
                .bind(&person.email)
                .bind(&person.full_name)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?;
                (id, true)
            }
        };
        sqlx::query(
            "INSERT INTO judges (edition_id, user_id, code, title, unit, phone, council_role)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (edition_id, user_id) DO UPDATE SET
                code = excluded.code, title = excluded.title, unit = excluded.unit,
                phone = excluded.phone, council_role = excluded.council_role",
        )
        .bind(edition)
        .bind(user_id)
        .bind(&person.code)
        .bind(&person.title)
        .bind(&person.unit)
        .bind(&person.phone)
        .bind(&person.council_role)
        .execute(&mut *tx)
        .await?;
        if needs_link {
            let url = auth::issue_link(&mut tx, user_id, INVITE_DAYS, &site.public_url).await?;
            let link = InviteLink {
                full_name: person.full_name.clone(),
                email: person.email.clone(),
                url,
            };
            invite_judge(&mut tx, site, edition, &link).await?;
            links.push(link);
        }
    }
    tx.commit().await?;
    Ok(ImportOutcome { report, links })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stray_cell_far_away_is_left_out_not_allocated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gk.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (col, text) in ["Mã GK", "Họ và tên", "Email"].iter().enumerate() {
            sheet.write_string(0, col as u16, *text).unwrap();
        }
        sheet.write_string(1, 0, "GK01").unwrap();
        sheet.write_string(1, 1, "Nguyễn Văn Khoa").unwrap();
        sheet.write_string(1, 2, "khoa.nguyen@example.com").unwrap();
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
        book.save(&path).unwrap();

        let report = read(&path).unwrap();
        assert_eq!(
            report.counts_json(),
            r#"{"rows":1,"imported":1,"merged":0,"rejected":0}"#
        );
        assert_eq!(report.notes.len(), 1);
        assert_eq!(
            (report.notes[0].row, report.notes[0].column.as_str()),
            (1_048_576, "XFD")
        );
    }

    #[test]
    fn a_unit_merged_over_several_judges_belongs_to_each() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gk.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (col, text) in ["Họ và tên", "Email", "Cơ quan công tác"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, col as u16, *text).unwrap();
        }
        let people = [
            ("Lê Văn Một", "mot@example.com"),
            ("Lê Văn Hai", "hai@example.com"),
        ];
        for (row, (name, email)) in people.iter().enumerate() {
            sheet.write_string(row as u32 + 1, 0, *name).unwrap();
            sheet.write_string(row as u32 + 1, 1, *email).unwrap();
        }
        let format = rust_xlsxwriter::Format::new();
        sheet
            .merge_range(1, 2, 2, 2, "Trường Đại học An Bình", &format)
            .unwrap();
        book.save(&path).unwrap();

        let report = read(&path).unwrap();
        let units: Vec<&str> = report.people.iter().map(|p| p.unit.as_str()).collect();
        assert_eq!(
            units,
            vec!["Trường Đại học An Bình", "Trường Đại học An Bình"]
        );
    }

    #[test]
    fn headings_are_matched_by_meaning_not_by_a_shared_word() {
        assert_eq!(column_for("Cơ quan công tác"), Some(Column::Unit));
        assert_eq!(column_for("Điện thoại cơ quan"), Some(Column::Phone));
        assert_eq!(column_for("Địa chỉ cơ quan"), None);
        assert_eq!(column_for("E-mail"), Some(Column::Email));
    }

    #[test]
    fn column_letters_match_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(6), "G");
        assert_eq!(column_letter(26), "AA");
    }

    #[test]
    fn the_sample_judge_list_merges_duplicates_and_rejects_bad_addresses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vn_02_judges.xlsx");
        let report = read(&path).unwrap();
        assert_eq!(
            report.counts_json(),
            r#"{"rows":13,"imported":8,"merged":3,"rejected":2}"#
        );
        let rejected: Vec<String> = report
            .rejections
            .iter()
            .map(|p| format!("{}{}", p.column, p.row))
            .collect();
        assert_eq!(rejected, vec!["G11", "G12"]);
        let merged: Vec<u32> = report
            .notes
            .iter()
            .filter(|n| n.message.contains("gộp"))
            .map(|n| n.row)
            .collect();
        assert_eq!(merged, vec![6, 7, 13]);
        let first = &report.people[0];
        assert_eq!(
            (first.title.as_str(), first.full_name.as_str()),
            ("PGS.TS.", "Nguyễn Thị Thu Hà")
        );
        assert!(
            report
                .people
                .iter()
                .any(|p| p.email == "sang.ly@example.com")
        );
    }
}
