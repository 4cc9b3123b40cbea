//! Typed configuration from the environment, with embedded defaults.
//! Every variable is described in `.env.example`.

use std::path::PathBuf;

/// Settings read once at start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Holds the SQLite file and the uploads (`SANGTAO_DATA_DIR`).
    pub data_dir: PathBuf,
    /// Printed on exports and pages (`SANGTAO_ORG_NAME`).
    pub org_name: String,
    /// The place written above signatures (`SANGTAO_PLACE`).
    pub place: String,
    /// Base of the links handed to people (`SANGTAO_PUBLIC_URL`).
    pub public_url: String,
    /// Mark the session cookie `Secure`: on behind HTTPS (`SANGTAO_SECURE_COOKIES`).
    pub secure_cookies: bool,
    /// Largest uploaded file in bytes (`SANGTAO_MAX_UPLOAD_MB`, default 20).
    pub max_upload_bytes: usize,
    /// Where mail goes: an SMTP server in lettre's URL form
    /// (`SANGTAO_SMTP_URL`), or, when unset, .eml files under the data folder.
    pub smtp_url: Option<String>,
    /// The sender's address (`SANGTAO_MAIL_FROM`); the union's name is
    /// its display name.
    pub mail_from: String,
    /// Seconds each SMTP phase may take (`SANGTAO_SMTP_TIMEOUT_SECONDS`).
    pub smtp_timeout_seconds: u64,
    /// The first retry's delay in seconds, doubling after each failure
    /// (`SANGTAO_MAIL_RETRY_SECONDS`).
    pub mail_retry_seconds: u64,
    /// How often the mail worker looks for editions whose deadline is near
    /// (`SANGTAO_REMINDER_CHECK_SECONDS`).
    pub reminder_check_seconds: u64,
}

impl Config {
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let site_addr = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        Self {
            data_dir: var("SANGTAO_DATA_DIR")
                .unwrap_or_else(|| "./data".into())
                .into(),
            org_name: var("SANGTAO_ORG_NAME")
                .unwrap_or_else(|| "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH ĐỒNG THÁP".into()),
            place: var("SANGTAO_PLACE").unwrap_or_else(|| "Đồng Tháp".into()),
            public_url: var("SANGTAO_PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}")),
            secure_cookies: var("SANGTAO_SECURE_COOKIES").is_some_and(|v| v == "true" || v == "1"),
            max_upload_bytes: var("SANGTAO_MAX_UPLOAD_MB")
                .and_then(|v| v.parse().ok())
                .unwrap_or(20)
                * 1024
                * 1024,
            smtp_url: var("SANGTAO_SMTP_URL"),
            mail_from: var("SANGTAO_MAIL_FROM").unwrap_or_else(|| "khong-tra-loi@localhost".into()),
            smtp_timeout_seconds: var("SANGTAO_SMTP_TIMEOUT_SECONDS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(30),
            mail_retry_seconds: var("SANGTAO_MAIL_RETRY_SECONDS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(60),
            reminder_check_seconds: var("SANGTAO_REMINDER_CHECK_SECONDS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(600),
        }
    }

    /// Where .eml files go when no SMTP server is configured.
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("sangtao.sqlite3")
    }

    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }

    pub fn staging_dir(&self) -> PathBuf {
        self.data_dir.join("staging")
    }
}

impl Config {
    /// The letterhead of documents issued today.
    pub fn letterhead(&self) -> super::results_xlsx::Letterhead {
        let today = super::time::now()
            .with_timezone(&super::time::zone(super::time::DEFAULT_ZONE))
            .date_naive();
        super::results_xlsx::Letterhead {
            org_name: self.org_name.clone(),
            place: self.place.clone(),
            date: today,
        }
    }
}
