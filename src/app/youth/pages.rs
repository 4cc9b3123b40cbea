//! The youth entry page: the group, the teachers, the product, the files.
//! The form checks the edition's rules as one types, with the same code
//! the server runs.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::validate::{Problem, Who, check};
use super::{
    MEMBER_ROWS, MemberForm, SUPERVISOR_ROWS, SaveYouthEntry, SupervisorForm, YouthForm,
    YouthRules, YouthView, get_youth_entry, get_youth_rules,
};
use crate::app::drafts::{DraftKeeper, draft_key};
use crate::app::editions::Program;
use crate::app::entries::{ChangeEntryState, FilesAndSubmit, StatusPanel};
use crate::app::error::AppError;
use crate::app::{
    ErrorNote, FlashError, action_result, field_error, loading, row_error, successes, textarea_text,
};

type Loaded = (Option<YouthView>, YouthRules, i64);

async fn load(param: String, edition: Option<i64>) -> Result<Loaded, AppError> {
    match param.parse::<i64>() {
        Ok(id) => {
            let entry = get_youth_entry(id).await?;
            let edition = entry.form.edition_id;
            let rules = get_youth_rules(edition).await?;
            Ok((Some(entry), rules, edition))
        }
        Err(_) => {
            let edition = edition.ok_or_else(|| AppError::NotFound("cuộc thi".into()))?;
            Ok((None, get_youth_rules(edition).await?, edition))
        }
    }
}

#[component]
pub fn YouthEntryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let save = ServerAction::<SaveYouthEntry>::new();
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
        <Title text="Sản phẩm dự thi · Sáng tạo thanh thiếu niên, nhi đồng" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((entry, rules, edition)) => view! { <YouthEditor entry rules edition save submit /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The problems of one row of the form, as the browser finds them.
fn problems_of(problems: &[Problem], who: Who) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.who == who)
        .map(|p| format!("{}: {}", p.part.label(), p.message))
        .collect()
}

