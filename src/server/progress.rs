//! The progress board: per judge, assigned / started / submitted sheets;
//! per entry, how many of its judges are done.

use sqlx::SqlitePool;

use super::collation::VietnameseOrder;
use crate::app::error::AppError;
use crate::app::judging::{EntryProgress, JudgeProgress, ProgressBoard};

pub async fn board(pool: &SqlitePool, edition: i64) -> Result<ProgressBoard, AppError> {
    let judges: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT j.id, u.full_name,
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
    judges.sort_by(|a, b| order.compare_names(&a.full_name, &b.full_name));
    let entries: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT e.id, e.code, e.title, r.name, COUNT(s.judge_id),
                COUNT(sh.id)
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
            .map(
                |(entry_id, code, title, round_name, assigned, submitted)| EntryProgress {
                    entry_id,
                    code,
                    title,
                    round_name,
                    assigned: assigned as u32,
                    submitted: submitted as u32,
                },
            )
            .collect(),
    })
}
