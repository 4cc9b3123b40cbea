//! The organizer's progress board with the audit log, and a selection
//! council's secret ballot minutes.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    BallotMinutes, CloseBallot, CouncilRole, ReopenSheet, get_audit_log, get_ballot_minutes,
    get_judging_progress,
};
use crate::app::editions::id_param;
use crate::app::{ErrorNote, FlashError, action_result, ask_first, loading, print_page, successes};

#[component]
pub fn ProgressPage() -> impl IntoView {
    let edition = id_param("id");
    let reopen = ServerAction::<ReopenSheet>::new();
    let reopened = successes(reopen.value());
    let board = Resource::new(
        move || (edition(), reopened.get()),
        |(e, _)| get_judging_progress(e),
    );
    let log = Resource::new(
        move || (edition(), reopened.get()),
        |(e, _)| get_audit_log(e),
    );
    view! {
        <Title text="Tiến độ chấm · Sáng tạo kỹ thuật" />
        <section class="card">
            <h1>"Tiến độ chấm"</h1>
            <nav class="actions">
                <a href=move || format!("/to-chuc/ky-thi/{}/cham-diem", edition())>"← Tổ chức chấm thi"</a>
                <a class="button" href=move || format!("/tep/ky-thi/{}/nhat-ky.xlsx", edition()) download>"Tải nhật ký (Excel)"</a>
            </nav>
            <FlashError place="form" />
            {action_result(reopen.value(), "Đã mở lại phiếu chấm; giám khảo có thể sửa và nộp lại.")}
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(board) => view! {
                            <h2>"Theo giám khảo"</h2>
                            <table data-testid="judge-progress">
                                <thead><tr><th>"Giám khảo"</th><th>"Được phân công"</th><th>"Đã mở phiếu"</th><th>"Đã nộp"</th></tr></thead>
                                <tbody>
                                    {board.judges.into_iter().map(|j| view! {
                                        <tr class=if j.submitted < j.assigned { "pending" } else { "" }>
                                            <td>{j.full_name}</td>
                                            <td class="num">{j.assigned}</td>
                                            <td class="num">{j.started}</td>
                                            <td class="num">{j.submitted}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2>"Theo hồ sơ"</h2>
                            <table data-testid="entry-progress">
                                <thead><tr><th>"Vòng"</th><th>"Hồ sơ"</th><th>"Đã nộp / phân công"</th><th>"Mở lại một phiếu"</th></tr></thead>
                                <tbody>
                                    {board.entries.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{e.round_name}</td>
                                            <td>{e.code} " – " {e.title}</td>
                                            <td class="num">{e.submitted} " / " {e.assigned}</td>
                                            <td>
                                                {(!e.sheets.is_empty()).then(|| view! {
                                                    <ActionForm action=reopen attr:class="inline-form">
                                                        <select name="sheet">
                                                            {e.sheets.into_iter().map(|s| view! { <option value=s.id>{s.judge}</option> }).collect_view()}
                                                        </select>
                                                        <input name="reason" required placeholder="Lý do mở lại" />
                                                        <button type="submit" class="secondary">"Mở lại"</button>
                                                    </ActionForm>
                                                })}
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
        <section class="card">
            <h2>"Nhật ký"</h2>
            <p class="muted">"Mọi lần sửa điểm, mở lại phiếu, cho phép khi có xung đột, kết quả biểu quyết và quyết định cuối cùng."</p>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(log) => view! {
                            <div class="scroll">
                                <table data-testid="audit-log">
                                    <thead><tr><th>"Thời điểm"</th><th>"Người thực hiện"</th><th>"Việc"</th><th>"Hồ sơ"</th><th>"Giám khảo"</th><th>"Chi tiết"</th></tr></thead>
                                    <tbody>
                                        {log.into_iter().rev().map(|l| view! {
                                            <tr>
                                                <td>{l.at}</td><td>{l.actor}</td><td>{l.action}</td>
                                                <td>{l.entry}</td><td>{l.judge}</td><td>{l.detail}</td>
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

#[component]
pub fn BallotMinutesPage() -> impl IntoView {
    let council = id_param("id");
    let close = ServerAction::<CloseBallot>::new();
    let closed = successes(close.value());
    let minutes = Resource::new(
        move || (council(), closed.get()),
        |(c, _)| get_ballot_minutes(c),
    );
    view! {
        <Title text="Biên bản kiểm phiếu · Xét tôn vinh" />
        <FlashError place="form" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match minutes.await {
                    Ok(minutes) => view! { <Minutes minutes close /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Minutes(minutes: BallotMinutes, close: ServerAction<CloseBallot>) -> impl IntoView {
    let id = minutes.council_id;
    // The name printed under a signature: the member holding that role.
    let members = minutes.members.clone();
    let signer = move |role: CouncilRole| {
        members
            .iter()
            .find(|(_, label, _)| label == role.label())
            .map(|(name, _, _)| name.clone())
            .unwrap_or_default()
    };
    view! {
        <section class="card receipt minutes">
            <div class="letterhead">
                <div><p class="org">{minutes.org_name.clone()}</p><p>{minutes.council_name.clone()}</p></div>
                <div><p class="org">"Cộng hòa xã hội chủ nghĩa Việt Nam"</p><p><strong>"Độc lập - Tự do - Hạnh phúc"</strong></p></div>
            </div>
            <h1>"BIÊN BẢN KIỂM PHIẾU"</h1>
            <p class="center">"Xét chọn " {minutes.edition_name.clone()}</p>
            <p>"Thành viên hội đồng:"</p>
            <ol>
                {minutes.members.iter().map(|(name, role, present)| view! {
                    <li>{name.clone()} " – " {role.clone()} {(!present).then_some(" (vắng)")}</li>
                }).collect_view()}
            </ol>
            <p>
                "Số thành viên có mặt: " {minutes.present} ". Ứng viên được xét chọn khi có từ "
                {minutes.needed} " phiếu đồng ý trở lên."
            </p>
            {if minutes.closed {
                view! { <p data-testid="ballot-state" class="no-print">"Đã kết thúc bỏ phiếu."</p> }.into_any()
            } else {
                view! {
                    <p class="warning" data-testid="ballot-state">
                        "Đang bỏ phiếu: số phiếu từng loại chỉ hiện sau khi kết thúc, để không ai theo dõi được phiếu của từng người."
                    </p>
                    <ActionForm action=close attr:class="no-print">
                        <input type="hidden" name="council" value=id />
                        <label class="check">
                            <input type="checkbox" name="anyway" value="true" />
                            "Kết thúc dù còn thiếu phiếu (thành viên có mặt không bỏ phiếu; phiếu không bỏ không được tính là đồng ý)"
                        </label>
                        <button type="submit" on:click=ask_first("Kết thúc bỏ phiếu, công bố kết quả và gửi thư cho các đơn vị đề cử?")>
                            "Kết thúc bỏ phiếu và kiểm phiếu"
                        </button>
                    </ActionForm>
                }.into_any()
            }}
            <div class="no-print">
                {action_result(close.value(), "Đã kết thúc bỏ phiếu; thư báo kết quả đã vào hàng chờ gửi.")}
            </div>
            <table data-testid="minutes">
                <thead><tr><th>"Ứng viên"</th><th>"Số phiếu đã bỏ"</th><th>"Đồng ý"</th><th>"Không đồng ý"</th><th>"Không biểu quyết"</th><th>"Kết quả"</th></tr></thead>
                <tbody>
                    {minutes.rows.into_iter().map(|r| {
                        let count = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_else(|| "—".into());
                        view! {
                            <tr>
                                <td>{r.code} " – " {r.candidate}</td>
                                <td class="num">{r.ballots_cast}</td>
                                <td class="num">{count(r.tally.map(|t| t.agree))}</td>
                                <td class="num">{count(r.tally.map(|t| t.disagree))}</td>
                                <td class="num">{count(r.tally.map(|t| t.abstain))}</td>
                                <td>{match r.selected {
                                    Some(true) => "Được xét chọn",
                                    Some(false) => "Không được xét chọn",
                                    None => "—",
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="place-date">{minutes.place_date.clone()}</p>
            <div class="signatures">
                <div>
                    <p><strong>"THƯ KÝ HỘI ĐỒNG"</strong><br /><em>"(Ký, ghi rõ họ tên)"</em></p>
                    <p class="signer">{signer(CouncilRole::Secretary)}</p>
                </div>
                <div>
                    <p><strong>"CHỦ TỊCH HỘI ĐỒNG"</strong><br /><em>"(Ký, ghi rõ họ tên)"</em></p>
                    <p class="signer">{signer(CouncilRole::Chair)}</p>
                </div>
            </div>
            <p class="no-print"><button type="button" on:click=|_| print_page()>"In biên bản"</button></p>
        </section>
    }
}
