//! SQL for honors nominations: the candidate's profile and the criteria
//! ticked.

use sqlx::{SqliteConnection, SqlitePool};

use super::mail::Site;
use super::{auth, editions, entries, time};
use crate::app::auth::{CurrentUser, Role};
use crate::app::editions::Program;
use crate::app::error::AppError;
use crate::app::honors::validate::{self, Nomination};
use crate::app::honors::{NominationForm, NominationView, UnitAccount};
use crate::domain::dates::format_iso_date;
use crate::domain::text::Email;

/// Writes a checked nomination: a new one (`id` 0, with a fresh code) or
/// the profile and ticks of an existing one.
pub async fn write(
    tx: &mut SqliteConnection,
    edition: i64,
    owner: i64,
    id: i64,
    n: &Nomination,
    nominating_unit: &str,
) -> Result<i64, AppError> {
    let now = time::now_text();
    let title = n.full_name.to_string();
    let search = entries::search_text(&title, [n.workplace.as_str(), nominating_unit]);
    let id = if id == 0 {
        let code = editions::next_code(tx, edition).await?;
        sqlx::query_scalar(
            "INSERT INTO entries (edition_id, field_id, owner_id, code, title, summary, search_text,
                                  created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(edition)
        .bind(n.field_id)
        .bind(owner)
        .bind(code)
        .bind(&title)
        .bind(&n.achievements)
        .bind(&search)
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE entries SET field_id = ?, title = ?, summary = ?, search_text = ?, updated_at = ?
              WHERE id = ?",
        )
        .bind(n.field_id)
        .bind(&title)
        .bind(&n.achievements)
        .bind(&search)
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for sql in [
            "DELETE FROM candidates WHERE entry_id = ?",
            "DELETE FROM entry_checks WHERE entry_id = ?",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        id
    };
    sqlx::query(
        "INSERT INTO candidates (entry_id, full_name, birth_date, email, phone, degree, degree_date,
                                 academic_title, expertise, workplace, achievements,
                                 nominating_unit)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(n.full_name.as_str())
    .bind(n.birth_date.to_string())
    .bind(n.email.as_ref().map(Email::as_str).unwrap_or(""))
    .bind(&n.phone)
    .bind(&n.degree)
    .bind(n.degree_date.map(|d| d.to_string()))
    .bind(&n.academic_title)
    .bind(&n.expertise)
    .bind(&n.workplace)
    .bind(&n.achievements)
    .bind(nominating_unit)
    .execute(&mut *tx)
    .await?;
    for criterion in &n.checks {
        sqlx::query("INSERT INTO entry_checks (entry_id, criterion_id) VALUES (?, ?)")
            .bind(id)
            .bind(criterion)
            .execute(&mut *tx)
            .await?;
    }
    Ok(id)
}

/// Creates or updates a nomination. Units nominate; a contestant account
/// may nominate only where the edition allows self-nomination.
pub async fn save(
    pool: &SqlitePool,
    user: &CurrentUser,
    form: &NominationForm,
) -> Result<i64, AppError> {
    let edition = if form.id == 0 {
        let rules = editions::rules(pool, form.edition_id).await?;
        if !rules.open || rules.program != Program::Honors {
            return Err(AppError::NotFound("đợt tôn vinh".into()));
        }
        rules.check_deadline()?;
        form.edition_id
    } else {
        entries::check_can_edit(pool, user.id, form.id)
            .await?
            .edition_id
    };
    let rules = editions::honor_rules(pool, edition).await?;
    match user.role {
        Role::Unit => {}
        Role::Contestant if rules.self_nomination => {}
        _ => return Err(AppError::Forbidden),
    }
    let nomination = validate::parse(form, &rules)?;
    let mut tx = pool.begin().await?;
    let unit = if user.role == Role::Unit {
        user.full_name.clone()
    } else {
        "Tự đề cử".to_string()
    };
    if form.id == 0 {
        entries::check_draft_room(&mut tx, edition, user.id).await?;
    }
    let id = write(&mut tx, edition, user.id, form.id, &nomination, &unit).await?;
    super::lifecycle::keep_complete(&mut tx, Program::Honors, id).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct NominationRow {
    edition_id: i64,
    field_id: i64,
    code: String,
    edition_name: String,
    category: String,
    full_name: String,
    birth_date: String,
    email: String,
    phone: String,
    degree: String,
    degree_date: Option<String>,
    academic_title: String,
    expertise: String,
    workplace: String,
    achievements: String,
    nominating_unit: String,
}

/// A nomination with its profile, for its owner or an organizer (the
/// caller checks which).
pub async fn view(pool: &SqlitePool, viewer: i64, id: i64) -> Result<NominationView, AppError> {
    let row = sqlx::query_as::<_, NominationRow>(
        "SELECT e.edition_id, e.field_id, e.code, ed.name || ' ' || ed.year AS edition_name,
                f.name AS category, c.full_name, c.birth_date, c.email, c.phone, c.degree,
                c.degree_date, c.academic_title, c.expertise, c.workplace, c.achievements,
                c.nominating_unit
           FROM entries e
           JOIN editions ed ON ed.id = e.edition_id
           JOIN fields f ON f.id = e.field_id
           JOIN candidates c ON c.entry_id = e.id
          WHERE e.id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("hồ sơ đề cử".into()))?;
    let checks: Vec<i64> =
        sqlx::query_scalar("SELECT criterion_id FROM entry_checks WHERE entry_id = ?")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let rules = editions::rules(pool, row.edition_id).await?;
    Ok(NominationView {
        code: row.code,
        edition_name: row.edition_name,
        category: row.category,
        nominating_unit: row.nominating_unit,
        form: NominationForm {
            id,
            edition_id: row.edition_id,
            field_id: row.field_id,
            full_name: row.full_name,
            birth_date: format_iso_date(&row.birth_date),
            email: row.email,
            phone: row.phone,
            degree: row.degree,
            degree_date: row
                .degree_date
                .as_deref()
                .map(format_iso_date)
                .unwrap_or_default(),
            academic_title: row.academic_title,
            expertise: row.expertise,
            workplace: row.workplace,
            achievements: row.achievements,
            checks,
        },
        files: super::entry_files::list(pool, id).await?,
        status: entries::status(pool, viewer, id).await?,
        deadline: time::show(rules.deadline, &rules.time_zone),
    })
}

/// How long a unit's set-password link stays valid.
const UNIT_LINK_DAYS: i64 = 14;

/// Creates a nominating unit's account and a one-time link to set its
/// password.
pub async fn create_unit(
    pool: &SqlitePool,
    site: &Site,
    name: &str,
    email: &str,
) -> Result<UnitAccount, AppError> {
    let name = crate::domain::text::clean_line(name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::invalid("Tên đơn vị", "cần từ 1 đến 200 ký tự"));
    }
    let email = Email::parse(email).map_err(|e| AppError::invalid("Email", e.to_string()))?;
    let mut tx = pool.begin().await?;
    let user: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, full_name, role, created_at) VALUES (?, ?, 'unit', ?) RETURNING id",
    )
    .bind(email.as_str())
    .bind(&name)
    .bind(time::now_text())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict(_) => AppError::invalid("Email", "email này đã có tài khoản"),
        other => other,
    })?;
    let link = auth::issue_link(&mut tx, user, UNIT_LINK_DAYS, &site.public_url).await?;
    invite(&mut tx, site, &name, email.as_str(), &link).await?;
    tx.commit().await?;
    Ok(UnitAccount {
        name,
        email: email.to_string(),
        link,
    })
}

