//! The organizer's page for an edition's judges: import with a preview,
//! the one-time links, and the assignment of judges to fields.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    AssignField, CancelJudgeImport, ConfirmJudgeImport, DismissInviteLinks, ImportReport,
    NewInviteLink, UnassignField, list_judges, pending_invite_links, preview_judge_import,
};
use crate::app::editions::{FieldItem, get_edition, id_param};
use crate::app::{ErrorNote, FlashError, action_result, loading};

#[component]
pub fn JudgesPage() -> impl IntoView {
    let edition = id_param("id");
    let query = use_query_map();
    let staged = move || query.read().get("xem_truoc");
    let invite = ServerAction::<NewInviteLink>::new();
    let confirm = ServerAction::<ConfirmJudgeImport>::new();
    let links = LinkList::new(Signal::derive(move || {
        confirm.version().get() + invite.version().get()
    }));
    let cancel = ServerAction::<CancelJudgeImport>::new();
    let assign = ServerAction::<AssignField>::new();
    let unassign = ServerAction::<UnassignField>::new();
    let preview = Resource::new(
        move || (edition(), staged()),
        |(edition, token)| async move {
            match token {
                Some(token) => preview_judge_import(edition, token).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let judges = Resource::new(
        move || {
            (
                edition(),
                confirm.version().get(),
                assign.version().get(),
                unassign.version().get(),
            )
        },
        |(edition, ..)| async move {
            Ok::<_, crate::app::error::AppError>((
                list_judges(edition).await?,
                get_edition(edition).await?,
            ))
        },
    );

    view! {
        <Title text="Giám khảo · Sáng tạo kỹ thuật" />
        <section class="card">
            <h1>"Giám khảo"</h1>
            <p><a href=move || format!("/to-chuc/ky-thi/{}", edition())>"← Về kỳ thi"</a></p>
            <h2>"Nhập danh sách từ tệp Excel"</h2>
            <p class="muted">
                "Cột cần có: Họ và tên, Email; nên có: Mã GK, Học hàm học vị, Cơ quan công tác, Điện thoại, Vai trò. "
                "Bạn sẽ xem trước kết quả; chưa có gì được ghi cho tới khi bấm Xác nhận."
            </p>
            <FlashError place="form" />
            <form method="post" action=move || format!("/tep/ky-thi/{}/giam-khao", edition()) enctype="multipart/form-data">
                <label>"Tệp .xlsx, .xls hoặc .ods" <input type="file" name="file" accept=".xlsx,.xls,.ods" required /></label>
                <button type="submit">"Xem trước"</button>
            </form>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(Some(report)) => {
                            let token = staged().unwrap_or_default();
                            view! { <ImportPreview report edition=edition() token confirm cancel /> }.into_any()
                        }
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
            {move || confirm.value().get().map(|result| match result {
                Ok(outcome) => view! {
                    <div class="ok" role="status" data-testid="import-done">
                        <p>"Đã nhập " {outcome.report.imported} " giám khảo (gộp " {outcome.report.merged}
                           ", bỏ " {outcome.report.rejected} " dòng)."</p>
                    </div>
                }.into_any(),
                Err(error) => view! { <ErrorNote error /> }.into_any(),
            })}
        </section>
        <PendingLinks list=links who="giám khảo" />
        <section class="card">
            <h2>"Danh sách giám khảo và lĩnh vực chấm"</h2>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    let (judges, detail) = match judges.await {
                        Ok(data) => data,
                        Err(error) => return view! { <ErrorNote error /> }.into_any(),
                    };
                    view! {
                        <div class="scroll">
                        <table class="judges">
                            <thead><tr><th>"Giám khảo"</th><th>"Lĩnh vực chấm"</th><th>"Phiếu đã nộp"</th><th>"Tài khoản"</th></tr></thead>
                            <tbody>
                                {judges.into_iter().map(|j| view! {
                                    <tr data-testid=format!("judge-{}", j.email)>
                                        <td>
                                            <strong>{j.title.clone()} " " {j.full_name.clone()}</strong> " " <span class="muted">{j.code.clone()}</span><br />
                                            <span class="muted">{j.email.clone()} " · " {j.unit.clone()} " · " {j.council_role.clone()}</span>
                                        </td>
                                        <td>
                                            <JudgeFields judge=j.id assigned=j.fields.clone() all=detail.fields.clone() assign unassign />
                                        </td>
                                        <td data-testid="judge-progress">{j.submitted_sheets} " / " {j.assigned_entries}</td>
                                        <td><InviteButton judge=j.id has_password=j.has_password invite /></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                        {action_result(assign.value(), "Đã phân công.")}
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ImportPreview(
    report: ImportReport,
    edition: i64,
    token: String,
    confirm: ServerAction<ConfirmJudgeImport>,
    cancel: ServerAction<CancelJudgeImport>,
) -> impl IntoView {
    let cancel_token = token.clone();
    view! {
        <div class="preview" data-testid="import-preview">
            <h3>"Xem trước"</h3>
            <p data-testid="import-counts">
                {report.rows} " dòng: " {report.imported} " người sẽ được nhập, "
                {report.merged} " dòng trùng được gộp, " {report.rejected} " dòng bị từ chối."
            </p>
            {(!report.rejections.is_empty()).then(|| view! {
                <h4>"Dòng bị từ chối"</h4>
                <ul class="problems">
                    {report.rejections.iter().map(|p| view! {
                        <li>"Dòng " {p.row} ", cột " {p.column.clone()} ": " {p.message.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            {(!report.notes.is_empty()).then(|| view! {
                <h4>"Ghi chú"</h4>
                <ul>
                    {report.notes.iter().map(|p| view! {
                        <li>"Dòng " {p.row} ", cột " {p.column.clone()} ": " {p.message.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            <table>
                <thead><tr><th>"Dòng"</th><th>"Mã"</th><th>"Họ và tên"</th><th>"Email"</th><th>"Cơ quan"</th><th>"Vai trò"</th></tr></thead>
                <tbody>
                    {report.people.iter().map(|p| view! {
                        <tr>
                            <td>{p.row}</td><td>{p.code.clone()}</td>
                            <td>{p.title.clone()} " " {p.full_name.clone()}</td>
                            <td>{p.email.clone()}</td><td>{p.unit.clone()}</td><td>{p.council_role.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="actions">
                <ActionForm action=confirm>
                    <input type="hidden" name="edition" value=edition />
                    <input type="hidden" name="token" value=token />
                    <button type="submit">"Xác nhận nhập"</button>
                </ActionForm>
                <ActionForm action=cancel>
                    <input type="hidden" name="edition" value=edition />
                    <input type="hidden" name="token" value=cancel_token />
                    <button type="submit" class="secondary">"Hủy"</button>
                </ActionForm>
            </div>
        </div>
    }
}

#[component]
fn JudgeFields(
    judge: i64,
    assigned: Vec<FieldItem>,
    all: Vec<FieldItem>,
    assign: ServerAction<AssignField>,
    unassign: ServerAction<UnassignField>,
) -> impl IntoView {
    let free: Vec<FieldItem> = all
        .into_iter()
        .filter(|f| !assigned.iter().any(|a| a.id == f.id))
        .collect();
    view! {
        <ul class="fields">
            {assigned.into_iter().map(|f| view! {
                <li>
                    {f.name.clone()}
                    <ActionForm action=unassign attr:class="inline">
                        <input type="hidden" name="judge" value=judge />
                        <input type="hidden" name="field" value=f.id />
                        <button type="submit" class="link" aria-label=format!("Bỏ lĩnh vực {}", f.name)>"Bỏ"</button>
                    </ActionForm>
                </li>
            }).collect_view()}
        </ul>
        {(!free.is_empty()).then(|| view! {
            <ActionForm action=assign attr:class="row">
                <input type="hidden" name="judge" value=judge />
                <select name="field" aria-label="Lĩnh vực">
                    {free.into_iter().map(|f| view! { <option value=f.id>{f.name}</option> }).collect_view()}
                </select>
                <button type="submit">"Phân công"</button>
            </ActionForm>
        })}
    }
}

#[component]
fn InviteButton(
    judge: i64,
    has_password: bool,
    invite: ServerAction<NewInviteLink>,
) -> impl IntoView {
    view! {
        <span>{if has_password { "Đã đặt mật khẩu" } else { "Chưa đặt mật khẩu" }}</span>
        <ActionForm action=invite>
            <input type="hidden" name="judge" value=judge />
            <button type="submit" class="link">"Tạo liên kết đặt mật khẩu"</button>
        </ActionForm>
    }
}

/// The set-password links just made (for judges or units), kept in the
/// organizer's session so that they show after a reload and without
/// JavaScript. `made` changes whenever the page makes links.
/// The pending links and the action that hides them. A page makes this
/// at its top, outside any Suspense, so the fetch keeps its owner for
/// the whole server rendering.
#[derive(Clone, Copy)]
pub struct LinkList {
    links: Resource<Result<Vec<super::InviteLink>, crate::app::error::AppError>>,
    dismiss: ServerAction<DismissInviteLinks>,
}

impl LinkList {
    /// `made` changes whenever the page makes links.
    pub fn new(made: Signal<usize>) -> Self {
        let dismiss = ServerAction::<DismissInviteLinks>::new();
        let links = Resource::new(
            move || (made.get(), dismiss.version().get()),
            |_| pending_invite_links(),
        );
        Self { links, dismiss }
    }
}

#[component]
pub fn PendingLinks(list: LinkList, who: &'static str) -> impl IntoView {
    let LinkList { links, dismiss } = list;
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let links = links.await.unwrap_or_default();
                (!links.is_empty()).then(|| view! {
                    <section class="card" data-testid="invite-links">
                        <h2>"Liên kết đặt mật khẩu vừa tạo"</h2>
                        <p class="muted">
                            "Gửi cho mỗi " {who} " liên kết của họ. Mỗi liên kết dùng được một lần, trong 14 ngày; "
                            "tạo liên kết mới thì liên kết cũ hết hiệu lực. Chỉ bạn thấy danh sách này."
                        </p>
                        <ul class="links">
                            {links.into_iter().map(|l| view! {
                                <li>{l.full_name} " (" {l.email} "): " <code data-testid="invite-link">{l.url}</code></li>
                            }).collect_view()}
                        </ul>
                        <ActionForm action=dismiss>
                            <button type="submit" class="secondary">"Ẩn các liên kết"</button>
                        </ActionForm>
                    </section>
                })
            })}
        </Suspense>
    }
}
