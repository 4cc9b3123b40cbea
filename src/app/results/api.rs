//! Server function for the results; only the organizer sees them.

use leptos::prelude::*;

use super::EditionResults;
use crate::app::error::AppError;

#[server(endpoint = "get_results")]
pub async fn get_results(edition: i64) -> Result<EditionResults, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::results::compute(&state.db.read, edition).await
        }
        .await,
    )
    .await
}

/// Mails every scored entry's owner its result, once per edition.
#[server(endpoint = "announce_results")]
pub async fn announce_results(edition: i64) -> Result<usize, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let site = crate::server::mail::Site::of(&state.config);
            crate::server::mail::announce::results(&state.db.write, &site, edition).await
        }
        .await,
    )
    .await
}
