//! Importing a council's paper score sheet: one row per entry × judge, a
//! column per criterion. Every refused row is named by row and column; the
//! rows that stand are written in one transaction or not at all.

use std::collections::HashMap;
use std::path::Path;

use calamine::Data;
use sqlx::SqlitePool;

use super::audit::{self, Action, Record};
use super::judges_import::{cell_text, column_letter};
use super::{conflicts, editions, rounds, time};
use crate::app::error::AppError;
use crate::app::judges::RowProblem;
use crate::app::judging::{ImportedSheet, RubricCriterion, ScoreImportReport};
use crate::domain::points::{Points, check_score};
use crate::domain::text::fold_accents;

/// A row as read, before anything is looked up.
struct RawRow {
    row: u32,
    entry: String,
    judge: String,
    cells: Vec<String>,
    note: String,
}

struct Layout {
    entry: usize,
    judge: usize,
    criteria: Vec<usize>,
    note: Option<usize>,
    header: usize,
}

fn is_entry_heading(h: &str) -> bool {
    [
        "ma gp",
        "ma giai phap",
        "ma ho so",
        "ma du an",
        "ma ung vien",
    ]
    .iter()
    .any(|k| h.starts_with(k))
}

fn is_judge_heading(h: &str) -> bool {
    ["ma gk", "ma giam khao"].iter().any(|k| h.starts_with(k))
}

/// A heading reduced to its words: folded, without a parenthesis
/// ("Tính mới (tối đa 30)" is "tinh moi") or punctuation.
fn stem(heading: &str) -> String {
    let folded = fold_accents(heading);
    let before = folded.split('(').next().unwrap_or_default();
    before
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_other_heading(h: &str) -> bool {
    h.is_empty()
        || is_entry_heading(h)
        || is_judge_heading(h)
        || [
            "stt",
            "tong",
            "ghi chu",
            "giam khao",
            "ho va ten",
            "ho ten",
            "ten ",
        ]
        .iter()
        .any(|k| h.starts_with(k))
}

/// Finds the heading row and the columns: the entry code, the judge code,
/// one per criterion and an optional note. A criterion's column is headed
/// "TC1"… by position or starts like its name; failing that, the score
/// columns are the remaining ones, in rubric order, when there are as many
/// as criteria.
fn layout(rows: &[&[Data]], criteria: &[RubricCriterion]) -> Option<Layout> {
    rows.iter().take(15).enumerate().find_map(|(index, row)| {
        let headings: Vec<String> = row.iter().map(|c| stem(&cell_text(Some(c)))).collect();
        let entry = headings.iter().position(|h| is_entry_heading(h))?;
        let judge = headings.iter().position(|h| is_judge_heading(h))?;
        let by_name: Option<Vec<usize>> = criteria
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let short = format!("tc{}", k + 1);
                let name = stem(&c.name);
                headings.iter().position(|h| {
                    h == &short
                        || h.starts_with(&format!("{short} "))
                        || (!h.is_empty()
                            && !name.is_empty()
                            && (name.starts_with(h.as_str()) || h.starts_with(&name)))
                })
            })
            .collect();
        let remaining: Vec<usize> = (0..headings.len())
            .filter(|&c| !is_other_heading(&headings[c]))
            .collect();
        let criteria_columns = by_name
            .filter(|cols| {
                let mut sorted = cols.clone();
                sorted.sort_unstable();
                sorted.dedup();
                sorted.len() == cols.len()
            })
            .or_else(|| (remaining.len() == criteria.len()).then_some(remaining))?;
        let note = headings.iter().position(|h| h.starts_with("ghi chu"));
        Some(Layout {
            entry,
            judge,
            criteria: criteria_columns,
            note,
            header: index,
        })
    })
}

