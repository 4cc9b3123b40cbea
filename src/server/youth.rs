//! SQL for youth entries: the group of pupils and their teachers.

use sqlx::{SqliteConnection, SqlitePool};

use super::{editions, entries, time};
use crate::app::editions::Program;
use crate::app::error::AppError;
use crate::app::youth::validate::{self, YouthDraft};
use crate::app::youth::{MemberForm, SupervisorForm, YouthForm, YouthView};
use crate::domain::dates::format_iso_date;

/// Writes a checked youth entry: a new one (`id` 0, with a fresh code) or
/// the members, teachers and text of an existing one. The caller has
/// checked who may do it.
pub async fn write(
    tx: &mut SqliteConnection,
    edition: i64,
    owner: i64,
    id: i64,
    draft: &YouthDraft,
) -> Result<i64, AppError> {
    let now = time::now_text();
    let search = entries::search_text(
        &draft.title,
        draft.members.iter().map(|m| m.full_name.as_str()),
    );
    let id = if id == 0 {
        let code = editions::next_code(tx, edition).await?;
        sqlx::query_scalar(
            "INSERT INTO entries (edition_id, field_id, owner_id, code, title, summary, video_url,
                                  level_group_id, search_text, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(edition)
        .bind(draft.field_id)
        .bind(owner)
        .bind(code)
        .bind(&draft.title)
        .bind(&draft.summary)
        .bind(&draft.video_url)
        .bind(draft.level_group_id)
        .bind(&search)
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE entries SET field_id = ?, title = ?, summary = ?, video_url = ?,
                                level_group_id = ?, search_text = ?, updated_at = ?
              WHERE id = ?",
        )
        .bind(draft.field_id)
        .bind(&draft.title)
        .bind(&draft.summary)
        .bind(&draft.video_url)
        .bind(draft.level_group_id)
        .bind(&search)
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for table in ["members", "supervisors"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE entry_id = ?"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        id
    };
    for (position, m) in draft.members.iter().enumerate() {
        sqlx::query(
            "INSERT INTO members (entry_id, position, full_name, birth_date, school, grade, level,
                                  commune, province)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(m.full_name.as_str())
        .bind(m.birth_date.to_string())
        .bind(&m.school)
        .bind(&m.grade)
        .bind(m.level.as_db())
        .bind(&m.commune)
        .bind(&m.province)
        .execute(&mut *tx)
        .await?;
    }
    for (position, s) in draft.supervisors.iter().enumerate() {
        sqlx::query(
            "INSERT INTO supervisors (entry_id, position, full_name, school, phone, email)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(s.full_name.as_str())
        .bind(&s.school)
        .bind(&s.phone)
        .bind(s.email.as_ref().map(|e| e.as_str()).unwrap_or(""))
        .execute(&mut *tx)
        .await?;
    }
    Ok(id)
}

/// Creates or updates an owner's youth entry, checked against the
/// edition's rules by the same code as the form.
pub async fn save(pool: &SqlitePool, owner: i64, form: &YouthForm) -> Result<i64, AppError> {
    let edition = if form.id == 0 {
        let rules = editions::rules(pool, form.edition_id).await?;
        if !rules.open || rules.program != Program::Youth {
            return Err(AppError::NotFound("cuộc thi".into()));
        }
        rules.check_deadline()?;
        form.edition_id
    } else {
        entries::check_can_edit(pool, owner, form.id)
            .await?
            .edition_id
    };
    let rules = editions::youth_rules(pool, edition).await?;
    let draft = validate::parse(form, &rules)?;
    let mut tx = pool.begin().await?;
    if form.id == 0 {
        entries::check_draft_room(&mut tx, edition, owner).await?;
    }
    let id = write(&mut tx, edition, owner, form.id, &draft).await?;
    super::lifecycle::keep_complete(&mut tx, Program::Youth, id).await?;
    tx.commit().await?;
    Ok(id)
}

/// A youth entry with its members and teachers, for its owner or an
/// organizer (the caller checks which).
pub async fn view(pool: &SqlitePool, owner: i64, id: i64) -> Result<YouthView, AppError> {
    let row: (
        i64,
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT e.edition_id, e.field_id, e.code, ed.name || ' lần thứ ' || ed.number,
                    f.name, e.title, e.summary, e.video_url, g.name
               FROM entries e
               JOIN editions ed ON ed.id = e.edition_id AND ed.contest_kind = 'youth'
               JOIN fields f ON f.id = e.field_id
               LEFT JOIN level_groups g ON g.id = e.level_group_id
              WHERE e.id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("sản phẩm dự thi".into()))?;
    let (edition_id, field_id, code, edition_name, field_name, title, summary, video_url, group) =
        row;
    let members: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT full_name, birth_date, school, grade, commune, province
           FROM members WHERE entry_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let supervisors: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT full_name, school, phone, email FROM supervisors WHERE entry_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let rules = editions::rules(pool, edition_id).await?;
    Ok(YouthView {
        code,
        edition_name,
        field_name,
        level_group: group.unwrap_or_default(),
        form: YouthForm {
            id,
            edition_id,
            field_id,
            title,
            summary,
            video_url,
            members: members
                .into_iter()
                .map(
                    |(full_name, birth, school, grade, commune, province)| MemberForm {
                        full_name,
                        birth_date: format_iso_date(&birth),
                        school,
                        grade,
                        commune,
                        province,
                    },
                )
                .collect(),
            supervisors: supervisors
                .into_iter()
                .map(|(full_name, school, phone, email)| SupervisorForm {
                    full_name,
                    school,
                    phone,
                    email,
                })
                .collect(),
        },
        files: super::entry_files::list(pool, id).await?,
        status: entries::status(pool, owner, id).await?,
        deadline: time::show(rules.deadline, &rules.time_zone),
    })
}
