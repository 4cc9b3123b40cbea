//! How lower-layer failures become an [`AppError`]: database and I/O
//! failures are logged here, once, and shown to the user as "something went
//! wrong"; a UNIQUE violation becomes a clear "already exists".

use axum::http::StatusCode;

use crate::app::error::AppError;

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error
            && db.is_unique_violation()
        {
            return AppError::Conflict("Dữ liệu này đã tồn tại.".into());
        }
        tracing::error!(error = %error, "database operation failed");
        AppError::Internal
    }
}

impl From<std::io::Error> for AppError {
    fn from(error: std::io::Error) -> Self {
        tracing::error!(error = %error, "file operation failed");
        AppError::Internal
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(error: tower_sessions::session::Error) -> Self {
        tracing::error!(error = %error, "session store failed");
        AppError::Internal
    }
}

/// Logs an unexpected failure with its cause and hides it from the user.
pub fn internal(context: &str, error: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %error, "{context}");
    AppError::Internal
}

/// The HTTP status that fits an error, for API clients.
pub fn status(error: &AppError) -> StatusCode {
    match error {
        AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::DeadlinePassed { .. } => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Invalid { .. } | AppError::BadRequest => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
