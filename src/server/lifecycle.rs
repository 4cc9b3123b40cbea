//! Moving an entry through its lifecycle, with the rule of who may do
//! what, and the history of every change.

use sqlx::{SqliteConnection, SqlitePool};

use super::mail::Site;
use super::{editions, entries, time};
use crate::app::auth::{CurrentUser, Role};
use crate::app::editions::Program;
use crate::app::entries::HistoryLine;
use crate::app::error::AppError;
use crate::domain::lifecycle::{Action, EntryState, next};
use crate::domain::text::clean_text;

/// The longest reason an organizer may give, in characters.
pub const REASON_MAX: usize = 2_000;
/// The furthest a return's due date may be, in days from today.
pub const RETURN_DAYS_MAX: i64 = 90;

/// What an entry still lacks before it can be submitted, per program.
/// Runs on the caller's connection, so a save can check inside its own
/// transaction that a submitted entry stays complete.
pub async fn check_complete(
    conn: &mut SqliteConnection,
    program: Program,
    id: i64,
) -> Result<(), AppError> {
    let mut count = async |sql: &'static str| {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .map_err(AppError::from)
    };
    match program {
        Program::Technical => {
            if count(
                "SELECT COUNT(*) FROM entries WHERE id = ? AND description_file_id IS NOT NULL",
            )
            .await?
                == 0
            {
                return Err(AppError::invalid(
                    "Tệp thuyết minh",
                    "hãy tải lên bản thuyết minh (PDF hoặc DOCX) trước khi nộp",
                ));
            }
        }
        Program::Youth => {
            if count("SELECT COUNT(*) FROM entries WHERE id = ? AND summary <> ''").await? == 0 {
                return Err(AppError::invalid(
                    "Mô tả sản phẩm",
                    "hãy viết mô tả sản phẩm trước khi nộp",
                ));
            }
            if count("SELECT COUNT(*) FROM entry_files WHERE entry_id = ? AND kind = 'photo'")
                .await?
                == 0
            {
                return Err(AppError::invalid(
                    "Ảnh sản phẩm",
                    "hãy tải lên ít nhất một ảnh sản phẩm trước khi nộp",
                ));
            }
        }
        Program::Honors => {
            if count("SELECT COUNT(*) FROM entry_checks WHERE entry_id = ?").await? == 0 {
                return Err(AppError::invalid(
                    "Tiêu chí",
                    "hãy đánh dấu ít nhất một tiêu chí ứng viên đạt được",
                ));
            }
            if count("SELECT COUNT(*) FROM entry_files WHERE entry_id = ? AND kind = 'evidence'")
                .await?
                == 0
            {
                return Err(AppError::invalid(
                    "Minh chứng",
                    "hãy tải lên ít nhất một tệp minh chứng trước khi nộp",
                ));
            }
        }
    }
    Ok(())
}

/// A submitted entry stays complete: an edit or a file removal that would
/// leave it lacking is refused (the owner adds the new file first). Runs
/// inside the caller's transaction, after its change.
pub async fn keep_complete(
    conn: &mut SqliteConnection,
    program: Program,
    id: i64,
) -> Result<(), AppError> {
    let state: String = sqlx::query_scalar("SELECT state FROM entries WHERE id = ?")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if state != EntryState::Submitted.as_db() {
        return Ok(());
    }
    check_complete(conn, program, id)
        .await
        .map_err(|error| match error {
            AppError::Invalid { field, message } => AppError::Invalid {
                field,
                message: format!("hồ sơ đã nộp phải luôn đủ thành phần: {message}"),
            },
            other => other,
        })
}