fn read_rows(path: &Path, criteria: &[RubricCriterion]) -> Result<(Vec<RawRow>, Layout), AppError> {
    for sheet in super::spreadsheet::read_sheets(path)? {
        let Some((first_row, first_col)) = sheet.range.start() else {
            continue;
        };
        let rows: Vec<&[Data]> = sheet.range.rows().collect();
        let Some(layout) = layout(&rows, criteria) else {
            continue;
        };
        let text =
            |row: &[Data], col: usize| crate::domain::text::clean_line(&cell_text(row.get(col)));
        let mut raw = Vec::new();
        for (offset, row) in rows.iter().enumerate().skip(layout.header + 1) {
            let cells: Vec<String> = layout
                .criteria
                .iter()
                .map(|&c| score_text(row.get(c)))
                .collect();
            let entry = text(row, layout.entry);
            let judge = text(row, layout.judge);
            if entry.is_empty() && judge.is_empty() && cells.iter().all(String::is_empty) {
                continue;
            }
            raw.push(RawRow {
                row: first_row + offset as u32 + 1,
                entry,
                judge,
                cells,
                note: layout.note.map(|c| text(row, c)).unwrap_or_default(),
            });
        }
        let shift = |c: usize| c + first_col as usize;
        let layout = Layout {
            entry: shift(layout.entry),
            judge: shift(layout.judge),
            criteria: layout.criteria.iter().map(|&c| shift(c)).collect(),
            note: layout.note.map(shift),
            header: layout.header,
        };
        return Ok((raw, layout));
    }
    // Say what was found: a sheet with the code columns whose score
    // columns do not match the rubric is the usual case.
    for sheet in super::spreadsheet::read_sheets(path)? {
        let Some((first_row, _)) = sheet.range.start() else {
            continue;
        };
        let rows: Vec<&[Data]> = sheet.range.rows().collect();
        for (index, row) in rows.iter().take(15).enumerate() {
            let raw: Vec<String> = row
                .iter()
                .map(|c| crate::domain::text::clean_line(&cell_text(Some(c))))
                .collect();
            let stems: Vec<String> = raw.iter().map(|h| stem(h)).collect();
            if !stems.iter().any(|h| is_entry_heading(h))
                || !stems.iter().any(|h| is_judge_heading(h))
            {
                continue;
            }
            let others: Vec<&str> = raw
                .iter()
                .zip(&stems)
                .filter(|(_, h)| !is_other_heading(h))
                .map(|(r, _)| r.as_str())
                .collect();
            let names: Vec<String> = criteria
                .iter()
                .enumerate()
                .map(|(k, c)| format!("TC{} {}", k + 1, c.name))
                .collect();
            return Err(AppError::invalid(
                "Tệp",
                format!(
                    "trang \"{}\", dòng {}: có cột Mã GP và Mã GK, nhưng {} cột điểm ({}) không khớp {} tiêu chí của vòng ({}). Hãy đặt tiêu đề cột điểm là TC1, TC2… hoặc tên tiêu chí",
                    sheet.name,
                    first_row as usize + index + 1,
                    others.len(),
                    others.join("; "),
                    criteria.len(),
                    names.join("; ")
                ),
            ));
        }
    }
    let names: Vec<String> = (1..=criteria.len()).map(|k| format!("TC{k}")).collect();
    Err(AppError::invalid(
        "Tệp",
        format!(
            "không tìm thấy trang tính có cột \"Mã GP\", \"Mã GK\" và các cột tiêu chí {}",
            names.join(", ")
        ),
    ))
}

/// A row of an assignment list: which judge scores which entry.
pub struct CodePair {
    pub row: u32,
    pub entry: String,
    pub entry_column: String,
    pub judge: String,
    pub judge_column: String,
}

/// Reads the (entry code, judge code) rows of the first sheet that has
/// both columns.
pub fn code_pairs(path: &Path) -> Result<Vec<CodePair>, AppError> {
    for sheet in super::spreadsheet::read_sheets(path)? {
        let Some((first_row, first_col)) = sheet.range.start() else {
            continue;
        };
        let rows: Vec<&[Data]> = sheet.range.rows().collect();
        let found = rows.iter().take(15).enumerate().find_map(|(index, row)| {
            let headings: Vec<String> = row.iter().map(|c| stem(&cell_text(Some(c)))).collect();
            let entry = headings.iter().position(|h| is_entry_heading(h))?;
            let judge = headings.iter().position(|h| is_judge_heading(h))?;
            Some((index, entry, judge))
        });
        let Some((header, entry, judge)) = found else {
            continue;
        };
        let text =
            |row: &[Data], col: usize| crate::domain::text::clean_line(&cell_text(row.get(col)));
        let mut pairs = Vec::new();
        for (offset, row) in rows.iter().enumerate().skip(header + 1) {
            let (e, j) = (text(row, entry), text(row, judge));
            if e.is_empty() && j.is_empty() {
                continue;
            }
            pairs.push(CodePair {
                row: first_row + offset as u32 + 1,
                entry: e,
                entry_column: column_letter(entry + first_col as usize),
                judge: j,
                judge_column: column_letter(judge + first_col as usize),
            });
        }
        return Ok(pairs);
    }
    Err(AppError::invalid(
        "Tệp",
        "không tìm thấy trang tính có cột \"Mã GP\" và \"Mã GK\"",
    ))
}

/// The round a sheet goes to when none is named: the latest round that
/// has entries to score.
pub async fn current_round(pool: &SqlitePool, edition: i64) -> Result<i64, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT r.id FROM rounds r WHERE r.edition_id = ?
            AND (EXISTS (SELECT 1 FROM judge_scope s WHERE s.round_id = r.id)
                 OR r.position = (SELECT MIN(position) FROM rounds WHERE edition_id = r.edition_id))
          ORDER BY r.position DESC LIMIT 1",
    )
    .bind(edition)
    .fetch_optional(pool)
    .await?;
    found.ok_or_else(|| AppError::NotFound("vòng chấm của kỳ thi".into()))
}

