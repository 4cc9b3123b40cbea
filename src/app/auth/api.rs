//! Server functions for accounts.

use leptos::prelude::*;

use super::CurrentUser;
use crate::app::error::AppError;

/// Who is signed in, for the navigation bar and role-gated pages.
#[server(endpoint = "me")]
pub async fn me() -> Result<Option<CurrentUser>, AppError> {
    crate::server::forms::respond(crate::server::auth::current_user().await).await
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    #[server(default)] next: String,
) -> Result<CurrentUser, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::server::{auth, state::app_state};

            let state = app_state();
            let email =
                crate::domain::text::Email::parse(&email).map_err(|_| AppError::BadCredentials)?;
            let client = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .await
                .map(|info| info.0.ip().to_string())
                .unwrap_or_default();
            let keys = [format!("{client}|{}", email.as_str()), client.clone()];
            state.throttle.check(&keys)?;
            let row: Option<(i64, Option<String>)> =
                sqlx::query_as("SELECT id, password_hash FROM users WHERE email = ?")
                    .bind(email.as_str())
                    .fetch_optional(&state.db.read)
                    .await?;
            let id = match row {
                Some((id, Some(hash))) if auth::verify_password(&password, &hash) => id,
                Some((_, Some(_))) => {
                    state.throttle.failed(&keys);
                    return Err(AppError::BadCredentials);
                }
                _ => {
                    // Hash anyway so that an unknown address takes as long as a known one.
                    let _ = auth::hash_password(&password);
                    state.throttle.failed(&keys);
                    return Err(AppError::BadCredentials);
                }
            };
            state.throttle.succeeded(&keys[0]);

            auth::sign_in_session(id).await?;
            let user = auth::load_user(&state.db.read, id)
                .await?
                .ok_or(AppError::Internal)?;
            tracing::info!(user.id = id, "signed in");
            let to = auth::local_path(&next).unwrap_or(user.role.home());
            leptos_axum::redirect(to);
            Ok(user)
        }
        .await,
    )
    .await
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            crate::server::auth::sign_out_session().await?;
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
    .await
}

/// Creates a contestant account and signs it in.
#[server(endpoint = "register")]
pub async fn register(
    full_name: String,
    email: String,
    password: String,
) -> Result<CurrentUser, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::domain::text::{Email, FullName};
            use crate::server::{auth, state::app_state, time};

            let name = FullName::parse(&full_name)
                .map_err(|e| AppError::invalid("Họ và tên", e.to_string()))?;
            let email =
                Email::parse(&email).map_err(|e| AppError::invalid("Email", e.to_string()))?;
            auth::check_new_password(&password)?;
            let hash = auth::hash_password(&password)?;

            let state = app_state();
            let mut tx = state.db.write.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO users (email, full_name, role, password_hash, created_at)
             VALUES (?, ?, 'contestant', ?, ?) RETURNING id",
            )
            .bind(email.as_str())
            .bind(name.as_str())
            .bind(&hash)
            .bind(time::now_text())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => {
                    AppError::Conflict("Email này đã được đăng ký. Hãy đăng nhập.".into())
                }
                other => other,
            })?;
            let site = crate::server::mail::Site::of(&state.config);
            auth::send_verification(&mut tx, &site, id).await?;
            tx.commit().await?;

            auth::sign_in_session(id).await?;
            tracing::info!(user.id = id, "contestant registered");
            leptos_axum::redirect("/thi-sinh");
            auth::load_user(&state.db.read, id)
                .await?
                .ok_or(AppError::Internal)
        }
        .await,
    )
    .await
}

/// Sets a password through a one-time link, and signs the person in.
#[server(endpoint = "set_password")]
pub async fn set_password(token: String, password: String) -> Result<CurrentUser, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::server::{auth, state::app_state, time};

            auth::check_new_password(&password)?;
            let state = app_state();
            let mut tx = state.db.write.begin().await?;
            let row: Option<(i64, String, Option<String>)> = sqlx::query_as(
                "SELECT user_id, expires_at, used_at FROM password_tokens WHERE token_hash = ?",
            )
            .bind(auth::token_hash(&token))
            .fetch_optional(&mut *tx)
            .await?;
            let expired = |at: &str| time::from_text(at).is_none_or(|at| at < time::now());
            let user_id = match row {
                Some((user_id, expires_at, None)) if !expired(&expires_at) => user_id,
                _ => {
                    return Err(AppError::invalid(
                        "Liên kết",
                        "liên kết đã dùng hoặc đã hết hạn; hãy xin liên kết mới (mục \"Quên mật khẩu\" hoặc Ban tổ chức)",
                    ));
                }
            };
            let hash = auth::hash_password(&password)?;
            // The link came by mail: following it proves the address.
            sqlx::query(
                "UPDATE users SET password_hash = ?, password_epoch = password_epoch + 1,
                        email_verified_at = COALESCE(email_verified_at, ?)
                  WHERE id = ?",
            )
            .bind(&hash)
            .bind(time::now_text())
            .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE password_tokens SET used_at = ? WHERE token_hash = ?")
                .bind(time::now_text())
                .bind(auth::token_hash(&token))
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM password_tokens WHERE user_id = ? AND used_at IS NULL")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;

            auth::sign_in_session(user_id).await?;
            let user = auth::load_user(&state.db.read, user_id)
                .await?
                .ok_or(AppError::Internal)?;
            leptos_axum::redirect(user.role.home());
            Ok(user)
        }
        .await,
    )
    .await
}

/// Sends a password-reset link to an account's address. The answer is the
/// same whether or not the address has an account, so addresses cannot be
/// probed; at most three links per address in ten minutes.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let state = crate::server::state::app_state();
            crate::server::auth::request_reset(
                &state.db.write,
                &crate::server::mail::Site::of(&state.config),
                &email,
            )
            .await
        }
        .await,
    )
    .await
}

/// Confirms an address through the link mailed at registration.
#[server(endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<String, AppError> {
    crate::server::forms::respond(
        async move {
            let state = crate::server::state::app_state();
            crate::server::auth::verify_email(&state.db.write, &token).await
        }
        .await,
    )
    .await
}

/// Mails the signed-in person a new confirmation link.
#[server(endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let user = crate::server::auth::signed_in().await?;
            let state = crate::server::state::app_state();
            let site = crate::server::mail::Site::of(&state.config);
            let mut tx = state.db.write.begin().await?;
            crate::server::auth::send_verification(&mut tx, &site, user.id).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
    .await
}

/// Whether the signed-in person's address is confirmed.
#[server(endpoint = "email_verified")]
pub async fn email_verified() -> Result<bool, AppError> {
    crate::server::forms::respond(
        async move {
            let user = crate::server::auth::signed_in().await?;
            let state = crate::server::state::app_state();
            Ok(
                sqlx::query_scalar("SELECT email_verified_at IS NOT NULL FROM users WHERE id = ?")
                    .bind(user.id)
                    .fetch_one(&state.db.read)
                    .await?,
            )
        }
        .await,
    )
    .await
}