#[component]
fn YouthEditor(
    entry: Option<YouthView>,
    rules: YouthRules,
    edition: i64,
    save: ServerAction<SaveYouthEntry>,
    submit: ServerAction<ChangeEntryState>,
) -> impl IntoView {
    let editable = entry.as_ref().is_none_or(|e| e.status.editable);
    let form = entry.as_ref().map(|e| e.form.clone()).unwrap_or_default();
    let id = form.id;
    let heading = match &entry {
        Some(e) => format!("Sản phẩm dự thi {}", e.code),
        None => "Đăng ký sản phẩm dự thi".to_string(),
    };
    let mut members = form.members.clone();
    members.resize(
        MEMBER_ROWS.max(rules.group_max).max(members.len()),
        MemberForm::default(),
    );
    let mut supervisors = form.supervisors.clone();
    supervisors.resize(
        SUPERVISOR_ROWS.max(supervisors.len()),
        SupervisorForm::default(),
    );
    // What the browser finds wrong as one types; the server checks again.
    let (typed, set_typed) = signal(None::<YouthForm>);
    let checked_rules = rules.clone();
    let problems = Memo::new(move |_| {
        typed
            .get()
            .map(|form| check(&form, &checked_rules).err().unwrap_or_default())
            .unwrap_or_default()
    });
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let on_change = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_ref.get() {
            set_typed.set(read_form(&form));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (form_ref, set_typed);
    };
    let rule_text = format!(
        "Thành viên từ {} đến {} tuổi tính theo ngày sinh đến ngày {}; mỗi nhóm tối đa {} thành viên.",
        rules.window.min,
        rules.window.max,
        crate::domain::dates::format_date(rules.window.on),
        rules.group_max
    );
    let field_id = form.field_id;
    view! {
        {entry.as_ref().map(|e| view! { <StatusPanel entry=e.form.id status=e.status.clone() code=e.code.clone() /> })}
        <section class="card">
            <h1>{heading}</h1>
            <FlashError place="form" />
            <p class="muted" data-testid="youth-rule">{rule_text}</p>
            {entry.as_ref().map(|e| view! {
                <p class="muted">{e.edition_name.clone()} " · Hạn đăng ký: " {e.deadline.clone()}
                   {(!e.level_group.is_empty()).then(|| format!(" · Bảng: {}", e.level_group))}</p>
            })}
            <DraftKeeper form=form_ref key=draft_key("youth", edition, id) />
            <ActionForm action=save node_ref=form_ref on:change=on_change>
                <fieldset class="plain" disabled=!editable>
                <input type="hidden" name="entry[id]" value=id />
                <input type="hidden" name="entry[edition_id]" value=edition />
                <label>
                    "Tên sản phẩm"
                    <input name="entry[title]" value=form.title.clone() required />
                    {field_error(save.value(), "Tên sản phẩm")}
                </label>
                <label>
                    "Lĩnh vực"
                    <select name="entry[field_id]" required>
                        <option value="0">"— Chọn lĩnh vực —"</option>
                        {rules.fields.iter().map(|f| view! {
                            <option value=f.id selected=f.id == field_id>{f.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    {field_error(save.value(), "Lĩnh vực")}
                </label>
                <label>
                    "Mô tả sản phẩm (ý tưởng, cách làm, công dụng)"
                    <textarea name="entry[summary]" rows="5">{textarea_text(form.summary.clone())}</textarea>
                    {field_error(save.value(), "Mô tả sản phẩm")}
                </label>
                <label>
                    "Đường dẫn video giới thiệu (không bắt buộc)"
                    <input type="url" name="entry[video_url]" value=form.video_url.clone() placeholder="https://" />
                    {field_error(save.value(), "Đường dẫn video")}
                </label>
                <fieldset>
                    <legend>"Thành viên nhóm (để trống các dòng thừa)"</legend>
                    {field_error(save.value(), "Thành viên")}
                    {members.into_iter().enumerate().map(|(i, m)| {
                        let name = move |field: &str| format!("entry[members][{i}][{field}]");
                        let row_problems = move || problems_of(&problems.get(), Who::Member(i));
                        view! {
                            <div class="person" data-testid=format!("member-{}", i + 1)>
                                <strong>"Thành viên " {i + 1}</strong>
                                <label>"Họ và tên" <input name=name("full_name") value=m.full_name autocomplete="off" /></label>
                                <label>"Ngày sinh" <input name=name("birth_date") value=m.birth_date placeholder="dd/mm/yyyy" inputmode="numeric" autocomplete="off" /></label>
                                <label>"Trường" <input name=name("school") value=m.school /></label>
                                <label>"Lớp" <input name=name("grade") value=m.grade placeholder="VD: 7A" /></label>
                                <label>"Xã/phường" <input name=name("commune") value=m.commune /></label>
                                <label>"Tỉnh/thành phố" <input name=name("province") value=m.province /></label>
                                <ul class="field-errors" role="alert">
                                    {move || row_problems().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                </ul>
                                {move || row_problems().is_empty().then(|| row_error(save.value(), format!("Thành viên {} – ", i + 1)))}
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <fieldset>
                    <legend>"Giáo viên hướng dẫn (một hoặc hai người)"</legend>
                    {field_error(save.value(), "Giáo viên hướng dẫn")}
                    {supervisors.into_iter().enumerate().map(|(i, s)| {
                        let name = move |field: &str| format!("entry[supervisors][{i}][{field}]");
                        let row_problems = move || problems_of(&problems.get(), Who::Supervisor(i));
                        view! {
                            <div class="person" data-testid=format!("supervisor-{}", i + 1)>
                                <strong>"Giáo viên " {i + 1}</strong>
                                <label>"Họ và tên" <input name=name("full_name") value=s.full_name autocomplete="off" /></label>
                                <label>"Trường" <input name=name("school") value=s.school /></label>
                                <label>"Điện thoại" <input type="tel" name=name("phone") value=s.phone /></label>
                                <label>"Email" <input type="email" name=name("email") value=s.email /></label>
                                <ul class="field-errors" role="alert">
                                    {move || row_problems().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                </ul>
                                {move || row_problems().is_empty().then(|| row_error(save.value(), format!("Giáo viên hướng dẫn {} – ", i + 1)))}
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <ul class="field-errors" role="alert">
                    {move || problems_of(&problems.get(), Who::Entry).into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
                <button type="submit">"Lưu hồ sơ"</button>
                </fieldset>
            </ActionForm>
            {action_result(save.value(), "Đã lưu hồ sơ.")}
        </section>
        {entry.map(|e| view! {
            <FilesAndSubmit
                entry=e.form.id
                files=e.files.clone()
                kinds=Program::Youth.file_kinds()
                editable=e.status.editable
                state=e.status.state
                submit
            />
        })}
    }
}

/// Reads the form as typed, the way the server will receive it.
#[cfg(feature = "hydrate")]
fn read_form(form: &web_sys::HtmlFormElement) -> Option<YouthForm> {
    use wasm_bindgen::JsCast;
    let elements = form.elements();
    let mut typed = YouthForm::default();
    for i in 0..elements.length() {
        let Some(element) = elements.item(i) else {
            continue;
        };
        let (name, value) = if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            (input.name(), input.value())
        } else if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
            (select.name(), select.value())
        } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            (area.name(), area.value())
        } else {
            continue;
        };
        let parts: Vec<&str> = name
            .trim_start_matches("entry[")
            .trim_end_matches(']')
            .split("][")
            .collect();
        match parts.as_slice() {
            ["id"] => typed.id = value.parse().unwrap_or(0),
            ["edition_id"] => typed.edition_id = value.parse().unwrap_or(0),
            ["field_id"] => typed.field_id = value.parse().unwrap_or(0),
            ["title"] => typed.title = value,
            ["summary"] => typed.summary = value,
            ["video_url"] => typed.video_url = value,
            ["members", index, field] => {
                let index: usize = index.parse().ok()?;
                if typed.members.len() <= index {
                    typed.members.resize(index + 1, MemberForm::default());
                }
                let m = &mut typed.members[index];
                match *field {
                    "full_name" => m.full_name = value,
                    "birth_date" => m.birth_date = value,
                    "school" => m.school = value,
                    "grade" => m.grade = value,
                    "commune" => m.commune = value,
                    "province" => m.province = value,
                    _ => {}
                }
            }
            ["supervisors", index, field] => {
                let index: usize = index.parse().ok()?;
                if typed.supervisors.len() <= index {
                    typed
                        .supervisors
                        .resize(index + 1, SupervisorForm::default());
                }
                let s = &mut typed.supervisors[index];
                match *field {
                    "full_name" => s.full_name = value,
                    "school" => s.school = value,
                    "phone" => s.phone = value,
                    "email" => s.email = value,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Some(typed)
}
