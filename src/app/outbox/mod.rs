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
        _ => "Thông báo khác",
    }
}

pub fn state_label(state: &str) -> &'static str {
    match state {
        "queued" => "Đang chờ gửi",
        "sending" => "Đang gửi",
        "sent" => "Đã gửi",
        _ => "Gửi thất bại",
    }
}

/// The newest notices first.
#[server(endpoint = "list_outbox")]
pub async fn list_outbox() -> Result<Vec<OutboxLine>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            crate::server::auth::require(Role::Organizer).await?;
            let state = crate::server::state::app_state();
            crate::server::mail::list(&state.db.read).await
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
    let lines = Resource::new(move || resend.version().get(), |_| list_outbox());
    view! {
        <Title text="Thư đã gửi · Ban tổ chức" />
        <section class="card">
            <h1>"Thư thông báo"</h1>
            <p class="muted">
                "Mọi thông báo được ghi vào đây trước rồi mới gửi; thư gửi lỗi được thử lại nhiều lần "
                "trước khi báo thất bại."
            </p>
            {action_result(resend.value(), "Đã đưa thư vào hàng chờ gửi lại.")}
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match lines.await {
                        Ok(list) if list.is_empty() => view! { <p>"Chưa có thư nào."</p> }.into_any(),
                        Ok(list) => view! {
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
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
