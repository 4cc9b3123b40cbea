//! Notices by email, never lost: each is rendered and written to the
//! `outbox` table in the same transaction as the change that causes it;
//! `worker` sends it later and records what the server answered.

pub mod announce;
pub mod group;
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

/// An event's wording: the organizer's own if saved, else the default.
pub async fn wording(
    conn: &mut SqliteConnection,
    event: &str,
) -> Result<templates::Wording, AppError> {
    let custom: Option<(String, String, String)> =
        sqlx::query_as("SELECT subject, body_text, body_html FROM mail_templates WHERE event = ?")
            .bind(event)
            .fetch_optional(&mut *conn)
            .await?;
    match custom {
        Some((subject, text, html)) => Ok(templates::Wording {
            subject,
            text,
            html,
        }),
        None => templates::default_wording(event).ok_or(AppError::Internal),
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
    let wording = wording(&mut *conn, event).await?;
    // An organizer's wording that fails for these values must not undo the
    // change it reports: the built-in wording stands in.
    let rendered = match templates::render_wording(&wording, values) {
        Ok(rendered) => rendered,
        Err(error) => {
            tracing::warn!(event, %error, "a custom mail template failed; using the default");
            templates::render(event, values)?
        }
    };
    insert(conn, event, to_email, to_name, &rendered).await
}

/// Writes a rendered notice to the outbox, due now.
pub async fn insert(
    conn: &mut SqliteConnection,
    event: &str,
    to_email: &str,
    to_name: &str,
    rendered: &templates::Rendered,
) -> Result<(), AppError> {
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
    let (email, name, values) = entry_values(conn, site, entry, reason, due).await?;
    enqueue(conn, event, &email, &name, &values).await
}

/// Tells a nominating unit what the selection council's secret ballot
/// decided on its candidate, with the tally only.
pub async fn honors_decision(
    conn: &mut SqliteConnection,
    site: &Site,
    entry: i64,
    outcome: &serde_json::Value,
) -> Result<(), AppError> {
    let (email, name, mut values) = entry_values(conn, site, entry, "", None).await?;
    let candidate: Option<String> =
        sqlx::query_scalar("SELECT full_name FROM candidates WHERE entry_id = ?")
            .bind(entry)
            .fetch_optional(&mut *conn)
            .await?;
    if let (Some(all), Some(more)) = (values.as_object_mut(), outcome.as_object()) {
        all.extend(more.clone());
        all.insert("candidate".into(), json!(candidate.unwrap_or_default()));
    }
    enqueue(conn, "honors_decision", &email, &name, &values).await
}

/// What an entry's notices say, and to whom: (email, name, values).
async fn entry_values(
    conn: &mut SqliteConnection,
    site: &Site,
    entry: i64,
    reason: &str,
    due: Option<&str>,
) -> Result<(String, String, serde_json::Value), AppError> {
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
    Ok((facts.owner_email, facts.owner_name, values))
}

/// The newest notices older than `before` (all when `None`), in `state`
/// when it is given, a page at a time, for the organizer.
pub async fn list(
    pool: &sqlx::SqlitePool,
    before: Option<i64>,
    state: Option<&str>,
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
           FROM outbox
          WHERE (?1 IS NULL OR id < ?1) AND (?2 IS NULL OR state = ?2)
          ORDER BY id DESC LIMIT ?3",
    )
    .bind(before)
    .bind(state)
    .bind(crate::app::outbox::OUTBOX_PAGE)
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
    // One copy at a time: a double click does not send twice.
    let copied = sqlx::query(
        "INSERT INTO outbox (event, to_email, to_name, subject, body_text, body_html,
                             next_try_at, created_at, resent_from)
         SELECT event, to_email, to_name, subject, body_text, body_html, ?, ?, id
           FROM outbox o WHERE o.id = ? AND o.state = 'sent'
            AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.resent_from = o.id
                              AND c.state IN ('queued', 'sending'))",
    )
    .bind(&now)
    .bind(&now)
    .bind(id)
    .execute(pool)
    .await?;
    if copied.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "Thư này hoặc bản gửi lại của nó đang chờ gửi.".into(),
        ));
    }
    Ok(())
}