/// Reads the sheet and checks every row against the edition: what would
/// be imported and what is refused, and why. Writes nothing except
/// bringing detected conflicts up to date.
pub async fn check(
    pool: &SqlitePool,
    edition: i64,
    round: i64,
    path: &Path,
) -> Result<ScoreImportReport, AppError> {
    if rounds::edition_of(pool, round).await? != edition {
        return Err(AppError::NotFound("vòng chấm của kỳ thi này".into()));
    }
    let round_item = rounds::get(pool, round).await?;
    let step = match round_item.step {
        Some(step) => step,
        None => editions::rules(pool, edition).await?.step,
    };
    let criteria = round_item.criteria;
    let (raw, layout) = read_rows(path, &criteria)?;
    let mut conn = pool.acquire().await?;
    conflicts::refresh(&mut conn, edition, None).await?;

    let entries: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, code, file_code FROM entries WHERE edition_id = ?")
            .bind(edition)
            .fetch_all(&mut *conn)
            .await?;
    let judges: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, code FROM judges WHERE edition_id = ?")
            .bind(edition)
            .fetch_all(&mut *conn)
            .await?;
    let key = |s: &str| s.trim().to_uppercase();
    let find_entry = |code: &str| {
        entries
            .iter()
            .find(|(_, c, f)| key(c) == key(code) || (!f.is_empty() && key(f) == key(code)))
    };
    let find_judge = |code: &str| {
        judges
            .iter()
            .find(|(_, c)| !c.is_empty() && key(c) == key(code))
    };
    let letter = column_letter;

    let mut report = ScoreImportReport {
        round_id: round,
        rows: raw.len() as u32,
        ..Default::default()
    };
    let mut candidates: Vec<ImportedSheet> = Vec::new();
    let mut refused: Vec<RowProblem> = Vec::new();
    for row in &raw {
        let problem = |column: usize, message: String| RowProblem {
            row: row.row,
            column: letter(column),
            message,
        };
        if row.cells.iter().all(String::is_empty) {
            let why = if row.note.is_empty() {
                String::new()
            } else {
                format!(" ({})", row.note)
            };
            report.notes.push(problem(
                layout.criteria[0],
                format!("dòng không có điểm nào{why}: bỏ qua, coi như giám khảo vắng"),
            ));
            continue;
        }
        let Some((entry_id, _, _)) = find_entry(&row.entry) else {
            refused.push(problem(
                layout.entry,
                format!("không có hồ sơ mã \"{}\" trong kỳ thi", row.entry),
            ));
            continue;
        };
        let Some((judge_id, _)) = find_judge(&row.judge) else {
            refused.push(problem(
                layout.judge,
                format!("không có giám khảo mã \"{}\" trong kỳ thi", row.judge),
            ));
            continue;
        };
        let mut scores = Vec::new();
        let mut bad = None;
        for ((cell, criterion), &column) in row.cells.iter().zip(&criteria).zip(&layout.criteria) {
            if cell.is_empty() {
                scores.push(None);
                continue;
            }
            match Points::parse(cell).and_then(|p| check_score(p, criterion.max, step)) {
                Ok(points) => scores.push(Some(points)),
                Err(error) => {
                    bad = Some(problem(
                        column,
                        format!("{}: \"{cell}\" – {error}", criterion.name),
                    ));
                    break;
                }
            }
        }
        if let Some(problem) = bad {
            refused.push(problem);
            continue;
        }
        candidates.push(ImportedSheet {
            row: row.row,
            entry_id: *entry_id,
            // As the sheet writes them, so messages read like the paper.
            entry_code: row.entry.clone(),
            judge_id: *judge_id,
            judge_code: row.judge.clone(),
            scores,
        });
    }

    // A repeated entry × judge pair: every row of it is refused, so the
    // organizer decides which one stands.
    let mut pairs: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
    for sheet in &candidates {
        pairs
            .entry((sheet.entry_id, sheet.judge_id))
            .or_default()
            .push(sheet.row);
    }
    for sheet in candidates {
        let rows = &pairs[&(sheet.entry_id, sheet.judge_id)];
        let problem = |column: usize, message: String| RowProblem {
            row: sheet.row,
            column: letter(column),
            message,
        };
        if rows.len() > 1 {
            let list: Vec<String> = rows.iter().map(u32::to_string).collect();
            refused.push(problem(
                layout.judge,
                format!(
                    "cặp {} × {} lặp ở các dòng {}; hãy giữ một dòng rồi nhập lại",
                    sheet.entry_code,
                    sheet.judge_code,
                    list.join(", ")
                ),
            ));
            continue;
        }
        let conflict: Option<String> = sqlx::query_scalar(
            "SELECT reason FROM conflicts WHERE entry_id = ? AND judge_id = ? AND overridden_at IS NULL",
        )
        .bind(sheet.entry_id)
        .bind(sheet.judge_id)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(reason) = conflict {
            refused.push(problem(
                layout.judge,
                format!(
                    "giám khảo {} có xung đột lợi ích với {}: {reason}",
                    sheet.judge_code, sheet.entry_code
                ),
            ));
            continue;
        }
        let in_scope: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM judge_scope WHERE round_id = ? AND entry_id = ? AND judge_id = ?)",
        )
        .bind(round)
        .bind(sheet.entry_id)
        .bind(sheet.judge_id)
        .fetch_one(&mut *conn)
        .await?;
        if !in_scope {
            refused.push(problem(
                layout.judge,
                format!(
                    "giám khảo {} không được phân công chấm {} ở vòng này",
                    sheet.judge_code, sheet.entry_code
                ),
            ));
            continue;
        }
        let submitted: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM score_sheets WHERE round_id = ? AND entry_id = ?
                              AND judge_id = ? AND submitted_at IS NOT NULL)",
        )
        .bind(round)
        .bind(sheet.entry_id)
        .bind(sheet.judge_id)
        .fetch_one(&mut *conn)
        .await?;
        if submitted {
            refused.push(problem(
                layout.judge,
                format!(
                    "{} đã có phiếu chấm nộp của {}; muốn thay, hãy mở lại phiếu đó",
                    sheet.entry_code, sheet.judge_code
                ),
            ));
            continue;
        }
        if let Some(k) = sheet.scores.iter().position(Option::is_none) {
            report.notes.push(problem(
                layout.criteria[k],
                format!(
                    "{} để trống: phiếu được nhập nhưng chưa đủ điểm, chưa được tính",
                    criteria[k].name
                ),
            ));
        }
        report.sheets.push(sheet);
    }
    refused.sort_by_key(|p| p.row);
    report.imported = report.sheets.len() as u32;
    report.rejected = refused.len() as u32;
    report.rejections = refused;
    Ok(report)
}

