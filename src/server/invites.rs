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

/// The links still worth handing out: a link already used, expired or
/// replaced by a newer one (from another page, or the person's own reset)
/// leaves the list.
pub async fn pending(pool: &sqlx::SqlitePool) -> Result<Vec<InviteLink>, AppError> {
    let session = session().await?;
    let kept: Vec<InviteLink> = session.get(KEY).await?.unwrap_or_default();
    let mut live = Vec::with_capacity(kept.len());
    for link in &kept {
        let token = link.url.rsplit('/').next().unwrap_or_default();
        let usable: bool = sqlx::query_scalar(
            "SELECT COUNT(*) > 0 FROM password_tokens
              WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        )
        .bind(super::auth::token_hash(token))
        .bind(super::time::now_text())
        .fetch_one(pool)
        .await?;
        if usable {
            live.push(link.clone());
        }
    }
    if live.len() != kept.len() {
        session.insert(KEY, &live).await?;
    }
    Ok(live)
}

pub async fn dismiss() -> Result<(), AppError> {
    session().await?.remove::<Vec<InviteLink>>(KEY).await?;
    Ok(())
}
