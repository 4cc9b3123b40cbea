//! The nominating unit's pages: its nominations, and the nomination form
//! with the category's checklist and evidence.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    HonorRules, NominationView, SaveNomination, get_honor_rules, get_nomination, my_nominations,
};
use crate::app::drafts::{DraftKeeper, draft_key};
use crate::app::editions::{Program, public_editions};
use crate::app::entries::{ChangeEntryState, FilesAndSubmit, StatusPanel};
use crate::app::error::AppError;
use crate::app::{
    ErrorNote, FlashError, action_result, field_error, loading, successes, textarea_text,
};

#[component]
pub fn UnitHomePage() -> impl IntoView {
    let nominations = Resource::new(|| (), |_| my_nominations());
    let editions = Resource::new(|| (), |_| public_editions());
    view! {
        <Title text="Hồ sơ đề cử · Tôn vinh" />
        <section class="card">
            <h1>"Hồ sơ đề cử của đơn vị"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match nominations.await {
                        Ok(list) if list.is_empty() => view! { <p>"Đơn vị chưa đề cử ứng viên nào."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="entries">
                                {list.into_iter().map(|e| view! {
                                    <li>
                                        <a href=format!("/ho-so/de-cu/{}", e.id)>{e.code} " – " {e.title}</a>
                                        <span class="muted">" · " {e.field_name}</span>
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
            <h2>"Đề cử ứng viên mới"</h2>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    let open: Vec<_> = editions.await.unwrap_or_default().into_iter()
                        .filter(|e| e.program == Program::Honors && !e.deadline_passed).collect();
                    if open.is_empty() {
                        return view! { <p class="muted">"Hiện không có đợt tôn vinh nào đang nhận hồ sơ."</p> }.into_any();
                    }
                    view! {
                        <ul class="editions">
                            {open.into_iter().map(|e| view! {
                                <li>
                                    <a class="button" href=format!("/ho-so/de-cu/moi?ky_thi={}", e.id)>
                                        "Đề cử vào " {e.name} " " {e.year}
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

type Loaded = (Option<NominationView>, HonorRules, i64);

async fn load(param: String, edition: Option<i64>) -> Result<Loaded, AppError> {
    match param.parse::<i64>() {
        Ok(id) => {
            let entry = get_nomination(id).await?;
            let edition = entry.form.edition_id;
            Ok((Some(entry), get_honor_rules(edition).await?, edition))
        }
        Err(_) => {
            let edition = edition.ok_or_else(|| AppError::NotFound("đợt tôn vinh".into()))?;
            Ok((None, get_honor_rules(edition).await?, edition))
        }
    }
}

#[component]
pub fn NominationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let save = ServerAction::<SaveNomination>::new();
    let submit = ServerAction::<ChangeEntryState>::new();
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
        <Title text="Hồ sơ đề cử · Tôn vinh" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((entry, rules, edition)) => view! { <NominationEditor entry rules edition save submit /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NominationEditor(
    entry: Option<NominationView>,
    rules: HonorRules,
    edition: i64,
    save: ServerAction<SaveNomination>,
    submit: ServerAction<ChangeEntryState>,
) -> impl IntoView {
    let editable = entry.as_ref().is_none_or(|e| e.status.editable);
    let form = entry.as_ref().map(|e| e.form.clone()).unwrap_or_default();
    let category = rules
        .categories
        .iter()
        .find(|c| c.id == form.field_id)
        .cloned();
    let heading = match &entry {
        Some(e) => format!("Hồ sơ đề cử {}", e.code),
        None => "Đề cử ứng viên".to_string(),
    };
    let field = |name: &str| format!("nomination[{name}]");
    let criteria: Vec<(i64, String)> = category
        .as_ref()
        .map(|c| c.criteria.iter().map(|x| (x.id, x.text.clone())).collect())
        .unwrap_or_default();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    // The checklist follows the category chosen, as one picks it.
    let (chosen, set_chosen) = signal(form.field_id);
    let categories = rules.categories.clone();
    let checks = form.checks.clone();
    view! {
        {entry.as_ref().map(|e| view! { <StatusPanel entry=e.form.id status=e.status.clone() code=e.code.clone() /> })}
        <section class="card">
            <h1>{heading}</h1>
            <FlashError place="form" />
            <DraftKeeper form=form_ref key=draft_key("honors", edition, form.id) />
            <ActionForm action=save node_ref=form_ref>
                <fieldset class="plain" disabled=!editable>
                <input type="hidden" name=field("id") value=form.id />
                <input type="hidden" name=field("edition_id") value=edition />
                <label>
                    "Hạng mục"
                    <select name=field("field_id") required
                        on:change=move |ev| set_chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0">"— Chọn hạng mục —"</option>
                        {rules.categories.iter().map(|c| view! {
                            <option value=c.id selected=c.id == form.field_id>{c.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    {field_error(save.value(), "Hạng mục")}
                </label>
                <label>"Họ và tên ứng viên" <input name=field("full_name") value=form.full_name.clone() required />{field_error(save.value(), "Họ và tên")}</label>
                <label>"Ngày sinh" <input name=field("birth_date") value=form.birth_date.clone() placeholder="dd/mm/yyyy" inputmode="numeric" required />{field_error(save.value(), "Ngày sinh")}</label>
                <label>"Học vị" <input name=field("degree") value=form.degree.clone() placeholder="VD: TS." />{field_error(save.value(), "Học vị")}</label>
                <label>"Ngày cấp bằng (tiến sĩ)" <input name=field("degree_date") value=form.degree_date.clone() placeholder="dd/mm/yyyy" inputmode="numeric" />{field_error(save.value(), "Ngày cấp bằng")}</label>
                <label>"Học hàm, danh hiệu" <input name=field("academic_title") value=form.academic_title.clone() placeholder="VD: PGS., NGƯT" /></label>
                <label>"Chuyên ngành" <input name=field("expertise") value=form.expertise.clone() /></label>
                <label>"Cơ quan công tác" <input name=field("workplace") value=form.workplace.clone() required />{field_error(save.value(), "Cơ quan công tác")}</label>
                <label>"Email" <input type="email" name=field("email") value=form.email.clone() />{field_error(save.value(), "Email")}</label>
                <label>"Điện thoại" <input type="tel" name=field("phone") value=form.phone.clone() />{field_error(save.value(), "Điện thoại")}</label>
                <label>"Thành tích tiêu biểu" <textarea name=field("achievements") rows="6">{textarea_text(form.achievements.clone())}</textarea>{field_error(save.value(), "Thành tích")}</label>
                {move || {
                    let checks = checks.clone();
                    match categories.iter().find(|c| c.id == chosen.get()) {
                        Some(c) => view! {
                            <fieldset data-testid="checklist">
                                <legend>"Tiêu chí ứng viên đạt được (" {c.name.clone()} ")"</legend>
                                {c.criteria.iter().enumerate().map(|(i, criterion)| view! {
                                    <label class="check">
                                        <input type="checkbox" name=format!("nomination[checks][{i}]") value=criterion.id
                                            checked=checks.contains(&criterion.id) />
                                        {criterion.text.clone()}
                                    </label>
                                }).collect_view()}
                                {field_error(save.value(), "Tiêu chí")}
                            </fieldset>
                        }.into_any(),
                        None => view! {
                            <p class="muted">"Chọn hạng mục để hiện danh sách tiêu chí của hạng mục."</p>
                        }.into_any(),
                    }
                }}
                <button type="submit">"Lưu hồ sơ"</button>
                </fieldset>
            </ActionForm>
            {action_result(save.value(), "Đã lưu hồ sơ.")}
        </section>
        {entry.map(|e| {
            view! {
                <FilesAndSubmit
                    entry=e.form.id
                    files=e.files.clone()
                    kinds=Program::Honors.file_kinds()
                    editable=e.status.editable
                    state=e.status.state
                    criteria
                    submit
                />
            }
        })}
    }
}
