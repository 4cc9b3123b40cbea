//! The Leptos UI: the HTML shell, the routes and the layout. Each feature
//! keeps its wire types, server functions and pages in its own folder.

pub mod auth;
pub mod drafts;
pub mod editions;
pub mod entries;
pub mod error;
pub mod flash;
pub mod honors;
pub mod judges;
pub mod judging;
pub mod outbox;
pub mod results;
mod widgets;
pub mod youth;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{SsrMode, path};

pub use flash::FlashError;
pub use widgets::*;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="vi">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.ico" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Sets the page's Content-Security-Policy: scripts only from this site
/// and the inline ones Leptos writes with this response's nonce (plus
/// WebAssembly), so markup that slipped into a page still cannot run. Inline
/// style attributes stay allowed; they cannot run code.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Every page waits for its data before the server sends it, so pages
    // read and forms submit with JavaScript turned off.
    let ssr = SsrMode::Async;
    // Effects run only in the browser: the marker turns true once the page
    // has hydrated, which end-to-end tests wait for.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    view! {
        <span hidden data-hydrated=move || hydrated.get().to_string()></span>
        <Stylesheet id="leptos" href="/pkg/sangtao.css" />
        <Title text="Sáng tạo kỹ thuật" />
        <Router>
            <NavBar />
            <main>
                <Routes fallback=|| view! { <p>"Không tìm thấy trang này."</p> }>
                    <Route path=path!("") view=editions::HomePage ssr=ssr.clone() />
                    <Route path=path!("/ky-thi/:id") view=editions::PublicEditionPage ssr=ssr.clone() />
                    <Route path=path!("/dang-nhap") view=auth::SignInPage ssr=ssr.clone() />
                    <Route path=path!("/dang-ky") view=auth::RegisterPage ssr=ssr.clone() />
                    <Route path=path!("/xac-nhan-email/:token") view=auth::VerifyEmailPage ssr=ssr.clone() />
                    <Route path=path!("/quen-mat-khau") view=auth::ForgotPasswordPage ssr=ssr.clone() />
                    <Route path=path!("/dat-mat-khau/:token") view=auth::SetPasswordPage ssr=ssr.clone() />
                    <Route path=path!("/to-chuc") view=editions::OrganizerHomePage ssr=ssr.clone() />
                    <Route path=path!("/to-chuc/thu-di") view=outbox::OutboxPage ssr=ssr.clone() />
                    <Route path=path!("/to-chuc/thu-di/mau") view=outbox::MailTemplatesPage ssr=ssr.clone() />
                    <Route path=path!("/to-chuc/ky-thi/moi") view=editions::NewEditionPage ssr=ssr.clone() />
                    <Route path=path!("/to-chuc/ky-thi/:id") view=editions::EditionAdminPage ssr=ssr.clone() />
                    <Route path=path!("/to-chuc/ky-thi/:id/giam-khao") view=judges::JudgesPage ssr=ssr.clone() />
                    <Route path=path!("/to-chuc/ky-thi/:id/ket-qua") view=results::ResultsPage ssr=ssr.clone() />
                    <Route path=path!("/to-chuc/ky-thi/:id/cham-diem") view=judging::JudgingSetupPage ssr=ssr.clone() />
                    <Route path=path!("/to-chuc/ky-thi/:id/tien-do") view=judging::ProgressPage ssr=ssr.clone() />
                    <Route path=path!("/to-chuc/hoi-dong/:id/bo-phieu") view=judging::BallotMinutesPage ssr=ssr.clone() />
                    <Route path=path!("/thi-sinh") view=entries::MyEntriesPage ssr=ssr.clone() />
                    <Route path=path!("/thi-sinh/giai-phap/:id") view=entries::EntryPage ssr=ssr.clone() />
                    <Route path=path!("/ho-so/:id/bien-nhan") view=entries::ReceiptPage ssr=ssr.clone() />
                    <Route path=path!("/ho-so/san-pham/:id") view=youth::YouthEntryPage ssr=ssr.clone() />
                    <Route path=path!("/ho-so/de-cu/:id") view=honors::NominationPage ssr=ssr.clone() />
                    <Route path=path!("/don-vi") view=honors::UnitHomePage ssr=ssr.clone() />
                    <Route path=path!("/giam-khao") view=judging::AssignmentsPage ssr=ssr.clone() />
                    <Route path=path!("/giam-khao/cham/:entry") view=judging::ScoreSheetPage ssr=ssr.clone() />
                    <Route path=path!("/giam-khao/bieu-quyet") view=judging::VotePage ssr=ssr.clone() />
                    <Route path=path!("/giam-khao/bo-phieu") view=judging::BallotPage ssr=ssr.clone() />
                </Routes>
            </main>
        </Router>
    }
}

/// The top bar: the union's contests, and who is signed in.
#[component]
fn NavBar() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let user = Resource::new(move || location.pathname.get(), |_| auth::me());
    let sign_out = ServerAction::<auth::SignOut>::new();
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">"Sáng tạo kỹ thuật"</A>
            <nav>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(user)) => view! {
                                <A href=user.role.home()>{user.role.label()}</A>
                                <span class="who" data-testid="signed-in-as">{user.full_name.clone()}</span>
                                <ActionForm action=sign_out attr:class="inline">
                                    <button type="submit" class="link">"Đăng xuất"</button>
                                </ActionForm>
                            }.into_any(),
                            _ => view! {
                                <A href="/dang-nhap">"Đăng nhập"</A>
                                <A href="/dang-ky">"Đăng ký dự thi"</A>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </nav>
        </header>
    }
}
