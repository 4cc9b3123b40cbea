//! SQL for entries and their authors, with ownership and deadline checks.

use sqlx::SqlitePool;

use super::{editions, time};
use crate::app::auth::{CurrentUser, Role};
use crate::app::editions::Program;
use crate::app::entries::validate::EntryDraft;
use crate::app::entries::{
    AuthorView, EntryAdminLine, EntryFilter, EntryForm, EntryLine, EntryStatus, EntryView, FileView,
};
use crate::app::error::AppError;
use crate::domain::lifecycle::EntryState;
use crate::domain::text::fold_accents;

/// The edition, owner and file of an entry.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryOwnership {
    pub edition_id: i64,
    pub field_id: i64,
    pub owner_id: i64,
    pub description_file_id: Option<i64>,
    pub state: String,
    /// The organizer's reason for the last return or rejection.
    pub state_reason: String,
    pub return_due: Option<String>,
}

pub async fn ownership(pool: &SqlitePool, id: i64) -> Result<EntryOwnership, AppError> {
    sqlx::query_as::<_, EntryOwnership>(
        "SELECT edition_id, field_id, owner_id, description_file_id, state, state_reason,
                return_due
           FROM entries WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("hồ sơ".into()))
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
            JOIN judge_scope s ON s.judge_id = j.id AND s.entry_id = e.id
          WHERE e.id = ?",
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
        Role::Judge => Err(AppError::NotFound("hồ sơ".into())),
        _ if entry.owner_id == user.id => Ok(entry),
        _ => Err(AppError::NotFound("hồ sơ".into())),
    }
}