/// Mails a unit its set-password link.
async fn invite(
    conn: &mut SqliteConnection,
    site: &Site,
    name: &str,
    email: &str,
    link: &str,
) -> Result<(), AppError> {
    let values = serde_json::json!({
        "org": site.org_name,
        "name": name,
        "link": link,
        "days": UNIT_LINK_DAYS,
    });
    super::mail::enqueue(conn, "unit_invitation", email, name, &values).await
}

/// A fresh set-password link for a unit's account (the first one expired
/// or was lost); older links stop working.
pub async fn new_unit_link(
    pool: &SqlitePool,
    site: &Site,
    email: &str,
) -> Result<UnitAccount, AppError> {
    let (user, name, email): (i64, String, String) =
        sqlx::query_as("SELECT id, full_name, email FROM users WHERE email = ? AND role = 'unit'")
            .bind(email.trim())
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| AppError::NotFound("đơn vị".into()))?;
    let mut tx = pool.begin().await?;
    let link = auth::issue_link(&mut tx, user, UNIT_LINK_DAYS, &site.public_url).await?;
    invite(&mut tx, site, &name, &email, &link).await?;
    tx.commit().await?;
    Ok(UnitAccount { name, email, link })
}

/// Every unit account, by name, with how many nominations it has made.
pub async fn units(pool: &SqlitePool) -> Result<Vec<crate::app::honors::UnitLine>, AppError> {
    let rows: Vec<(String, String, bool, i64)> = sqlx::query_as(
        "SELECT u.full_name, u.email, u.password_hash IS NOT NULL,
                (SELECT COUNT(*) FROM entries e WHERE e.owner_id = u.id)
           FROM users u WHERE u.role = 'unit' ORDER BY u.full_name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(name, email, active, nominations)| crate::app::honors::UnitLine {
                name,
                email,
                active,
                nominations,
            },
        )
        .collect())
}
