//! Mailings made once per edition: the results, when the organizer says
//! so, and a reminder to owners of unsubmitted drafts a few days before
//! the deadline, which the worker sends by itself.

use serde_json::json;
use sqlx::SqlitePool;

use super::{Site, enqueue};
use crate::app::editions::Program;
use crate::app::error::AppError;
use crate::server::time;

/// How long before the deadline the draft reminder goes out.
pub const REMINDER_DAYS: i64 = 3;

/// Records a mailing; false if it was already made.
async fn claim(
    conn: &mut sqlx::SqliteConnection,
    edition: i64,
    kind: &str,
    recipients: usize,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT OR IGNORE INTO announcements (edition_id, kind, at, recipients) VALUES (?, ?, ?, ?)",
    )
    .bind(edition)
    .bind(kind)
    .bind(time::now_text())
    .bind(recipients as i64)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Mails every scored entry's owner its rank, average and prize, once per
/// edition; returns how many were queued.
pub async fn results(pool: &SqlitePool, site: &Site, edition: i64) -> Result<usize, AppError> {
    let results = crate::server::results::compute(pool, edition).await?;
    let program: String = sqlx::query_scalar("SELECT contest_kind FROM editions WHERE id = ?")
        .bind(edition)
        .fetch_one(pool)
        .await?;
    let program = Program::from_db(&program).unwrap_or_default();
    let rows: Vec<_> = results
        .fields
        .iter()
        .flat_map(|f| f.rows.iter().map(move |r| (f, r)))
        .collect();
    if rows.is_empty() {
        return Err(AppError::Conflict(
            "Chưa có hồ sơ nào có phiếu chấm đã nộp nên chưa có kết quả để thông báo.".into(),
        ));
    }
    let label = format!(
        "{} lần thứ {} ({})",
        results.edition_name, results.number, results.year
    );
    let mut tx = pool.begin().await?;
    if !claim(&mut tx, edition, "results", rows.len()).await? {
        return Err(AppError::Conflict(
            "Kết quả của kỳ thi này đã được thông báo; muốn gửi thêm, hãy dùng thư gửi nhóm."
                .into(),
        ));
    }
    for (field, row) in &rows {
        let (email, name): (String, String) = sqlx::query_as(
            "SELECT u.email, u.full_name FROM entries e JOIN users u ON u.id = e.owner_id
              WHERE e.id = ?",
        )
        .bind(row.entry_id)
        .fetch_one(&mut *tx)
        .await?;
        let values = json!({
            "org": site.org_name,
            "name": name,
            "edition": label,
            "code": row.code,
            "title": row.title,
            "field": field.field_name,
            "rank": row.rank,
            "total": row.total.to_string(),
            "prize": row.prize.clone().unwrap_or_default(),
            "link": format!("{}{}", site.public_url, program.entry_path(row.entry_id)),
        });
        enqueue(&mut tx, "results_announced", &email, &name, &values).await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

/// Reminds owners of drafts in editions whose deadline is less than
/// `REMINDER_DAYS` away, once per edition. Called by the worker.
pub async fn deadline_reminders(pool: &SqlitePool, site: &Site) -> Result<usize, AppError> {
    let now = time::now();
    let soon = time::to_text(now + chrono::Duration::days(REMINDER_DAYS));
    let editions: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT e.id, e.name || ' lần thứ ' || e.number || ' (' || e.year || ')',
                e.registration_deadline, e.time_zone
           FROM editions e
          WHERE e.state = 'open' AND e.registration_deadline > ? AND e.registration_deadline <= ?
            AND NOT EXISTS (SELECT 1 FROM announcements a
                             WHERE a.edition_id = e.id AND a.kind = 'deadline_reminder')",
    )
    .bind(time::to_text(now))
    .bind(soon)
    .fetch_all(pool)
    .await?;
    let mut sent = 0;
    for (edition, label, deadline, zone) in editions {
        let owners: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT u.email, u.full_name, e.code, e.title FROM entries e
               JOIN users u ON u.id = e.owner_id
              WHERE e.edition_id = ? AND e.state = 'draft' ORDER BY u.full_name",
        )
        .bind(edition)
        .fetch_all(pool)
        .await?;
        // With no draft yet, look again later: one may still be started.
        if owners.is_empty() {
            continue;
        }
        let mut tx = pool.begin().await?;
        if !claim(&mut tx, edition, "deadline_reminder", owners.len()).await? {
            continue;
        }
        let deadline = time::from_text(&deadline)
            .map(|t| time::show(t, &zone))
            .unwrap_or_default();
        for (email, name, code, title) in &owners {
            let values = json!({
                "org": site.org_name,
                "name": name,
                "edition": label,
                "code": code,
                "title": title,
                "due": deadline,
                "link": format!("{}/thi-sinh", site.public_url),
            });
            enqueue(&mut tx, "deadline_reminder", email, name, &values).await?;
        }
        tx.commit().await?;
        sent += owners.len();
    }
    Ok(sent)
}
