//! Passwords, sessions and the role checks every server function starts with.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tower_sessions::Session;

use crate::app::auth::{CurrentUser, Role};
use crate::app::error::AppError;
use crate::domain::text::Email;

const USER_KEY: &str = "user_id";
/// The account's `password_epoch` when the session signed in.
const EPOCH_KEY: &str = "password_epoch";

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| super::error::internal("hashing a password failed", e))
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A password must be long enough to resist guessing; nothing else is
/// imposed, so people can use passphrases in Vietnamese.
pub fn check_new_password(password: &str) -> Result<(), AppError> {
    if password.trim().chars().count() < 10 {
        return Err(AppError::invalid("Mật khẩu", "cần ít nhất 10 ký tự"));
    }
    Ok(())
}

/// How many wrong passwords one client may type for one account, and for
/// all accounts together, within [`THROTTLE_WINDOW`].
const THROTTLE_PER_ACCOUNT: usize = 10;
const THROTTLE_PER_CLIENT: usize = 100;
const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Slows down password guessing. Failures are counted per client address
/// and account (so a stranger cannot lock someone else out) and per client
/// address (so one client cannot try many accounts). Kept in memory: a
/// restart forgets it, which is acceptable for one server.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl SignInThrottle {
    fn recent(&self, key: &str) -> usize {
        let mut map = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(times) = map.get_mut(key) else {
            return 0;
        };
        while times.front().is_some_and(|t| t.elapsed() > THROTTLE_WINDOW) {
            times.pop_front();
        }
        times.len()
    }

    /// `keys` is [client and account, client].
    pub fn check(&self, keys: &[String; 2]) -> Result<(), AppError> {
        if self.recent(&keys[0]) >= THROTTLE_PER_ACCOUNT
            || self.recent(&keys[1]) >= THROTTLE_PER_CLIENT
        {
            return Err(AppError::TooManyAttempts);
        }
        Ok(())
    }

    pub fn failed(&self, keys: &[String; 2]) {
        let mut map = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for key in keys {
            map.entry(key.clone())
                .or_default()
                .push_back(Instant::now());
        }
    }

    pub fn succeeded(&self, key: &str) {
        let mut map = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.remove(key);
    }
}

/// A random token for a link, and the hash under which it is stored.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// Makes a one-time set-password link for an account, valid `days` days;
/// its older unused links stop working.
pub async fn issue_link(
    conn: &mut sqlx::SqliteConnection,
    user: i64,
    days: i64,
    public_url: &str,
) -> Result<String, AppError> {
    let (token, hash) = new_token();
    sqlx::query("DELETE FROM password_tokens WHERE user_id = ? AND used_at IS NULL")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO password_tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)")
        .bind(hash)
        .bind(user)
        .bind(super::time::to_text(
            super::time::now() + chrono::Duration::days(days),
        ))
        .execute(&mut *conn)
        .await?;
    Ok(format!("{public_url}/dat-mat-khau/{token}"))
}

/// `path` if it is a path of this site ("/giam-khao/cham/5?vong=2"), so a
/// sign-in may return there; never another site ("//evil.example",
/// "/\\evil.example") nor anything odd.
pub fn local_path(path: &str) -> Option<&str> {
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.len() <= 500
        && path.chars().all(|c| c.is_ascii_graphic());
    local.then_some(path)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    full_name: String,
    role: String,
}

impl From<UserRow> for CurrentUser {
    fn from(row: UserRow) -> Self {
        CurrentUser {
            id: row.id,
            email: row.email,
            full_name: row.full_name,
            role: Role::from_db(&row.role),
        }
    }
}

pub async fn load_user(pool: &SqlitePool, id: i64) -> Result<Option<CurrentUser>, AppError> {
    let row =
        sqlx::query_as::<_, UserRow>("SELECT id, email, full_name, role FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(CurrentUser::from))
}

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| super::error::internal("no session layer", e))
}

/// Starts a session for the user under a fresh id (no fixation).
pub async fn sign_in_session(user_id: i64) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await?;
    let state = super::state::app_state();
    session.insert(USER_KEY, user_id).await?;
    session
        .insert(EPOCH_KEY, password_epoch(&state.db.write, user_id).await?)
        .await?;
    Ok(())
}

/// How many times the account's password was set; see `EPOCH_KEY`.
async fn password_epoch(pool: &SqlitePool, user: i64) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT password_epoch FROM users WHERE id = ?")
            .bind(user)
            .fetch_optional(pool)
            .await?
            .unwrap_or(-1),
    )
}

/// The user a session belongs to, if its password has not been set anew
/// since it signed in (a reset ends every other session).
async fn session_user(
    session: &Session,
    pool: &SqlitePool,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(id) = session.get::<i64>(USER_KEY).await? else {
        return Ok(None);
    };
    let epoch = session.get::<i64>(EPOCH_KEY).await?.unwrap_or(0);
    if epoch != password_epoch(pool, id).await? {
        return Ok(None);
    }
    load_user(pool, id).await
}

pub async fn sign_out_session() -> Result<(), AppError> {
    session().await?.flush().await?;
    Ok(())
}

/// The signed-in user, if any.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let session = session().await?;
    let state = super::state::app_state();
    session_user(&session, &state.db.read).await
}

