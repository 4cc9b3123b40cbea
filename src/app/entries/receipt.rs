//! The printable receipt page (biên nhận hồ sơ), laid out like the
//! union's paper forms: the national heading, the entry, the people,
//! the files, and when it was filed.

use leptos::prelude::*;
use leptos_meta::Title;

use super::get_receipt;
use crate::app::editions::id_param;
use crate::app::{ErrorNote, loading, print_page};

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let id = id_param("id");
    let receipt = Resource::new(id, get_receipt);
    view! {
        <Title text="Biên nhận hồ sơ" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let r = match receipt.await {
                    Ok(r) => r,
                    Err(error) => return view! { <ErrorNote error /> }.into_any(),
                };
                view! {
                    <article class="card receipt" data-testid="receipt">
                        <header class="letterhead">
                            <div>
                                <p class="org">{r.organization.clone()}</p>
                            </div>
                            <div class="national">
                                <p><strong>"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"</strong></p>
                                <p><strong>"Độc lập – Tự do – Hạnh phúc"</strong></p>
                            </div>
                        </header>
                        <h1>"BIÊN NHẬN HỒ SƠ"</h1>
                        <p class="center">{r.edition.clone()}</p>
                        <dl>
                            <dt>"Mã hồ sơ"</dt>
                            <dd><strong data-testid="receipt-code">{r.code.clone()}</strong></dd>
                            <dt>{r.title_label.clone()}</dt>
                            <dd data-testid="receipt-title">{r.title.clone()}</dd>
                            <dt>{r.field_label.clone()}</dt>
                            <dd>{r.field.clone()}</dd>
                            {r.people.iter().map(|(role, line)| view! {
                                <dt>{role.clone()}</dt>
                                <dd>{line.clone()}</dd>
                            }).collect_view()}
                            {(!r.video_url.is_empty()).then(|| view! {
                                <dt>"Video"</dt>
                                <dd>{r.video_url.clone()}</dd>
                            })}
                            <dt>"Tệp đính kèm"</dt>
                            <dd>
                                {if r.files.is_empty() {
                                    view! { <span>"Không có"</span> }.into_any()
                                } else {
                                    view! {
                                        <ol>
                                            {r.files.iter().map(|(kind, name)| view! {
                                                <li>{kind.clone()} ": " {name.clone()}</li>
                                            }).collect_view()}
                                        </ol>
                                    }.into_any()
                                }}
                            </dd>
                            <dt>"Người nộp"</dt>
                            <dd>{r.owner.clone()}</dd>
                            <dt>"Trạng thái"</dt>
                            <dd data-testid="receipt-state">{r.state.clone()}</dd>
                            <dt>"Thời điểm nộp"</dt>
                            <dd>
                                {if r.submitted {
                                    r.submitted_at.clone()
                                } else {
                                    "Hồ sơ chưa nộp: biên nhận này chưa có giá trị.".to_string()
                                }}
                            </dd>
                        </dl>
                        <p class="place-date">{r.place_date.clone()}</p>
                        <div class="signatures">
                            <div><strong>"Người nộp hồ sơ"</strong><p class="muted">"(Ký, ghi rõ họ tên)"</p></div>
                            <div><strong>"Cán bộ tiếp nhận"</strong><p class="muted">"(Ký, ghi rõ họ tên)"</p></div>
                        </div>
                        <p class="muted">"In lúc " {r.printed_at.clone()} " (giờ Việt Nam)."</p>
                        <p class="no-print">
                            <button type="button" on:click=|_| print_page()>"In biên nhận"</button>
                        </p>
                    </article>
                }.into_any()
            })}
        </Suspense>
    }
}
