//! The demo honors edition: two nominating units and three nominations
//! with evidence, one submitted, one still a draft, one accepted, and a
//! selection council part way through its secret ballot.

use serde::Deserialize;
use sqlx::SqlitePool;

use super::{DemoAccount, DemoEdition, Person, account, edition, user_id};
use crate::app::auth::CurrentUser;
use crate::app::editions::Program;
use crate::app::error::AppError;
use crate::app::honors::NominationForm;
use crate::domain::ballot::Choice;
use crate::domain::lifecycle::Action;
use crate::server::config::Config;
use crate::server::{auth, editions, entry_files, lifecycle};

const DATA: &str = include_str!("../../../demo/honors.json");
const EVIDENCE_PDF: &[u8] = include_bytes!("../../../demo/thuyet-minh-mau.pdf");

#[derive(Deserialize)]
struct Demo {
    edition: DemoEdition,
    units: Vec<Person>,
    nominations: Vec<DemoNomination>,
}

#[derive(Deserialize)]
struct DemoNomination {
    unit: String,
    category: usize,
    full_name: String,
    birth_date: String,
    email: String,
    phone: String,
    degree: String,
    degree_date: String,
    academic_title: String,
    expertise: String,
    workplace: String,
    achievements: String,
    /// Positions in the category's checklist.
    checks: Vec<usize>,
    /// `submit`, `accept` or `draft`.
    then: String,
}

/// Loads the honors edition once; renews the units' passwords.
pub async fn load(
    pool: &SqlitePool,
    config: &Config,
    organizer: &CurrentUser,
) -> Result<Vec<DemoAccount>, AppError> {
    let demo: Demo = serde_json::from_str(DATA)
        .map_err(|e| crate::server::error::internal("demo honors data is invalid", e))?;
    let mut accounts = Vec::new();
    for unit in &demo.units {
        accounts.push(account(pool, unit, "unit").await?);
    }
    let (edition, created) = edition(pool, Program::Honors, &demo.edition).await?;
    if !created {
        return Ok(accounts);
    }
    let categories = editions::categories(pool, edition).await?;
    for n in &demo.nominations {
        let unit = user_id(pool, &n.unit).await?;
        let unit = auth::load_user(pool, unit)
            .await?
            .ok_or(AppError::Internal)?;
        let category = &categories[n.category];
        let checks: Vec<i64> = n.checks.iter().map(|&i| category.criteria[i].id).collect();
        let form = NominationForm {
            id: 0,
            edition_id: edition,
            field_id: category.id,
            full_name: n.full_name.clone(),
            birth_date: n.birth_date.clone(),
            email: n.email.clone(),
            phone: n.phone.clone(),
            degree: n.degree.clone(),
            degree_date: n.degree_date.clone(),
            academic_title: n.academic_title.clone(),
            expertise: n.expertise.clone(),
            workplace: n.workplace.clone(),
            achievements: n.achievements.clone(),
            checks: checks.clone(),
        };
        let id = crate::server::honors::save(pool, &unit, &form).await?;
        for criterion in checks {
            entry_files::add(
                pool,
                config,
                id,
                unit.id,
                "evidence",
                Some(criterion),
                "minh-chung.pdf",
                EVIDENCE_PDF,
            )
            .await?;
        }
        if n.then == "draft" {
            continue;
        }
        lifecycle::apply(
            pool,
            &crate::server::mail::Site::of(config),
            &unit,
            id,
            Action::Submit,
            "",
            "",
        )
        .await?;
        if n.then == "accept" {
            lifecycle::apply(
                pool,
                &crate::server::mail::Site::of(config),
                organizer,
                id,
                Action::Accept,
                "",
                "",
            )
            .await?;
        }
    }
    selection_council(pool, edition).await?;
    Ok(accounts)
}

/// The selection council: three of the technical contest's judges, two of
/// whom have already voted on every candidate. The demo judge votes last,
/// then the organizer can close the ballot and read the minutes.
async fn selection_council(pool: &SqlitePool, edition: i64) -> Result<(), AppError> {
    let members = [
        ("ha.nguyen@example.org", "GK01", "Chủ tịch hội đồng"),
        ("phuc.tran@example.com", "GK02", "Ủy viên"),
        ("chau.le@example.com", "GK03", "Thư ký"),
    ];
    let round: i64 =
        sqlx::query_scalar("SELECT id FROM rounds WHERE edition_id = ? AND kind = 'final'")
            .bind(edition)
            .fetch_one(pool)
            .await?;
    let council =
        crate::server::councils::create(pool, round, "Hội đồng xét chọn", None, None).await?;
    let mut users = Vec::new();
    for (email, code, role) in members {
        let user = user_id(pool, email).await?;
        let judge: i64 = sqlx::query_scalar(
            "INSERT INTO judges (edition_id, user_id, code, council_role) VALUES (?, ?, ?, ?)
             RETURNING id",
        )
        .bind(edition)
        .bind(user)
        .bind(code)
        .bind(role)
        .fetch_one(pool)
        .await?;
        let mut conn = pool.acquire().await?;
        crate::server::councils::add_member(&mut conn, council, judge).await?;
        users.push(user);
    }
    let candidates: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT entry_id FROM judge_scope WHERE council_id = ? ORDER BY entry_id",
    )
    .bind(council)
    .fetch_all(pool)
    .await?;
    for (user, choice) in users[1..].iter().zip([Choice::Agree, Choice::Abstain]) {
        for &entry in &candidates {
            crate::server::ballots::cast(pool, *user, entry, choice).await?;
        }
    }
    Ok(())
}
