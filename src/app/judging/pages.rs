//! The judge's pages: the list of assigned entries and one score sheet.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{SaveScores, SheetView, get_sheet, my_assignments};
use crate::app::editions::id_param;
use crate::app::{ErrorNote, FlashError, action_result, loading, successes};

#[component]
pub fn AssignmentsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| my_assignments());
    view! {
        <Title text="Giải pháp được phân công · Sáng tạo kỹ thuật" />
        <section class="card">
            <h1>"Giải pháp được phân công chấm"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) if list.is_empty() => view! {
                            <p>"Chưa có giải pháp nào trong các lĩnh vực bạn được phân công."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <table>
                                <thead><tr><th>"Mã"</th><th>"Giải pháp"</th><th>"Lĩnh vực"</th><th>"Phiếu chấm"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|a| view! {
                                        <tr>
                                            <td>{a.code.clone()}</td>
                                            <td><a href=format!("/giam-khao/cham/{}", a.entry_id)>{a.title}</a></td>
                                            <td>{a.field_name}</td>
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
    let save = ServerAction::<SaveScores>::new();
    let saved = successes(save.value());
    let sheet = Resource::new(
        move || (entry(), saved.get()),
        |(entry, _)| get_sheet(entry, None),
    );
    view! {
        <Title text="Phiếu chấm điểm · Sáng tạo kỹ thuật" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(sheet) => view! { <SheetForm sheet save /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SheetForm(sheet: SheetView, save: ServerAction<SaveScores>) -> impl IntoView {
    let e = sheet.entry.clone();
    let locked = sheet.submitted;
    view! {
        <section class="card">
            <h1>{e.code.clone()} " – " {e.title.clone()}</h1>
            <p class="muted">{e.field_name.clone()} " · áp dụng từ " {e.applied_since.clone()} " tại " {e.applying_unit.clone()}</p>
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
                {if locked { "Đã nộp phiếu; điểm đã khóa." } else { "Chưa nộp phiếu." }}
                " Tổng hiện tại: " <strong data-testid="sheet-total">{sheet.total.to_string()}</strong>
            </p>
            <ActionForm action=save>
                <input type="hidden" name="entry" value=e.id />
                {sheet.criteria.iter().zip(sheet.scores.iter()).enumerate().map(|(i, (c, score))| view! {
                    <input type="hidden" name=format!("scores[{i}][criterion_id]") value=c.id />
                    <label>
                        {c.name.clone()} " (0 – " {c.max.to_string()} ", bước " {sheet.step.to_string()} ")"
                        <input
                            name=format!("scores[{i}][points]")
                            inputmode="decimal"
                            value=score.map(|s| s.to_string()).unwrap_or_default()
                            prop:value=score.map(|s| s.to_string()).unwrap_or_default()
                            disabled=locked
                        />
                    </label>
                }).collect_view()}
                <p class="muted">"Sau khi nộp, phiếu chấm bị khóa và không sửa được nữa."</p>
                <div class="actions">
                    <button type="submit" name="submit" value="false" disabled=locked>"Lưu điểm"</button>
                    <button type="submit" name="submit" value="true" disabled=locked>"Nộp phiếu chấm"</button>
                </div>
            </ActionForm>
            {action_result(save.value(), "Đã lưu phiếu chấm.")}
        </section>
    }
}
