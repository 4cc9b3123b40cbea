//! Server functions for editions. Their SQL lives in `server::editions`.

use leptos::prelude::*;

use super::{EditionDetail, EditionSummary, NewEdition};
use crate::app::error::AppError;

/// Editions open for registration, for everyone.
#[server(endpoint = "public_editions")]
pub async fn public_editions() -> Result<Vec<EditionSummary>, AppError> {
    crate::server::forms::respond(
        async move {
            let state = crate::server::state::app_state();
            let all = crate::server::editions::list(&state.db.read).await?;
            Ok(all.into_iter().filter(|e| e.open).collect())
        }
        .await,
    )
    .await
}

/// Every edition, for the organizer.
#[server(endpoint = "list_editions")]
pub async fn list_editions() -> Result<Vec<EditionSummary>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::editions::list(&state.db.read).await
        }
        .await,
    )
    .await
}

/// One edition's setup. Anyone may read an open edition (its rules are
/// public); only the organizer a draft one, and only the organizer sees
/// how many entries and judges it has.
#[server(endpoint = "get_edition")]
pub async fn get_edition(id: i64) -> Result<EditionDetail, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::current_user().await?;
            let organizer = user.is_some_and(|u| u.role == Role::Organizer);
            let state = crate::server::state::app_state();
            let mut detail = crate::server::editions::detail(&state.db.read, id).await?;
            if !organizer {
                if !detail.summary.open {
                    return Err(AppError::NotFound("kỳ thi".into()));
                }
                detail.entry_count = 0;
                detail.judge_count = 0;
            }
            Ok(detail)
        }
        .await,
    )
    .await
}

#[server(endpoint = "create_edition")]
pub async fn create_edition(edition: NewEdition) -> Result<i64, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let setup = crate::server::editions::EditionSetup::parse(&edition)?;
            let id = crate::server::editions::create(&state.db.write, &setup).await?;
            tracing::info!(edition.id = id, user.id = user.id, "edition created");
            leptos_axum::redirect(&format!("/to-chuc/ky-thi/{id}"));
            Ok(id)
        }
        .await,
    )
    .await
}

#[server(endpoint = "open_registration")]
pub async fn open_registration(id: i64) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::editions::open_registration(&state.db.write, id).await?;
            tracing::info!(edition.id = id, "registration opened");
            Ok(())
        }
        .await,
    )
    .await
}

/// Moves the registration deadline (local time of the edition's zone).
#[server(endpoint = "set_deadline")]
pub async fn set_deadline(id: i64, deadline: String) -> Result<String, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::editions::set_deadline(&state.db.write, id, &deadline).await
        }
        .await,
    )
    .await
}
