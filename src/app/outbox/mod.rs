//! The organizer's outbox: every notice with what happened to it, and a
//! way to send one again.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::app::error::AppError;
use crate::app::{ErrorNote, action_result, loading};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxLine {
    pub id: i64,
    /// dd/mm/yyyy HH:MM, Vietnam time.
    pub created_at: String,
    pub event: String,
    pub to: String,
    pub subject: String,
    /// queued, sending, sent or failed.
    pub state: String,
    pub attempts: i64,
    pub last_error: String,
}

/// What each event is called on the outbox page.
pub fn event_label(event: &str) -> &'static str {
    match event {
        "entry_submitted" => "Xác nhận nhận hồ sơ",
        "entry_returned" => "Trả lại để bổ sung",
        "entry_accepted" => "Tiếp nhận hồ sơ",
        "entry_rejected" => "Không tiếp nhận",
        "unit_invitation" => "Mời đơn vị đặt mật khẩu",
        "judge_invitation" => "Mời giám khảo",
        "password_reset" => "Đặt lại mật khẩu",
        "group_message" => "Thư gửi nhóm",
        "email_verification" => "Xác nhận email",
        "judge_assigned" => "Phân công chấm",
        "sheet_reopened" => "Mở lại phiếu chấm",
        "results_announced" => "Thông báo kết quả",
        "deadline_reminder" => "Nhắc nộp trước hạn",
        "honors_decision" => "Kết quả xét chọn",
        _ => "Thông báo khác",
    }
}

/// How many notices the outbox page shows at a time.
pub const OUTBOX_PAGE: i64 = 100;

pub fn state_label(state: &str) -> &'static str {
    match state {
        "queued" => "Đang chờ gửi",
        "sending" => "Đang gửi",
        "sent" => "Đã gửi",
        _ => "Gửi thất bại",
    }
}

/// The newest notices first, a page at a time: those older than
/// `before`, in state `only` when given.
#[server(endpoint = "list_outbox")]
pub async fn list_outbox(
    #[server(default)] before: Option<i64>,
    #[server(default)] only: Option<String>,
) -> Result<Vec<OutboxLine>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let only = only.as_deref().filter(|s| !s.is_empty());
            crate::server::mail::list(&state.db.read, before, only).await
        }
        .await,
    )
    .await
}

