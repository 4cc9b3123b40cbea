//! Server functions for judges. SQL in `server::judging`.

use leptos::prelude::*;

use super::{Assignment, ScoreInput, SheetView};
use crate::app::error::AppError;

#[server(endpoint = "my_assignments")]
pub async fn my_assignments() -> Result<Vec<Assignment>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::judging::assignments(&state.db.read, user.id).await
        }
        .await,
    )
    .await
}

/// The judge's own sheet for an entry of one of their fields.
#[server(endpoint = "get_sheet")]
pub async fn get_sheet(entry: i64) -> Result<SheetView, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::judging::sheet(&state.db.read, user.id, entry).await
        }
        .await,
    )
    .await
}

/// Saves the typed scores; a blank score stays unscored. With `submit`,
/// then locks the sheet, so what is locked is exactly what was on screen.
#[server(endpoint = "save_scores")]
pub async fn save_scores(
    entry: i64,
    #[server(default)] scores: Vec<ScoreInput>,
    #[server(default)] submit: bool,
) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::judging::save(&state.db.write, user.id, entry, &scores).await?;
            if submit {
                crate::server::judging::submit(&state.db.write, user.id, entry).await?;
                tracing::info!(entry.id = entry, user.id = user.id, "score sheet submitted");
            }
            Ok(())
        }
        .await,
    )
    .await
}

/// Locks the sheet; every criterion must be scored.
#[server(endpoint = "submit_sheet")]
pub async fn submit_sheet(entry: i64) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::judging::submit(&state.db.write, user.id, entry).await?;
            tracing::info!(entry.id = entry, user.id = user.id, "score sheet submitted");
            Ok(())
        }
        .await,
    )
    .await
}