/// The signed-in user, whatever their role.
pub async fn signed_in() -> Result<CurrentUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in user, who must hold `role`.
pub async fn require(role: Role) -> Result<CurrentUser, AppError> {
    let user = signed_in().await?;
    if user.role != role {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}

/// The user of a session, for plain axum handlers (uploads, downloads).
pub async fn user_of(
    session: &Session,
    pool: &SqlitePool,
) -> Result<Option<CurrentUser>, AppError> {
    session_user(session, pool).await
}

/// How long an address-confirmation link works, in days.
const VERIFY_DAYS: i64 = 7;

/// Mails an account a link that confirms its address; older links stop
/// working.
pub async fn send_verification(
    conn: &mut sqlx::SqliteConnection,
    site: &super::mail::Site,
    user: i64,
) -> Result<(), AppError> {
    let (email, name, verified): (String, String, bool) = sqlx::query_as(
        "SELECT email, full_name, email_verified_at IS NOT NULL FROM users WHERE id = ?",
    )
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    if verified {
        return Err(AppError::Conflict("Email này đã được xác nhận.".into()));
    }
    // Nobody can make the app mail an address over and over.
    let since = super::time::to_text(super::time::now() - chrono::Duration::minutes(10));
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox
          WHERE event = 'email_verification' AND to_email = ? AND created_at > ?",
    )
    .bind(&email)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    if recent >= 3 {
        return Err(AppError::Conflict(
            "Đã gửi 3 thư xác nhận trong 10 phút qua; hãy xem hộp thư (cả thư rác) hoặc đợi rồi thử lại."
                .into(),
        ));
    }
    let (token, hash) = new_token();
    sqlx::query("DELETE FROM email_tokens WHERE user_id = ?")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO email_tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)")
        .bind(hash)
        .bind(user)
        .bind(super::time::to_text(
            super::time::now() + chrono::Duration::days(VERIFY_DAYS),
        ))
        .execute(&mut *conn)
        .await?;
    let values = serde_json::json!({
        "org": site.org_name,
        "name": name,
        "link": format!("{}/xac-nhan-email/{token}", site.public_url),
        "days": VERIFY_DAYS,
    });
    super::mail::enqueue(conn, "email_verification", &email, &name, &values).await
}

/// Marks the address of a confirmation link's account as verified;
/// returns the address.
pub async fn verify_email(pool: &SqlitePool, token: &str) -> Result<String, AppError> {
    let mut tx = pool.begin().await?;
    let found: Option<(i64, String)> = sqlx::query_as(
        "DELETE FROM email_tokens WHERE token_hash = ? AND expires_at > ?
         RETURNING user_id, (SELECT email FROM users WHERE id = user_id)",
    )
    .bind(token_hash(token))
    .bind(super::time::now_text())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user, email)) = found else {
        return Err(AppError::invalid(
            "Liên kết",
            "liên kết xác nhận đã dùng hoặc đã hết hạn; hãy đăng nhập và xin gửi lại",
        ));
    };
    sqlx::query("UPDATE users SET email_verified_at = ? WHERE id = ?")
        .bind(super::time::now_text())
        .bind(user)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(email)
}

/// How long a password-reset link works, in days.
const RESET_DAYS: i64 = 1;

/// Mails a reset link if the address has an account, unless three were
/// sent to it in the last ten minutes. Says nothing either way.
pub async fn request_reset(
    pool: &SqlitePool,
    site: &super::mail::Site,
    email: &str,
) -> Result<(), AppError> {
    let Ok(email) = Email::parse(email) else {
        return Err(AppError::invalid("Email", "email không hợp lệ"));
    };
    let mut tx = pool.begin().await?;
    let user: Option<(i64, String)> =
        sqlx::query_as("SELECT id, full_name FROM users WHERE email = ?")
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let Some((user, name)) = user else {
        return Ok(());
    };
    let since = super::time::to_text(super::time::now() - chrono::Duration::minutes(10));
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox
          WHERE event = 'password_reset' AND to_email = ? AND created_at > ?",
    )
    .bind(email.as_str())
    .bind(since)
    .fetch_one(&mut *tx)
    .await?;
    if recent >= 3 {
        return Ok(());
    }
    // Added beside any pending invitation, which keeps working: anyone may
    // ask for a reset, and it must not cancel a link the organizer sent.
    let (token, hash) = new_token();
    sqlx::query("INSERT INTO password_tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)")
        .bind(hash)
        .bind(user)
        .bind(super::time::to_text(
            super::time::now() + chrono::Duration::days(RESET_DAYS),
        ))
        .execute(&mut *tx)
        .await?;
    let link = format!("{}/dat-mat-khau/{token}", site.public_url);
    let values = serde_json::json!({ "org": site.org_name, "name": name, "link": link });
    super::mail::enqueue(&mut tx, "password_reset", email.as_str(), &name, &values).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_returns_only_to_a_path_of_this_site() {
        assert_eq!(
            local_path("/giam-khao/cham/5?vong=2"),
            Some("/giam-khao/cham/5?vong=2")
        );
        for foreign in [
            "//evil.example/x",
            "/\\evil.example",
            "https://evil.example",
            "",
            "/a b",
        ] {
            assert_eq!(local_path(foreign), None, "{foreign}");
        }
    }

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("mật khẩu đủ dài").unwrap();
        assert!(hash.starts_with("$argon2"));
        assert!(verify_password("mật khẩu đủ dài", &hash));
        assert!(!verify_password("mat khau du dai", &hash));
    }
}
