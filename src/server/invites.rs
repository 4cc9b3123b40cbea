//! Set-password links the organizer has just made, kept in their session
//! until they dismiss them. Only a hash of each token is in the database,
//! so the session is the one place the links can be shown again from: after
//! a reload, or when the page was submitted without JavaScript.

use tower_sessions::Session;

use crate::app::error::AppError;
use crate::app::judges::InviteLink;

const KEY: &str = "invite_links";

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| super::error::internal("no session layer", e))
}

/// Adds links to the organizer's list, newest last.
pub async fn remember(links: &[InviteLink]) -> Result<(), AppError> {
    if links.is_empty() {
        return Ok(());
    }
    let session = session().await?;
    let mut kept: Vec<InviteLink> = session.get(KEY).await?.unwrap_or_default();
    // A newer link for the same person replaces the older one, which no
    // longer works anyway.
    kept.retain(|old| !links.iter().any(|new| new.email == old.email));
    kept.extend_from_slice(links);
    session.insert(KEY, kept).await?;
    Ok(())
}

pub async fn pending() -> Result<Vec<InviteLink>, AppError> {
    Ok(session().await?.get(KEY).await?.unwrap_or_default())
}

pub async fn dismiss() -> Result<(), AppError> {
    session().await?.remove::<Vec<InviteLink>>(KEY).await?;
    Ok(())
}
