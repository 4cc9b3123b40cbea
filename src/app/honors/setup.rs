//! The organizer's side of an honors edition: the nominating units'
//! accounts and each category's checklist.

use leptos::prelude::*;

use super::{CreateUnit, NewUnitLink, SaveChecklist, list_units};
use crate::app::editions::EditionDetail;
use crate::app::judges::{LinkList, PendingLinks};
use crate::app::{ErrorNote, action_result, loading, textarea_text};

/// The units' list with the actions that change it. The edition page
/// makes this at its top, outside any Suspense, so the fetches keep their
/// owner for the whole server rendering.
#[derive(Clone, Copy)]
pub struct UnitsPanel {
    create: ServerAction<CreateUnit>,
    renew: ServerAction<NewUnitLink>,
    units: Resource<Result<Vec<super::UnitLine>, crate::app::error::AppError>>,
    links: LinkList,
}

impl UnitsPanel {
    /// Makes the panel's actions and fetches; call at the top of a page.
    pub fn for_page() -> Self {
        let create = ServerAction::<CreateUnit>::new();
        let renew = ServerAction::<NewUnitLink>::new();
        let made = Signal::derive(move || create.version().get() + renew.version().get());
        Self {
            create,
            renew,
            units: Resource::new(move || made.get(), |_| list_units()),
            links: LinkList::new(made),
        }
    }
}

#[component]
pub fn HonorsSetup(detail: EditionDetail, panel: UnitsPanel) -> impl IntoView {
    let UnitsPanel {
        create,
        renew,
        units,
        links,
    } = panel;
    view! {
        <section class="card" data-testid="units">
            <h2>"Đơn vị đề cử"</h2>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match units.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">"Chưa có đơn vị nào."</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="scroll"><table>
                                <thead><tr><th>"Đơn vị"</th><th>"Email"</th><th>"Hồ sơ"</th><th>"Tài khoản"</th><th></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|u| view! {
                                        <tr>
                                            <td>{u.name}</td>
                                            <td>{u.email.clone()}</td>
                                            <td>{u.nominations}</td>
                                            <td>{if u.active { "Đã đặt mật khẩu" } else { "Chưa đặt mật khẩu" }}</td>
                                            <td>
                                                <ActionForm action=renew>
                                                    <input type="hidden" name="email" value=u.email.clone() />
                                                    <button type="submit" class="link">"Tạo liên kết đặt mật khẩu"</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></div>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
            <ActionForm action=create attr:class="row">
                <label>"Tên đơn vị" <input name="name" required /></label>
                <label>"Email của đơn vị" <input type="email" name="email" required /></label>
                <button type="submit">"Tạo tài khoản"</button>
            </ActionForm>
            {action_result(create.value(), "Đã tạo tài khoản; liên kết đặt mật khẩu ở bên dưới.")}
            {action_result(renew.value(), "Đã tạo liên kết mới; liên kết cũ hết hiệu lực.")}
        </section>
        <PendingLinks list=links who="đơn vị" />
        <section class="card" data-testid="checklists">
            <h2>"Tiêu chí của từng hạng mục"</h2>
            <p class="muted">"Mỗi dòng một tiêu chí. Tiêu chí đã có hồ sơ đánh dấu thì không xóa được."</p>
            {detail.categories.into_iter().map(|c| {
                let save = ServerAction::<SaveChecklist>::new();
                let text = c.criteria.iter().map(|x| x.text.clone()).collect::<Vec<_>>().join("\n");
                view! {
                    <ActionForm action=save>
                        <input type="hidden" name="field" value=c.id />
                        <label>
                            {c.name.clone()}
                            <textarea name="text" rows="5">{textarea_text(text)}</textarea>
                        </label>
                        <button type="submit">"Lưu tiêu chí"</button>
                    </ActionForm>
                    {action_result(save.value(), "Đã lưu tiêu chí.")}
                }
            }).collect_view()}
        </section>
    }
}
