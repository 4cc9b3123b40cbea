//! Pages for editions: the public home, the organizer's list, the
//! new-edition form and one edition's administration.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    CreateEdition, EditionDetail, EditionSummary, NewEdition, OpenRegistration, Program,
    SetDeadline, get_edition, list_editions, public_editions,
};
use crate::app::{ErrorNote, FlashError, action_result, loading, textarea_text};

/// Reads the `:id` route parameter.
pub fn id_param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync {
    let params = use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_default()
    }
}

#[component]
fn EditionLine(edition: EditionSummary, href: String) -> impl IntoView {
    let state = if !edition.open {
        "Đang chuẩn bị"
    } else if edition.deadline_passed {
        "Đã hết hạn đăng ký"
    } else {
        "Đang nhận hồ sơ"
    };
    view! {
        <li class="edition">
            <a href=href>{edition.name.clone()} " lần thứ " {edition.number} " (" {edition.year} ")"</a>
            <span class="muted">" · " {state} " · hạn đăng ký " {edition.deadline.clone()}</span>
        </li>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let editions = Resource::new(|| (), |_| public_editions());
    view! {
        <Title text="Hội thi Sáng tạo kỹ thuật · Sáng tạo kỹ thuật" />
        <section class="hero">
            <h1>"Hội thi Sáng tạo kỹ thuật"</h1>
            <p>
                "Giải pháp kỹ thuật đã được áp dụng vào thực tế, của mọi cá nhân và tổ chức "
                "đang sống và làm việc trong tỉnh. Đăng ký tài khoản, nộp hồ sơ trực tuyến và theo dõi kết quả."
            </p>
        </section>
        <section class="card">
            <h2>"Các kỳ thi đang nhận hồ sơ"</h2>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match editions.await {
                        Ok(list) if list.is_empty() => view! { <p>"Hiện chưa có kỳ thi nào mở đăng ký."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="editions">
                                {list.into_iter().map(|e| {
                                    let href = format!("/ky-thi/{}", e.id);
                                    view! { <EditionLine href edition=e /> }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a class="button" href="/dang-ky">"Đăng ký dự thi"</a> " " <a href="/dang-nhap">"Đăng nhập"</a></p>
        </section>
    }
}

#[component]
pub fn OrganizerHomePage() -> impl IntoView {
    let editions = Resource::new(|| (), |_| list_editions());
    view! {
        <Title text="Các kỳ thi · Sáng tạo kỹ thuật" />
        <section class="card">
            <h1>"Các kỳ thi"</h1>
            <p class="actions">
                <a class="button" href="/to-chuc/ky-thi/moi">"Tạo kỳ thi mới"</a>
                <a class="button" href="/to-chuc/thu-di">"Thư thông báo"</a>
            </p>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match editions.await {
                        Ok(list) => view! {
                            <ul class="editions">
                                {list.into_iter().map(|e| {
                                    let href = format!("/to-chuc/ky-thi/{}", e.id);
                                    view! { <EditionLine href edition=e /> }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn NewEditionPage() -> impl IntoView {
    let action = ServerAction::<CreateEdition>::new();
    let query = leptos_router::hooks::use_query_map();
    let program = query
        .read_untracked()
        .get("loai")
        .and_then(|p| super::Program::from_db(&p))
        .unwrap_or_default();
    let d = NewEdition::for_program(program);
    let youth = program == super::Program::Youth;
    let honors = program == super::Program::Honors;
    view! {
        <Title text="Tạo kỳ thi · Sáng tạo kỹ thuật" />
        <section class="card">
            <h1>"Tạo " {program.label()}</h1>
            <nav class="actions">
                {super::Program::ALL.iter().map(|p| view! {
                    <a href=format!("/to-chuc/ky-thi/moi?loai={}", p.as_db())
                       aria-current=(*p == program).then_some("page")>{p.label()}</a>
                }).collect_view()}
            </nav>
            <FlashError place="form" />
            <ActionForm action>
                <input type="hidden" name="edition[program]" value=d.program.clone() />
                <label>"Tên kỳ thi" <input name="edition[name]" value=d.name required /></label>
                <div class="row">
                    <label>"Lần thứ" <input name="edition[number]" inputmode="numeric" required /></label>
                    <label>"Năm" <input name="edition[year]" inputmode="numeric" required /></label>
                </div>
                <label>
                    "Hạn đăng ký (giờ Việt Nam)"
                    <input name="edition[deadline]" placeholder="dd/mm/yyyy hh:mm" autocomplete="off" required />
                </label>
                <label>
                    {if honors { "Hạng mục (mỗi dòng: tên | điều kiện, ví dụ \"tối đa 35 tuổi\")" } else { "Lĩnh vực (mỗi dòng một lĩnh vực)" }}
                    <textarea name="edition[fields]" rows="6">{textarea_text(d.fields)}</textarea>
                </label>
                {(youth || honors).then(|| view! {
                    <label>
                        "Ngày tính tuổi (tuổi tính theo ngày sinh đến ngày này)"
                        <input name="edition[age_on]" placeholder="dd/mm/yyyy" inputmode="numeric" required=youth />
                    </label>
                })}
                {youth.then(|| view! {
                    <div class="row">
                        <label>"Tuổi nhỏ nhất" <input name="edition[age_min]" value=d.age_min.clone() inputmode="numeric" /></label>
                        <label>"Tuổi lớn nhất" <input name="edition[age_max]" value=d.age_max.clone() inputmode="numeric" /></label>
                        <label>"Số thành viên tối đa" <input name="edition[group_max]" value=d.group_max.clone() inputmode="numeric" /></label>
                    </div>
                    <label>
                        "Bảng thi xếp hạng riêng (mỗi dòng: tên bảng | cấp học, cấp học)"
                        <textarea name="edition[level_groups]" rows="3">{textarea_text(d.level_groups.clone())}</textarea>
                    </label>
                })}
                {honors.then(|| view! {
                    <label class="check">
                        <input type="checkbox" name="edition[self_nomination]" value="on" />
                        "Cho phép cá nhân tự đề cử"
                    </label>
                })}
                <label>
                    "Tiêu chí chấm điểm (mỗi dòng: tên | điểm tối đa)"
                    <textarea name="edition[criteria]" rows="4">{textarea_text(d.criteria)}</textarea>
                </label>
                <div class="row">
                    <label>"Bước điểm" <input name="edition[step]" value=d.step required /></label>
                    <label>"Điểm sàn để xét giải" <input name="edition[floor]" value=d.floor required /></label>
                </div>
                <label>
                    "Cơ cấu giải cho mỗi lĩnh vực (mỗi dòng: tên giải | số lượng)"
                    <textarea name="edition[prizes]" rows="4">{textarea_text(d.prizes)}</textarea>
                </label>
                <button type="submit">"Tạo kỳ thi"</button>
            </ActionForm>
            {action_result(action.value(), "Đã tạo kỳ thi.")}
        </section>
    }
}

#[component]
pub fn EditionAdminPage() -> impl IntoView {
    use crate::app::entries::{ChangeEntryState, edition_duplicates, edition_entries};
    let id = id_param("id");
    let open = ServerAction::<OpenRegistration>::new();
    let deadline = ServerAction::<SetDeadline>::new();
    let detail = Resource::new(
        move || (id(), open.version().get(), deadline.version().get()),
        |(id, _, _)| get_edition(id),
    );
    // Every fetch of the page starts here, not inside another's Suspense,
    // so none runs after its owner is gone during server rendering.
    let review = ServerAction::<ChangeEntryState>::new();
    let reviewed = crate::app::successes(review.value());
    let query = leptos_router::hooks::use_query_map();
    let filter = move || entry_filter(&query.read());
    let list = EntryList {
        review,
        entries: Resource::new(
            move || (id(), filter(), reviewed.get()),
            |(e, f, _)| edition_entries(e, f),
        ),
        duplicates: Resource::new(
            move || (id(), reviewed.get()),
            |(e, _)| edition_duplicates(e),
        ),
    };
    let units = crate::app::honors::UnitsPanel::for_page();
    view! {
        <Title text="Quản lý kỳ thi · Sáng tạo kỹ thuật" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let d = match detail.await {
                    Ok(d) => d,
                    Err(error) => return view! { <ErrorNote error /> }.into_any(),
                };
                let id = d.summary.id;
                let rules = d.clone();
                let (fields, level_groups) = (d.fields.clone(), d.level_groups.clone());
                let honors = (d.summary.program == Program::Honors).then(|| d.clone());
                view! {
                    <section class="card">
                        <h1>{d.summary.name.clone()} " lần thứ " {d.summary.number} " (" {d.summary.year} ")"</h1>
                        <FlashError place="form" />
                        <p data-testid="edition-state">
                            {if d.summary.open { "Đang nhận hồ sơ" } else { "Đang chuẩn bị (thí sinh chưa thấy kỳ thi)" }}
                            " · Hạn đăng ký: " <strong>{d.summary.deadline.clone()}</strong>
                            " · " {d.entry_count} " hồ sơ · " {d.judge_count} " giám khảo"
                        </p>
                        <nav class="actions">
                            <a class="button" href=format!("/to-chuc/ky-thi/{id}/giam-khao")>"Giám khảo"</a>
                            <a class="button" href=format!("/to-chuc/ky-thi/{id}/cham-diem")>"Tổ chức chấm thi"</a>
                            <a class="button" href=format!("/to-chuc/ky-thi/{id}/ket-qua")>"Kết quả"</a>
                        </nav>
                        {(!d.summary.open).then(|| view! {
                            <ActionForm action=open>
                                <input type="hidden" name="id" value=id />
                                <button type="submit">"Mở đăng ký"</button>
                            </ActionForm>
                        })}
                        {action_result(open.value(), "Đã mở đăng ký.")}
                        <ActionForm action=deadline attr:class="row">
                            <input type="hidden" name="id" value=id />
                            <label>
                                "Đổi hạn đăng ký"
                                <input name="deadline" placeholder="dd/mm/yyyy hh:mm" value=d.summary.deadline.clone() autocomplete="off" />
                            </label>
                            <button type="submit">"Lưu hạn"</button>
                        </ActionForm>
                        {action_result(deadline.value(), "Đã đổi hạn đăng ký.")}
                    </section>
                    <EditionEntries program=d.summary.program fields level_groups list />
                    {honors.map(|detail| view! {
                        <crate::app::honors::HonorsSetup detail panel=units />
                    })}
                    <crate::app::outbox::GroupMessage edition=id fields=d.fields.clone() />
                    <EditionRules detail=rules />
                }.into_any()
            })}
        </Suspense>
    }
}

/// The organizer's table of an edition's entries, with filters read from
/// the address (so a filtered list can be bookmarked and works without
/// JavaScript), possible duplicates, and the review of each entry.
#[component]
fn EditionEntries(
    program: Program,
    fields: Vec<super::FieldItem>,
    level_groups: Vec<crate::domain::youth::LevelGroup>,
    list: EntryList,
) -> impl IntoView {
    use crate::domain::lifecycle::EntryState;
    let EntryList {
        review,
        entries,
        duplicates,
    } = list;
    let query = leptos_router::hooks::use_query_map();
    let current = entry_filter(&query.read_untracked());
    view! {
        <section class="card" id="ho-so">
            <h2>"Hồ sơ dự thi"</h2>
            <form method="get" class="filters" data-testid="entry-filters">
                <label>"Tìm tên, mã" <input name="tim" value=current.q.clone() /></label>
                <label>
                    "Trạng thái"
                    <select name="trang_thai">
                        <option value="">"Tất cả"</option>
                        {EntryState::ALL.iter().map(|s| {
                            let selected = current.state == s.as_db();
                            view! { <option value=s.as_db() selected=selected>{s.label()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {program.field_noun()}
                    <select name="linh_vuc">
                        <option value="">"Tất cả"</option>
                        {fields.iter().map(|f| view! {
                            <option value=f.id selected=current.field == Some(f.id)>
                                {f.name.clone()}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                {(!level_groups.is_empty()).then(|| view! {
                    <label>
                        "Bảng"
                        <select name="bang">
                            <option value="">"Tất cả"</option>
                            {level_groups.iter().map(|g| view! {
                                <option value=g.id selected=current.level_group == Some(g.id)>{g.name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
                {(program == Program::Youth).then(|| view! {
                    <label>"Trường" <input name="truong" value=current.school.clone() /></label>
                    <label>"Xã/phường" <input name="xa" value=current.commune.clone() /></label>
                })}
                <button type="submit">"Lọc"</button>
            </form>
            {action_result(review.value(), "Đã cập nhật trạng thái hồ sơ.")}
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) if list.is_empty() => view! { <p>"Không có hồ sơ nào."</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="scroll">
                                <table data-testid="edition-entries">
                                    <thead><tr>
                                        <th>"Mã"</th><th>{program.title_noun()}</th><th>{program.field_noun()}</th>
                                        <th>{program.people_noun()}</th><th>"Trạng thái"</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|e| view! {
                                            <tr data-testid=format!("entry-{}", e.code)>
                                                <td class="code">{e.code.clone()}</td>
                                                <td>
                                                    <a href=program.entry_path(e.id)>{e.title.clone()}</a> <br />
                                                    {e.file_url.clone().map(|url| view! { <a href=url>"Bản thuyết minh"</a> })}
                                                    {(!e.level_group.is_empty()).then(|| view! { <span class="muted">"Bảng: " {e.level_group.clone()}</span> })}
                                                </td>
                                                <td>{e.field_name.clone()}</td>
                                                <td>{e.authors.clone()} <br /> <span class="muted">{e.schools.clone()} " " {e.owner_email.clone()}</span></td>
                                                <td>
                                                    {e.state.label()}
                                                    {review_open(e.state).then(|| view! {
                                                        <ReviewForm entry=e.id review />
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
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let flags = duplicates.await.unwrap_or_default();
                    (!flags.is_empty()).then(|| view! {
                        <div class="warning" data-testid="duplicates">
                            <h3>"Có thể trùng lặp (hãy kiểm tra; hệ thống không tự gộp)"</h3>
                            <ul>
                                {flags.into_iter().map(|f| {
                                    view! {
                                        <li>
                                            {f.entries.into_iter().map(|(id, code)| view! {
                                                <a href=program.entry_path(id)>{code}</a> " "
                                            }).collect_view()}
                                            ": " {f.reason}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </div>
                    })
                })}
            </Suspense>
        </section>
    }
}

/// The organizer's list of an edition's entries: its fetches and the
/// review action, made at the top of the page.
#[derive(Clone, Copy)]
struct EntryList {
    review: ServerAction<crate::app::entries::ChangeEntryState>,
    entries:
        Resource<Result<Vec<crate::app::entries::EntryAdminLine>, crate::app::error::AppError>>,
    duplicates:
        Resource<Result<Vec<crate::app::entries::DuplicateFlag>, crate::app::error::AppError>>,
}

/// The list's filter as the address gives it, so a filtered list can be
/// bookmarked and works without JavaScript.
fn entry_filter(q: &leptos_router::params::ParamsMap) -> crate::app::entries::EntryFilter {
    let text = |k: &str| q.get(k).unwrap_or_default();
    crate::app::entries::EntryFilter {
        field: q.get("linh_vuc").and_then(|v| v.parse().ok()),
        state: text("trang_thai"),
        level_group: q.get("bang").and_then(|v| v.parse().ok()),
        school: text("truong"),
        commune: text("xa"),
        q: text("tim"),
    }
}

/// Whether the organizer has a decision to make on an entry in `state`.
fn review_open(state: crate::domain::lifecycle::EntryState) -> bool {
    use crate::domain::lifecycle::EntryState;
    !matches!(state, EntryState::Draft | EntryState::Rejected)
}

/// The organizer's decision on one entry: return for completion (with a
/// reason and a due date), accept, or reject (with a reason).
#[component]
fn ReviewForm(
    entry: i64,
    review: ServerAction<crate::app::entries::ChangeEntryState>,
) -> impl IntoView {
    view! {
        <details class="review">
            <summary>"Xử lý hồ sơ"</summary>
            <ActionForm action=review>
                <input type="hidden" name="id" value=entry />
                <label>
                    "Quyết định"
                    <select name="action" required>
                        <option value="">"— Chọn —"</option>
                        <option value="accept">"Tiếp nhận"</option>
                        <option value="return">"Trả lại để bổ sung"</option>
                        <option value="reject">"Không tiếp nhận"</option>
                    </select>
                </label>
                <label>"Lý do (bắt buộc khi trả lại hoặc không tiếp nhận)" <textarea name="reason" rows="2"></textarea></label>
                <label>"Hạn bổ sung (khi trả lại)" <input name="due" placeholder="dd/mm/yyyy" inputmode="numeric" /></label>
                <button type="submit">"Ghi nhận"</button>
            </ActionForm>
        </details>
    }
}

/// The rules of an edition: fields, criteria and prizes.
#[component]
fn EditionRules(detail: EditionDetail) -> impl IntoView {
    let d = detail;
    view! {
        <section class="card" data-testid="edition-rules">
            <h2>"Thể lệ chấm"</h2>
            {d.youth_rule.clone().map(|rule| view! { <p data-testid="youth-rule">{rule}</p> })}
            {(!d.level_groups.is_empty()).then(|| view! {
                <h3>"Các bảng xếp hạng riêng"</h3>
                <ul>
                    {d.level_groups.iter().map(|g| {
                        let levels: Vec<&str> = g.levels.iter().map(|l| l.label()).collect();
                        view! { <li>{g.name.clone()} ": " {levels.join(", ")}</li> }
                    }).collect_view()}
                </ul>
            })}
            {if d.categories.is_empty() {
                view! {
                    <h3>"Lĩnh vực"</h3>
                    <ol>{d.fields.iter().map(|f| view! { <li>{f.name.clone()}</li> }).collect_view()}</ol>
                }.into_any()
            } else {
                view! {
                    <h3>"Hạng mục tôn vinh"</h3>
                    <ol>
                        {d.categories.iter().map(|c| view! {
                            <li>
                                <strong>{c.name.clone()}</strong>
                                {crate::app::honors::eligibility(c).map(|rule| format!(" ({rule})"))}
                                <ul>{c.criteria.iter().map(|x| view! { <li>{x.text.clone()}</li> }).collect_view()}</ul>
                            </li>
                        }).collect_view()}
                    </ol>
                    <p>{if d.self_nomination { "Cá nhân được tự đề cử." } else { "Chỉ các đơn vị được đề cử." }}</p>
                }.into_any()
            }}
            <h3>"Tiêu chí (bước điểm " {d.step.to_string()} ")"</h3>
            <ul>
                {d.criteria.iter().map(|c| view! { <li>{c.name.clone()} ": tối đa " {c.max.to_string()} " điểm"</li> }).collect_view()}
            </ul>
            <h3>"Giải thưởng cho mỗi lĩnh vực"</h3>
            <ul>
                {d.prizes.iter().map(|p| view! { <li>"Giải " {p.name.clone()} ": " {p.quota}</li> }).collect_view()}
            </ul>
            <p>"Giải xét theo thứ tự điểm trung bình của các giám khảo, từ " {d.floor.to_string()} " điểm trở lên."</p>
        </section>
    }
}

/// The public page of an open edition: its deadline and rules.
#[component]
pub fn PublicEditionPage() -> impl IntoView {
    let id = id_param("id");
    let detail = Resource::new(id, get_edition);
    view! {
        <Title text="Thể lệ kỳ thi · Sáng tạo kỹ thuật" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => {
                        let program = d.summary.program;
                        let register = program.new_entry_path(d.summary.id);
                        let who = match program {
                            Program::Honors => "Đơn vị đề cử đăng nhập bằng tài khoản Ban tổ chức cấp.",
                            _ => "Chưa có tài khoản?",
                        };
                        view! {
                            <section class="card">
                                <h1>{d.summary.name.clone()} " lần thứ " {d.summary.number} " (" {d.summary.year} ")"</h1>
                                <p>"Hạn đăng ký: " <strong>{d.summary.deadline.clone()}</strong> " (giờ Việt Nam)"</p>
                                {if d.summary.deadline_passed {
                                    view! { <p class="muted">"Đã hết hạn nhận hồ sơ."</p> }.into_any()
                                } else {
                                    view! {
                                        <p>
                                            <a class="button" href=register>"Đăng ký " {program.entry_noun()}</a>
                                            " " {who} " "
                                            {(program != Program::Honors || d.self_nomination).then(|| view! {
                                                <a href="/dang-ky">"Tạo tài khoản dự thi"</a>
                                            })}
                                        </p>
                                    }.into_any()
                                }}
                            </section>
                            <EditionRules detail=d />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
