//! Sign-in, registration and set-password pages. Each is a plain form that
//! works without JavaScript and is enhanced when the app has hydrated.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    Register, RequestPasswordReset, ResendVerification, SetPassword, SignIn, VerifyEmail,
    email_verified,
};
use crate::app::{FlashError, action_result};

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    // Where to go once signed in; the server keeps only a path of this site.
    let query = leptos_router::hooks::use_query_map();
    let next = move || query.read().get("tiep").unwrap_or_default();
    view! {
        <Title text="Đăng nhập · Sáng tạo kỹ thuật" />
        <section class="card narrow">
            <h1>"Đăng nhập"</h1>
            <FlashError place="form" />
            <ActionForm action>
                <input type="hidden" name="next" value=next />
                <label>"Email" <input type="email" name="email" autocomplete="username" required /></label>
                <label>
                    "Mật khẩu"
                    <input type="password" name="password" autocomplete="current-password" required />
                </label>
                <button type="submit">"Đăng nhập"</button>
            </ActionForm>
            {action_result(action.value(), "Đã đăng nhập.")}
            <p>"Chưa có tài khoản? " <a href="/dang-ky">"Đăng ký dự thi"</a></p>
            <p><a href="/quen-mat-khau">"Quên mật khẩu?"</a></p>
        </section>
    }
}

/// Asks for a password-reset link by email.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    view! {
        <Title text="Quên mật khẩu" />
        <section class="card narrow">
            <h1>"Quên mật khẩu"</h1>
            <p class="muted">"Nhập email của tài khoản; chúng tôi sẽ gửi một đường dẫn để đặt mật khẩu mới."</p>
            <FlashError place="form" />
            <ActionForm action>
                <label>"Email" <input type="email" name="email" autocomplete="username" required /></label>
                <button type="submit">"Gửi đường dẫn"</button>
            </ActionForm>
            {action_result(
                action.value(),
                "Nếu email này có tài khoản, đường dẫn đặt lại mật khẩu đã được gửi; hãy xem hộp thư (cả thư rác).",
            )}
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    view! {
        <Title text="Đăng ký tài khoản · Sáng tạo kỹ thuật" />
        <section class="card narrow">
            <h1>"Đăng ký tài khoản dự thi"</h1>
            <FlashError place="form" />
            <ActionForm action>
                <label>"Họ và tên" <input name="full_name" autocomplete="name" required /></label>
                <label>"Email" <input type="email" name="email" autocomplete="email" required /></label>
                <label>
                    "Mật khẩu (ít nhất 10 ký tự)"
                    <input type="password" name="password" autocomplete="new-password" minlength="10" required />
                </label>
                <button type="submit">"Tạo tài khoản"</button>
            </ActionForm>
            {action_result(action.value(), "Đã tạo tài khoản.")}
            <p>"Đã có tài khoản? " <a href="/dang-nhap">"Đăng nhập"</a></p>
        </section>
    }
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<SetPassword>::new();
    view! {
        <Title text="Đặt mật khẩu · Sáng tạo kỹ thuật" />
        <section class="card narrow">
            <h1>"Đặt mật khẩu"</h1>
            <FlashError place="form" />
            <p>"Liên kết này chỉ dùng được một lần."</p>
            <ActionForm action>
                <input type="hidden" name="token" value=token />
                <label>
                    "Mật khẩu mới (ít nhất 10 ký tự)"
                    <input type="password" name="password" autocomplete="new-password" minlength="10" required />
                </label>
                <button type="submit">"Lưu mật khẩu"</button>
            </ActionForm>
            {action_result(action.value(), "Đã lưu mật khẩu.")}
        </section>
    }
}

/// The page a registration mail's link opens: one button confirms the
/// address (a button, not the visit itself, so that mail scanners which
/// open links confirm nothing).
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<VerifyEmail>::new();
    view! {
        <Title text="Xác nhận email" />
        <section class="card narrow">
            <h1>"Xác nhận email"</h1>
            <FlashError place="form" />
            <ActionForm action>
                <input type="hidden" name="token" value=token />
                <button type="submit">"Xác nhận địa chỉ email này"</button>
            </ActionForm>
            {move || match action.value().get() {
                Some(Ok(email)) => view! {
                    <p class="ok" role="status">"Đã xác nhận " {email} ". " <a href="/dang-nhap">"Đăng nhập"</a></p>
                }.into_any(),
                Some(Err(error)) => view! { <crate::app::ErrorNote error /> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

/// A reminder, for a signed-in person whose address is not confirmed, with
/// a button that mails a new link.
#[component]
pub fn VerifyReminder() -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    let verified = Resource::new(|| (), |_| email_verified());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                (verified.await == Ok(false)).then(|| view! {
                    <div class="warning" data-testid="verify-reminder">
                        "Email của bạn chưa được xác nhận; hãy mở thư xác nhận đã gửi tới hộp thư. "
                        <ActionForm action=resend attr:class="inline">
                            <button type="submit" class="link">"Gửi lại thư xác nhận"</button>
                        </ActionForm>
                        {action_result(resend.value(), "Đã gửi lại thư xác nhận.")}
                    </div>
                })
            })}
        </Suspense>
    }
}
