//! The organizer's judging setup page: rounds and rubrics, councils and
//! assignment, conflicts, the ranking rules and the paper sheet import.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    AddCouncilMember, AddScreeningRound, AdvanceEntries, AutoAssign, ConfirmScoreImport,
    CouncilItem, CreateCouncil, OverrideConflict, RemoveCouncilMember, RoundKind,
    SaveJudgingSettings, SaveRubric, ScoreImportReport, SetAssignment, SetCouncilMember, SetupView,
    UpdateRound, get_judging_setup, preview_score_import,
};
use crate::app::editions::id_param;
use crate::app::{ErrorNote, FlashError, action_result, loading, successes, textarea_text};
use crate::domain::aggregate::Method;
use crate::domain::ranking::BoundaryTie;

/// Every action of the page; they are all `Copy`.
#[derive(Clone, Copy)]
struct Actions {
    rubric: ServerAction<SaveRubric>,
    screening: ServerAction<AddScreeningRound>,
    round: ServerAction<UpdateRound>,
    advance: ServerAction<AdvanceEntries>,
    council: ServerAction<CreateCouncil>,
    add_member: ServerAction<AddCouncilMember>,
    member: ServerAction<SetCouncilMember>,
    remove: ServerAction<RemoveCouncilMember>,
    auto: ServerAction<AutoAssign>,
    manual: ServerAction<SetAssignment>,
    overrule: ServerAction<OverrideConflict>,
    settings: ServerAction<SaveJudgingSettings>,
    import: ServerAction<ConfirmScoreImport>,
}

impl Actions {
    fn new() -> Self {
        Self {
            rubric: ServerAction::new(),
            screening: ServerAction::new(),
            round: ServerAction::new(),
            advance: ServerAction::new(),
            council: ServerAction::new(),
            add_member: ServerAction::new(),
            member: ServerAction::new(),
            remove: ServerAction::new(),
            auto: ServerAction::new(),
            manual: ServerAction::new(),
            overrule: ServerAction::new(),
            settings: ServerAction::new(),
            import: ServerAction::new(),
        }
    }

    /// One signal that moves whenever any action succeeds.
    fn changes(self) -> impl Fn() -> u32 + Copy + Send + Sync {
        let counts = [
            successes(self.rubric.value()),
            successes(self.screening.value()),
            successes(self.round.value()),
            successes(self.advance.value()),
            successes(self.council.value()),
            successes(self.add_member.value()),
            successes(self.member.value()),
            successes(self.remove.value()),
            successes(self.auto.value()),
            successes(self.manual.value()),
            successes(self.overrule.value()),
            successes(self.settings.value()),
            successes(self.import.value()),
        ];
        move || counts.iter().map(|c| c.get()).sum()
    }
}