/// Sends a notice again: a failed one is queued anew; a sent one is
/// copied into a new message.
#[server(endpoint = "resend_mail")]
pub async fn resend_mail(id: i64) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::mail::resend(&state.db.write, id).await
        }
        .await,
    )
    .await
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let resend = ServerAction::<ResendMail>::new();
    let query = leptos_router::hooks::use_query_map();
    let before = move || {
        query
            .read()
            .get("truoc")
            .and_then(|v| v.parse::<i64>().ok())
    };
    let only = move || query.read().get("trang_thai").filter(|s| !s.is_empty());
    let lines = Resource::new(
        move || (resend.version().get(), before(), only()),
        |(_, before, only)| list_outbox(before, only),
    );
    view! {
        <Title text="Thư đã gửi · Ban tổ chức" />
        <section class="card">
            <h1>"Thư thông báo"</h1>
            <p class="muted">
                "Mọi thông báo được ghi vào đây trước rồi mới gửi; thư gửi lỗi được thử lại nhiều lần "
                "trước khi báo thất bại."
            </p>
            <p><a class="button" href="/to-chuc/thu-di/mau">"Sửa mẫu thư"</a></p>
            {action_result(resend.value(), "Đã đưa thư vào hàng chờ gửi lại.")}
            <form method="get" class="filters">
                <label>"Tình trạng"
                    <select name="trang_thai">
                        <option value="">"Tất cả"</option>
                        {["queued", "sending", "sent", "failed"].into_iter().map(|s| view! {
                            <option value=s selected=move || only().as_deref() == Some(s)>{state_label(s)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit">"Lọc"</button>
            </form>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match lines.await {
                        Ok(list) if list.is_empty() => view! { <p>"Chưa có thư nào."</p> }.into_any(),
                        Ok(list) => {
                            let count = list.len();
                            let oldest = list.last().map(|m| m.id).unwrap_or_default();
                            view! {
                            <div class="scroll">
                                <table data-testid="outbox">
                                    <thead><tr>
                                        <th>"Lúc"</th><th>"Loại"</th><th>"Người nhận"</th><th>"Tiêu đề"</th>
                                        <th>"Tình trạng"</th><th></th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|m| view! {
                                            <tr data-testid=format!("mail-{}", m.id)>
                                                <td class="nowrap">{m.created_at}</td>
                                                <td>{event_label(&m.event)}</td>
                                                <td>{m.to}</td>
                                                <td>{m.subject}</td>
                                                <td>
                                                    {state_label(&m.state)}
                                                    {(m.attempts > 1).then(|| format!(" (lần thử {})", m.attempts))}
                                                    {(!m.last_error.is_empty()).then(|| view! {
                                                        <br /><span class="muted">{m.last_error.clone()}</span>
                                                    })}
                                                </td>
                                                <td>
                                                    {matches!(m.state.as_str(), "sent" | "failed").then(|| view! {
                                                        <ActionForm action=resend>
                                                            <input type="hidden" name="id" value=m.id />
                                                            <button type="submit" class="link">"Gửi lại"</button>
                                                        </ActionForm>
                                                    })}
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {(count == OUTBOX_PAGE as usize).then(|| {
                                let state = only().map(|s| format!("&trang_thai={s}")).unwrap_or_default();
                                view! {
                                    <p><a href=format!("/to-chuc/thu-di?truoc={oldest}{state}")>"Xem các thư cũ hơn →"</a></p>
                                }
                            })}
                        }.into_any()},
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One notice's wording on the organizer's template page, with how it
/// reads on a real record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateView {
    pub event: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The organizer changed it from the built-in wording.
    pub custom: bool,
    pub preview_subject: String,
    pub preview_text: String,
    pub preview_html: String,
}

#[server(endpoint = "mail_templates")]
pub async fn mail_templates() -> Result<Vec<TemplateView>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let site = crate::server::mail::Site::of(&state.config);
            crate::server::mail::template_views(&state.db.read, &site, &user.full_name).await
        }
        .await,
    )
    .await
}

/// Saves an event's wording after rendering it once on a real record; a
/// template that does not render is refused, naming the part.
#[server(endpoint = "save_mail_template")]
pub async fn save_mail_template(
    event: String,
    subject: String,
    text: String,
    html: String,
) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let site = crate::server::mail::Site::of(&state.config);
            let wording = crate::server::mail::templates::Wording {
                subject,
                text,
                html,
            };
            crate::server::mail::save_template(
                &state.db.write,
                &state.db.read,
                &site,
                &event,
                &wording,
                &user.full_name,
            )
            .await
        }
        .await,
    )
    .await
}

/// Goes back to the built-in wording of an event.
#[server(endpoint = "reset_mail_template")]
pub async fn reset_mail_template(event: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            sqlx::query("DELETE FROM mail_templates WHERE event = ?")
                .bind(&event)
                .execute(&state.db.write)
                .await?;
            Ok(())
        }
        .await,
    )
    .await
}

