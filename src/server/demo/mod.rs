//! `sangtao demo`: loads one edition of each program (the technical
//! contest, the youth contest, the honors) from the data committed in
//! `demo/` (embedded in the binary) through the same code the app uses,
//! and gives the demo accounts fresh generated passwords. Safe to run
//! again: each edition is loaded once, the passwords renewed each time.

mod honors;
mod youth;

use rand::distributions::{Alphanumeric, DistString};
use serde::Deserialize;
use sqlx::SqlitePool;

use super::config::Config;
use super::{auth, editions, entries, files, judges_import, judging, lifecycle, time};
use crate::app::editions::{NewEdition, Program};
use crate::app::entries::{AuthorForm, EntryForm};
use crate::app::error::AppError;
use crate::app::judging::ScoreInput;
use crate::domain::lifecycle::Action;

const DATA: &str = include_str!("../../../demo/demo.json");
const JUDGES_XLSX: &[u8] = include_bytes!("../../../demo/judges.xlsx");
const DESCRIPTION_PDF: &[u8] = include_bytes!("../../../demo/thuyet-minh-mau.pdf");

#[derive(Deserialize)]
struct Demo {
    edition: DemoEdition,
    organizer: Person,
    contestants: Vec<Person>,
    entries: Vec<DemoEntry>,
    assignments: Vec<Assignment>,
    scores: Vec<Score>,
}

#[derive(Deserialize)]
struct Person {
    full_name: String,
    email: String,
}

#[derive(Deserialize)]
struct DemoEntry {
    owner: String,
    field: usize,
    title: String,
    summary: String,
    applied_since: String,
    applying_unit: String,
    authors: Vec<AuthorForm>,
}

#[derive(Deserialize)]
struct Assignment {
    judge: String,
    fields: Vec<usize>,
}

#[derive(Deserialize)]
struct Score {
    entry: usize,
    judge: String,
    points: Vec<String>,
    submit: bool,
}

/// A sign-in the demo prints.
pub struct DemoAccount {
    pub role: &'static str,
    pub email: String,
    pub password: String,
}

fn generated_password() -> String {
    Alphanumeric.sample_string(&mut rand::thread_rng(), 14)
}

async fn user_id(pool: &SqlitePool, email: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
        .bind(email)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("tài khoản {email}")))
}

/// Creates the account if needed and sets a fresh password on it.
async fn account(
    pool: &SqlitePool,
    person: &Person,
    role: &'static str,
) -> Result<DemoAccount, AppError> {
    let password = generated_password();
    let hash = auth::hash_password(&password)?;
    sqlx::query(
        "INSERT INTO users (email, full_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash",
    )
    .bind(&person.email)
    .bind(&person.full_name)
    .bind(role)
    .bind(&hash)
    .bind(time::now_text())
    .execute(pool)
    .await?;
    // The password is set here, not through a link: the invitation the
    // judges import sent must stop working, as it would once used.
    sqlx::query(
        "DELETE FROM password_tokens WHERE used_at IS NULL
            AND user_id = (SELECT id FROM users WHERE email = ?)",
    )
    .bind(&person.email)
    .execute(pool)
    .await?;
    Ok(DemoAccount {
        role,
        email: person.email.clone(),
        password,
    })
}

/// Loads the demo and returns the accounts to print.
pub async fn load(pool: &SqlitePool, config: &Config) -> Result<Vec<DemoAccount>, AppError> {
    let demo: Demo = serde_json::from_str(DATA)
        .map_err(|e| super::error::internal("demo data is invalid", e))?;
    let mut accounts = vec![account(pool, &demo.organizer, "organizer").await?];
    for person in &demo.contestants {
        accounts.push(account(pool, person, "contestant").await?);
    }

    let (edition, created) = edition(pool, Program::Technical, &demo.edition).await?;
    if created {
        load_entries(pool, config, &demo, edition).await?;
    }

    let judge_email = &demo.assignments[0].judge;
    let judge_name: String = sqlx::query_scalar("SELECT full_name FROM users WHERE email = ?")
        .bind(judge_email)
        .fetch_one(pool)
        .await?;
    let judge = Person {
        full_name: judge_name,
        email: judge_email.clone(),
    };
    accounts.push(account(pool, &judge, "judge").await?);

    let organizer = user_id(pool, &demo.organizer.email).await?;
    let organizer = auth::load_user(pool, organizer)
        .await?
        .ok_or(AppError::Internal)?;
    accounts.extend(youth::load(pool, config, &organizer).await?);
    accounts.extend(honors::load(pool, config, &organizer).await?);
    Ok(accounts)
}