pub async fn list_for_owner(pool: &SqlitePool, owner: i64) -> Result<Vec<EntryLine>, AppError> {
    let rows: Vec<(i64, String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT e.id, e.code, e.title, ed.name || ' lần thứ ' || ed.number, f.name, e.state,
                ed.contest_kind
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
            |(id, code, title, edition_name, field_name, state, kind)| EntryLine {
                id,
                code,
                title,
                edition_name,
                field_name,
                submitted: state == "submitted",
                state: EntryState::from_db(&state)
                    .map(|s| s.label())
                    .unwrap_or_default()
                    .to_string(),
                url: Program::from_db(&kind).unwrap_or_default().entry_path(id),
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

/// Checks that `owner` may change entry `id` now, and returns it: a draft
/// or a submitted entry until the registration deadline, a returned entry
/// until the return's own due date, never one accepted or rejected.
pub async fn check_can_edit(
    pool: &SqlitePool,
    owner: i64,
    id: i64,
) -> Result<EntryOwnership, AppError> {
    let entry = ownership(pool, id).await?;
    if entry.owner_id != owner {
        return Err(AppError::NotFound("hồ sơ".into()));
    }
    // Judges score what they saw: once a sheet exists the entry (its field,
    // text and file) may no longer change under them.
    let sheets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM score_sheets WHERE entry_id = ?")
        .bind(id)
        .fetch_one(pool)
        .await?;
    if sheets > 0 {
        return Err(AppError::Conflict(
            "Hồ sơ đã được giám khảo chấm điểm nên không sửa được nữa; nếu cần sửa, hãy liên hệ Ban tổ chức."
                .into(),
        ));
    }
    let rules = editions::rules(pool, entry.edition_id).await?;
    match EntryState::from_db(&entry.state) {
        Some(EntryState::Returned) => {
            let due = entry.return_due.as_deref().and_then(time::from_text);
            if due.is_some_and(|due| time::now() > due) {
                return Err(AppError::Conflict(format!(
                    "Đã quá hạn bổ sung hồ sơ ({}); hãy liên hệ Ban tổ chức.",
                    due.map(|d| time::show(d, &rules.time_zone))
                        .unwrap_or_default()
                )));
            }
        }
        Some(EntryState::Draft | EntryState::Submitted) => rules.check_deadline()?,
        Some(state) => {
            return Err(AppError::Conflict(format!(
                "Hồ sơ ở trạng thái \"{}\" nên không sửa được nữa.",
                state.label()
            )));
        }
        None => return Err(AppError::Internal),
    }
    Ok(entry)
}

/// Who may see an entry and its files: the organizers, its owner, and the
/// judges assigned to it. Anyone else is told it does not exist.
pub async fn check_can_see(
    pool: &SqlitePool,
    user: &CurrentUser,
    id: i64,
) -> Result<EntryOwnership, AppError> {
    let entry = ownership(pool, id).await?;
    let allowed = match user.role {
        Role::Organizer => true,
        Role::Judge => judge_is_assigned(pool, user.id, id).await?,
        _ => entry.owner_id == user.id,
    };
    if allowed {
        Ok(entry)
    } else {
        Err(AppError::NotFound("hồ sơ".into()))
    }
}

/// Creates or updates an entry with its authors, in one transaction.
pub async fn save(pool: &SqlitePool, owner: i64, form: &EntryForm) -> Result<i64, AppError> {
    let edition_id = if form.id == 0 {
        form.edition_id
    } else {
        check_can_edit(pool, owner, form.id).await?.edition_id
    };
    let rules = editions::rules(pool, edition_id).await?;
    // Youth entries and nominations have forms of their own.
    if !rules.open || rules.program != Program::Technical {
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
        check_draft_room(&mut tx, edition_id, owner).await?;
        let code = editions::next_code(&mut tx, edition_id).await?;
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
    let search = search_text(
        &draft.title,
        draft.authors.iter().map(|a| a.full_name.as_str()),
    );
    sqlx::query("UPDATE entries SET search_text = ? WHERE id = ?")
        .bind(search)
        .bind(id)
        .execute(&mut *tx)
        .await?;
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

#[derive(sqlx::FromRow)]
struct AdminRow {
    id: i64,
    code: String,
    title: String,
    field_name: String,
    people: Option<String>,
    owner_email: String,
    state: String,
    has_file: bool,
    level_group: Option<String>,
    schools: Option<String>,
    communes: Option<String>,
}

/// Escapes the wildcards of a LIKE pattern (the escape character is `\`).
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// An edition's entries, drafts included, filtered for the organizer.
pub async fn list_for_edition(
    pool: &SqlitePool,
    edition: i64,
    filter: &EntryFilter,
) -> Result<Vec<EntryAdminLine>, AppError> {
    let mut sql = String::from(
        "SELECT e.id, e.code, e.title, f.name AS field_name, u.email AS owner_email, e.state,
                e.description_file_id IS NOT NULL AS has_file, g.name AS level_group,
                COALESCE(
                    (SELECT group_concat(full_name, ', ') FROM
                        (SELECT full_name FROM authors WHERE entry_id = e.id ORDER BY position)),
                    (SELECT group_concat(full_name, ', ') FROM
                        (SELECT full_name FROM members WHERE entry_id = e.id ORDER BY position)),
                    (SELECT nominating_unit FROM candidates WHERE entry_id = e.id)) AS people,
                (SELECT group_concat(school, ', ') FROM
                    (SELECT DISTINCT school FROM members WHERE entry_id = e.id)) AS schools,
                (SELECT group_concat(commune, ', ') FROM
                    (SELECT DISTINCT commune FROM members WHERE entry_id = e.id)) AS communes
           FROM entries e
           JOIN fields f ON f.id = e.field_id
           JOIN users u ON u.id = e.owner_id
           LEFT JOIN level_groups g ON g.id = e.level_group_id
          WHERE e.edition_id = ?",
    );
    let mut binds: Vec<String> = Vec::new();
    if let Some(field) = filter.field {
        sql.push_str(" AND e.field_id = ?");
        binds.push(field.to_string());
    }
    if let Some(state) = EntryState::from_db(filter.state.trim()) {
        sql.push_str(" AND e.state = ?");
        binds.push(state.as_db().to_string());
    }
    if let Some(group) = filter.level_group {
        sql.push_str(" AND e.level_group_id = ?");
        binds.push(group.to_string());
    }
    if !filter.q.trim().is_empty() {
        sql.push_str(" AND (e.search_text LIKE ? ESCAPE '\\' OR lower(e.code) LIKE ? ESCAPE '\\')");
        let pattern = format!("%{}%", like_escape(&fold_accents(&filter.q)));
        binds.push(pattern.clone());
        binds.push(pattern);
    }
    sql.push_str(" ORDER BY e.code");
    let mut query = sqlx::query_as::<_, AdminRow>(&sql).bind(edition);
    for value in &binds {
        query = query.bind(value);
    }
    let rows = query.fetch_all(pool).await?;
    // Schools and communes are typed in many ways, so they match like
    // names do: ignoring accents and case, anywhere in the text.
    let school = fold_accents(&filter.school);
    let commune = fold_accents(&filter.commune);
    Ok(rows
        .into_iter()
        .filter(|r| {
            school.is_empty() || fold_accents(r.schools.as_deref().unwrap_or("")).contains(&school)
        })
        .filter(|r| {
            commune.is_empty()
                || fold_accents(r.communes.as_deref().unwrap_or("")).contains(&commune)
        })
        .map(|r| EntryAdminLine {
            file_url: r
                .has_file
                .then(|| format!("/tep/giai-phap/{}/thuyet-minh", r.id)),
            id: r.id,
            code: r.code,
            title: r.title,
            field_name: r.field_name,
            authors: r.people.unwrap_or_default(),
            owner_email: r.owner_email,
            submitted: r.state == "submitted",
            state: EntryState::from_db(&r.state).unwrap_or(EntryState::Draft),
            level_group: r.level_group.unwrap_or_default(),
            schools: r.schools.unwrap_or_default(),
        })
        .collect())
}

/// The text search looks in: title, code and every person's name, folded.
pub fn search_text<'a>(title: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = fold_accents(title);
    for name in names {
        text.push_str(" | ");
        text.push_str(&fold_accents(name));
    }
    text
}

/// Where an entry stands and how it got there, for its owner.
pub async fn status(pool: &SqlitePool, owner: i64, id: i64) -> Result<EntryStatus, AppError> {
    let entry = ownership(pool, id).await?;
    let rules = editions::rules(pool, entry.edition_id).await?;
    Ok(EntryStatus {
        state: EntryState::from_db(&entry.state).unwrap_or(EntryState::Draft),
        reason: entry.state_reason,
        return_due: entry
            .return_due
            .as_deref()
            .and_then(time::from_text)
            .map(|d| time::show(d, &rules.time_zone))
            .unwrap_or_default(),
        editable: check_can_edit(pool, owner, id).await.is_ok(),
        history: super::lifecycle::history(pool, id).await?,
    })
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
    let attached: Vec<i64> =
        sqlx::query_scalar("SELECT file_id FROM entry_files WHERE entry_id = ?")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    sqlx::query("DELETE FROM entries WHERE id = ? AND owner_id = ? AND state = 'draft'")
        .bind(id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    let mut stored = vec![super::files::forget(&mut tx, entry.description_file_id).await?];
    for file in attached {
        stored.push(super::files::forget(&mut tx, Some(file)).await?);
    }
    tx.commit().await?;
    for name in stored {
        super::files::remove_stored(config, name).await;
    }
    Ok(())
}

/// The most unsubmitted drafts one account may hold in an edition: enough
/// for a unit preparing many nominations, not enough to fill the disk.
pub const MAX_DRAFTS: i64 = 50;

/// Refuses a new entry when its owner already holds `MAX_DRAFTS` drafts in
/// the edition. Runs in the caller's write transaction.
pub async fn check_draft_room(
    conn: &mut sqlx::SqliteConnection,
    edition: i64,
    owner: i64,
) -> Result<(), AppError> {
    let drafts: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM entries WHERE edition_id = ? AND owner_id = ? AND state = 'draft'",
    )
    .bind(edition)
    .bind(owner)
    .fetch_one(&mut *conn)
    .await?;
    if drafts >= MAX_DRAFTS {
        return Err(AppError::invalid(
            "Hồ sơ",
            format!(
                "bạn đang có {drafts} bản nháp chưa nộp trong kỳ thi này; hãy nộp hoặc xóa bớt \
                 trước khi tạo hồ sơ mới"
            ),
        ));
    }
    Ok(())
}

/// Fills the search text of entries saved before it existed.
pub async fn backfill_search(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT e.id, e.title,
                COALESCE((SELECT group_concat(full_name, '|') FROM authors WHERE entry_id = e.id),
                         (SELECT group_concat(full_name, '|') FROM members WHERE entry_id = e.id),
                         (SELECT full_name FROM candidates WHERE entry_id = e.id))
           FROM entries e WHERE e.search_text = ''",
    )
    .fetch_all(pool)
    .await?;
    for (id, title, names) in rows {
        let names = names.unwrap_or_default();
        sqlx::query("UPDATE entries SET search_text = ? WHERE id = ?")
            .bind(search_text(&title, names.split('|')))
            .bind(id)
            .execute(pool)
            .await?;
    }
    Ok(())
}
