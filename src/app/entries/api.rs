//! Server functions for a contestant's entries. SQL in `server::entries`.

use leptos::prelude::*;

use super::{
    DuplicateFlag, EntryAdminLine, EntryFilter, EntryForm, EntryLine, EntryStatus, EntryView,
};
use crate::app::error::AppError;

#[server(endpoint = "my_entries")]
pub async fn my_entries() -> Result<Vec<EntryLine>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Contestant).await?;
            let state = crate::server::state::app_state();
            crate::server::entries::list_for_owner(&state.db.read, user.id).await
        }
        .await,
    )
    .await
}

/// One entry, for its owner or an organizer.
#[server(endpoint = "get_entry")]
pub async fn get_entry(id: i64) -> Result<EntryView, AppError> {
    crate::server::forms::respond(
        async move {
            let user = crate::server::auth::signed_in().await?;
            let state = crate::server::state::app_state();
            crate::server::entries::check_can_read(&state.db.read, &user, id).await?;
            crate::server::entries::view(&state.db.read, id).await
        }
        .await,
    )
    .await
}

/// Creates (id 0) or updates an entry; refused after the deadline.
#[server(endpoint = "save_entry")]
pub async fn save_entry(entry: EntryForm) -> Result<i64, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Contestant).await?;
            let state = crate::server::state::app_state();
            let id = crate::server::entries::save(&state.db.write, user.id, &entry).await?;
            let draft = crate::app::drafts::draft_key("technical", entry.edition_id, entry.id);
            crate::server::drafts::discard(&state.db.write, user.id, &draft).await?;
            tracing::info!(entry.id = id, user.id = user.id, "entry saved");
            if entry.id == 0 {
                leptos_axum::redirect(&format!("/thi-sinh/giai-phap/{id}"));
            }
            Ok(id)
        }
        .await,
    )
    .await
}

/// Marks an entry submitted, so judges see it. Needs the description file.
#[server(endpoint = "submit_entry")]
pub async fn submit_entry(id: i64) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Contestant).await?;
            let state = crate::server::state::app_state();
            crate::server::lifecycle::apply(
                &state.db.write,
                &crate::server::mail::Site::of(&state.config),
                &user,
                id,
                crate::domain::lifecycle::Action::Submit,
                "",
                "",
            )
            .await?;
            tracing::info!(entry.id = id, user.id = user.id, "entry submitted");
            Ok(())
        }
        .await,
    )
    .await
}

/// An edition's entries, drafts included, filtered, for the organizer.
#[server(endpoint = "edition_entries")]
pub async fn edition_entries(
    edition: i64,
    #[server(default)] filter: EntryFilter,
) -> Result<Vec<EntryAdminLine>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::entries::list_for_edition(&state.db.read, edition, &filter).await
        }
        .await,
    )
    .await
}

/// Possible duplicates among an edition's entries, for the organizer.
#[server(endpoint = "edition_duplicates")]
pub async fn edition_duplicates(edition: i64) -> Result<Vec<DuplicateFlag>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::duplicates::find(&state.db.read, edition).await
        }
        .await,
    )
    .await
}

/// Where an entry stands and its history, for its owner or an organizer.
#[server(endpoint = "get_entry_status")]
pub async fn get_entry_status(id: i64) -> Result<EntryStatus, AppError> {
    crate::server::forms::respond(
        async move {
            let user = crate::server::auth::signed_in().await?;
            let state = crate::server::state::app_state();
            crate::server::entries::check_can_read(&state.db.read, &user, id).await?;
            crate::server::entries::status(&state.db.read, user.id, id).await
        }
        .await,
    )
    .await
}

/// Moves an entry through its lifecycle: the owner submits (`submit`); the
/// organizer returns it for completion (`return`, with a reason and a due
/// date dd/mm/yyyy), accepts it (`accept`) or rejects it (`reject`, with a
/// reason).
#[server(endpoint = "change_entry_state")]
pub async fn change_entry_state(
    id: i64,
    action: String,
    #[server(default)] reason: String,
    #[server(default)] due: String,
) -> Result<String, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::domain::lifecycle::Action;
            let user = crate::server::auth::signed_in().await?;
            let action = match action.as_str() {
                "submit" => Action::Submit,
                "return" => Action::Return,
                "accept" => Action::Accept,
                "reject" => Action::Reject,
                _ => return Err(AppError::BadRequest),
            };
            let state = crate::server::state::app_state();
            let to = crate::server::lifecycle::apply(
                &state.db.write,
                &crate::server::mail::Site::of(&state.config),
                &user,
                id,
                action,
                &reason,
                &due,
            )
            .await?;
            Ok(to.label().to_string())
        }
        .await,
    )
    .await
}

/// Deletes a draft that was never submitted, with its file.
#[server(endpoint = "delete_draft")]
pub async fn delete_draft(id: i64) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::signed_in().await?;
            if !matches!(user.role, Role::Contestant | Role::Unit) {
                return Err(AppError::Forbidden);
            }
            let state = crate::server::state::app_state();
            crate::server::entries::delete_draft(&state.db.write, &state.config, user.id, id)
                .await?;
            tracing::info!(entry.id = id, user.id = user.id, "draft deleted");
            leptos_axum::redirect(user.role.home());
            Ok(())
        }
        .await,
    )
    .await
}

/// The receipt of an entry, for its owner or an organizer.
#[server(endpoint = "get_receipt")]
pub async fn get_receipt(id: i64) -> Result<super::Receipt, AppError> {
    crate::server::forms::respond(
        async move {
            let user = crate::server::auth::signed_in().await?;
            let state = crate::server::state::app_state();
            crate::server::entries::check_can_read(&state.db.read, &user, id).await?;
            crate::server::receipt::receipt(&state.db.read, &state.config.letterhead(), id).await
        }
        .await,
    )
    .await
}