/// An edition as the demo data gives it.
#[derive(Deserialize)]
struct DemoEdition {
    name: String,
    number: i64,
    year: i64,
    /// The reference date for ages (youth and honors), dd/mm/yyyy.
    #[serde(default)]
    age_on: String,
    deadline_days_from_now: i64,
}

/// Creates and opens the program's edition from the data unless one with
/// that number exists; returns its id and whether it was created now.
async fn edition(
    pool: &SqlitePool,
    program: Program,
    data: &DemoEdition,
) -> Result<(i64, bool), AppError> {
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM editions WHERE contest_kind = ? AND number = ?")
            .bind(program.as_db())
            .bind(data.number)
            .fetch_optional(pool)
            .await?;
    if let Some(id) = exists {
        return Ok((id, false));
    }
    // Offices close registration at 17:00 Vietnam time.
    let day = (time::now() + chrono::Duration::days(data.deadline_days_from_now))
        .with_timezone(&time::zone(time::DEFAULT_ZONE))
        .date_naive();
    let form = NewEdition {
        name: data.name.clone(),
        number: data.number.to_string(),
        year: data.year.to_string(),
        deadline: format!("{} 17:00", crate::domain::dates::format_date(day)),
        age_on: data.age_on.clone(),
        ..NewEdition::for_program(program)
    };
    let id = editions::create(pool, &editions::EditionSetup::parse(&form)?).await?;
    editions::open_registration(pool, id).await?;
    Ok((id, true))
}

/// The technical contest's entries, judges and scores.
async fn load_entries(
    pool: &SqlitePool,
    config: &Config,
    demo: &Demo,
    edition: i64,
) -> Result<(), AppError> {
    let fields = editions::fields(pool, edition).await?;

    let mut entry_ids = Vec::new();
    for entry in &demo.entries {
        let owner = user_id(pool, &entry.owner).await?;
        let form = EntryForm {
            id: 0,
            edition_id: edition,
            field_id: fields[entry.field].id,
            title: entry.title.clone(),
            summary: entry.summary.clone(),
            applied_since: entry.applied_since.clone(),
            applying_unit: entry.applying_unit.clone(),
            authors: entry.authors.clone(),
        };
        let id = entries::save(pool, owner, &form).await?;
        let stored = files::store(config, DESCRIPTION_PDF, "pdf").await?;
        sqlx::query(
            "INSERT INTO files (stored_name, original_name, content_type, size_bytes, uploaded_by, created_at)
             VALUES (?, 'thuyet-minh.pdf', 'application/pdf', ?, ?, ?)",
        )
        .bind(&stored)
        .bind(DESCRIPTION_PDF.len() as i64)
        .bind(owner)
        .bind(time::now_text())
        .execute(pool)
        .await?;
        sqlx::query("UPDATE entries SET description_file_id = last_insert_rowid() WHERE id = ?")
            .bind(id)
            .execute(pool)
            .await?;
        let owner_user = auth::load_user(pool, owner)
            .await?
            .ok_or(AppError::Internal)?;
        lifecycle::apply(
            pool,
            &crate::server::mail::Site::of(config),
            &owner_user,
            id,
            Action::Submit,
            "",
            "",
        )
        .await?;
        entry_ids.push(id);
    }

    let staged = files::stage(config, edition, JUDGES_XLSX, "xlsx").await?;
    let path = files::staged_path(config, edition, &staged)?;
    let report = judges_import::read(&path)?;
    judges_import::apply(
        pool,
        &crate::server::mail::Site::of(config),
        edition,
        report,
    )
    .await?;
    let _ = tokio::fs::remove_file(path).await;

    for assignment in &demo.assignments {
        let judge: i64 = sqlx::query_scalar(
            "SELECT j.id FROM judges j JOIN users u ON u.id = j.user_id WHERE j.edition_id = ? AND u.email = ?",
        )
        .bind(edition)
        .bind(&assignment.judge)
        .fetch_one(pool)
        .await?;
        for &field in &assignment.fields {
            super::judges::assign(
                pool,
                &crate::server::mail::Site::of(config),
                judge,
                fields[field].id,
            )
            .await?;
        }
    }

    let criteria = editions::criteria(pool, edition).await?;
    for score in &demo.scores {
        let judge = user_id(pool, &score.judge).await?;
        let entry = entry_ids[score.entry];
        let input: Vec<ScoreInput> = criteria
            .iter()
            .zip(&score.points)
            .map(|(c, p)| ScoreInput {
                criterion_id: c.id,
                points: p.clone(),
            })
            .collect();
        judging::save(pool, judge, entry, None, &input).await?;
        if score.submit {
            judging::submit(pool, judge, entry, None).await?;
        }
    }
    Ok(())
}
