//! The organizer's results page, one table per field.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{EditionResults, FieldResults, get_results};
use crate::app::editions::{CriterionItem, id_param};
use crate::app::judging::{FinalizeResults, MarkNational, ReopenResults};
use crate::app::{ErrorNote, action_result, ask_first, loading, successes};

#[component]
pub fn ResultsPage() -> impl IntoView {
    let edition = id_param("id");
    let finalize = ServerAction::<FinalizeResults>::new();
    let reopen = ServerAction::<ReopenResults>::new();
    let national = ServerAction::<MarkNational>::new();
    let changed = [
        successes(finalize.value()),
        successes(reopen.value()),
        successes(national.value()),
    ];
    let results = Resource::new(
        move || (edition(), changed.iter().map(|c| c.get()).sum::<u32>()),
        |(edition, _)| get_results(edition),
    );
    view! {
        <Title text="Kết quả · Sáng tạo kỹ thuật" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(results) => view! { <ResultsView results finalize reopen national /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ResultsView(
    results: EditionResults,
    finalize: ServerAction<FinalizeResults>,
    reopen: ServerAction<ReopenResults>,
    national: ServerAction<MarkNational>,
) -> impl IntoView {
    let id = results.edition_id;
    let announce = ServerAction::<super::AnnounceResults>::new();
    let method = results.method.label();
    let vote_rule = results.vote_rule.clone();
    let final_at = results.final_at.clone();
    view! {
        <section class="card">
            <h1>"Kết quả – " {results.edition_name.clone()} " lần thứ " {results.number} " (" {results.year} ")"</h1>
            <p class="muted">
                "Điểm xếp hạng tính từ tổng điểm của các giám khảo đã nộp phiếu theo cách kỳ thi chọn, làm tròn đến 0,01. "
                "Điểm bằng nhau đồng hạng sau khi xét thứ tự phân định. Giải đề xuất theo thứ tự điểm, trong số lượng giải "
                "của mỗi hội đồng, không xét dưới điểm sàn " {results.floor.to_string()} ". "
                "Trung bình bỏ cao, thấp chỉ khác trung bình cộng khi có từ 5 giám khảo."
            </p>
            {results.honors.then(|| view! {
                <p class="warning" data-testid="honors-note">
                    "Xét tôn vinh được quyết định bằng phiếu kín của hội đồng xét chọn; bảng dưới chỉ có khi hội đồng có chấm điểm. Chốt kết quả được khi mọi hội đồng đã kết thúc bỏ phiếu; tệp Excel kết quả ghi số phiếu và kết luận của từng ứng viên. "
                    "Xem số phiếu và kết quả ở biên bản kiểm phiếu: "
                    {results.fields.iter().filter_map(|g| Some((g.council_id?, g.field_name.clone()))).map(|(c, name)| view! {
                        <a href=format!("/to-chuc/hoi-dong/{c}/bo-phieu")>{name}</a> " "
                    }).collect_view()}
                </p>
            })}
            <p data-testid="ranking-method">
                "Xếp hạng theo: " <strong>{method}</strong> " (đổi ở trang Tổ chức chấm thi). Ngưỡng thông qua đề xuất giải: "
                {vote_rule} ". ⚠ đánh dấu điểm các giám khảo chênh nhau nhiều; ◆ đánh dấu hồ sơ sát ngưỡng giải, nên xem lại."
            </p>
            {match final_at {
                Some(at) => view! {
                    <p class="ok" data-testid="results-final">"Kết quả đã chốt lúc " {at} "."</p>
                    <ActionForm action=reopen attr:class="inline-form">
                        <input type="hidden" name="edition" value=id />
                        <input name="reason" required placeholder="Lý do mở lại" />
                        <button type="submit" class="secondary">"Mở lại kết quả"</button>
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <ActionForm action=finalize>
                        <input type="hidden" name="edition" value=id />
                        <button type="submit" on:click=ask_first("Chốt kết quả? Sau đó mọi thay đổi phải mở lại kết quả kèm lý do.")>"Chốt kết quả"</button>
                    </ActionForm>
                }.into_any(),
            }}
            {action_result(finalize.value(), "Đã chốt kết quả; kết quả biểu quyết được ghi vào nhật ký.")}
            {action_result(reopen.value(), "Đã mở lại kết quả.")}
            {action_result(national.value(), "Đã lưu đề cử dự thi toàn quốc.")}
            <p>
                <a class="button" href=format!("/tep/ky-thi/{id}/ket-qua.xlsx") download data-testid="download-results">
                    "Tải bảng kết quả (Excel)"
                </a>
                " " <a href=format!("/to-chuc/ky-thi/{id}")>"← Về kỳ thi"</a>
            </p>
            <ActionForm action=announce>
                <input type="hidden" name="edition" value=id />
                <button type="submit" class="secondary">"Gửi thư báo kết quả cho người dự thi"</button>
            </ActionForm>
            {move || match announce.value().get() {
                Some(Ok(n)) => view! { <p class="ok" role="status">{format!("Đã đưa {n} thư báo kết quả vào hàng chờ gửi.")}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNote error /> }.into_any(),
                None => ().into_any(),
            }}
        </section>
        {results.fields.into_iter().map(|field| view! { <FieldTable field criteria=results.criteria.clone() national /> }).collect_view()}
    }
}

#[component]
fn FieldTable(
    field: FieldResults,
    criteria: Vec<CriterionItem>,
    national: ServerAction<MarkNational>,
) -> impl IntoView {
    let incomplete = field.incomplete();
    let assigned = field.rows.iter().map(|r| r.assigned).max().unwrap_or(0);
    view! {
        <section class="card" data-testid=format!("field-{}", field.field_id)>
            <h2>{field.field_name.clone()}</h2>
            {incomplete.then(|| view! {
                <p class="warning" role="status" data-testid="results-incomplete">
                    "Chưa đủ phiếu chấm (" {assigned} " giám khảo được phân công): kết quả và giải đề xuất còn có thể thay đổi."
                </p>
            })}
            {if field.rows.is_empty() {
                view! { <p class="muted">"Chưa có giải pháp nào có phiếu chấm đã nộp."</p> }.into_any()
            } else {
                view! {
                    <div class="scroll">
                        <table class="results">
                            <thead>
                                <tr>
                                    <th>"Hạng"</th><th>"Giải pháp"</th><th>"Tác giả"</th>
                                    {criteria.iter().map(|c| view! { <th>{c.name.clone()}</th> }).collect_view()}
                                    <th>"Điểm xếp hạng"</th><th>"TB cộng"</th><th>"Trung vị"</th>
                                    <th>"TB bỏ cao, thấp"</th><th>"TB chuẩn hóa"</th><th>"Chênh lệch"</th>
                                    <th>"Số GK"</th><th>"Giải đề xuất"</th><th>"Biểu quyết"</th><th>"Toàn quốc"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {field.rows.into_iter().map(|r| view! {
                                    <tr data-testid=format!("result-{}", r.code)>
                                        <td>{r.rank}</td>
                                        <td>{r.code.clone()} " – " {r.title.clone()}</td>
                                        <td>{r.authors.clone()}</td>
                                        {r.criterion_means.iter().map(|m| view! { <td class="num">{m.to_string()}</td> }).collect_view()}
                                        <td class="num total">{r.total.to_string()}</td>
                                        <td class="num">{r.figures.mean.to_string()}</td>
                                        <td class="num">{r.figures.median.to_string()}</td>
                                        <td class="num">{r.figures.trimmed.to_string()}</td>
                                        <td class="num">{r.figures.standardized.to_string()}</td>
                                        <td class="num">{r.figures.spread.to_string()} {r.disagreement.then_some(" ⚠")}</td>
                                        <td class="num">{r.judges} "/" {r.assigned}</td>
                                        <td>{r.prize.clone().unwrap_or_else(|| "—".into())} {r.near_boundary.then_some(" ◆")}</td>
                                        <td>{r.prize.is_some().then(|| {
                                            let v = r.votes;
                                            format!("{} đồng ý, {} không / {} có mặt{}", v.yes, v.no, v.present,
                                                if v.approved() { " – thông qua" } else { "" })
                                        })}</td>
                                        <td>
                                            <ActionForm action=national attr:class="inline-form">
                                                <input type="hidden" name="entry" value=r.entry_id />
                                                <input type="hidden" name="national" value=(!r.national).to_string() />
                                                <button type="submit" class="link">{if r.national { "✓ Đã đề cử (bỏ)" } else { "Đề cử" }}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(!field.unscored.is_empty()).then(|| view! {
                <p class="muted">"Chưa có phiếu nộp: " {field.unscored.join(", ")}</p>
            })}
        </section>
    }
}
