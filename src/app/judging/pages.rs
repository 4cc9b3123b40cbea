//! The judge's pages: the list of entries to score, one score sheet, the
//! council's vote on the prize proposal and the honors secret ballot.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    CastBallot, DeclareConflict, SaveScores, ScoreInput, SheetView, VotePrize, get_sheet,
    my_assignments, my_ballot, my_proposals,
};
use crate::app::editions::id_param;
use crate::app::{ErrorNote, FlashError, action_result, ask_first, loading, successes};

#[component]
pub fn AssignmentsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| my_assignments());
    view! {
        <Title text="Hồ sơ được phân công · Sáng tạo kỹ thuật" />
        <section class="card">
            <h1>"Hồ sơ được phân công chấm"</h1>
            <nav class="actions">
                <a href="/giam-khao/bieu-quyet">"Biểu quyết đề xuất giải"</a>
                <a href="/giam-khao/bo-phieu">"Bỏ phiếu kín (xét tôn vinh)"</a>
            </nav>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) if list.is_empty() => view! {
                            <p>"Chưa có hồ sơ nào được phân công cho bạn."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <table>
                                <thead><tr><th>"Mã"</th><th>"Hồ sơ"</th><th>"Lĩnh vực"</th><th>"Vòng"</th><th>"Phiếu chấm"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|a| view! {
                                        <tr>
                                            <td>{a.code.clone()}</td>
                                            <td><a href=format!("/giam-khao/cham/{}?vong={}", a.entry_id, a.round_id)>{a.title}</a></td>
                                            <td>{a.field_name}</td>
                                            <td>{a.round_name}{(!a.window.is_empty()).then(|| view! {
                                                <br /><small class="muted">{a.window.clone()}</small>
                                            })}</td>
                                            <td>{a.sheet.label()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ScoreSheetPage() -> impl IntoView {
    let entry = id_param("entry");
    let query = leptos_router::hooks::use_query_map();
    let round = move || query.read().get("vong").and_then(|r| r.parse::<i64>().ok());
    let save = ServerAction::<SaveScores>::new();
    // Saves what is typed a moment after the last keystroke, through its
    // own action so the page does not reload under the judge's fingers.
    let autosave = ServerAction::<SaveScores>::new();
    let declare = ServerAction::<DeclareConflict>::new();
    let saved = successes(save.value());
    let declared = successes(declare.value());
    let sheet = Resource::new(
        move || (entry(), round(), saved.get(), declared.get()),
        |(entry, round, _, _)| get_sheet(entry, round),
    );
    view! {
        <Title text="Phiếu chấm điểm · Sáng tạo kỹ thuật" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(sheet) => view! { <SheetForm sheet save autosave declare /> }.into_any(),
                    Err(error) => view! {
                        <ErrorNote error />
                        <p><a href="/giam-khao">"← Về danh sách hồ sơ"</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SheetForm(
    sheet: SheetView,
    save: ServerAction<SaveScores>,
    autosave: ServerAction<SaveScores>,
    declare: ServerAction<DeclareConflict>,
) -> impl IntoView {
    let e = sheet.entry.clone();
    let submitted = sheet.submitted;
    // Outside the round's dates the sheet is read-only too.
    let locked = submitted || sheet.closed.is_some();
    let closed = sheet.closed.clone();
    let deadline = sheet.deadline.clone();
    let round = sheet.round_id;
    let entry = e.id;
    let fields: Vec<(i64, String, RwSignal<String>, u32)> = sheet
        .criteria
        .iter()
        .zip(&sheet.scores)
        .map(|(c, s)| {
            let typed = s.map(|p| p.to_string()).unwrap_or_default();
            (c.id, c.name.clone(), RwSignal::new(typed), c.weight_percent)
        })
        .collect();
    let fields = StoredValue::new(fields);
    let missing = move || {
        fields.with_value(|all| {
            all.iter()
                .filter(|(_, _, typed, _)| typed.read().trim().is_empty())
                .map(|(_, name, _, _)| name.clone())
                .collect::<Vec<_>>()
        })
    };
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let schedule = move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                // The form may have been replaced by a reload meanwhile.
                let Some(scores) = fields.try_with_value(|all| {
                    all.iter()
                        .map(|(id, _, typed, _)| ScoreInput {
                            criterion_id: *id,
                            points: typed.get_untracked(),
                        })
                        .collect()
                }) else {
                    return;
                };
                autosave.dispatch(SaveScores {
                    entry,
                    round: Some(round),
                    scores,
                    submit: false,
                });
            },
            std::time::Duration::from_millis(1200),
        )
        .ok();
        timer.set_value(handle);
    };
    on_cleanup(move || {
        if let Some(Some(handle)) = timer.try_get_value() {
            handle.clear();
        }
    });
    // The total as typed, weighted like the server's; a cell that is not
    // (yet) a number counts as nothing.
    let live_total = move || {
        fields.with_value(|all| {
            let scores: Vec<crate::domain::points::Points> = all
                .iter()
                .map(|(_, _, typed, _)| {
                    crate::domain::points::Points::parse(&typed.read()).unwrap_or_default()
                })
                .collect();
            let weights: Vec<u32> = all.iter().map(|f| f.3).collect();
            crate::domain::aggregate::weighted_total(&scores, &weights).to_string()
        })
    };
    let criteria = sheet.criteria.clone();
    let peer_headings: Vec<String> = criteria.iter().map(|c| c.name.clone()).collect();
    let peers = sheet.peers.clone();
    view! {
        <section class="card">
            <p><a href="/giam-khao">"← Về danh sách hồ sơ"</a></p>
            <h1>{e.code.clone()} " – " {e.title.clone()}</h1>
            <p class="muted">{sheet.round_name.clone()} " · " {e.field_name.clone()} " · áp dụng từ " {e.applied_since.clone()} " tại " {e.applying_unit.clone()}</p>
            <p>"Tác giả: " {e.authors.join("; ")}</p>
            <p class="summary">{e.summary.clone()}</p>
            {e.file_url.clone().map(|url| view! {
                <p><a href=url target="_blank" data-testid="description-link">"Mở bản thuyết minh"</a></p>
            })}
        </section>
        <section class="card">
            <h2>"Phiếu chấm điểm"</h2>
            <FlashError place="form" />
            <p data-testid="sheet-state">
                {if submitted { "Đã nộp phiếu; điểm đã khóa." } else { "Chưa nộp phiếu." }}
                {(!submitted && closed.is_none() && !deadline.is_empty())
                    .then(|| format!(" Hạn nộp: hết ngày {deadline}."))}
                " Tổng điểm: " <strong data-testid="sheet-total">{live_total}</strong>
            </p>
            {(!submitted).then_some(closed).flatten().map(|why| view! {
                <p class="warning" data-testid="round-closed">{why}</p>
            })}
            <ActionForm action=save>
                <input type="hidden" name="entry" value=entry />
                <input type="hidden" name="round" value=round />
                {criteria.into_iter().enumerate().map(|(i, c)| {
                    let typed = fields.with_value(|all| all[i].2);
                    let bands = c.bands.clone();
                    view! {
                        <input type="hidden" name=format!("scores[{i}][criterion_id]") value=c.id />
                        <label>
                            {c.name.clone()} " (0 – " {c.max.to_string()} ", bước " {sheet.step.to_string()}
                            {(c.weight_percent != 100).then(|| format!(", trọng số {}%", c.weight_percent))} ")"
                            <input
                                name=format!("scores[{i}][points]")
                                inputmode="decimal"
                                value=typed.get_untracked()
                                prop:value=move || typed.get()
                                on:input=move |ev| {
                                    typed.set(event_target_value(&ev));
                                    schedule();
                                }
                                disabled=locked
                            />
                        </label>
                        {(!bands.is_empty()).then(|| view! {
                            <ul class="bands muted">
                                {bands.into_iter().map(|b| view! {
                                    <li>{b.from.to_string()} "–" {b.to.to_string()} ": " {b.label}</li>
                                }).collect_view()}
                            </ul>
                        })}
                    }
                }).collect_view()}
                {(!locked).then(|| view! {
                    <p data-testid="missing" role="status">
                        {move || {
                            let missing = missing();
                            if missing.is_empty() {
                                "Đã chấm đủ các tiêu chí; có thể nộp phiếu.".to_string()
                            } else {
                                format!("Còn thiếu: {}.", missing.join("; "))
                            }
                        }}
                    </p>
                })}
                {(!locked).then(|| view! {
                    <p class="muted">"Điểm được tự lưu khi bạn gõ. Sau khi nộp, phiếu chấm bị khóa; chỉ Ban tổ chức mở lại được."</p>
                })}
                <div class="actions">
                    <button type="submit" name="submit" value="false" disabled=locked>"Lưu điểm"</button>
                    <button type="submit" name="submit" value="true" disabled=locked>"Nộp phiếu chấm"</button>
                </div>
            </ActionForm>
            <p class="muted" aria-live="polite" data-testid="autosave">
                {move || match autosave.value().get() {
                    Some(Ok(())) => "Đã tự lưu.".to_string(),
                    Some(Err(error)) => format!("Chưa tự lưu được: {error}"),
                    None => String::new(),
                }}
            </p>
            {action_result(save.value(), if submitted { "Đã nộp phiếu chấm." } else { "Đã lưu phiếu chấm." })}
        </section>
        {(!peers.is_empty()).then(|| view! {
            <section class="card" data-testid="peers">
                <h2>"Điểm của các giám khảo khác"</h2>
                <div class="scroll"><table>
                    <thead><tr><th></th>
                        {peer_headings.into_iter().map(|name| view! { <th>{name}</th> }).collect_view()}
                        <th>"Tổng"</th></tr></thead>
                    <tbody>
                        {peers.into_iter().enumerate().map(|(i, p)| view! {
                            <tr>
                                <td>"Giám khảo " {i + 1}</td>
                                {p.scores.iter().map(|s| view! { <td class="num">{s.map(|s| s.to_string()).unwrap_or_default()}</td> }).collect_view()}
                                <td class="num">{p.total.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            </section>
        })}
        {(!submitted).then(|| view! {
            <section class="card">
                <details>
                    <summary>"Tôi có xung đột lợi ích với hồ sơ này"</summary>
                    <p class="muted">"Sau khi khai, bạn không mở và không chấm được hồ sơ này nữa; Ban tổ chức sẽ phân công người khác."</p>
                    <ActionForm action=declare>
                        <input type="hidden" name="entry" value=entry />
                        <label>"Lý do" <input name="reason" required placeholder="Ví dụ: cùng cơ quan với tác giả" /></label>
                        <button type="submit" class="secondary">"Khai xung đột lợi ích"</button>
                    </ActionForm>
                    {action_result(declare.value(), "Đã ghi nhận.")}
                </details>
            </section>
        })}
    }
}

/// The council's open vote, yes or no, on each prize proposed.
#[component]
pub fn VotePage() -> impl IntoView {
    let vote = ServerAction::<VotePrize>::new();
    let voted = successes(vote.value());
    let list = Resource::new(move || voted.get(), |_| my_proposals());
    view! {
        <Title text="Biểu quyết đề xuất giải · Sáng tạo kỹ thuật" />
        <section class="card">
            <p><a href="/giam-khao">"← Về danh sách hồ sơ"</a></p>
            <h1>"Biểu quyết đề xuất giải"</h1>
            <p class="muted">
                "Đề xuất giải hiện ra khi bạn đã nộp hết phiếu chấm của vòng chung khảo và có mặt trong phiên họp của hội đồng. "
                "Một đề xuất thay đổi thì phiếu cũ không còn được tính."
            </p>
            {action_result(vote.value(), "Đã ghi nhận biểu quyết.")}
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) if list.is_empty() => view! { <p>"Chưa có đề xuất nào để biểu quyết."</p> }.into_any(),
                        Ok(list) => view! {
                            <table>
                                <thead><tr><th>"Hội đồng"</th><th>"Hạng"</th><th>"Hồ sơ"</th><th>"Giải đề xuất"</th><th>"Biểu quyết"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|p| view! {
                                        <tr>
                                            <td>{p.council.clone()}</td>
                                            <td>{p.rank}</td>
                                            <td>{p.code.clone()} " – " {p.title.clone()}</td>
                                            <td>{p.prize.clone()}</td>
                                            <td>
                                                <ActionForm action=vote attr:class="inline-form">
                                                    <input type="hidden" name="entry" value=p.entry_id />
                                                    <button type="submit" name="yes" value="true" class=if p.my_vote == Some(true) { "" } else { "secondary" }>"Đồng ý"</button>
                                                    <button type="submit" name="yes" value="false" class=if p.my_vote == Some(false) { "" } else { "secondary" }>"Không đồng ý"</button>
                                                </ActionForm>
                                                {match p.my_vote {
                                                    Some(true) => "Bạn đã đồng ý",
                                                    Some(false) => "Bạn không đồng ý",
                                                    None => "",
                                                }}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The honors selection council's secret ballot.
/// Asked before each secret ballot is cast.
const SECRET_BALLOT: &str = "Phiếu kín không sửa được. Bỏ phiếu?";

#[component]
pub fn BallotPage() -> impl IntoView {
    let cast = ServerAction::<CastBallot>::new();
    let done = successes(cast.value());
    let list = Resource::new(move || done.get(), |_| my_ballot());
    view! {
        <Title text="Bỏ phiếu kín · Xét tôn vinh" />
        <section class="card">
            <p><a href="/giam-khao">"← Về danh sách hồ sơ"</a></p>
            <h1>"Phiếu bầu kín"</h1>
            <p class="muted">
                "Phiếu là phiếu kín: hệ thống chỉ cộng vào số phiếu, không lưu ai chọn gì, nên không ai, kể cả Ban tổ chức, "
                "xem lại được lựa chọn của bạn. Mỗi ứng viên bạn chỉ bỏ phiếu một lần và không sửa được."
            </p>
            {action_result(cast.value(), "Đã bỏ phiếu.")}
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) if list.is_empty() => view! { <p>"Bạn không có ứng viên nào để bỏ phiếu."</p> }.into_any(),
                        Ok(list) => view! {
                            <table>
                                <thead><tr><th>"Ứng viên"</th><th>"Danh hiệu"</th><th>"Phiếu"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|c| view! {
                                        <tr data-testid=format!("ballot-{}", c.entry_id)>
                                            <td>{c.code.clone()} " – " {c.candidate.clone()}</td>
                                            <td>{c.category.clone()}</td>
                                            <td>{if c.voted {
                                                view! { <span>"Đã bỏ phiếu"</span> }.into_any()
                                            } else if c.closed {
                                                view! { <span>"Đã kết thúc bỏ phiếu"</span> }.into_any()
                                            } else {
                                                view! {
                                                    <ActionForm action=cast attr:class="inline-form">
                                                        <input type="hidden" name="entry" value=c.entry_id />
                                                        <button type="submit" name="choice" value="agree" on:click=ask_first(SECRET_BALLOT)>"Đồng ý"</button>
                                                        <button type="submit" name="choice" value="disagree" class="secondary" on:click=ask_first(SECRET_BALLOT)>"Không đồng ý"</button>
                                                        <button type="submit" name="choice" value="abstain" class="secondary" on:click=ask_first(SECRET_BALLOT)>"Không biểu quyết"</button>
                                                    </ActionForm>
                                                }.into_any()
                                            }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
