//! The demo youth contest: an edition with the usual rules, three group
//! entries with a photo each, two submitted and one returned for
//! completion.

use serde::Deserialize;
use sqlx::SqlitePool;

use super::{DemoAccount, DemoEdition, Person, account, edition, user_id};
use crate::app::auth::CurrentUser;
use crate::app::editions::Program;
use crate::app::error::AppError;
use crate::app::youth::{MemberForm, SupervisorForm, YouthForm};
use crate::domain::lifecycle::Action;
use crate::server::config::Config;
use crate::server::{auth, editions, entry_files, lifecycle, time};

const DATA: &str = include_str!("../../../demo/youth.json");
const PHOTO_PNG: &[u8] = include_bytes!("../../../demo/anh-san-pham.png");

#[derive(Deserialize)]
struct Demo {
    edition: DemoEdition,
    contestants: Vec<Person>,
    entries: Vec<DemoEntry>,
}

#[derive(Deserialize)]
struct DemoEntry {
    owner: String,
    field: usize,
    title: String,
    summary: String,
    video_url: String,
    members: Vec<MemberForm>,
    supervisors: Vec<SupervisorForm>,
    /// `submit`, `return` (with `reason`) or `draft`.
    then: String,
    #[serde(default)]
    reason: String,
}

/// Loads the youth edition once; renews the contestants' passwords.
pub async fn load(
    pool: &SqlitePool,
    config: &Config,
    organizer: &CurrentUser,
) -> Result<Vec<DemoAccount>, AppError> {
    let demo: Demo = serde_json::from_str(DATA)
        .map_err(|e| crate::server::error::internal("demo youth data is invalid", e))?;
    let mut accounts = Vec::new();
    for person in &demo.contestants {
        accounts.push(account(pool, person, "contestant").await?);
    }
    let (edition, created) = edition(pool, Program::Youth, &demo.edition).await?;
    if !created {
        return Ok(accounts);
    }
    let fields = editions::fields(pool, edition).await?;
    for entry in &demo.entries {
        let owner = user_id(pool, &entry.owner).await?;
        let form = YouthForm {
            id: 0,
            edition_id: edition,
            field_id: fields[entry.field].id,
            title: entry.title.clone(),
            summary: entry.summary.clone(),
            video_url: entry.video_url.clone(),
            members: entry.members.clone(),
            supervisors: entry.supervisors.clone(),
        };
        let id = crate::server::youth::save(pool, owner, &form).await?;
        entry_files::add(
            pool,
            config,
            id,
            owner,
            "photo",
            None,
            "anh-san-pham.png",
            PHOTO_PNG,
        )
        .await?;
        if entry.then == "draft" {
            continue;
        }
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
        if entry.then == "return" {
            let due = (time::now() + chrono::Duration::days(14))
                .with_timezone(&time::zone(time::DEFAULT_ZONE))
                .date_naive();
            let due = crate::domain::dates::format_date(due);
            lifecycle::apply(
                pool,
                &crate::server::mail::Site::of(config),
                organizer,
                id,
                Action::Return,
                &entry.reason,
                &due,
            )
            .await?;
        }
    }
    Ok(accounts)
}