/// Applies `action` to an entry for `actor` and records it. A return needs
/// a reason and a due date (dd/mm/yyyy, the end of that day in the
/// edition's zone); a rejection needs a reason.
pub async fn apply(
    pool: &SqlitePool,
    site: &Site,
    actor: &CurrentUser,
    id: i64,
    action: Action,
    reason: &str,
    due: &str,
) -> Result<EntryState, AppError> {
    let entry = if action.by_organizer() {
        if actor.role != Role::Organizer {
            return Err(AppError::Forbidden);
        }
        entries::ownership(pool, id).await?
    } else {
        entries::check_can_edit(pool, actor.id, id).await?
    };
    let rules = editions::rules(pool, entry.edition_id).await?;
    let from = EntryState::from_db(&entry.state).ok_or(AppError::Internal)?;
    let to = next(from, action).map_err(AppError::Conflict)?;
    let reason = clean_text(reason);
    if action.needs_reason() && reason.is_empty() {
        return Err(AppError::invalid(
            "Lý do",
            "hãy ghi lý do để người nộp biết",
        ));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(AppError::invalid(
            "Lý do",
            format!("lý do dài quá {REASON_MAX} ký tự"),
        ));
    }
    let due = if action == Action::Return {
        let date = crate::domain::dates::parse_date(due)
            .ok_or_else(|| AppError::invalid("Hạn bổ sung", "cần ngày hợp lệ dạng dd/mm/yyyy"))?;
        let end = time::parse_local(&format!("{date}T23:59:59"), &rules.time_zone)
            .ok_or(AppError::Internal)?;
        if end < time::now() {
            return Err(AppError::invalid("Hạn bổ sung", "hạn bổ sung đã qua"));
        }
        if end > time::now() + chrono::Duration::days(RETURN_DAYS_MAX) {
            return Err(AppError::invalid(
                "Hạn bổ sung",
                format!("hạn bổ sung tối đa {RETURN_DAYS_MAX} ngày kể từ hôm nay"),
            ));
        }
        let sheets: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM score_sheets WHERE entry_id = ?")
                .bind(id)
                .fetch_one(pool)
                .await?;
        if sheets > 0 {
            return Err(AppError::Conflict(
                "Hồ sơ đã có phiếu chấm nên không trả lại để bổ sung được.".into(),
            ));
        }
        Some(time::to_text(end))
    } else {
        None
    };
    if matches!(action, Action::Submit | Action::Accept) {
        let mut conn = pool.acquire().await?;
        let complete = check_complete(&mut conn, rules.program, id).await;
        if action == Action::Accept
            && let Err(AppError::Invalid { message, .. }) = &complete
        {
            return Err(AppError::Conflict(format!(
                "Hồ sơ chưa đủ để tiếp nhận ({message}); hãy trả lại để người nộp bổ sung."
            )));
        }
        complete?;
    }

    let now = time::now_text();
    let mut tx = pool.begin().await?;
    // The state in the WHERE clause makes two people acting at once safe:
    // the second finds the entry already moved and is told so.
    let moved = sqlx::query(
        "UPDATE entries SET state = ?, state_reason = ?, return_due = ?, updated_at = ?,
                submitted_at = CASE WHEN ? THEN ? ELSE submitted_at END
          WHERE id = ? AND state = ?",
    )
    .bind(to.as_db())
    .bind(&reason)
    .bind(&due)
    .bind(&now)
    .bind(to == EntryState::Submitted)
    .bind(&now)
    .bind(id)
    .bind(from.as_db())
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "Hồ sơ vừa được người khác thay đổi; hãy tải lại trang.".into(),
        ));
    }
    sqlx::query(
        "INSERT INTO entry_events (entry_id, at, actor_id, from_state, to_state, reason, due)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(&now)
    .bind(actor.id)
    .bind(from.as_db())
    .bind(to.as_db())
    .bind(&reason)
    .bind(&due)
    .execute(&mut *tx)
    .await?;
    super::mail::entry_state_changed(&mut tx, site, id, to, &reason, due.as_deref()).await?;
    tx.commit().await?;
    tracing::info!(
        entry.id = id,
        user.id = actor.id,
        from = from.as_db(),
        to = to.as_db(),
        "entry state changed"
    );
    Ok(to)
}

/// Records a change made outside the usual actions (an import).
pub async fn record(
    tx: &mut sqlx::SqliteConnection,
    entry: i64,
    actor: i64,
    from: EntryState,
    to: EntryState,
    reason: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO entry_events (entry_id, at, actor_id, from_state, to_state, reason)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(entry)
    .bind(time::now_text())
    .bind(actor)
    .bind(from.as_db())
    .bind(to.as_db())
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// When, by whom (name, role), from, to, due date, reason.
type EventRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
);

/// The history of an entry, oldest first, as its owner sees it.
pub async fn history(pool: &SqlitePool, entry: i64) -> Result<Vec<HistoryLine>, AppError> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT ev.at, u.full_name, u.role, ev.from_state, ev.to_state, ev.due, ev.reason
               FROM entry_events ev JOIN users u ON u.id = ev.actor_id
              WHERE ev.entry_id = ? ORDER BY ev.id",
    )
    .bind(entry)
    .fetch_all(pool)
    .await?;
    let zone = time::DEFAULT_ZONE;
    Ok(rows
        .into_iter()
        .map(|(at, name, role, from, to, due, reason)| HistoryLine {
            at: time::from_text(&at)
                .map(|t| time::show(t, zone))
                .unwrap_or_default(),
            // Owners see "Ban tổ chức", not which secretary acted.
            actor: if role == "organizer" {
                "Ban tổ chức".into()
            } else {
                name
            },
            from: EntryState::from_db(&from)
                .map(|s| s.label())
                .unwrap_or_default()
                .into(),
            to: EntryState::from_db(&to)
                .map(|s| s.label())
                .unwrap_or_default()
                .into(),
            reason,
            due: due
                .as_deref()
                .and_then(time::from_text)
                .map(|t| time::show(t, zone))
                .unwrap_or_default(),
        })
        .collect())
}
