//! Sends what the outbox holds, one message at a time, with a timeout on
//! every phase and retries with a doubling delay.
//!
//! Each message is marked `sending` (committed) before the attempt and
//! `sent` right after the server accepts it. A crash between the two
//! leaves it `sending`; the next start queues it again, so the one way to
//! get a duplicate is a crash in the instant between the server's "250 OK"
//! and that mark. SMTP has no way to close that window entirely.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::SqlitePool;

use crate::server::config::Config;
use crate::server::time;

/// After this many failed attempts a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// How often the worker looks for due messages.
const POLL: Duration = Duration::from_millis(500);

/// Where messages go.
pub enum Transport {
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
    /// One .eml file per message, for a newcomer to read.
    Files(PathBuf),
}

impl Transport {
    pub fn from_config(config: &Config) -> Result<Self, String> {
        match &config.smtp_url {
            None => Ok(Self::Files(config.mail_dir())),
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("SANGTAO_SMTP_URL is not usable: {e}"))?
                    .timeout(Some(Duration::from_secs(config.smtp_timeout_seconds)))
                    .build();
                Ok(Self::Smtp(Box::new(transport)))
            }
        }
    }

    /// Sends one message; an error says whether trying again could help
    /// (a 5xx answer is permanent).
    async fn send(&self, id: i64, event: &str, message: &Message) -> Result<(), (String, bool)> {
        match self {
            Self::Smtp(transport) => transport
                .send(message.clone())
                .await
                .map(|_| ())
                .map_err(|e| (e.to_string(), !e.is_permanent())),
            Self::Files(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| (e.to_string(), true))?;
                let path = dir.join(format!("{id:06}-{event}.eml"));
                tokio::fs::write(path, message.formatted())
                    .await
                    .map_err(|e| (e.to_string(), true))
            }
        }
    }
}

#[derive(sqlx::FromRow)]
struct Queued {
    id: i64,
    event: String,
    to_email: String,
    to_name: String,
    subject: String,
    body_text: String,
    body_html: String,
    attempts: i64,
}

/// Builds the MIME message: UTF-8 names and subject encoded for every
/// client, plain text with an HTML alternative.
fn build(config: &Config, row: &Queued) -> Result<Message, String> {
    let from: Mailbox = Mailbox::new(
        Some(config.org_name.clone()),
        config
            .mail_from
            .parse()
            .map_err(|e| format!("SANGTAO_MAIL_FROM: {e}"))?,
    );
    let to = Mailbox::new(
        (!row.to_name.is_empty()).then(|| row.to_name.clone()),
        row.to_email
            .parse()
            .map_err(|e| format!("địa chỉ người nhận: {e}"))?,
    );
    Message::builder()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            row.body_text.clone(),
            row.body_html.clone(),
        ))
        .map_err(|e| e.to_string())
}

/// The delay before attempt `attempts + 1`: the base, doubled per failure,
/// at most a day.
fn backoff(config: &Config, attempts: i64) -> chrono::Duration {
    let factor = 1_i64 << attempts.clamp(0, 20);
    let seconds = (config.mail_retry_seconds as i64).saturating_mul(factor);
    chrono::Duration::seconds(seconds.min(24 * 3600))
}

/// Runs forever: queues again what a crash left `sending`, then sends
/// whatever is due.
pub async fn run(pool: SqlitePool, config: std::sync::Arc<Config>) {
    let transport = match Transport::from_config(&config) {
        Ok(transport) => transport,
        Err(error) => {
            tracing::error!(%error, "mail is not configured; notices stay queued");
            return;
        }
    };
    if let Err(error) = sqlx::query("UPDATE outbox SET state = 'queued' WHERE state = 'sending'")
        .execute(&pool)
        .await
    {
        tracing::error!(%error, "could not requeue interrupted mail");
    }
    let site = super::Site::of(&config);
    let mut next_reminder_check = tokio::time::Instant::now();
    loop {
        if tokio::time::Instant::now() >= next_reminder_check {
            if let Err(error) = super::announce::deadline_reminders(&pool, &site).await {
                tracing::error!(%error, "deadline reminders failed");
            }
            next_reminder_check = tokio::time::Instant::now()
                + Duration::from_secs(config.reminder_check_seconds.max(1));
        }
        match send_due(&pool, &config, &transport).await {
            Ok(0) => tokio::time::sleep(POLL).await,
            Ok(_) => {}
            Err(error) => {
                tracing::error!(%error, "the mail worker failed a round");
                tokio::time::sleep(POLL).await;
            }
        }
    }
}

/// Sends the messages due now; returns how many it tried.
async fn send_due(
    pool: &SqlitePool,
    config: &Config,
    transport: &Transport,
) -> Result<usize, sqlx::Error> {
    let due: Vec<Queued> = sqlx::query_as(
        "SELECT id, event, to_email, to_name, subject, body_text, body_html, attempts
           FROM outbox WHERE state = 'queued' AND next_try_at <= ? ORDER BY id LIMIT 20",
    )
    .bind(time::now_text())
    .fetch_all(pool)
    .await?;
    for row in &due {
        let claimed = sqlx::query(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1
              WHERE id = ? AND state = 'queued'",
        )
        .bind(row.id)
        .execute(pool)
        .await?;
        if claimed.rows_affected() == 0 {
            continue;
        }
        let attempts = row.attempts + 1;
        let outcome = match build(config, row) {
            // A message that cannot be built never will be: no retry.
            Err(error) => Err((error, false)),
            Ok(message) => {
                let whole = Duration::from_secs(config.smtp_timeout_seconds * 4);
                match tokio::time::timeout(whole, transport.send(row.id, &row.event, &message))
                    .await
                {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(failure)) => Err(failure),
                    Err(_) => Err((
                        format!("quá thời gian gửi ({} giây)", whole.as_secs()),
                        true,
                    )),
                }
            }
        };
        match outcome {
            Ok(()) => {
                sqlx::query(
                    "UPDATE outbox SET state = 'sent', sent_at = ?, last_error = '' WHERE id = ?",
                )
                .bind(time::now_text())
                .bind(row.id)
                .execute(pool)
                .await?;
                tracing::info!(mail.id = row.id, event = %row.event, "mail sent");
            }
            Err((error, retry)) => {
                let give_up = !retry || attempts >= MAX_ATTEMPTS;
                let next = time::now() + backoff(config, attempts - 1);
                sqlx::query(
                    "UPDATE outbox SET state = ?, last_error = ?, next_try_at = ? WHERE id = ?",
                )
                .bind(if give_up { "failed" } else { "queued" })
                .bind(&error)
                .bind(time::to_text(next))
                .bind(row.id)
                .execute(pool)
                .await?;
                tracing::warn!(mail.id = row.id, attempts, %error, give_up, "mail not sent");
            }
        }
    }
    Ok(due.len())
}
