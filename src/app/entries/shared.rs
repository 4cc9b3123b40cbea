//! Parts every program's entry page shares: where the entry stands with
//! its history, its attached files, and the submit button.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{
    ChangeEntryState, DeleteDraft, EntryFileView, EntryStatus, FILE_KINDS, file_kind_label,
};
use crate::app::{FlashError, action_result, format_size};
use crate::domain::lifecycle::EntryState;

/// The state, the organizer's reason, the due date of a return, and the
/// history of changes, for the owner.
#[component]
pub fn StatusPanel(entry: i64, status: EntryStatus, code: String) -> impl IntoView {
    let returned = status.state == EntryState::Returned;
    let submitted = status.state != EntryState::Draft;
    view! {
        <section class="card status" data-testid="entry-status">
            <p>
                "Mã hồ sơ: " <strong data-testid="entry-code">{code}</strong>
                " · Trạng thái: " <strong data-testid="entry-state">{status.state.label()}</strong>
            </p>
            {submitted.then(|| view! {
                <p><a href=format!("/ho-so/{entry}/bien-nhan") data-testid="receipt-link">
                    "Xem và in biên nhận hồ sơ"
                </a></p>
            })}
            {(!status.reason.is_empty()).then(|| view! {
                <p class=if returned { "warning" } else { "muted" } data-testid="entry-reason">
                    "Lý do: " {status.reason.clone()}
                </p>
            })}
            {returned.then(|| view! {
                <p>"Hạn bổ sung: " <strong>{status.return_due.clone()}</strong>
                   ". Hãy sửa hồ sơ theo yêu cầu rồi bấm \"Nộp lại hồ sơ\"."</p>
            })}
            {(!status.history.is_empty()).then(|| view! {
                <details>
                    <summary>"Lịch sử hồ sơ"</summary>
                    <ol class="history" data-testid="entry-history">
                        {status.history.iter().map(|h| view! {
                            <li>
                                {h.at.clone()} " · " {h.actor.clone()} ": " {h.from.clone()} " → " {h.to.clone()}
                                {(!h.reason.is_empty()).then(|| format!(" · Lý do: {}", h.reason))}
                                {(!h.due.is_empty()).then(|| format!(" · Hạn bổ sung: {}", h.due))}
                            </li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
        </section>
    }
}

/// The files of an entry, an upload form for the kinds the program uses,
/// and the submit button when the entry can be submitted.
#[component]
pub fn FilesAndSubmit(
    entry: i64,
    files: Vec<EntryFileView>,
    kinds: &'static [&'static str],
    editable: bool,
    state: EntryState,
    /// Honors: the criteria evidence may be tied to.
    #[prop(optional)]
    criteria: Vec<(i64, String)>,
    /// The page's submit action, so that the page reloads its data after.
    submit: ServerAction<ChangeEntryState>,
) -> impl IntoView {
    let query = use_query_map();
    let uploaded = move || query.read().get("tai_len").is_some();
    let can_submit = editable && matches!(state, EntryState::Draft | EntryState::Returned);
    let upload_url = format!("/tep/ho-so/{entry}");
    view! {
        <section class="card">
            <h2>"Tệp đính kèm"</h2>
            {move || uploaded().then(|| view! { <p class="ok" role="status">"Đã tải tệp lên."</p> })}
            <FlashError place="upload" />
            {if files.is_empty() {
                view! { <p class="muted">"Chưa có tệp nào."</p> }.into_any()
            } else {
                view! {
                    <ul class="files" data-testid="entry-files">
                        {files.into_iter().map(|f| {
                            let delete_url = format!("/tep/ho-so/{entry}/{}/xoa", f.id);
                            view! {
                                <li>
                                    <span class="muted">{file_kind_label(&f.kind)} ": "</span>
                                    <a href=f.url.clone()>{f.name.clone()}</a>
                                    " (" {format_size(f.size_bytes)} ")"
                                    {(!f.criterion.is_empty()).then(|| view! { <span class="muted">" · " {f.criterion.clone()}</span> })}
                                    {editable.then(|| view! {
                                        <form method="post" action=delete_url class="inline">
                                            <button type="submit" class="link">"Xóa"</button>
                                        </form>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {editable.then(|| view! {
                <form method="post" action=upload_url enctype="multipart/form-data" class="upload">
                    <label>
                        "Loại tệp"
                        <select name="kind">
                            {FILE_KINDS.iter().filter(|(k, _)| kinds.contains(k)).map(|(k, label)| view! {
                                <option value=*k>{*label}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    {(!criteria.is_empty()).then(|| view! {
                        <label>
                            "Minh chứng cho tiêu chí"
                            <select name="criterion">
                                <option value="">"— Chung —"</option>
                                {criteria.iter().map(|(id, text)| view! { <option value=*id>{text.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                    })}
                    <label>
                        "Tệp PDF, DOCX hoặc ảnh JPEG/PNG/WebP, tối đa 20 MB; tối đa 20 tệp mỗi hồ sơ"
                        <input type="file" name="file" accept=".pdf,.docx,.jpg,.jpeg,.png,.webp,image/*" required />
                    </label>
                    <button type="submit">"Tải lên"</button>
                </form>
            })}
            {can_submit.then(|| view! {
                <ActionForm action=submit>
                    <input type="hidden" name="id" value=entry />
                    <input type="hidden" name="action" value="submit" />
                    <button type="submit" data-testid="submit-entry">
                        {if state == EntryState::Returned { "Nộp lại hồ sơ" } else { "Nộp hồ sơ" }}
                    </button>
                </ActionForm>
            })}
            {action_result(submit.value(), "Đã nộp hồ sơ.")}
            {(editable && state == EntryState::Draft).then(|| view! { <DeleteDraftButton id=entry /> })}
        </section>
    }
}

/// Deletes a draft never submitted, with its files.
#[component]
pub fn DeleteDraftButton(id: i64) -> impl IntoView {
    let delete = ServerAction::<DeleteDraft>::new();
    view! {
        <ActionForm action=delete attr:class="inline">
            <input type="hidden" name="id" value=id />
            <button type="submit" class="secondary">"Xóa bản nháp này"</button>
        </ActionForm>
        {action_result(delete.value(), "Đã xóa bản nháp.")}
    }
}