#[component]
pub fn JudgingSetupPage() -> impl IntoView {
    let edition = id_param("id");
    let actions = Actions::new();
    let changes = actions.changes();
    let setup = Resource::new(
        move || (edition(), changes()),
        |(e, _)| get_judging_setup(e),
    );
    let query = use_query_map();
    let staged = move || query.read().get("phieu").filter(|t| !t.is_empty());
    let preview = Resource::new(
        move || (edition(), staged()),
        |(edition, token)| async move {
            match token {
                Some(token) => preview_score_import(edition, token).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text="Chấm thi · Sáng tạo kỹ thuật" />
        // A form sent without JavaScript comes back to the top of the page:
        // its refusal is said there.
        <FlashError place="form" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match setup.await {
                    Ok(setup) => view! { <SetupSections setup actions /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card">
            <h2>"Nhập phiếu chấm giấy"</h2>
            <p class="muted">
                "Một dòng cho mỗi cặp hồ sơ × giám khảo: cột Mã GP (hoặc Mã hồ sơ), Mã GK và một cột cho mỗi tiêu chí "
                "(TC1, TC2… hoặc tên tiêu chí). Ô trống là chưa chấm, không phải 0; dòng không có điểm nào được bỏ qua. "
                "Một cặp lặp lại bị từ chối cả hai dòng để Ban tổ chức quyết định. Bạn sẽ xem trước; chưa có gì được ghi cho tới khi bấm Xác nhận."
            </p>
            <form method="post" action=move || format!("/tep/ky-thi/{}/phieu-cham", edition()) enctype="multipart/form-data">
                <label>"Tệp .xlsx, .xls hoặc .ods" <input type="file" name="file" accept=".xlsx,.xls,.ods" required /></label>
                <button type="submit">"Xem trước"</button>
            </form>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(Some(report)) => {
                            let token = staged().unwrap_or_default();
                            view! { <ScorePreview report edition=edition() token actions /> }.into_any()
                        }
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ScorePreview(
    report: ScoreImportReport,
    edition: i64,
    token: String,
    actions: Actions,
) -> impl IntoView {
    let counts = format!(
        "{} dòng: {} phiếu sẽ được nhập, {} dòng bị từ chối.",
        report.rows, report.imported, report.rejected
    );
    view! {
        <div data-testid="score-preview">
            <p><strong>{counts}</strong></p>
            {(!report.rejections.is_empty()).then(|| view! {
                <h3>"Dòng bị từ chối"</h3>
                <ul class="problems">
                    {report.rejections.iter().map(|p| view! {
                        <li>"Dòng " {p.row} ", cột " {p.column.clone()} ": " {p.message.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            {(!report.notes.is_empty()).then(|| view! {
                <h3>"Ghi chú"</h3>
                <ul>
                    {report.notes.iter().map(|p| view! {
                        <li>"Dòng " {p.row} ", cột " {p.column.clone()} ": " {p.message.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            <ActionForm action=actions.import>
                <input type="hidden" name="edition" value=edition />
                <input type="hidden" name="token" value=token />
                <button type="submit">"Xác nhận nhập " {report.imported} " phiếu"</button>
            </ActionForm>
            {action_result(actions.import.value(), "Đã nhập phiếu chấm.")}
        </div>
    }
}

#[component]
fn SetupSections(setup: SetupView, actions: Actions) -> impl IntoView {
    let id = setup.edition_id;
    let locked = setup.final_at.clone();
    view! {
        <section class="card">
            <h1>"Tổ chức chấm thi"</h1>
            <nav class="actions">
                <a href=format!("/to-chuc/ky-thi/{id}")>"← Về kỳ thi"</a>
                <a class="button" href=format!("/to-chuc/ky-thi/{id}/tien-do")>"Tiến độ và nhật ký"</a>
                <a class="button" href=format!("/to-chuc/ky-thi/{id}/ket-qua")>"Kết quả"</a>
            </nav>
            {locked.map(|at| view! {
                <p class="warning" role="status">
                    "Kết quả đã chốt lúc " {at} ". Mọi thay đổi về điểm, phân công và biểu quyết bị khóa cho tới khi mở lại kết quả."
                </p>
            })}
        </section>
        <Rounds setup=setup.clone() actions />
        <Councils setup=setup.clone() actions />
        <Conflicts setup=setup.clone() actions />
        <Settings setup actions />
    }
}

#[component]
fn Rounds(setup: SetupView, actions: Actions) -> impl IntoView {
    let id = setup.edition_id;
    let has_screening = setup.rounds.iter().any(|r| r.kind == RoundKind::Screening);
    view! {
        <section class="card">
            <h2>"Vòng chấm và tiêu chí"</h2>
            <p class="muted">
                "Mỗi dòng một tiêu chí: Tên | điểm tối đa | trọng số % (tùy chọn; 100 là tính đúng điểm chấm, 200 là tính gấp đôi) | các mức điểm (tùy chọn), ví dụ "
                <code>"Tính mới | 30 | 100 | 27-30: Hoàn toàn mới; 21-26,5: Mới một phần"</code>
                ". Tiêu chí đã có điểm chấm không xóa được và giữ nguyên điểm tối đa, trọng số."
            </p>
            {setup.rounds.clone().into_iter().zip(setup.rubric_texts.clone()).map(|(round, text)| {
                let screening = round.kind == RoundKind::Screening;
                let pass = round.pass.map(|p| p.to_string()).unwrap_or_default();
                let step = round.step.map(|p| p.to_string()).unwrap_or_default();
                view! {
                    <div class="round" data-testid=format!("round-{}", round.id)>
                        <h3>"Vòng " {round.name.to_lowercase()}</h3>
                        <ActionForm action=actions.round attr:class="inline-form">
                            <input type="hidden" name="round" value=round.id />
                            <label>"Từ ngày" <input name="opens_on" placeholder="dd/mm/yyyy" value=round.opens_on.clone() /></label>
                            <label>"Đến ngày" <input name="closes_on" placeholder="dd/mm/yyyy" value=round.closes_on.clone() /></label>
                            {screening.then(|| view! {
                                <label>"Điểm vào vòng sau (để trống: Ban tổ chức chọn)" <input name="pass" inputmode="decimal" value=pass.clone() /></label>
                            })}
                            <label>"Bước điểm (để trống: theo kỳ thi)" <input name="step" inputmode="decimal" value=step /></label>
                            <button type="submit" class="secondary">"Lưu"</button>
                            <span class="muted">"Giám khảo chỉ lưu và nộp phiếu từ ngày đầu đến hết ngày cuối của vòng (để trống: không giới hạn); phiếu giấy Ban tổ chức nhập thì không bị giới hạn. Mỗi lần đổi ngày được ghi nhật ký."</span>
                        </ActionForm>
                        <ActionForm action=actions.rubric>
                            <input type="hidden" name="round" value=round.id />
                            <label>"Tiêu chí"
                                <textarea name="rubric" rows="6">{textarea_text(text)}</textarea>
                            </label>
                            <button type="submit">"Lưu tiêu chí"</button>
                        </ActionForm>
                    </div>
                }
            }).collect_view()}
            {action_result(actions.round.value(), "Đã lưu ngày và bước điểm của vòng.")}
            {action_result(actions.rubric.value(), "Đã lưu tiêu chí.")}
            {(!has_screening).then(|| view! {
                <ActionForm action=actions.screening>
                    <input type="hidden" name="edition" value=id />
                    <label>"Thêm vòng sơ khảo trước vòng chung khảo. Điểm để vào vòng sau (bỏ trống nếu Ban tổ chức tự chọn hồ sơ đạt)"
                        <input name="pass" inputmode="decimal" placeholder="60" />
                    </label>
                    <button type="submit" class="secondary">"Thêm vòng sơ khảo"</button>
                </ActionForm>
            })}
            {action_result(actions.screening.value(), "Đã thêm vòng sơ khảo.")}
            {(!setup.screening.is_empty()).then(|| view! {
                <h3>"Hồ sơ vào vòng chung khảo"</h3>
                <p class="muted">"Đã đánh dấu sẵn các hồ sơ đạt điểm vào vòng sau; Ban tổ chức xác nhận."</p>
                <ActionForm action=actions.advance>
                    <input type="hidden" name="round" value=setup.screening[0].round_id />
                    {setup.screening.clone().into_iter().enumerate().map(|(i, r)| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("entries[{i}]") value=r.entry_id
                                checked=r.passes || r.advanced disabled=r.advanced />
                            {r.code.clone()} " – " {r.title.clone()} ": "
                            {r.figure.map(|f| f.to_string()).unwrap_or_else(|| "chưa có điểm".into())}
                            {if r.advanced { " (đã vào vòng sau)" } else { "" }}
                        </label>
                    }).collect_view()}
                    <button type="submit">"Xác nhận vào vòng sau"</button>
                </ActionForm>
            })}
            {action_result(actions.advance.value(), "Đã xác nhận hồ sơ vào vòng sau.")}
        </section>
    }
}

#[component]
fn Councils(setup: SetupView, actions: Actions) -> impl IntoView {
    let judges = setup.judges.clone();
    let rounds = setup.rounds.clone();
    view! {
        <section class="card">
            <h2>"Hội đồng và phân công"</h2>
            <p class="muted">
                "Mặc định cả hội đồng chấm mọi hồ sơ thuộc phạm vi của mình. Phân công tự động chia mỗi hồ sơ cho k giám khảo, "
                "số hồ sơ của các giám khảo chênh nhau không quá một, không ai có xung đột lợi ích."
            </p>
            {setup.councils.iter().map(|c| view! {
                <CouncilCard council=c.clone() setup=setup.clone() actions />
            }).collect_view()}
            {action_result(actions.member.value(), "Đã lưu thành viên.")}
            {action_result(actions.remove.value(), "Đã bỏ thành viên khỏi hội đồng.")}
            {action_result(actions.add_member.value(), "Đã thêm thành viên.")}
            {action_result(actions.manual.value(), "Đã lưu phân công.")}
            {move || match actions.auto.value().get() {
                Some(Ok(loads)) => view! {
                    <p class="ok" role="status" data-testid="auto-loads">
                        {format!("Đã phân công tự động. Số hồ sơ của từng giám khảo: {loads:?}")}
                    </p>
                }.into_any(),
                Some(Err(error)) => view! { <ErrorNote error /> }.into_any(),
                None => ().into_any(),
            }}
            <h3>"Thêm hội đồng"</h3>
            <ActionForm action=actions.council>
                <label>"Vòng"
                    <select name="round">
                        {rounds.iter().map(|r| view! { <option value=r.id>{r.kind.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Tên hội đồng" <input name="name" required placeholder="Hội đồng Cơ khí" /></label>
                <label>"Chấm"
                    <select name="scope">
                        {setup.fields.iter().map(|(id, name)| view! { <option value=format!("field:{id}")>"Lĩnh vực " {name.clone()}</option> }).collect_view()}
                        {setup.level_groups.iter().map(|(id, name)| view! { <option value=format!("group:{id}")>"Bảng " {name.clone()}</option> }).collect_view()}
                        <option value="all">"Tất cả hồ sơ (hội đồng xét chọn)"</option>
                    </select>
                </label>
                <button type="submit" class="secondary">"Thêm hội đồng"</button>
            </ActionForm>
            {action_result(actions.council.value(), "Đã thêm hội đồng.")}
            {(judges.is_empty()).then(|| view! { <p class="muted">"Kỳ thi chưa có giám khảo."</p> })}
        </section>
    }
}

#[component]
fn CouncilCard(council: CouncilItem, setup: SetupView, actions: Actions) -> impl IntoView {
    let round_name = setup
        .rounds
        .iter()
        .find(|r| r.id == council.round_id)
        .map(|r| r.kind.label())
        .unwrap_or_default();
    let members: Vec<i64> = council.members.iter().map(|m| m.judge_id).collect();
    let others: Vec<(i64, String)> = setup
        .judges
        .iter()
        .filter(|(id, _)| !members.contains(id))
        .cloned()
        .collect();
    let entries: Vec<_> = setup
        .council_entries
        .iter()
        .filter(|e| e.council_id == council.id)
        .cloned()
        .collect();
    let id = council.id;
    let honors = setup.honors;
    let member_names = council.members.clone();
    let k_default = council.members.len().clamp(1, 3);
    view! {
        <div class="council" data-testid=format!("council-{id}")>
            <h3>{council.name.clone()}</h3>
            <p class="muted">{round_name} " · " {council.scope.clone()} " · " {council.entries} " hồ sơ"</p>
            {honors.then(|| view! {
                <p><a href=format!("/to-chuc/hoi-dong/{id}/bo-phieu")>"Bỏ phiếu kín và biên bản kiểm phiếu"</a></p>
            })}
            <table>
                <thead><tr><th>"Thành viên"</th><th colspan="2">"Vai trò, có mặt khi biểu quyết"</th><th></th></tr></thead>
                <tbody>
                    {council.members.clone().into_iter().map(|m| {
                        let role = m.role;
                        view! {
                            <tr>
                                <td>{m.code.clone()} " – " {m.full_name.clone()}</td>
                                <td colspan="2">
                                    <ActionForm action=actions.member attr:class="inline-form">
                                        <input type="hidden" name="council" value=id />
                                        <input type="hidden" name="judge" value=m.judge_id />
                                        <select name="role">
                                            {[super::CouncilRole::Chair, super::CouncilRole::Secretary, super::CouncilRole::Member].into_iter().map(|r| view! {
                                                <option value=r.as_db() selected=r == role>{r.label()}</option>
                                            }).collect_view()}
                                        </select>
                                        <label class="check"><input type="checkbox" name="present" value="true" checked=m.present /> "Có mặt"</label>
                                        <button type="submit" class="secondary">"Lưu"</button>
                                    </ActionForm>
                                </td>
                                <td>
                                    <ActionForm action=actions.remove attr:class="inline-form">
                                        <input type="hidden" name="council" value=id />
                                        <input type="hidden" name="judge" value=m.judge_id />
                                        <button type="submit" class="link">"Bỏ khỏi hội đồng"</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(!others.is_empty()).then(|| view! {
                <ActionForm action=actions.add_member attr:class="inline-form">
                    <input type="hidden" name="council" value=id />
                    <select name="judge">
                        {others.iter().map(|(j, name)| view! { <option value=*j>{name.clone()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="secondary">"Thêm vào hội đồng"</button>
                </ActionForm>
            })}
            <ActionForm action=actions.auto attr:class="inline-form">
                <input type="hidden" name="council" value=id />
                <label>"Số giám khảo mỗi hồ sơ" <input name="k" type="number" min="1" value=k_default /></label>
                <button type="submit" class="secondary">"Phân công tự động"</button>
            </ActionForm>
            <details>
                <summary>"Phân công từng hồ sơ"</summary>
                {entries.into_iter().map(|e| {
                    let member_names = member_names.clone();
                    view! {
                    <ActionForm action=actions.manual attr:class="assignment">
                        <input type="hidden" name="round" value=e.round_id />
                        <input type="hidden" name="entry" value=e.entry_id />
                        <strong>{e.code.clone()}</strong> " " {e.title.clone()}
                        {if e.assigned { " (đã phân công)" } else { " (cả hội đồng)" }}
                        <div class="checks">
                            {member_names.iter().enumerate().map(|(i, m)| view! {
                                <label class="check">
                                    <input type="checkbox" name=format!("judges[{i}]") value=m.judge_id
                                        checked=e.assigned && e.judges.contains(&m.judge_id) />
                                    {m.code.clone()}
                                </label>
                            }).collect_view()}
                        </div>
                        <button type="submit" class="secondary">"Lưu (không chọn ai: cả hội đồng)"</button>
                    </ActionForm>
                }}).collect_view()}
            </details>
        </div>
    }
}

#[component]
fn Conflicts(setup: SetupView, actions: Actions) -> impl IntoView {
    view! {
        <section class="card" data-testid="conflicts">
            <h2>"Xung đột lợi ích"</h2>
            <p class="muted">
                "Phát hiện khi giám khảo là tác giả, người hướng dẫn, hoặc cùng đơn vị với tác giả, đơn vị áp dụng, đơn vị đề cử; "
                "hoặc do giám khảo tự khai. Giám khảo có xung đột không mở và không chấm được hồ sơ, trừ khi Ban tổ chức cho phép kèm lý do."
            </p>
            {if setup.conflicts.is_empty() {
                view! { <p>"Chưa có xung đột nào."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr><th>"Hồ sơ"</th><th>"Giám khảo"</th><th>"Nguồn"</th><th>"Lý do"</th><th>"Cho phép chấm"</th></tr></thead>
                        <tbody>
                            {setup.conflicts.clone().into_iter().map(|c| view! {
                                <tr>
                                    <td>{c.code.clone()} " – " {c.title.clone()}</td>
                                    <td>{c.judge_name.clone()}</td>
                                    <td>{c.source.clone()}</td>
                                    <td>{c.reason.clone()}</td>
                                    <td>{match c.override_reason.clone() {
                                        Some(reason) => view! { <span>"Đã cho phép: " {reason}</span> }.into_any(),
                                        None => view! {
                                            <ActionForm action=actions.overrule attr:class="inline-form">
                                                <input type="hidden" name="entry" value=c.entry_id />
                                                <input type="hidden" name="judge" value=c.judge_id />
                                                <input name="reason" required placeholder="Lý do cho phép" />
                                                <button type="submit" class="secondary">"Cho phép"</button>
                                            </ActionForm>
                                        }.into_any(),
                                    }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {action_result(actions.overrule.value(), "Đã ghi nhận việc cho phép vào nhật ký.")}
        </section>
    }
}

#[component]
fn Settings(setup: SetupView, actions: Actions) -> impl IntoView {
    let s = setup.settings;
    let tie_breaks: Vec<String> = s.tie_breaks.iter().map(u32::to_string).collect();
    let vote = format!("{}/{}", s.vote_numerator, s.vote_denominator);
    view! {
        <section class="card">
            <h2>"Cách xếp hạng và biểu quyết"</h2>
            <ActionForm action=actions.settings>
                <input type="hidden" name="edition" value=setup.edition_id />
                <label>"Cách tính điểm xếp hạng"
                    <select name="settings[method]">
                        {Method::ALL.into_iter().map(|m| view! {
                            <option value=m.as_db() selected=m == s.method>{m.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>"Ngưỡng chênh lệch (cảnh báo khi tổng điểm các giám khảo chênh nhau quá)"
                    <input name="settings[disagreement]" inputmode="decimal" value=s.disagreement.to_string() />
                </label>
                <label>"Khoảng sát ngưỡng giải (liệt kê hồ sơ cách ngưỡng giải không quá)"
                    <input name="settings[near_margin]" inputmode="decimal" value=s.near_margin.to_string() />
                </label>
                <label>"Thứ tự phân định khi đồng điểm: tiêu chí số (ví dụ: 1, 2)"
                    <input name="settings[tie_breaks]" value=tie_breaks.join(", ") />
                </label>
                <label>"Đồng điểm ở ngưỡng giải (số lượng giải không đủ cho cả nhóm)"
                    <select name="settings[boundary_tie]">
                        <option value=BoundaryTie::MoveDown.as_db() selected=s.boundary_tie == BoundaryTie::MoveDown>
                            "Không hồ sơ nào nhận giải đó (cùng xuống giải sau)"
                        </option>
                        <option value=BoundaryTie::AwardAll.as_db() selected=s.boundary_tie == BoundaryTie::AwardAll>
                            "Cùng nhận giải (vượt số lượng)"
                        </option>
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" name="settings[peers_after_submit]" value="true" checked=s.peers_after_submit />
                    " Sau khi nộp phiếu, giám khảo được xem điểm của các giám khảo khác"
                </label>
                <label>"Ngưỡng biểu quyết (phân số của số thành viên có mặt, ví dụ 2/3)" <input name="settings[vote]" value=vote /></label>
                <button type="submit">"Lưu"</button>
            </ActionForm>
            {action_result(actions.settings.value(), "Đã lưu cách xếp hạng.")}
        </section>
    }
}