/// Writes the checked rows in one transaction: a complete sheet is
/// submitted, an incomplete one stays open. Nothing is written if any row
/// fails to save.
pub async fn apply(
    pool: &SqlitePool,
    actor: Option<i64>,
    edition: i64,
    report: &ScoreImportReport,
) -> Result<(), AppError> {
    super::judging::ensure_open(pool, edition).await?;
    let criteria = rounds::get(pool, report.round_id).await?.criteria;
    let now = time::now_text();
    let mut tx = pool.begin().await?;
    for sheet in &report.sheets {
        let complete = sheet.scores.iter().all(Option::is_some);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO score_sheets (round_id, entry_id, judge_id, submitted_at, source)
             VALUES (?, ?, ?, ?, 'import')
             ON CONFLICT (round_id, entry_id, judge_id) DO UPDATE SET
                 submitted_at = excluded.submitted_at, source = 'import'
              WHERE score_sheets.submitted_at IS NULL
             RETURNING id",
        )
        .bind(report.round_id)
        .bind(sheet.entry_id)
        .bind(sheet.judge_id)
        .bind(complete.then_some(&now))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            AppError::Conflict(format!(
                "Dòng {}: {} vừa có phiếu chấm nộp của {}; hãy kiểm tra lại rồi nhập lại.",
                sheet.row, sheet.entry_code, sheet.judge_code
            ))
        })?;
        for (criterion, points) in criteria.iter().zip(&sheet.scores) {
            super::judging::write_score(&mut tx, id, criterion.id, *points).await?;
        }
        let shown: Vec<String> = sheet
            .scores
            .iter()
            .map(|p| p.map_or("trống".into(), |p| p.to_string()))
            .collect();
        let detail = format!("dòng {}: {}", sheet.row, shown.join(" / "));
        let line = Record {
            edition,
            actor,
            action: Action::ScoresImported,
            entry: Some(sheet.entry_id),
            judge: Some(sheet.judge_id),
            detail: &detail,
        };
        audit::record(&mut tx, line).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A score cell as text, with a decimal comma as the paper writes it
/// ("8,5", whether typed as a number or as text), so messages quote it so.
fn score_text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::Float(f)) if f.fract() != 0.0 => f.to_string().replace('.', ","),
        _ => crate::domain::text::clean_line(&cell_text(cell)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_is_quoted_with_the_decimal_comma_the_paper_uses() {
        assert_eq!(score_text(Some(&Data::Float(29.999))), "29,999");
        assert_eq!(score_text(Some(&Data::Float(8.0))), "8");
        assert_eq!(score_text(Some(&Data::String(" 8,5 ".into()))), "8,5");
        assert_eq!(score_text(None), "");
    }
}
