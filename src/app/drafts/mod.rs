//! Drafts of long forms kept on the server as one types: the form saves
//! what is typed a moment after each change, and offers it back when the
//! page is opened again without it having been saved.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::app::error::AppError;

/// A kept draft: the form's fields as (name, value), and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormDraft {
    pub fields: Vec<(String, String)>,
    /// dd/mm/yyyy HH:MM in Vietnam time.
    pub saved_at: String,
}

#[server(endpoint = "save_form_draft")]
pub async fn save_form_draft(key: String, body: String) -> Result<String, AppError> {
    crate::server::forms::respond(
        async move {
            let user = crate::server::auth::signed_in().await?;
            let state = crate::server::state::app_state();
            crate::server::drafts::save(&state.db.write, user.id, &key, &body).await?;
            Ok(crate::server::time::show(
                crate::server::time::now(),
                crate::server::time::DEFAULT_ZONE,
            ))
        }
        .await,
    )
    .await
}

#[server(endpoint = "get_form_draft")]
pub async fn get_form_draft(key: String) -> Result<Option<FormDraft>, AppError> {
    crate::server::forms::respond(
        async move {
            let user = crate::server::auth::signed_in().await?;
            let state = crate::server::state::app_state();
            crate::server::drafts::find(
                &state.db.read,
                user.id,
                &key,
                crate::server::time::DEFAULT_ZONE,
            )
            .await
        }
        .await,
    )
    .await
}

#[server(endpoint = "discard_form_draft")]
pub async fn discard_form_draft(key: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let user = crate::server::auth::signed_in().await?;
            let state = crate::server::state::app_state();
            crate::server::drafts::discard(&state.db.write, user.id, &key).await
        }
        .await,
    )
    .await
}

/// The key of an entry form's draft: the program, the edition and the
/// entry (0 for a new one). The save server functions discard it.
pub fn draft_key(program: &str, edition: i64, entry: i64) -> String {
    format!("{program}:{edition}:{entry}")
}

/// How long after the last keystroke the draft is sent.
#[cfg(feature = "hydrate")]
const QUIET_MS: u64 = 1200;

