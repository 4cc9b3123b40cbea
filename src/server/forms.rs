//! Plain form posts, as browsers send them without JavaScript. Leptos
//! answers a failed one with a bare redirect back to the form, which would
//! lose the error; here the message is kept in the person's session as a
//! one-time "flash", which the form's page shows and clears. (It used to
//! ride in the query string, where anyone could write a link showing a
//! made-up official-looking message.)

use axum::http::header::{ACCEPT, REFERER};
use axum::http::request::Parts;
use leptos::prelude::use_context;

use tower_sessions::Session;

use crate::app::error::AppError;

const FLASH: &str = "flash";

/// Keeps a message for the next page that shows the slot ("form" beside
/// a form, "upload" beside an upload control).
pub async fn flash(session: &Session, slot: &str, message: String) -> Result<(), AppError> {
    session.insert(FLASH, (slot.to_string(), message)).await?;
    Ok(())
}

/// Takes the message kept for a slot, if any; it shows once.
pub async fn take_flash(session: &Session, slot: &str) -> Result<Option<String>, AppError> {
    let kept: Option<(String, String)> = session.get(FLASH).await?;
    match kept {
        Some((kept_slot, message)) if kept_slot == slot => {
            session.remove::<(String, String)>(FLASH).await?;
            Ok(Some(message))
        }
        _ => Ok(None),
    }
}

/// Where to send a plain form post back to: the path and query of its
/// Referer, without its origin (so the redirect cannot leave the site) and
/// without an earlier message.
fn back_to_form(referer: &str) -> Option<String> {
    let after_scheme = referer.split_once("://").map_or(referer, |(_, rest)| rest);
    let local = &after_scheme[after_scheme.find('/')?..];
    let local = local.split('#').next().unwrap_or("/");
    let (path, query) = local.split_once('?').unwrap_or((local, ""));
    if !path.starts_with('/') || path.starts_with("//") || path.contains('\\') {
        return None;
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| {
            !p.is_empty()
                && !p.starts_with("loi=")
                && !p.starts_with("loi_tep=")
                && !p.starts_with("tai_len=")
        })
        .collect();
    Some(if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    })
}

/// Finishes a server function: on an error from a plain form post,
/// redirects back to the form with the message; for any other client,
/// answers with the HTTP status that fits the error.
pub async fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    let Err(error) = &result else {
        return result;
    };
    let Some(parts) = use_context::<Parts>() else {
        return result;
    };
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let from_form = header(ACCEPT).is_some_and(|v| v.contains("text/html"));
    let back = header(REFERER).and_then(back_to_form).filter(|_| from_form);
    if let Some(back) = back {
        let kept = match leptos_axum::extract::<Session>().await {
            Ok(session) => flash(&session, "form", error.to_string()).await,
            Err(e) => Err(super::error::internal("no session layer", e)),
        };
        if kept.is_ok() {
            leptos_axum::redirect(&back);
        }
    } else if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(super::error::status(error));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_local_path_and_query_of_the_referer_are_kept() {
        let back = |r: &str| back_to_form(r);
        assert_eq!(
            back("http://127.0.0.1:3000/dang-nhap?loi=x").as_deref(),
            Some("/dang-nhap")
        );
        assert_eq!(
            back("http://h/thi-sinh/giai-phap/moi?ky_thi=1&loi=y").as_deref(),
            Some("/thi-sinh/giai-phap/moi?ky_thi=1")
        );
        assert_eq!(back("https://evil.example//x"), None);
        assert_eq!(back("http://127.0.0.1:3200/\\evil.example/x"), None);
        assert_eq!(back("http://host"), None);
    }
}