#[component]
pub fn MailTemplatesPage() -> impl IntoView {
    let save = ServerAction::<SaveMailTemplate>::new();
    let reset = ServerAction::<ResetMailTemplate>::new();
    let views = Resource::new(
        move || (save.version().get(), reset.version().get()),
        |_| mail_templates(),
    );
    view! {
        <Title text="Mẫu thư thông báo · Ban tổ chức" />
        <section class="card">
            <h1>"Mẫu thư thông báo"</h1>
            <p class="muted">
                "Mỗi thư có tiêu đề, nội dung văn bản và nội dung HTML. Các giá trị viết trong "
                <code>"{{ … }}"</code>
                " được điền khi gửi: " <code>"{{ name }}"</code> ", " <code>"{{ code }}"</code> ", "
                <code>"{{ title }}"</code> ", " <code>"{{ edition }}"</code> ", " <code>"{{ reason }}"</code>
                ", " <code>"{{ due }}"</code> ", " <code>"{{ link }}"</code> ", " <code>"{{ org }}"</code>
                ". Bản xem trước dùng hồ sơ, giám khảo hoặc đơn vị mới nhất."
            </p>
            {action_result(save.value(), "Đã lưu mẫu thư.")}
            {action_result(reset.value(), "Đã dùng lại mẫu mặc định.")}
        </section>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match views.await {
                    Ok(list) => list.into_iter().map(|t| {
                        let reset_event = t.event.clone();
                        let testid = format!("template-{}", t.event);
                        let heading = event_label(&t.event);
                        view! {
                        <section class="card" data-testid=testid>
                            <h2>{heading} {t.custom.then_some(" (đã sửa)")}</h2>
                            <details>
                                <summary>"Sửa mẫu"</summary>
                                <ActionForm action=save>
                                    <input type="hidden" name="event" value=t.event.clone() />
                                    <label>"Tiêu đề" <input name="subject" value=t.subject.clone() /></label>
                                    <label>"Nội dung văn bản"
                                        <textarea name="text" rows="8">{crate::app::textarea_text(t.text.clone())}</textarea>
                                    </label>
                                    <label>"Nội dung HTML"
                                        <textarea name="html" rows="8">{crate::app::textarea_text(t.html.clone())}</textarea>
                                    </label>
                                    <button type="submit">"Lưu mẫu"</button>
                                </ActionForm>
                                {t.custom.then(|| view! {
                                    <ActionForm action=reset>
                                        <input type="hidden" name="event" value=reset_event />
                                        <button type="submit" class="secondary">"Dùng lại mẫu mặc định"</button>
                                    </ActionForm>
                                })}
                            </details>
                            <h3>"Xem trước"</h3>
                            <p><strong>"Tiêu đề: "</strong> <span data-testid="preview-subject">{t.preview_subject}</span></p>
                            <pre class="mail-text">{t.preview_text}</pre>
                            <iframe class="mail-html" title="Xem trước nội dung HTML" sandbox="" srcdoc=t.preview_html></iframe>
                        </section>
                        }
                    }).collect_view().into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Who a group message goes to, within one edition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupFilter {
    /// `owners`, `judges` or `judges_unfinished`.
    #[serde(default)]
    pub audience: String,
    /// Owners: only entries of this field.
    #[serde(default)]
    pub field: Option<i64>,
    /// Owners: only entries in this state (`draft` for a deadline reminder).
    #[serde(default)]
    pub state: String,
}

/// What the organizer sees before sending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupPreview {
    pub count: usize,
    /// The first ten names.
    pub names: Vec<String>,
    /// The message as the first recipient will read it.
    pub subject: String,
    pub text: String,
}

#[server(endpoint = "preview_group_message")]
pub async fn preview_group_message(
    edition: i64,
    #[server(default)] group: GroupFilter,
    subject: String,
    body: String,
) -> Result<GroupPreview, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let site = crate::server::mail::Site::of(&state.config);
            crate::server::mail::group::preview(
                &state.db.read,
                &site,
                edition,
                &group,
                &subject,
                &body,
            )
            .await
        }
        .await,
    )
    .await
}

/// Queues the message for the group; `count` is what the preview showed.
#[server(endpoint = "send_group_message")]
pub async fn send_group_message(
    edition: i64,
    #[server(default)] group: GroupFilter,
    subject: String,
    body: String,
    count: usize,
) -> Result<usize, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            let site = crate::server::mail::Site::of(&state.config);
            crate::server::mail::group::send(
                &state.db.write,
                &site,
                edition,
                &group,
                &subject,
                &body,
                count,
            )
            .await
        }
        .await,
    )
    .await
}

