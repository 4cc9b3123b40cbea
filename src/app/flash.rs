//! One-time messages that a plain form post (without JavaScript) left in
//! the session for the page it was sent back to.

use leptos::prelude::*;

use crate::app::error::AppError;

/// Takes the message kept for `slot`; it shows once.
#[server(endpoint = "take_flash")]
pub async fn take_flash(slot: String) -> Result<Option<String>, AppError> {
    let session = leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|e| crate::server::error::internal("no session layer", e))?;
    crate::server::forms::take_flash(&session, &slot).await
}

/// Shows the message a refused plain form post left for this place:
/// "form" beside a form, "upload" beside an upload control. (The prop is
/// not called `slot`: Leptos reads that attribute as a slot marker and
/// would drop the component without a word.)
#[component]
pub fn FlashError(place: &'static str) -> impl IntoView {
    let message = Resource::new(|| (), move |_| take_flash(place.to_string()));
    let testid = if place == "upload" {
        "upload-error"
    } else {
        "form-error"
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                message.await.ok().flatten().map(|text| view! {
                    <p class="error" role="alert" data-testid=testid>{text}</p>
                })
            })}
        </Suspense>
    }
}
