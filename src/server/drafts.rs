//! What a person was typing into a long form, kept on the server so that
//! an expired session or a dropped connection loses nothing. One draft per
//! person and form; a successful save discards it.

use sqlx::SqlitePool;

use super::time;
use crate::app::drafts::FormDraft;
use crate::app::error::AppError;

/// The largest draft kept, in bytes of its JSON.
pub const MAX_BYTES: usize = 200 * 1024;
/// How many drafts one person keeps; older ones make room.
pub const MAX_PER_USER: i64 = 30;

/// Keys name a form: `youth:12:0` (a new entry of edition 12), `honors:3:45`.
fn check_key(key: &str) -> Result<(), AppError> {
    let fine = !key.is_empty()
        && key.len() <= 80
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b':' || b == b'-');
    if fine {
        Ok(())
    } else {
        Err(AppError::BadRequest)
    }
}

/// Keeps the typed fields of a form, given as JSON pairs of name and value.
pub async fn save(pool: &SqlitePool, user: i64, key: &str, body: &str) -> Result<(), AppError> {
    check_key(key)?;
    if body.len() > MAX_BYTES {
        return Err(AppError::invalid(
            "Bản đang nhập",
            format!(
                "nội dung dài quá {} KB nên không tự lưu được",
                MAX_BYTES / 1024
            ),
        ));
    }
    if serde_json::from_str::<Vec<(String, String)>>(body).is_err() {
        return Err(AppError::BadRequest);
    }
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO form_drafts (user_id, form_key, body, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id, form_key) DO UPDATE
            SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(user)
    .bind(key)
    .bind(body)
    .bind(time::now_text())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM form_drafts WHERE user_id = ?1 AND form_key NOT IN
           (SELECT form_key FROM form_drafts WHERE user_id = ?1
             ORDER BY updated_at DESC LIMIT ?2)",
    )
    .bind(user)
    .bind(MAX_PER_USER)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The person's draft of a form, with when it was last kept.
pub async fn find(
    pool: &SqlitePool,
    user: i64,
    key: &str,
    zone: &str,
) -> Result<Option<FormDraft>, AppError> {
    check_key(key)?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT body, updated_at FROM form_drafts WHERE user_id = ? AND form_key = ?",
    )
    .bind(user)
    .bind(key)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(body, at)| FormDraft {
        fields: serde_json::from_str(&body).unwrap_or_default(),
        saved_at: time::from_text(&at)
            .map(|t| time::show(t, zone))
            .unwrap_or_default(),
    }))
}

pub async fn discard(pool: &SqlitePool, user: i64, key: &str) -> Result<(), AppError> {
    check_key(key)?;
    sqlx::query("DELETE FROM form_drafts WHERE user_id = ? AND form_key = ?")
        .bind(user)
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}
