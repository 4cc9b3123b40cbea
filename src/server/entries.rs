//! SQL for entries and their authors, with ownership and deadline checks.

use sqlx::SqlitePool;

use super::{editions, time};
use crate::app::auth::{CurrentUser, Role};
use crate::app::entries::validate::EntryDraft;
use crate::app::entries::{AuthorView, EntryAdminLine, EntryForm, EntryLine, EntryView, FileView};
use crate::app::error::AppError;

/// The edition, owner and file of an entry.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryOwnership {
    pub edition_id: i64,
    pub field_id: i64,
    pub owner_id: i64,
    pub description_file_id: Option<i64>,
    pub state: String,
}

pub async fn ownership(pool: &SqlitePool, id: i64) -> Result<EntryOwnership, AppError> {
    sqlx::query_as::<_, EntryOwnership>(
        "SELECT edition_id, field_id, owner_id, description_file_id, state FROM entries WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("giải pháp".into()))
}

/// Whether a judge is assigned to the entry's field in its edition.
pub async fn judge_is_assigned(
    pool: &SqlitePool,
    user_id: i64,
    entry_id: i64,
) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT j.id FROM entries e
           JOIN judges j ON j.edition_id = e.edition_id AND j.user_id = ?
           JOIN judge_fields jf ON jf.judge_id = j.id AND jf.field_id = e.field_id
          WHERE e.id = ? AND e.state = 'submitted'",
    )
    .bind(user_id)
    .bind(entry_id)
    .fetch_optional(pool)
    .await?;
    Ok(found.is_some())
}

/// The owner and organizers may read an entry; anyone else is told it
/// does not exist, so ids cannot be probed.
pub async fn check_can_read(
    pool: &SqlitePool,
    user: &CurrentUser,
    id: i64,
) -> Result<EntryOwnership, AppError> {
    let entry = ownership(pool, id).await?;
    match user.role {
        Role::Organizer => Ok(entry),
        Role::Contestant if entry.owner_id == user.id => Ok(entry),
        _ => Err(AppError::NotFound("giải pháp".into())),
    }
}

pub async fn list_for_owner(pool: &SqlitePool, owner: i64) -> Result<Vec<EntryLine>, AppError> {
    let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT e.id, e.code, e.title, ed.name || ' lần thứ ' || ed.number, f.name, e.state
           FROM entries e
           JOIN editions ed ON ed.id = e.edition_id
           JOIN fields f ON f.id = e.field_id
          WHERE e.owner_id = ? ORDER BY e.id DESC",
    )
    .bind(owner)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, code, title, edition_name, field_name, state)| EntryLine {
                id,
                code,
                title,
                edition_name,
                field_name,
                submitted: state == "submitted",
            },
        )
        .collect())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    code: String,
    edition_id: i64,
    edition_name: String,
    field_id: i64,
    field_name: String,
    title: String,
    summary: String,
    applied_since: String,
    applying_unit: String,
    state: String,
    file_name: Option<String>,
    file_size: Option<i64>,
}

pub async fn view(pool: &SqlitePool, id: i64) -> Result<EntryView, AppError> {
    let row = sqlx::query_as::<_, EntryRow>(
        "SELECT e.id, e.code, e.edition_id, ed.name || ' lần thứ ' || ed.number AS edition_name,
                e.field_id, f.name AS field_name, e.title, e.summary, e.applied_since,
                e.applying_unit, e.state, fl.original_name AS file_name, fl.size_bytes AS file_size
           FROM entries e
           JOIN editions ed ON ed.id = e.edition_id
           JOIN fields f ON f.id = e.field_id
           LEFT JOIN files fl ON fl.id = e.description_file_id
          WHERE e.id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("giải pháp".into()))?;
    let rules = editions::rules(pool, row.edition_id).await?;
    let authors = authors(pool, id).await?;
    Ok(EntryView {
        id: row.id,
        code: row.code,
        edition_id: row.edition_id,
        edition_name: row.edition_name,
        field_id: row.field_id,
        field_name: row.field_name,
        title: row.title,
        summary: row.summary,
        applied_since: row.applied_since,
        applying_unit: row.applying_unit,
        authors,
        file: row.file_name.map(|name| FileView {
            name,
            size_bytes: row.file_size.unwrap_or_default(),
            url: format!("/tep/giai-phap/{id}/thuyet-minh"),
        }),
        submitted: row.state == "submitted",
        deadline: time::show(rules.deadline, &rules.time_zone),
        deadline_passed: rules.check_deadline().is_err(),
    })
}

pub async fn authors(pool: &SqlitePool, entry: i64) -> Result<Vec<AuthorView>, AppError> {
    let rows: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT full_name, birth_date, phone, email, unit, share_percent
           FROM authors WHERE entry_id = ? ORDER BY position",
    )
    .bind(entry)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(full_name, birth_date, phone, email, unit, share)| AuthorView {
                full_name,
                birth_date,
                phone,
                email,
                unit,
                share,
            },
        )
        .collect())
}

/// Checks that `owner` may change entry `id` now, and returns it.
pub async fn check_can_edit(
    pool: &SqlitePool,
    owner: i64,
    id: i64,
) -> Result<EntryOwnership, AppError> {
    let entry = ownership(pool, id).await?;
    if entry.owner_id != owner {
        return Err(AppError::NotFound("giải pháp".into()));
    }
    // Judges score what they saw: once a sheet exists the entry (its field,
    // text and file) may no longer change under them.
    let sheets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM score_sheets WHERE entry_id = ?")
        .bind(id)
        .fetch_one(pool)
        .await?;
    if sheets > 0 {
        return Err(AppError::Conflict(
            "Giải pháp đã được giám khảo chấm điểm nên không sửa được nữa; nếu cần sửa, hãy liên hệ Ban tổ chức."
                .into(),
        ));
    }
    editions::rules(pool, entry.edition_id)
        .await?
        .check_deadline()?;
    Ok(entry)
}

