//! Plain form posts, as browsers send them without JavaScript. Leptos
//! answers a failed one with a bare redirect back to the form, which would
//! lose the error; here the message rides along in the query string
//! (`?loi=…`), where the page shows it beside the form.

use axum::http::header::{ACCEPT, REFERER};
use axum::http::request::Parts;
use leptos::prelude::use_context;

use crate::app::error::AppError;

/// Percent-encodes text for a query string.
pub fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The path of a Referer URL, without its origin or query, so that a
/// redirect built from it can only lead back into this site.
fn referer_path(referer: &str) -> Option<&str> {
    let after_scheme = referer.split_once("://").map_or(referer, |(_, rest)| rest);
    let path = &after_scheme[after_scheme.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or("/");
    (path.starts_with('/') && !path.starts_with("//")).then_some(path)
}

/// Passes a server function's result through; on an error from a plain
/// form post, redirects back to the form with the message.
pub fn bounce<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    let Err(error) = &result else {
        return result;
    };
    let Some(parts) = use_context::<Parts>() else {
        return result;
    };
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let from_form = header(ACCEPT).is_some_and(|v| v.contains("text/html"));
    if let (true, Some(path)) = (from_form, header(REFERER).and_then(referer_path)) {
        leptos_axum::redirect(&format!("{path}?loi={}", url_escape(&error.to_string())));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_path_of_the_referer_is_kept() {
        assert_eq!(
            referer_path("http://127.0.0.1:3000/dang-nhap?loi=x"),
            Some("/dang-nhap")
        );
        assert_eq!(referer_path("https://evil.example//x"), None);
        assert_eq!(referer_path("http://host"), None);
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            url_escape("Sai mật khẩu & email"),
            "Sai%20m%E1%BA%ADt%20kh%E1%BA%A9u%20%26%20email"
        );
    }
}
