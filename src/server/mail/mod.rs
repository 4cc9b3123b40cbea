//! Notices by email, never lost: each is rendered and written to the
//! `outbox` table in the same transaction as the change that causes it;
//! `worker` sends it later and records what the server answered.

pub mod templates;
pub mod worker;

use serde_json::json;
use sqlx::SqliteConnection;

use super::time;
use crate::app::editions::Program;
use crate::app::error::AppError;
use crate::domain::lifecycle::EntryState;

/// What a notice says about the app itself: who sends it, where its links
/// point.
#[derive(Debug, Clone)]
pub struct Site {
    pub org_name: String,
    pub public_url: String,
}

impl Site {
    pub fn of(config: &super::config::Config) -> Self {
        Self {
            org_name: config.org_name.clone(),
            public_url: config.public_url.clone(),
        }
    }
}

/// Queues a notice for one person inside the caller's transaction.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    event: &str,
    to_email: &str,
    to_name: &str,
    values: &serde_json::Value,
) -> Result<(), AppError> {
    let rendered = templates::render(event, values)?;
    let now = time::now_text();
    sqlx::query(
        "INSERT INTO outbox (event, to_email, to_name, subject, body_text, body_html,
                             next_try_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(event)
    .bind(to_email)
    .bind(to_name)
    .bind(&rendered.subject)
    .bind(&rendered.text)
    .bind(&rendered.html)
    .bind(&now)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EntryFacts {
    code: String,
    title: String,
    owner_email: String,
    owner_name: String,
    edition: String,
    program: String,
    time_zone: String,
}

/// Tells an entry's owner that it moved to `state` (submitted, returned,
/// accepted, rejected), inside the transaction that moved it.
pub async fn entry_state_changed(
    conn: &mut SqliteConnection,
    site: &Site,
    entry: i64,
    state: EntryState,
    reason: &str,
    due: Option<&str>,
) -> Result<(), AppError> {
    let event = match state {
        EntryState::Submitted => "entry_submitted",
        EntryState::Returned => "entry_returned",
        EntryState::Accepted => "entry_accepted",
        EntryState::Rejected => "entry_rejected",
        EntryState::Draft => return Ok(()),
    };
    let facts = sqlx::query_as::<_, EntryFacts>(
        "SELECT e.code, e.title, u.email AS owner_email, u.full_name AS owner_name,
                ed.name || ' lần thứ ' || ed.number || ' (' || ed.year || ')' AS edition,
                ed.contest_kind AS program, ed.time_zone
           FROM entries e
           JOIN users u ON u.id = e.owner_id
           JOIN editions ed ON ed.id = e.edition_id
          WHERE e.id = ?",
    )
    .bind(entry)
    .fetch_one(&mut *conn)
    .await?;
    let program = Program::from_db(&facts.program).unwrap_or_default();
    let show = |text: &str| {
        time::from_text(text)
            .map(|t| time::show(t, &facts.time_zone))
            .unwrap_or_default()
    };
    let values = json!({
        "org": site.org_name,
        "name": facts.owner_name,
        "code": facts.code,
        "title": facts.title,
        "edition": facts.edition,
        "reason": reason,
        "due": due.map(show).unwrap_or_default(),
        "at": time::show(time::now(), &facts.time_zone),
        "link": format!("{}{}", site.public_url, program.entry_path(entry)),
    });
    enqueue(conn, event, &facts.owner_email, &facts.owner_name, &values).await
}

/// The newest 300 notices, for the organizer.
pub async fn list(
    pool: &sqlx::SqlitePool,
) -> Result<Vec<crate::app::outbox::OutboxLine>, AppError> {
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, created_at, event, to_email, to_name, subject, state, attempts, last_error
           FROM outbox ORDER BY id DESC LIMIT 300",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, at, event, email, name, subject, state, attempts, last_error)| {
                crate::app::outbox::OutboxLine {
                    id,
                    created_at: time::from_text(&at)
                        .map(|t| time::show(t, time::DEFAULT_ZONE))
                        .unwrap_or_default(),
                    event,
                    to: if name.is_empty() {
                        email
                    } else {
                        format!("{name} <{email}>")
                    },
                    subject,
                    state,
                    attempts,
                    last_error,
                }
            },
        )
        .collect())
}

/// Sends a notice again: a failed one goes back to the queue with fresh
/// attempts; a sent one is copied, so the record of the first stays.
pub async fn resend(pool: &sqlx::SqlitePool, id: i64) -> Result<(), AppError> {
    let now = time::now_text();
    let requeued = sqlx::query(
        "UPDATE outbox SET state = 'queued', attempts = 0, next_try_at = ?, last_error = ''
          WHERE id = ? AND state = 'failed'",
    )
    .bind(&now)
    .bind(id)
    .execute(pool)
    .await?;
    if requeued.rows_affected() == 1 {
        return Ok(());
    }
    let copied = sqlx::query(
        "INSERT INTO outbox (event, to_email, to_name, subject, body_text, body_html,
                             next_try_at, created_at)
         SELECT event, to_email, to_name, subject, body_text, body_html, ?, ?
           FROM outbox WHERE id = ? AND state = 'sent'",
    )
    .bind(&now)
    .bind(&now)
    .bind(id)
    .execute(pool)
    .await?;
    if copied.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "Thư này đang chờ gửi hoặc đang được gửi.".into(),
        ));
    }
    Ok(())
}
