//! Messages to a group the organizer picks within an edition: entry
//! owners (by field and state), all judges, or the judges who still have
//! sheets to submit. The organizer sees the count and a preview first.

use serde_json::json;
use sqlx::SqlitePool;

use super::templates::{Rendered, Wording, render_wording};
use super::{Site, insert};
use crate::app::error::AppError;
use crate::app::outbox::{GroupFilter, GroupPreview};

/// (email, name) of everyone the filter picks, each once, by name.
pub async fn audience(
    pool: &SqlitePool,
    edition: i64,
    filter: &GroupFilter,
) -> Result<Vec<(String, String)>, AppError> {
    let rows: Vec<(String, String)> = match filter.audience.as_str() {
        "owners" => sqlx::query_as(
            "SELECT DISTINCT u.email, u.full_name FROM entries e JOIN users u ON u.id = e.owner_id
                  WHERE e.edition_id = ?1
                    AND (?2 IS NULL OR e.field_id = ?2)
                    AND (?3 = '' OR e.state = ?3)
                  ORDER BY u.full_name",
        )
        .bind(edition)
        .bind(filter.field)
        .bind(&filter.state)
        .fetch_all(pool)
        .await?,
        "judges" => sqlx::query_as(
            "SELECT DISTINCT u.email, u.full_name FROM judges j JOIN users u ON u.id = j.user_id
                  WHERE j.edition_id = ? ORDER BY u.full_name",
        )
        .bind(edition)
        .fetch_all(pool)
        .await?,
        "judges_unfinished" => {
            sqlx::query_as(
                "SELECT DISTINCT u.email, u.full_name FROM judges j
                   JOIN users u ON u.id = j.user_id
                   JOIN judge_scope sc ON sc.judge_id = j.id
                  WHERE j.edition_id = ?
                    AND NOT EXISTS (SELECT 1 FROM score_sheets s
                                     WHERE s.round_id = sc.round_id AND s.entry_id = sc.entry_id
                                       AND s.judge_id = j.id AND s.submitted_at IS NOT NULL)
                  ORDER BY u.full_name",
            )
            .bind(edition)
            .fetch_all(pool)
            .await?
        }
        _ => return Err(AppError::invalid("Gửi cho", "hãy chọn nhóm người nhận")),
    };
    Ok(rows)
}

/// The organizer's text as a notice: the text is a template ({{ name }},
/// {{ edition }}, {{ org }}); the HTML part is the same text, escaped,
/// with its line breaks kept.
fn wording(subject: &str, body: &str) -> Result<Wording, AppError> {
    let subject = crate::domain::text::clean_line(subject);
    let body = crate::domain::text::clean_text(body);
    if subject.is_empty() || subject.chars().count() > 300 {
        return Err(AppError::invalid("Tiêu đề", "cần từ 1 đến 300 ký tự"));
    }
    if body.is_empty() || body.chars().count() > 20_000 {
        return Err(AppError::invalid("Nội dung", "cần từ 1 đến 20.000 ký tự"));
    }
    Ok(Wording {
        subject,
        text: body,
        // The HTML part is made from the rendered text (see `render`).
        html: String::new(),
    })
}

/// Renders the organizer's text for one person; the HTML part is that
/// text, escaped, with its line breaks kept.
fn render(wording: &Wording, values: &serde_json::Value) -> Result<Rendered, AppError> {
    let mut rendered = render_wording(wording, values)?;
    let escaped = rendered
        .text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', "<br>\n");
    rendered.html = format!("<p>{escaped}</p>");
    Ok(rendered)
}

async fn edition_name(pool: &SqlitePool, edition: i64) -> Result<String, AppError> {
    sqlx::query_scalar(
        "SELECT name || ' lần thứ ' || number || ' (' || year || ')' FROM editions WHERE id = ?",
    )
    .bind(edition)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("kỳ thi".into()))
}

/// How many would receive it, who first, and how it reads for the first.
pub async fn preview(
    pool: &SqlitePool,
    site: &Site,
    edition: i64,
    filter: &GroupFilter,
    subject: &str,
    body: &str,
) -> Result<GroupPreview, AppError> {
    let people = audience(pool, edition, filter).await?;
    let wording = wording(subject, body)?;
    let edition = edition_name(pool, edition).await?;
    let first = people
        .first()
        .map(|(_, name)| name.clone())
        .unwrap_or_default();
    let values = json!({ "name": first, "edition": edition, "org": site.org_name });
    let rendered = render(&wording, &values)?;
    Ok(GroupPreview {
        count: people.len(),
        names: people.iter().take(10).map(|(_, n)| n.clone()).collect(),
        subject: rendered.subject,
        text: rendered.text,
    })
}

/// Queues the message for everyone the filter picks, in one transaction.
/// `expected` is the count the organizer saw; if the group changed since,
/// nothing is sent and they are asked to look again.
pub async fn send(
    pool: &SqlitePool,
    site: &Site,
    edition: i64,
    filter: &GroupFilter,
    subject: &str,
    body: &str,
    expected: usize,
) -> Result<usize, AppError> {
    let people = audience(pool, edition, filter).await?;
    if people.len() != expected {
        return Err(AppError::Conflict(format!(
            "Nhóm người nhận vừa thay đổi ({} người thay vì {expected}); hãy xem trước lại.",
            people.len()
        )));
    }
    if people.is_empty() {
        return Err(AppError::invalid("Gửi cho", "nhóm này không có ai"));
    }
    let wording = wording(subject, body)?;
    let edition = edition_name(pool, edition).await?;
    let mut tx = pool.begin().await?;
    for (email, name) in &people {
        let values = json!({ "name": name, "edition": edition, "org": site.org_name });
        let rendered = render(&wording, &values)?;
        insert(&mut tx, "group_message", email, name, &rendered).await?;
    }
    tx.commit().await?;
    Ok(people.len())
}