/// Keeps a draft of `form` under `key` while one types and offers a kept
/// draft back. The server drops the draft when the form is saved. Without
/// JavaScript it shows nothing.
#[component]
pub fn DraftKeeper(form: NodeRef<leptos::html::Form>, key: String) -> impl IntoView {
    let (kept, set_kept) = signal(None::<FormDraft>);
    let (note, set_note) = signal(String::new());
    let key = StoredValue::new(key);

    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;

        // Offer what was kept the last time, once the page is live.
        Effect::new(move |_| {
            leptos::task::spawn_local(async move {
                if let Ok(Some(draft)) = get_form_draft(key.get_value()).await {
                    set_kept.set(Some(draft));
                }
            });
        });
        // Send the fields a moment after the last change.
        let timer = StoredValue::new(None::<TimeoutHandle>);
        Effect::new(move |_| {
            let Some(element) = form.get() else {
                return;
            };
            let element: web_sys::HtmlFormElement = element;
            let target = element.clone();
            let listener = Closure::<dyn Fn()>::new(move || {
                if let Some(handle) = timer.get_value() {
                    handle.clear();
                }
                let target = target.clone();
                let handle = set_timeout_with_handle(
                    move || {
                        let body =
                            serde_json::to_string(&typed_fields(&target)).unwrap_or_default();
                        leptos::task::spawn_local(async move {
                            match save_form_draft(key.get_value(), body).await {
                                Ok(at) => {
                                    set_note.set(format!("Đã tự lưu nội dung đang nhập lúc {at}."))
                                }
                                Err(AppError::Unauthenticated) => set_note.set(
                                    "Phiên đăng nhập đã hết nên chưa tự lưu được. Đừng đóng \
                                     trang này: hãy đăng nhập lại ở một thẻ khác rồi bấm Lưu."
                                        .into(),
                                ),
                                Err(_) => set_note.set(
                                    "Chưa tự lưu được (mất kết nối?). Nội dung vẫn còn trên \
                                     trang; hệ thống sẽ thử lại khi bạn gõ tiếp."
                                        .into(),
                                ),
                            }
                        });
                    },
                    Duration::from_millis(QUIET_MS),
                )
                .ok();
                timer.set_value(handle);
            });
            let _ = element
                .add_event_listener_with_callback("input", listener.as_ref().unchecked_ref());
            let _ = element
                .add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
            listener.forget();
            // Saving the form makes a pending draft useless.
            let cancel = Closure::<dyn Fn()>::new(move || {
                if let Some(handle) = timer.get_value() {
                    handle.clear();
                }
                set_kept.set(None);
            });
            let _ =
                element.add_event_listener_with_callback("submit", cancel.as_ref().unchecked_ref());
            cancel.forget();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (form, set_note);

    let restore = move |_| {
        #[cfg(feature = "hydrate")]
        if let (Some(draft), Some(element)) = (kept.get_untracked(), form.get_untracked()) {
            fill(&element, &draft.fields);
        }
        set_kept.set(None);
    };
    let drop_it = move |_| {
        set_kept.set(None);
        leptos::task::spawn_local(async move {
            let _ = discard_form_draft(key.get_value()).await;
        });
    };
    view! {
        {move || kept.get().map(|draft| view! {
            <div class="draft-offer" role="status" data-testid="draft-offer">
                <p>"Có nội dung bạn đang nhập dở lúc " {draft.saved_at} " mà chưa lưu."</p>
                <button type="button" on:click=restore>"Khôi phục nội dung đó"</button>
                " "
                <button type="button" class="secondary" on:click=drop_it>"Bỏ qua"</button>
            </div>
        })}
        <p class="muted draft-note" data-testid="draft-note" aria-live="polite">{move || note.get()}</p>
    }
}

/// The form's fields as the browser would post them (unchecked boxes and
/// files left out).
#[cfg(feature = "hydrate")]
fn typed_fields(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
    use wasm_bindgen::JsCast;
    let elements = form.elements();
    let mut fields = Vec::new();
    for i in 0..elements.length() {
        let Some(element) = elements.item(i) else {
            continue;
        };
        if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            let kind = input.type_();
            let skip = kind == "file"
                || kind == "hidden"
                || ((kind == "checkbox" || kind == "radio") && !input.checked());
            if !skip && !input.name().is_empty() {
                fields.push((input.name(), input.value()));
            }
        } else if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
            fields.push((select.name(), select.value()));
        } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            fields.push((area.name(), area.value()));
        }
    }
    fields
}

/// Puts kept values back into the form and tells the page each changed.
#[cfg(feature = "hydrate")]
fn fill(form: &web_sys::HtmlFormElement, fields: &[(String, String)]) {
    use wasm_bindgen::JsCast;
    let changed = |element: &web_sys::Element| {
        if let Ok(event) = web_sys::Event::new_with_event_init_dict("change", &{
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            init
        }) {
            let _ = element.dispatch_event(&event);
        }
    };
    let value_of = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let elements = form.elements();
    for i in 0..elements.length() {
        let Some(element) = elements.item(i) else {
            continue;
        };
        if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            let kind = input.type_();
            if kind == "file" || kind == "hidden" {
                continue;
            }
            if kind == "checkbox" || kind == "radio" {
                input.set_checked(value_of(&input.name()).is_some_and(|v| v == input.value()));
            } else if let Some(v) = value_of(&input.name()) {
                input.set_value(&v);
            }
        } else if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
            if let Some(v) = value_of(&select.name()) {
                select.set_value(&v);
            }
        } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>()
            && let Some(v) = value_of(&area.name())
        {
            area.set_value(&v);
        }
        changed(&element);
    }
}
