//! Server functions for the panel of judges; only the organizer calls them.

use leptos::prelude::*;

use super::{ImportOutcome, ImportReport, InviteLink, JudgeItem};
use crate::app::error::AppError;

#[server(endpoint = "list_judges")]
pub async fn list_judges(edition: i64) -> Result<Vec<JudgeItem>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::judges::list(&state.db.read, edition).await
        }
        .await,
    )
    .await
}

/// What importing an uploaded (staged) judge list would do; writes nothing.
#[server(endpoint = "preview_judge_import")]
pub async fn preview_judge_import(edition: i64, token: String) -> Result<ImportReport, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let path = crate::server::files::staged_path(&state.config, edition, &token)?;
            let mut report =
                tokio::task::spawn_blocking(move || crate::server::judges_import::read(&path))
                    .await
                    .map_err(|e| {
                        crate::server::error::internal("reading a judge list panicked", e)
                    })??;
            crate::server::judges_import::vet(&state.db.read, &mut report).await?;
            Ok(report)
        }
        .await,
    )
    .await
}

/// Writes a previewed judge list, in one transaction.
#[server(endpoint = "confirm_judge_import")]
pub async fn confirm_judge_import(edition: i64, token: String) -> Result<ImportOutcome, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            use crate::server::{files, judges_import};
            let user = crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::editions::rules(&state.db.read, edition).await?;
            let path = files::staged_path(&state.config, edition, &token)?;
            let read_path = path.clone();
            let mut report = tokio::task::spawn_blocking(move || judges_import::read(&read_path))
                .await
                .map_err(|e| {
                    crate::server::error::internal("reading a judge list panicked", e)
                })??;
            judges_import::vet(&state.db.write, &mut report).await?;
            let outcome = judges_import::apply(
                &state.db.write,
                &crate::server::mail::Site::of(&state.config),
                edition,
                report,
            )
            .await?;
            let _ = tokio::fs::remove_file(&path).await;
            tracing::info!(
                edition.id = edition,
                user.id = user.id,
                imported = outcome.report.imported,
                "judges imported"
            );
            crate::server::invites::remember(&outcome.links).await?;
            leptos_axum::redirect(&format!("/to-chuc/ky-thi/{edition}/giam-khao"));
            Ok(outcome)
        }
        .await,
    )
    .await
}

/// Drops an uploaded judge list without writing anything.
#[server(endpoint = "cancel_judge_import")]
pub async fn cancel_judge_import(edition: i64, token: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let path = crate::server::files::staged_path(&state.config, edition, &token)?;
            let _ = tokio::fs::remove_file(path).await;
            leptos_axum::redirect(&format!("/to-chuc/ky-thi/{edition}/giam-khao"));
            Ok(())
        }
        .await,
    )
    .await
}

#[server(endpoint = "assign_field")]
pub async fn assign_field(judge: i64, field: i64) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::judges::assign(
                &state.db.write,
                &crate::server::mail::Site::of(&state.config),
                judge,
                field,
            )
            .await
        }
        .await,
    )
    .await
}

#[server(endpoint = "unassign_field")]
pub async fn unassign_field(judge: i64, field: i64) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::judges::unassign(&state.db.write, judge, field).await
        }
        .await,
    )
    .await
}

/// A fresh one-time link for a judge to set a password; older links stop working.
#[server(endpoint = "new_invite_link")]
pub async fn new_invite_link(judge: i64) -> Result<String, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let link = crate::server::judges::new_invite_link(
                &state.db.write,
                &crate::server::mail::Site::of(&state.config),
                judge,
            )
            .await?;
            crate::server::invites::remember(std::slice::from_ref(&link)).await?;
            Ok(link.url)
        }
        .await,
    )
    .await
}

/// The set-password links this organizer made and has not dismissed.
#[server(endpoint = "pending_invite_links")]
pub async fn pending_invite_links() -> Result<Vec<InviteLink>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::invites::pending(&state.db.read).await
        }
        .await,
    )
    .await
}

#[server(endpoint = "dismiss_invite_links")]
pub async fn dismiss_invite_links() -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            crate::server::invites::dismiss().await
        }
        .await,
    )
    .await
}