/// Creates or updates an entry with its authors, in one transaction.
pub async fn save(pool: &SqlitePool, owner: i64, form: &EntryForm) -> Result<i64, AppError> {
    let edition_id = if form.id == 0 {
        form.edition_id
    } else {
        check_can_edit(pool, owner, form.id).await?.edition_id
    };
    let rules = editions::rules(pool, edition_id).await?;
    if !rules.open {
        return Err(AppError::NotFound("kỳ thi".into()));
    }
    rules.check_deadline()?;
    let today = time::now()
        .with_timezone(&time::zone(&rules.time_zone))
        .date_naive();
    let draft = EntryDraft::parse(form, today)?;
    let field_ok: Option<i64> =
        sqlx::query_scalar("SELECT id FROM fields WHERE id = ? AND edition_id = ?")
            .bind(draft.field_id)
            .bind(edition_id)
            .fetch_optional(pool)
            .await?;
    if field_ok.is_none() {
        return Err(AppError::invalid(
            "Lĩnh vực",
            "lĩnh vực không thuộc kỳ thi này",
        ));
    }

    let now = time::now_text();
    let mut tx = pool.begin().await?;
    let id = if form.id == 0 {
        let (count, number): (i64, i64) = sqlx::query_as(
            "UPDATE editions SET entries_numbered = entries_numbered + 1 WHERE id = ?
             RETURNING entries_numbered, number",
        )
        .bind(edition_id)
        .fetch_one(&mut *tx)
        .await?;
        let code = format!("STKT{number}-{count:03}");
        sqlx::query_scalar(
            "INSERT INTO entries (edition_id, field_id, owner_id, code, title, summary, applied_since,
                                  applying_unit, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(edition_id)
        .bind(draft.field_id)
        .bind(owner)
        .bind(code)
        .bind(&draft.title)
        .bind(&draft.summary)
        .bind(draft.applied_since.to_string())
        .bind(&draft.applying_unit)
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE entries SET field_id = ?, title = ?, summary = ?, applied_since = ?, applying_unit = ?,
                                updated_at = ?
              WHERE id = ? AND owner_id = ?",
        )
        .bind(draft.field_id)
        .bind(&draft.title)
        .bind(&draft.summary)
        .bind(draft.applied_since.to_string())
        .bind(&draft.applying_unit)
        .bind(&now)
        .bind(form.id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM authors WHERE entry_id = ?")
            .bind(form.id)
            .execute(&mut *tx)
            .await?;
        form.id
    };
    for (position, author) in draft.authors.iter().enumerate() {
        sqlx::query(
            "INSERT INTO authors (entry_id, position, full_name, birth_date, phone, email, unit, share_percent)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(author.full_name.as_str())
        .bind(author.birth_date.to_string())
        .bind(&author.phone)
        .bind(author.email.as_str())
        .bind(&author.unit)
        .bind(author.share)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn submit(pool: &SqlitePool, owner: i64, id: i64) -> Result<(), AppError> {
    let entry = check_can_edit(pool, owner, id).await?;
    if entry.description_file_id.is_none() {
        return Err(AppError::invalid(
            "Tệp thuyết minh",
            "hãy tải lên bản thuyết minh (PDF hoặc DOCX) trước khi nộp",
        ));
    }
    sqlx::query("UPDATE entries SET state = 'submitted', updated_at = ? WHERE id = ?")
        .bind(time::now_text())
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AdminRow {
    id: i64,
    code: String,
    title: String,
    field_name: String,
    authors: Option<String>,
    owner_email: String,
    state: String,
    has_file: bool,
}

pub async fn list_for_edition(
    pool: &SqlitePool,
    edition: i64,
) -> Result<Vec<EntryAdminLine>, AppError> {
    let rows = sqlx::query_as::<_, AdminRow>(
        "SELECT e.id, e.code, e.title, f.name AS field_name, u.email AS owner_email, e.state,
                e.description_file_id IS NOT NULL AS has_file,
                (SELECT group_concat(a.full_name, ', ') FROM
                    (SELECT full_name FROM authors WHERE entry_id = e.id ORDER BY position) a)
                AS authors
           FROM entries e JOIN fields f ON f.id = e.field_id JOIN users u ON u.id = e.owner_id
          WHERE e.edition_id = ? ORDER BY e.code",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| EntryAdminLine {
            file_url: r
                .has_file
                .then(|| format!("/tep/giai-phap/{}/thuyet-minh", r.id)),
            id: r.id,
            code: r.code,
            title: r.title,
            field_name: r.field_name,
            authors: r.authors.unwrap_or_default(),
            owner_email: r.owner_email,
            submitted: r.state == "submitted",
        })
        .collect())
}

pub async fn delete_draft(
    pool: &SqlitePool,
    config: &super::config::Config,
    owner: i64,
    id: i64,
) -> Result<(), AppError> {
    let entry = check_can_edit(pool, owner, id).await?;
    if entry.state != "draft" {
        return Err(AppError::Conflict(
            "Hồ sơ đã nộp không xóa được; nếu cần rút hồ sơ, hãy liên hệ Ban tổ chức.".into(),
        ));
    }
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM entries WHERE id = ? AND owner_id = ? AND state = 'draft'")
        .bind(id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    let stored = super::files::forget(&mut tx, entry.description_file_id).await?;
    tx.commit().await?;
    super::files::remove_stored(config, stored).await;
    Ok(())
}