/// The organizer writes to a group of one edition: pick, preview, send.
#[component]
pub fn GroupMessage(edition: i64, fields: Vec<crate::app::editions::FieldItem>) -> impl IntoView {
    let preview = ServerAction::<PreviewGroupMessage>::new();
    let send = ServerAction::<SendGroupMessage>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    view! {
        <section class="card" data-testid="group-message">
            <h2>"Gửi thư cho một nhóm"</h2>
            <p class="muted">
                "Ví dụ: nhắc người có hồ sơ còn là bản nháp trước hạn đăng ký, hoặc nhắc giám khảo còn phiếu chưa nộp. "
                "Trong nội dung có thể dùng " <code>"{{ name }}"</code> " và " <code>"{{ edition }}"</code> "."
            </p>
            <ActionForm action=preview node_ref=form_ref>
                <input type="hidden" name="edition" value=edition />
                <div class="row">
                    <label>
                        "Gửi cho"
                        <select name="group[audience]" required>
                            <option value="owners">"Người nộp hồ sơ"</option>
                            <option value="judges">"Tất cả giám khảo"</option>
                            <option value="judges_unfinished">"Giám khảo còn phiếu chưa nộp"</option>
                        </select>
                    </label>
                    <label>
                        "Lĩnh vực (người nộp)"
                        <select name="group[field]">
                            <option value="">"Tất cả"</option>
                            {fields.into_iter().map(|f| view! { <option value=f.id>{f.name}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>
                        "Trạng thái hồ sơ (người nộp)"
                        <select name="group[state]">
                            <option value="">"Tất cả"</option>
                            {crate::domain::lifecycle::EntryState::ALL.iter().map(|s| view! {
                                <option value=s.as_db()>{s.label()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <label>"Tiêu đề" <input name="subject" required /></label>
                <label>"Nội dung" <textarea name="body" rows="6" required></textarea></label>
                <button type="submit">"Xem trước"</button>
            </ActionForm>
            {move || match preview.value().get() {
                Some(Ok(p)) => {
                    let count = p.count;
                    let more = p.count.saturating_sub(p.names.len());
                    view! {
                        <div class="draft-offer" data-testid="group-preview">
                            <p><strong>{count} " người nhận"</strong> ": " {p.names.join(", ")}
                               {(more > 0).then(|| format!(" và {more} người khác"))}</p>
                            <p><strong>"Tiêu đề: "</strong> {p.subject}</p>
                            <pre class="mail-text">{p.text}</pre>
                            <button type="button" on:click=move |_| {
                                #[cfg(feature = "hydrate")]
                                if let Some(form) = form_ref.get_untracked() {
                                    send_from(&form, count, send);
                                }
                                #[cfg(not(feature = "hydrate"))]
                                let _ = (form_ref, send);
                            }>{format!("Gửi cho {count} người")}</button>
                        </div>
                    }.into_any()
                }
                Some(Err(error)) => view! { <ErrorNote error /> }.into_any(),
                None => ().into_any(),
            }}
            {move || match send.value().get() {
                Some(Ok(n)) => view! {
                    <p class="ok" role="status">{format!("Đã đưa {n} thư vào hàng chờ gửi.")}</p>
                }.into_any(),
                Some(Err(error)) => view! { <ErrorNote error /> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

/// Sends what the form holds, with the count the preview showed.
#[cfg(feature = "hydrate")]
fn send_from(form: &web_sys::HtmlFormElement, count: usize, send: ServerAction<SendGroupMessage>) {
    use wasm_bindgen::JsCast;
    let value = |name: &str| -> String {
        form.elements()
            .named_item(name)
            .and_then(|e| {
                e.dyn_ref::<web_sys::HtmlSelectElement>()
                    .map(|s| s.value())
                    .or_else(|| e.dyn_ref::<web_sys::HtmlInputElement>().map(|i| i.value()))
                    .or_else(|| {
                        e.dyn_ref::<web_sys::HtmlTextAreaElement>()
                            .map(|t| t.value())
                    })
            })
            .unwrap_or_default()
    };
    send.dispatch(SendGroupMessage {
        edition: value("edition").parse().unwrap_or(0),
        group: GroupFilter {
            audience: value("group[audience]"),
            field: value("group[field]").parse().ok(),
            state: value("group[state]"),
        },
        subject: value("subject"),
        body: value("body"),
        count,
    });
}
