//! Who scores which entry: whole councils by default, narrowed by manual
//! choices, a file, or the balanced automatic assignment.

use sqlx::SqlitePool;

use super::audit::{self, Action, Record};
use super::{conflicts, time};
use crate::app::error::AppError;
use crate::domain::assignment::{AssignError, balanced, loads};

/// Assigns every entry a council judges to `k` of its members, balanced
/// and without conflicts; replaces the council's earlier assignments.
/// Refused once a sheet exists for one of its entries in the round.
pub async fn auto(
    pool: &SqlitePool,
    actor: i64,
    council: i64,
    k: usize,
) -> Result<Vec<usize>, AppError> {
    let (round, edition): (i64, i64) = sqlx::query_as(
        "SELECT c.round_id, r.edition_id FROM councils c JOIN rounds r ON r.id = c.round_id
          WHERE c.id = ?",
    )
    .bind(council)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("hội đồng".into()))?;
    super::judging::ensure_open(pool, edition).await?;
    if k == 0 {
        return Err(AppError::invalid(
            "Số giám khảo mỗi hồ sơ",
            "phải từ 1 trở lên",
        ));
    }
    let mut tx = pool.begin().await?;
    conflicts::refresh(&mut tx, edition, None).await?;
    let judges: Vec<i64> = sqlx::query_scalar(
        "SELECT judge_id FROM council_members WHERE council_id = ? ORDER BY judge_id",
    )
    .bind(council)
    .fetch_all(&mut *tx)
    .await?;
    // The council's entries whatever is assigned now: the scope without
    // the assignment filter.
    let entries: Vec<(i64, String)> = sqlx::query_as(
        "SELECT e.id, e.code FROM councils c JOIN rounds r ON r.id = c.round_id
           JOIN entries e ON e.edition_id = r.edition_id
          WHERE c.id = ? AND e.state IN ('submitted', 'accepted')
            AND (c.field_id IS NULL OR c.field_id = e.field_id)
            AND (c.level_group_id IS NULL OR c.level_group_id = e.level_group_id)
            AND (r.position = (SELECT MIN(position) FROM rounds WHERE edition_id = r.edition_id)
                 OR EXISTS (SELECT 1 FROM advancements a
                             WHERE a.round_id = r.id AND a.entry_id = e.id))
          ORDER BY e.code",
    )
    .bind(council)
    .fetch_all(&mut *tx)
    .await?;
    let started: Option<String> = sqlx::query_scalar(
        "SELECT e.code FROM score_sheets s JOIN entries e ON e.id = s.entry_id
          WHERE s.round_id = ? AND s.entry_id IN (SELECT value FROM json_each(?)) LIMIT 1",
    )
    .bind(round)
    .bind(
        serde_json::to_string(&entries.iter().map(|e| e.0).collect::<Vec<_>>()).unwrap_or_default(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(code) = started {
        return Err(AppError::Conflict(format!(
            "Hồ sơ {code} đã có phiếu chấm; hãy phân công thủ công cho hội đồng này."
        )));
    }
    let conflicted: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT entry_id, judge_id FROM conflicts WHERE overridden_at IS NULL
            AND judge_id IN (SELECT judge_id FROM council_members WHERE council_id = ?)",
    )
    .bind(council)
    .fetch_all(&mut *tx)
    .await?;
    let plan = balanced(entries.len(), judges.len(), k, |e, j| {
        conflicted.contains(&(entries[e].0, judges[j]))
    })
    .map_err(|error| match &error {
        AssignError::Unfillable(short) => {
            let codes: Vec<&str> = short.iter().map(|&e| entries[e].1.as_str()).collect();
            AppError::invalid(
                "Số giám khảo mỗi hồ sơ",
                format!("{error}: {}", codes.join(", ")),
            )
        }
        other => AppError::invalid("Số giám khảo mỗi hồ sơ", other.to_string()),
    })?;

    let ids: Vec<i64> = entries.iter().map(|e| e.0).collect();
    sqlx::query(
        "DELETE FROM assignments WHERE round_id = ? AND entry_id IN (SELECT value FROM json_each(?))",
    )
    .bind(round)
    .bind(serde_json::to_string(&ids).unwrap_or_default())
    .execute(&mut *tx)
    .await?;
    let now = time::now_text();
    for (e, chosen) in plan.iter().enumerate() {
        for &j in chosen {
            sqlx::query(
                "INSERT INTO assignments (round_id, entry_id, judge_id, source, created_at)
                 VALUES (?, ?, ?, 'auto', ?)",
            )
            .bind(round)
            .bind(entries[e].0)
            .bind(judges[j])
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
    }
    let loads = loads(&plan, judges.len());
    let detail = format!(
        "{} hồ sơ × {k} giám khảo, số hồ sơ mỗi người: {loads:?}",
        entries.len()
    );
    let line = Record::about_edition(edition, actor, Action::Assigned, &detail);
    audit::record(&mut tx, line).await?;
    tx.commit().await?;
    Ok(loads)
}

/// Sets by hand which members of its council score an entry in a round;
/// an empty list gives the entry back to the whole council.
pub async fn set(
    pool: &SqlitePool,
    actor: i64,
    round: i64,
    entry: i64,
    judges: &[i64],
    source: &str,
) -> Result<(), AppError> {
    let edition: i64 = sqlx::query_scalar(
        "SELECT r.edition_id FROM rounds r JOIN entries e ON e.edition_id = r.edition_id
          WHERE r.id = ? AND e.id = ?",
    )
    .bind(round)
    .bind(entry)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("hồ sơ trong vòng chấm này".into()))?;
    super::judging::ensure_open(pool, edition).await?;
    let mut tx = pool.begin().await?;
    conflicts::refresh(&mut tx, edition, None).await?;
    set_in(&mut tx, actor, edition, round, entry, judges, source).await?;
    tx.commit().await?;
    Ok(())
}

