//! The contestant's pages: the list of their entries and the entry form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    AUTHOR_ROWS, AuthorView, DeleteDraftButton, EntryStatus, EntryView, SaveEntry, StatusPanel,
    SubmitEntry, get_entry, get_entry_status, my_entries,
};
use crate::app::drafts::{DraftKeeper, draft_key};
use crate::app::editions::{EditionDetail, get_edition, public_editions};
use crate::app::error::AppError;
use crate::app::{
    ErrorNote, FlashError, action_result, field_error, loading, row_error, successes, textarea_text,
};
use crate::domain::dates::format_iso_date;
use crate::domain::lifecycle::EntryState;

#[component]
pub fn MyEntriesPage() -> impl IntoView {
    let entries = Resource::new(|| (), |_| my_entries());
    let editions = Resource::new(|| (), |_| public_editions());
    view! {
        <Title text="Hồ sơ dự thi của tôi · Sáng tạo kỹ thuật" />
        <crate::app::auth::VerifyReminder />
        <section class="card">
            <h1>"Hồ sơ dự thi của tôi"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) if list.is_empty() => view! { <p>"Bạn chưa có hồ sơ dự thi nào."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="entries">
                                {list.into_iter().map(|e| view! {
                                    <li>
                                        <a href=e.url.clone()>{e.code} " – " {e.title}</a>
                                        <span class="muted">" · " {e.field_name} " · " {e.state.clone()}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="card">
            <h2>"Đăng ký hồ sơ mới"</h2>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    let open: Vec<_> = editions.await.unwrap_or_default().into_iter()
                        .filter(|e| !e.deadline_passed && e.takes_contestants()).collect();
                    if open.is_empty() {
                        return view! { <p class="muted">"Hiện không có kỳ thi nào đang nhận hồ sơ."</p> }.into_any();
                    }
                    view! {
                        <ul class="editions">
                            {open.into_iter().map(|e| view! {
                                <li>
                                    <a class="button" href=e.program.new_entry_path(e.id)>
                                        "Đăng ký vào " {e.name} " lần thứ " {e.number}
                                    </a>
                                    <span class="muted">" · hạn " {e.deadline}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

/// The entry to edit (or none for a new one) and its edition's setup.
type Loaded = (Option<(EntryView, EntryStatus)>, EditionDetail);

async fn load(param: String, edition_query: Option<i64>) -> Result<Loaded, AppError> {
    match param.parse::<i64>() {
        Ok(id) => {
            let entry = get_entry(id).await?;
            let status = get_entry_status(id).await?;
            let edition = get_edition(entry.edition_id).await?;
            Ok((Some((entry, status)), edition))
        }
        Err(_) => {
            let edition = edition_query.ok_or_else(|| AppError::NotFound("kỳ thi".into()))?;
            Ok((None, get_edition(edition).await?))
        }
    }
}

#[component]
pub fn EntryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let save = ServerAction::<SaveEntry>::new();
    let submit = ServerAction::<SubmitEntry>::new();
    let (saved, submitted) = (successes(save.value()), successes(submit.value()));
    let data = Resource::new(
        move || {
            let id = params.read().get("id").unwrap_or_default();
            let edition = query
                .read()
                .get("ky_thi")
                .and_then(|v| v.parse::<i64>().ok());
            (id, edition, saved.get(), submitted.get())
        },
        |(id, edition, _, _)| load(id, edition),
    );
    view! {
        <Title text="Hồ sơ giải pháp · Sáng tạo kỹ thuật" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((entry, edition)) => view! { <EntryEditor entry edition save submit /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EntryEditor(
    entry: Option<(EntryView, EntryStatus)>,
    edition: EditionDetail,
    save: ServerAction<SaveEntry>,
    submit: ServerAction<SubmitEntry>,
) -> impl IntoView {
    let (entry, status) = entry.unzip();
    let id = entry.as_ref().map_or(0, |e| e.id);
    // The server decides: drafts until the deadline, returned entries
    // until their own due date.
    let locked = match &status {
        Some(status) => !status.editable,
        None => edition.summary.deadline_passed,
    };
    let value = |f: fn(&EntryView) -> String| entry.as_ref().map(f).unwrap_or_default();
    let (title, summary) = (value(|e| e.title.clone()), value(|e| e.summary.clone()));
    let (applied_since, applying_unit) = (
        value(|e| format_iso_date(&e.applied_since)),
        value(|e| e.applying_unit.clone()),
    );
    let field_id = entry.as_ref().map_or(0, |e| e.field_id);
    let mut authors: Vec<Option<AuthorView>> = entry
        .as_ref()
        .map(|e| e.authors.iter().cloned().map(Some).collect())
        .unwrap_or_default();
    authors.resize(AUTHOR_ROWS.max(authors.len() + 1), None);
    let heading = match &entry {
        Some(e) => format!("Giải pháp {}", e.code),
        None => "Đăng ký giải pháp mới".to_string(),
    };

    let form_ref = NodeRef::<leptos::html::Form>::new();
    let panel = entry.as_ref().zip(status.clone()).map(|(e, status)| {
        view! { <StatusPanel entry=e.id status code=e.code.clone() /> }
    });
    let closed = locked && status.as_ref().is_none_or(|s| s.state == EntryState::Draft);
    view! {
        {panel}
        <section class="card">
            <h1>{heading}</h1>
            <FlashError place="form" />
            <p class="muted">
                {edition.summary.name.clone()} " lần thứ " {edition.summary.number}
                " · Hạn đăng ký: " <strong>{edition.summary.deadline.clone()}</strong>
            </p>
            {closed.then(|| view! { <p class="error" role="alert">"Đã hết hạn đăng ký; hồ sơ không thể thay đổi."</p> })}
            <DraftKeeper form=form_ref key=draft_key("technical", edition.summary.id, id) />
            <ActionForm action=save node_ref=form_ref>
                <fieldset class="plain" disabled=locked>
                <input type="hidden" name="entry[id]" value=id />
                <input type="hidden" name="entry[edition_id]" value=edition.summary.id />
                <label>
                    "Tên giải pháp"
                    <input name="entry[title]" value=title required />
                    {field_error(save.value(), "Tên giải pháp")}
                </label>
                <label>
                    "Lĩnh vực"
                    <select name="entry[field_id]" required>
                        <option value="0">"— Chọn lĩnh vực —"</option>
                        {edition.fields.iter().map(|f| view! {
                            <option value=f.id selected=f.id == field_id>{f.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    {field_error(save.value(), "Lĩnh vực")}
                </label>
                <label>
                    "Tóm tắt giải pháp"
                    <textarea name="entry[summary]" rows="5" required>{textarea_text(summary)}</textarea>
                    {field_error(save.value(), "Tóm tắt")}
                </label>
                <div class="row">
                    <label>
                        "Áp dụng từ ngày"
                        <input name="entry[applied_since]" placeholder="dd/mm/yyyy" value=applied_since autocomplete="off" required />
                        {field_error(save.value(), "Ngày áp dụng")}
                    </label>
                    <label>
                        "Đơn vị áp dụng"
                        <input name="entry[applying_unit]" value=applying_unit required />
                        {field_error(save.value(), "Đơn vị áp dụng")}
                    </label>
                </div>
                <fieldset>
                    <legend>"Tác giả (tổng tỷ lệ đóng góp 100%; để trống các dòng thừa)"</legend>
                    {field_error(save.value(), "Tác giả")}
                    {authors.into_iter().enumerate().map(|(i, a)| view! { <AuthorRow index=i author=a save /> }).collect_view()}
                </fieldset>
                <button type="submit" disabled=locked>"Lưu hồ sơ"</button>
            </fieldset>
            </ActionForm>
            {action_result(save.value(), "Đã lưu hồ sơ.")}
        </section>
        {entry.zip(status).map(|(e, status)| view! { <EntryFiles entry=e status locked submit /> })}
    }
}

#[component]
fn AuthorRow(
    index: usize,
    author: Option<AuthorView>,
    save: ServerAction<SaveEntry>,
) -> impl IntoView {
    let name = move |field: &str| format!("entry[authors][{index}][{field}]");
    let a = author.unwrap_or(AuthorView {
        full_name: String::new(),
        birth_date: String::new(),
        phone: String::new(),
        email: String::new(),
        unit: String::new(),
        share: 0,
    });
    let share = if a.share > 0 {
        a.share.to_string()
    } else {
        String::new()
    };
    view! {
        <div class="author" data-testid=format!("author-{}", index + 1)>
            <strong>"Tác giả " {index + 1}</strong>
            <label>"Họ và tên" <input name=name("full_name") value=a.full_name autocomplete="off" /></label>
            <label>"Ngày sinh" <input name=name("birth_date") placeholder="dd/mm/yyyy" value=format_iso_date(&a.birth_date) autocomplete="off" /></label>
            <label>"Điện thoại" <input type="tel" name=name("phone") value=a.phone /></label>
            <label>"Email" <input type="email" name=name("email") value=a.email /></label>
            <label>"Đơn vị công tác" <input name=name("unit") value=a.unit /></label>
            <label>"Tỷ lệ đóng góp (%)" <input name=name("share") inputmode="numeric" value=share /></label>
            {row_error(save.value(), format!("Tác giả {} – ", index + 1))}
        </div>
    }
}

#[component]
fn EntryFiles(
    entry: EntryView,
    status: EntryStatus,
    locked: bool,
    submit: ServerAction<SubmitEntry>,
) -> impl IntoView {
    let can_submit = !locked && matches!(status.state, EntryState::Draft | EntryState::Returned);
    let is_draft = status.state == EntryState::Draft;
    let upload_url = format!("/tep/giai-phap/{}/thuyet-minh", entry.id);
    let query = use_query_map();
    let uploaded = move || query.read().get("tai_len").is_some();
    view! {
        <section class="card">
            <h2>"Bản thuyết minh giải pháp"</h2>
            {move || uploaded().then(|| view! { <p class="ok" role="status">"Đã tải lên tệp thuyết minh."</p> })}
            <FlashError place="upload" />
            {match entry.file.clone() {
                Some(file) => view! {
                    <p>"Đã tải lên: " <a href=file.url data-testid="description-link">{file.name}</a>
                       " (" {crate::app::format_size(file.size_bytes)} ")"</p>
                }.into_any(),
                None => view! { <p>"Chưa có tệp thuyết minh."</p> }.into_any(),
            }}
            <form method="post" action=upload_url enctype="multipart/form-data">
                <label>
                    "Tệp PDF hoặc DOCX, tối đa 20 MB"
                    <input type="file" name="file" accept=".pdf,.docx" required disabled=locked />
                </label>
                <button type="submit" disabled=locked>"Tải lên"</button>
            </form>
            {can_submit.then(|| view! {
                <ActionForm action=submit>
                    <input type="hidden" name="id" value=entry.id />
                    <button type="submit">{if is_draft { "Nộp hồ sơ" } else { "Nộp lại hồ sơ" }}</button>
                </ActionForm>
            })}
            {action_result(submit.value(), "Đã nộp hồ sơ.")}
            {(is_draft && !locked).then(|| view! { <DeleteDraftButton id=entry.id /> })}
        </section>
    }
}
