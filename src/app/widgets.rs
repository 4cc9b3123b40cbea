//! Small pieces shared by the pages.

use leptos::prelude::*;

use super::error::AppError;

/// An error said in a box that screen readers announce.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(crate::server::error::status(&error));
    }
    // Signing in from here comes back here (a link in a notice, say).
    let sign_in = matches!(error, AppError::Unauthenticated).then(|| {
        let location = leptos_router::hooks::use_location();
        let search = location.search.get_untracked();
        let here = match search.trim_start_matches('?') {
            "" => location.pathname.get_untracked(),
            query => format!("{}?{query}", location.pathname.get_untracked()),
        };
        let back: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
        format!("/dang-nhap?tiep={back}")
    });
    view! {
        <p class="error" role="alert">
            {error.to_string()}
            {sign_in.map(|href| view! { " " <a href=href>"Đăng nhập"</a> })}
        </p>
    }
}

/// The outcome of a form's last submission: its error, or `ok` once done.
pub fn action_result<T, S>(value: S, ok: &'static str) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    move || match value.get() {
        Some(Err(error)) => view! { <ErrorNote error /> }.into_any(),
        Some(Ok(_)) => view! { <p class="ok" role="status">{ok}</p> }.into_any(),
        None => ().into_any(),
    }
}

/// The server's word on one form field after the last submission, shown
/// under that field; `label` is the field's name as errors give it.
pub fn field_error<T, S>(value: S, label: &'static str) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    move || match value.get() {
        Some(Err(AppError::Invalid { field, message })) if field == label => Some(view! {
            <span class="field-error" role="alert">{message}</span>
        }),
        _ => None,
    }
}

/// The server's word on any field of one row of people ("Thành viên 2 –
/// Ngày sinh" for the prefix "Thành viên 2 – "), shown under that row.
pub fn row_error<T, S>(value: S, prefix: String) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    move || match value.get() {
        Some(Err(AppError::Invalid { field, message })) => {
            field.strip_prefix(prefix.as_str()).map(|part| {
                let text = format!("{part}: {message}");
                view! { <span class="field-error" role="alert">{text}</span> }
            })
        }
        _ => None,
    }
}

/// The text to put between `<textarea>` tags. Leptos writes a textarea's
/// children raw on the server (they are not hydrated either), so typed
/// text such as `</textarea><script>` would end the element and run; the
/// server escapes it here, and the browser reads the entities back as
/// text. A textarea the browser builds itself takes the text as is.
pub fn textarea_text(text: impl Into<String>) -> String {
    let text = text.into();
    #[cfg(feature = "ssr")]
    {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}

/// A file size as people read it: "614 byte", "12,3 KB", "4,8 MB".
pub fn format_size(bytes: i64) -> String {
    let tenths = |unit: i64| {
        let t = (bytes * 10 + unit / 2) / unit;
        if t % 10 == 0 {
            format!("{}", t / 10)
        } else {
            format!("{},{}", t / 10, t % 10)
        }
    };
    match bytes {
        b if b < 1024 => format!("{b} byte"),
        b if b < 1024 * 1024 => format!("{} KB", tenths(1024)),
        _ => format!("{} MB", tenths(1024 * 1024)),
    }
}

/// Counts an action's successes. A page refetches its data on this rather
/// than on every submission, so a form that was refused keeps what the
/// person typed.
pub fn successes<T, S>(value: S) -> ReadSignal<u32>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let (count, set_count) = signal(0);
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            set_count.update(|n| *n += 1);
        }
    });
    count
}

/// Shown while a page's data loads.
pub fn loading() -> impl IntoView {
    view! { <p class="muted">"Đang tải…"</p> }
}

/// A submit button's click handler that asks first; answering "Cancel"
/// keeps the form from being sent. A handler, not an inline `onsubmit`:
/// the Content-Security-Policy runs no inline code.
pub fn ask_first(question: &'static str) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    move |ev| {
        if !window().confirm_with_message(question).unwrap_or(false) {
            ev.prevent_default();
        }
    }
}

/// Opens the browser's print dialog (the button works once the page has
/// hydrated: the Content-Security-Policy allows no inline handlers).
pub fn print_page() {
    let _ = window().print();
}

#[cfg(test)]
mod tests {
    use super::format_size;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(format_size(614), "614 byte");
        assert_eq!(format_size(12_595), "12,3 KB");
        assert_eq!(format_size(20 * 1024 * 1024), "20 MB");
    }
}