/// Values to preview an event's notice with, taken from the newest real
/// record it would concern (an entry, a judge, a unit, the organizer);
/// links are shown as they will look, with a stand-in for one-time codes.
pub async fn preview_values(
    conn: &mut SqliteConnection,
    site: &Site,
    event: &str,
    viewer: &str,
) -> Result<serde_json::Value, AppError> {
    let one_time = format!("{}/dat-mat-khau/(mã-dùng-một-lần)", site.public_url);
    let base = json!({ "org": site.org_name, "link": one_time, "days": 14 });
    let merge = |extra: serde_json::Value| {
        let mut values = base.clone();
        if let (Some(all), Some(more)) = (values.as_object_mut(), extra.as_object()) {
            all.extend(more.clone());
        }
        values
    };
    if event.starts_with("entry_") || event == "honors_decision" {
        let newest: Option<(i64, String)> =
            sqlx::query_as("SELECT id, state_reason FROM entries ORDER BY id DESC LIMIT 1")
                .fetch_optional(&mut *conn)
                .await?;
        let Some((entry, reason)) = newest else {
            return Ok(merge(json!({
                "name": viewer, "code": "STKT12-001", "title": "(chưa có hồ sơ nào)",
                "edition": "(kỳ thi)", "reason": "(lý do Ban tổ chức ghi)", "due": "(hạn bổ sung)",
            })));
        };
        let due = time::to_text(time::now() + chrono::Duration::days(7));
        let reason = if reason.is_empty() {
            "(lý do Ban tổ chức ghi)".to_string()
        } else {
            reason
        };
        let (_, _, mut values) = entry_values(conn, site, entry, &reason, Some(&due)).await?;
        if let Some(all) = values.as_object_mut() {
            all.extend(
                json!({
                    "candidate": "(tên ứng viên)", "decision": "được xét chọn",
                    "agree": 7, "disagree": 1, "abstain": 1, "present": 9, "needed": 6,
                })
                .as_object()
                .cloned()
                .unwrap_or_default(),
            );
        }
        return Ok(values);
    }
    if event == "sheet_reopened" {
        let newest: Option<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT u.full_name, e.code, e.title, r.name,
                    ed.name || ' lần thứ ' || ed.number || ' (' || ed.year || ')'
               FROM score_sheets s JOIN judges j ON j.id = s.judge_id
               JOIN users u ON u.id = j.user_id JOIN entries e ON e.id = s.entry_id
               JOIN rounds r ON r.id = s.round_id JOIN editions ed ON ed.id = r.edition_id
              ORDER BY s.id DESC LIMIT 1",
        )
        .fetch_optional(&mut *conn)
        .await?;
        let (name, code, title, round, edition) = newest.unwrap_or_else(|| {
            let stand_in = |s: &str| s.to_string();
            (
                viewer.to_string(),
                stand_in("STKT12-001"),
                stand_in("(chưa có phiếu chấm nào)"),
                stand_in("vòng chung khảo"),
                stand_in("(kỳ thi)"),
            )
        });
        return Ok(merge(json!({
            "name": name, "code": code, "title": title, "round": round.to_lowercase(),
            "edition": edition,
            "reason": "(lý do Ban tổ chức ghi)",
            "link": format!("{}/giam-khao", site.public_url),
        })));
    }
    let found: Option<(String, String)> = match event {
        "judge_invitation" => {
            sqlx::query_as(
                "SELECT u.full_name, e.name || ' lần thứ ' || e.number || ' (' || e.year || ')'
                   FROM judges j JOIN users u ON u.id = j.user_id
                   JOIN editions e ON e.id = j.edition_id
                  ORDER BY j.id DESC LIMIT 1",
            )
            .fetch_optional(&mut *conn)
            .await?
        }
        "unit_invitation" => {
            sqlx::query_as(
                "SELECT full_name, '' FROM users WHERE role = 'unit' ORDER BY id DESC LIMIT 1",
            )
            .fetch_optional(&mut *conn)
            .await?
        }
        _ => None,
    };
    let (name, edition) = found.unwrap_or_else(|| (viewer.to_string(), "(kỳ thi)".into()));
    Ok(merge(json!({
        "name": name, "edition": edition,
        "field": "(lĩnh vực)", "council": "(hội đồng)",
    })))
}

/// Every event's wording with its preview, for the organizer's page.
pub async fn template_views(
    pool: &sqlx::SqlitePool,
    site: &Site,
    viewer: &str,
) -> Result<Vec<crate::app::outbox::TemplateView>, AppError> {
    let mut conn = pool.acquire().await?;
    let mut views = Vec::new();
    for event in templates::events() {
        let custom: bool =
            sqlx::query_scalar("SELECT COUNT(*) > 0 FROM mail_templates WHERE event = ?")
                .bind(event)
                .fetch_one(&mut *conn)
                .await?;
        let wording = wording(&mut conn, event).await?;
        let values = preview_values(&mut conn, site, event, viewer).await?;
        let preview = templates::render_wording(&wording, &values)?;
        views.push(crate::app::outbox::TemplateView {
            event: event.to_string(),
            subject: wording.subject,
            text: wording.text,
            html: wording.html,
            custom,
            preview_subject: preview.subject,
            preview_text: preview.text,
            preview_html: preview.html,
        });
    }
    Ok(views)
}

/// Saves an event's wording once it renders on a real record.
pub async fn save_template(
    pool: &sqlx::SqlitePool,
    read: &sqlx::SqlitePool,
    site: &Site,
    event: &str,
    wording: &templates::Wording,
    viewer: &str,
) -> Result<(), AppError> {
    if templates::default_wording(event).is_none() {
        return Err(AppError::NotFound("mẫu thư".into()));
    }
    let clean = |label: &str, text: &str, max: usize| {
        if text.trim().is_empty() || text.chars().count() > max {
            return Err(AppError::invalid(
                label,
                format!("cần từ 1 đến {max} ký tự"),
            ));
        }
        Ok(crate::domain::text::clean_text(text))
    };
    let wording = templates::Wording {
        subject: clean("Tiêu đề", &wording.subject, 300)?,
        text: clean("Nội dung văn bản", &wording.text, 20_000)?,
        html: clean("Nội dung HTML", &wording.html, 40_000)?,
    };
    let mut conn = read.acquire().await?;
    let values = preview_values(&mut conn, site, event, viewer).await?;
    drop(conn);
    templates::render_wording(&wording, &values)?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO mail_templates (event, subject, body_text, body_html, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (event) DO UPDATE SET subject = excluded.subject,
            body_text = excluded.body_text, body_html = excluded.body_html,
            updated_at = excluded.updated_at",
    )
    .bind(event)
    .bind(&wording.subject)
    .bind(&wording.text)
    .bind(&wording.html)
    .bind(time::now_text())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
