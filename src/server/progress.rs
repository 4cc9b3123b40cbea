//! The progress board: per judge, assigned / started / submitted sheets;
//! per entry, how many of its judges are done.

use sqlx::SqlitePool;

use super::collation::VietnameseOrder;
use crate::app::error::AppError;
use crate::app::judging::{EntryProgress, JudgeProgress, ProgressBoard, SheetRef};

#[derive(sqlx::FromRow)]
struct EntryRow {
    round_id: i64,
    entry_id: i64,
    code: String,
    title: String,
    round_name: String,
    assigned: i64,
    submitted: i64,
}

pub async fn board(pool: &SqlitePool, edition: i64) -> Result<ProgressBoard, AppError> {
    let judges: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT j.id, CASE WHEN j.code = '' THEN u.full_name ELSE j.code || ' – ' || u.full_name END,
                (SELECT COUNT(*) FROM judge_scope s WHERE s.judge_id = j.id),
                (SELECT COUNT(*) FROM score_sheets sh JOIN judge_scope s
                    ON s.round_id = sh.round_id AND s.entry_id = sh.entry_id
                   AND s.judge_id = sh.judge_id WHERE sh.judge_id = j.id),
                (SELECT COUNT(*) FROM score_sheets sh JOIN judge_scope s
                    ON s.round_id = sh.round_id AND s.entry_id = sh.entry_id
                   AND s.judge_id = sh.judge_id
                  WHERE sh.judge_id = j.id AND sh.submitted_at IS NOT NULL)
           FROM judges j JOIN users u ON u.id = j.user_id WHERE j.edition_id = ?",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let order = VietnameseOrder::new();
    let mut judges: Vec<JudgeProgress> = judges
        .into_iter()
        .map(
            |(judge_id, full_name, assigned, started, submitted)| JudgeProgress {
                judge_id,
                full_name,
                assigned: assigned as u32,
                started: started as u32,
                submitted: submitted as u32,
            },
        )
        .collect();
    // Sorted by the name after the code ("GK08 – Phạm Thị Hạnh").
    let name = |j: &JudgeProgress| {
        j.full_name
            .rsplit(" – ")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    judges.sort_by(|a, b| order.compare_names(&name(a), &name(b)));
    let sheets: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT sh.round_id, sh.entry_id, u.full_name, sh.id FROM score_sheets sh
           JOIN rounds r ON r.id = sh.round_id
           JOIN judges j ON j.id = sh.judge_id JOIN users u ON u.id = j.user_id
          WHERE r.edition_id = ? AND sh.submitted_at IS NOT NULL ORDER BY j.code",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let entries: Vec<EntryRow> = sqlx::query_as(
        "SELECT s.round_id, e.id AS entry_id, e.code, e.title, r.name AS round_name,
                COUNT(s.judge_id) AS assigned,
                COUNT(sh.id) AS submitted
           FROM judge_scope s
           JOIN entries e ON e.id = s.entry_id
           JOIN rounds r ON r.id = s.round_id
           LEFT JOIN score_sheets sh ON sh.round_id = s.round_id AND sh.entry_id = s.entry_id
                                    AND sh.judge_id = s.judge_id AND sh.submitted_at IS NOT NULL
          WHERE r.edition_id = ?
          GROUP BY s.round_id, e.id ORDER BY r.position, e.code",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    Ok(ProgressBoard {
        judges,
        entries: entries
            .into_iter()
            .map(|e| EntryProgress {
                sheets: sheets
                    .iter()
                    .filter(|s| s.0 == e.round_id && s.1 == e.entry_id)
                    .map(|s| SheetRef {
                        id: s.3,
                        judge: s.2.clone(),
                    })
                    .collect(),
                entry_id: e.entry_id,
                code: e.code,
                title: e.title,
                round_name: e.round_name,
                assigned: e.assigned as u32,
                submitted: e.submitted as u32,
            })
            .collect(),
    })
}