/// `set` inside a transaction the caller holds; checks every judge before
/// it writes anything.
async fn set_in(
    tx: &mut sqlx::SqliteConnection,
    actor: i64,
    edition: i64,
    round: i64,
    entry: i64,
    judges: &[i64],
    source: &str,
) -> Result<(), AppError> {
    for &judge in judges {
        let allowed: Option<String> = sqlx::query_scalar(
            "SELECT u.full_name FROM council_members m
               JOIN councils c ON c.id = m.council_id
               JOIN entries e ON e.id = ?
               JOIN judges j ON j.id = m.judge_id JOIN users u ON u.id = j.user_id
              WHERE c.round_id = ? AND m.judge_id = ?
                AND (c.field_id IS NULL OR c.field_id = e.field_id)
                AND (c.level_group_id IS NULL OR c.level_group_id = e.level_group_id)",
        )
        .bind(entry)
        .bind(round)
        .bind(judge)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(name) = allowed else {
            return Err(AppError::invalid(
                "Giám khảo",
                "chỉ phân công được thành viên của hội đồng chấm hồ sơ này",
            ));
        };
        let conflicted: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM conflicts WHERE entry_id = ? AND judge_id = ?
                              AND overridden_at IS NULL)",
        )
        .bind(entry)
        .bind(judge)
        .fetch_one(&mut *tx)
        .await?;
        if conflicted {
            return Err(AppError::invalid(
                "Giám khảo",
                format!("{name} có xung đột lợi ích với hồ sơ này"),
            ));
        }
    }
    if !judges.is_empty() {
        // A judge who has a sheet for the entry stays: dropping them would
        // hide their scores.
        let kept = serde_json::to_string(judges).unwrap_or_default();
        let dropped: Option<String> = sqlx::query_scalar(
            "SELECT u.full_name FROM score_sheets s
               JOIN judges j ON j.id = s.judge_id JOIN users u ON u.id = j.user_id
              WHERE s.round_id = ? AND s.entry_id = ?
                AND s.judge_id NOT IN (SELECT value FROM json_each(?))
              LIMIT 1",
        )
        .bind(round)
        .bind(entry)
        .bind(kept)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(name) = dropped {
            return Err(AppError::invalid(
                "Giám khảo",
                format!("{name} đã có phiếu chấm hồ sơ này nên phải giữ trong danh sách"),
            ));
        }
    }
    sqlx::query("DELETE FROM assignments WHERE round_id = ? AND entry_id = ?")
        .bind(round)
        .bind(entry)
        .execute(&mut *tx)
        .await?;
    let now = time::now_text();
    for &judge in judges {
        sqlx::query(
            "INSERT OR IGNORE INTO assignments (round_id, entry_id, judge_id, source, created_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(round)
        .bind(entry)
        .bind(judge)
        .bind(source)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    let detail = if judges.is_empty() {
        "cả hội đồng chấm".to_string()
    } else {
        format!("{} giám khảo", judges.len())
    };
    let line = Record {
        edition,
        actor: Some(actor),
        action: Action::Assigned,
        entry: Some(entry),
        judge: None,
        detail: &detail,
    };
    audit::record(&mut *tx, line).await?;
    Ok(())
}

/// An entry of an assignment list: its judges and the rows (with the
/// judge column) that named them.
type PlannedEntry = (i64, Vec<i64>, Vec<(u32, String)>);

/// Reads an assignment list (one row per entry × judge: "Mã GP", "Mã GK")
/// and sets each listed entry's judges in one transaction. A row naming
/// an unknown entry or judge is refused by row and column; an entry with
/// a judge outside its council or in conflict is refused whole.
pub async fn import(
    pool: &SqlitePool,
    actor: i64,
    edition: i64,
    round: i64,
    path: &std::path::Path,
    dry_run: bool,
) -> Result<crate::app::judges::ImportReport, AppError> {
    use crate::app::judges::{ImportReport, RowProblem};
    super::judging::ensure_open(pool, edition).await?;
    let rows = super::scores_import::code_pairs(path)?;
    let entries: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, code, file_code FROM entries WHERE edition_id = ?")
            .bind(edition)
            .fetch_all(pool)
            .await?;
    let judges: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, code FROM judges WHERE edition_id = ?")
            .bind(edition)
            .fetch_all(pool)
            .await?;
    let key = |s: &str| s.trim().to_uppercase();
    let mut report = ImportReport {
        rows: rows.len() as u32,
        ..Default::default()
    };
    // entry -> (judges, rows)
    let mut plan: Vec<PlannedEntry> = Vec::new();
    for pair in &rows {
        let problem = |column: &str, message: String| RowProblem {
            row: pair.row,
            column: column.to_string(),
            message,
        };
        let entry = entries.iter().find(|(_, c, f)| {
            key(c) == key(&pair.entry) || (!f.is_empty() && key(f) == key(&pair.entry))
        });
        let Some((entry, _, _)) = entry else {
            report.rejections.push(problem(
                &pair.entry_column,
                format!("không có hồ sơ mã \"{}\"", pair.entry),
            ));
            continue;
        };
        let Some((judge, _)) = judges
            .iter()
            .find(|(_, c)| !c.is_empty() && key(c) == key(&pair.judge))
        else {
            report.rejections.push(problem(
                &pair.judge_column,
                format!("không có giám khảo mã \"{}\"", pair.judge),
            ));
            continue;
        };
        match plan.iter_mut().find(|p| p.0 == *entry) {
            Some(slot) => {
                slot.1.push(*judge);
                slot.2.push((pair.row, pair.judge_column.clone()));
            }
            None => plan.push((
                *entry,
                vec![*judge],
                vec![(pair.row, pair.judge_column.clone())],
            )),
        }
    }
    let mut tx = pool.begin().await?;
    conflicts::refresh(&mut tx, edition, None).await?;
    for (entry, chosen, lines) in &plan {
        match set_in(&mut tx, actor, edition, round, *entry, chosen, "file").await {
            Ok(()) => report.imported += lines.len() as u32,
            Err(error) => {
                for (row, column) in lines {
                    report.rejections.push(RowProblem {
                        row: *row,
                        column: column.clone(),
                        message: error.to_string(),
                    });
                }
            }
        }
    }
    report.rejections.sort_by_key(|p| p.row);
    report.rejected = report.rejections.len() as u32;
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(report)
}

/// Every entry each council of an edition judges, with its judges now.
pub async fn council_entries(
    pool: &SqlitePool,
    edition: i64,
) -> Result<Vec<crate::app::judging::CouncilEntry>, AppError> {
    let rows: Vec<(i64, i64, i64, String, String, String, bool)> = sqlx::query_as(
        "SELECT c.id, c.round_id, e.id, e.code, e.title,
                COALESCE((SELECT group_concat(s.judge_id) FROM judge_scope s
                           WHERE s.council_id = c.id AND s.entry_id = e.id), ''),
                EXISTS (SELECT 1 FROM assignments a WHERE a.round_id = c.round_id
                          AND a.entry_id = e.id)
           FROM councils c JOIN rounds r ON r.id = c.round_id
           JOIN entries e ON e.edition_id = r.edition_id
          WHERE r.edition_id = ? AND e.state IN ('submitted', 'accepted')
            AND (c.field_id IS NULL OR c.field_id = e.field_id)
            AND (c.level_group_id IS NULL OR c.level_group_id = e.level_group_id)
          ORDER BY r.position, c.id, e.code",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(council_id, round_id, entry_id, code, title, judges, assigned)| {
                crate::app::judging::CouncilEntry {
                    council_id,
                    round_id,
                    entry_id,
                    code,
                    title,
                    judges: judges.split(',').filter_map(|j| j.parse().ok()).collect(),
                    assigned,
                }
            },
        )
        .collect())
}
