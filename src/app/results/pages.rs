//! The organizer's results page, one table per field.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{EditionResults, FieldResults, get_results};
use crate::app::editions::{CriterionItem, id_param};
use crate::app::{ErrorNote, loading};

#[component]
pub fn ResultsPage() -> impl IntoView {
    let edition = id_param("id");
    let results = Resource::new(edition, get_results);
    view! {
        <Title text="Kết quả · Sáng tạo kỹ thuật" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(results) => view! { <ResultsView results /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ResultsView(results: EditionResults) -> impl IntoView {
    let id = results.edition_id;
    let announce = ServerAction::<super::AnnounceResults>::new();
    view! {
        <section class="card">
            <h1>"Kết quả – " {results.edition_name.clone()} " lần thứ " {results.number} " (" {results.year} ")"</h1>
            <p class="muted">
                "Điểm là trung bình của các giám khảo đã nộp phiếu, làm tròn đến 0,01. Điểm bằng nhau đồng hạng. "
                "Giải đề xuất theo thứ tự điểm, trong số lượng giải của mỗi lĩnh vực, không xét dưới điểm sàn "
                {results.floor.to_string()} "."
            </p>
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
        {results.fields.into_iter().map(|field| view! { <FieldTable field criteria=results.criteria.clone() /> }).collect_view()}
    }
}

#[component]
fn FieldTable(field: FieldResults, criteria: Vec<CriterionItem>) -> impl IntoView {
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
                                    <th>"Tổng"</th><th>"Số GK"</th><th>"Giải đề xuất"</th>
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
                                        <td class="num">{r.judges} "/" {assigned}</td>
                                        <td>{r.prize.clone().unwrap_or_else(|| "—".into())}</td>
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
