//! Server functions for youth entries. SQL in `server::youth`.

use leptos::prelude::*;

use super::{YouthForm, YouthRules, YouthView};
use crate::app::error::AppError;

/// The rules of an open youth edition, for the form to check as one types.
#[server(endpoint = "get_youth_rules")]
pub async fn get_youth_rules(edition: i64) -> Result<YouthRules, AppError> {
    crate::server::forms::respond(
        async move {
            let state = crate::server::state::app_state();
            let rules = crate::server::editions::rules(&state.db.read, edition).await?;
            if !rules.open {
                crate::server::auth::require(crate::app::auth::Role::Organizer).await?;
            }
            crate::server::editions::youth_rules(&state.db.read, edition).await
        }
        .await,
    )
    .await
}

/// Creates (id 0) or updates a youth entry of the signed-in contestant.
#[server(endpoint = "save_youth_entry")]
pub async fn save_youth_entry(entry: YouthForm) -> Result<i64, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Contestant).await?;
            let state = crate::server::state::app_state();
            let id = crate::server::youth::save(&state.db.write, user.id, &entry).await?;
            let draft = crate::app::drafts::draft_key("youth", entry.edition_id, entry.id);
            crate::server::drafts::discard(&state.db.write, user.id, &draft).await?;
            tracing::info!(entry.id = id, user.id = user.id, "youth entry saved");
            if entry.id == 0 {
                leptos_axum::redirect(&format!("/ho-so/san-pham/{id}"));
            }
            Ok(id)
        }
        .await,
    )
    .await
}

/// One youth entry, for its owner or an organizer.
#[server(endpoint = "get_youth_entry")]
pub async fn get_youth_entry(id: i64) -> Result<YouthView, AppError> {
    crate::server::forms::respond(
        async move {
            let user = crate::server::auth::signed_in().await?;
            let state = crate::server::state::app_state();
            crate::server::entries::check_can_read(&state.db.read, &user, id).await?;
            crate::server::youth::view(&state.db.read, user.id, id).await
        }
        .await,
    )
    .await
}
