//! Server functions for honors nominations. SQL in `server::honors`.

use leptos::prelude::*;

use super::{HonorRules, NominationForm, NominationView, UnitAccount};
use crate::app::entries::EntryLine;
use crate::app::error::AppError;

/// The categories and rules of an open honors edition.
#[server(endpoint = "get_honor_rules")]
pub async fn get_honor_rules(edition: i64) -> Result<HonorRules, AppError> {
    crate::server::forms::respond(
        async move {
            let state = crate::server::state::app_state();
            let rules = crate::server::editions::rules(&state.db.read, edition).await?;
            if !rules.open {
                crate::server::auth::require(crate::app::auth::Role::Organizer).await?;
            }
            crate::server::editions::honor_rules(&state.db.read, edition).await
        }
        .await,
    )
    .await
}

/// Creates (id 0) or updates a nomination of the signed-in unit (or, where
/// the edition allows it, a person nominating themselves).
#[server(endpoint = "save_nomination")]
pub async fn save_nomination(nomination: NominationForm) -> Result<i64, AppError> {
    crate::server::forms::respond(
        async move {
            let user = crate::server::auth::signed_in().await?;
            let state = crate::server::state::app_state();
            let id = crate::server::honors::save(&state.db.write, &user, &nomination).await?;
            let draft =
                crate::app::drafts::draft_key("honors", nomination.edition_id, nomination.id);
            crate::server::drafts::discard(&state.db.write, user.id, &draft).await?;
            tracing::info!(entry.id = id, user.id = user.id, "nomination saved");
            if nomination.id == 0 {
                leptos_axum::redirect(&format!("/ho-so/de-cu/{id}"));
            }
            Ok(id)
        }
        .await,
    )
    .await
}

/// One nomination, for the unit that made it or an organizer; another
/// unit is told it does not exist.
#[server(endpoint = "get_nomination")]
pub async fn get_nomination(id: i64) -> Result<NominationView, AppError> {
    crate::server::forms::respond(
        async move {
            let user = crate::server::auth::signed_in().await?;
            let state = crate::server::state::app_state();
            crate::server::entries::check_can_read(&state.db.read, &user, id).await?;
            crate::server::honors::view(&state.db.read, user.id, id).await
        }
        .await,
    )
    .await
}

/// The signed-in unit's nominations.
#[server(endpoint = "my_nominations")]
pub async fn my_nominations() -> Result<Vec<EntryLine>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Unit).await?;
            let state = crate::server::state::app_state();
            crate::server::entries::list_for_owner(&state.db.read, user.id).await
        }
        .await,
    )
    .await
}

/// The organizer creates a nominating unit's account; the answer carries
/// the one-time link to set its password.
#[server(endpoint = "create_unit")]
pub async fn create_unit(name: String, email: String) -> Result<UnitAccount, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let account = crate::server::honors::create_unit(
                &state.db.write,
                &crate::server::mail::Site::of(&state.config),
                &name,
                &email,
            )
            .await?;
            remember_link(&account).await?;
            Ok(account)
        }
        .await,
    )
    .await
}

/// The organizer replaces a category's checklist, one criterion a line.
#[server(endpoint = "save_checklist")]
pub async fn save_checklist(field: i64, text: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::editions::save_checklist(&state.db.write, field, &text).await
        }
        .await,
    )
    .await
}

/// The nominating units' accounts, for the organizer.
#[server(endpoint = "list_units")]
pub async fn list_units() -> Result<Vec<super::UnitLine>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::honors::units(&state.db.read).await
        }
        .await,
    )
    .await
}

/// A fresh set-password link for a unit; older links stop working.
#[server(endpoint = "new_unit_link")]
pub async fn new_unit_link(email: String) -> Result<UnitAccount, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let account = crate::server::honors::new_unit_link(
                &state.db.write,
                &crate::server::mail::Site::of(&state.config),
                &email,
            )
            .await?;
            remember_link(&account).await?;
            Ok(account)
        }
        .await,
    )
    .await
}

/// Keeps a unit's link in the organizer's session with the judges' links,
/// so that it shows after a reload and without JavaScript.
#[cfg(feature = "ssr")]
async fn remember_link(account: &UnitAccount) -> Result<(), AppError> {
    crate::server::invites::remember(&[crate::app::judges::InviteLink {
        full_name: account.name.clone(),
        email: account.email.clone(),
        url: account.link.clone(),
    }])
    .await
}
