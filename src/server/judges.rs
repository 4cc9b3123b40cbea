//! SQL for the panel of judges and their fields.

use sqlx::SqlitePool;

use super::auth;
use super::collation::VietnameseOrder;
use crate::app::editions::FieldItem;
use crate::app::error::AppError;
use crate::app::judges::{InviteLink, JudgeItem};

#[derive(sqlx::FromRow)]
struct JudgeRow {
    id: i64,
    code: String,
    title: String,
    full_name: String,
    email: String,
    unit: String,
    council_role: String,
    has_password: bool,
    assigned_entries: i64,
    submitted_sheets: i64,
}

/// The judges of an edition in Vietnamese order of given names.
pub async fn list(pool: &SqlitePool, edition: i64) -> Result<Vec<JudgeItem>, AppError> {
    let rows = sqlx::query_as::<_, JudgeRow>(
        "SELECT j.id, j.code, j.title, u.full_name, u.email, j.unit, j.council_role,
                u.password_hash IS NOT NULL AS has_password,
                (SELECT COUNT(*) FROM judge_scope sc WHERE sc.judge_id = j.id) AS assigned_entries,
                (SELECT COUNT(*) FROM score_sheets s
                   JOIN judge_scope sc ON sc.round_id = s.round_id AND sc.entry_id = s.entry_id
                                      AND sc.judge_id = s.judge_id
                  WHERE s.judge_id = j.id AND s.submitted_at IS NOT NULL) AS submitted_sheets
           FROM judges j JOIN users u ON u.id = j.user_id WHERE j.edition_id = ?",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let assigned: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT DISTINCT cm.judge_id, f.id, f.name FROM council_members cm
           JOIN councils c ON c.id = cm.council_id JOIN fields f ON f.id = c.field_id
          WHERE f.edition_id = ? ORDER BY f.position",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let mut judges: Vec<JudgeItem> = rows
        .into_iter()
        .map(|r| JudgeItem {
            fields: assigned
                .iter()
                .filter(|(judge, _, _)| *judge == r.id)
                .map(|(_, id, name)| FieldItem {
                    id: *id,
                    name: name.clone(),
                })
                .collect(),
            id: r.id,
            code: r.code,
            title: r.title,
            full_name: r.full_name,
            email: r.email,
            unit: r.unit,
            council_role: r.council_role,
            has_password: r.has_password,
            assigned_entries: r.assigned_entries,
            submitted_sheets: r.submitted_sheets,
        })
        .collect();
    let order = VietnameseOrder::new();
    judges.sort_by(|a, b| order.compare_names(&a.full_name, &b.full_name));
    Ok(judges)
}

pub async fn assign(
    pool: &SqlitePool,
    site: &super::mail::Site,
    judge: i64,
    field: i64,
) -> Result<(), AppError> {
    let same_edition: Option<i64> = sqlx::query_scalar(
        "SELECT j.id FROM judges j JOIN fields f ON f.edition_id = j.edition_id WHERE j.id = ? AND f.id = ?",
    )
    .bind(judge)
    .bind(field)
    .fetch_optional(pool)
    .await?;
    if same_edition.is_none() {
        return Err(AppError::NotFound(
            "giám khảo hoặc lĩnh vực của kỳ thi này".into(),
        ));
    }
    let mut tx = pool.begin().await?;
    let council = super::councils::field_council(&mut tx, field).await?;
    if super::councils::add_member(&mut tx, council, judge).await? {
        super::councils::tell_member_added(&mut tx, site, council, judge).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Takes a judge off every council of a field; sheets already submitted
/// stay on record but no longer count.
pub async fn unassign(pool: &SqlitePool, judge: i64, field: i64) -> Result<(), AppError> {
    let edition: i64 = sqlx::query_scalar("SELECT edition_id FROM fields WHERE id = ?")
        .bind(field)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound("lĩnh vực".into()))?;
    super::judging::ensure_open(pool, edition).await?;
    sqlx::query(
        "DELETE FROM council_members WHERE judge_id = ?
            AND council_id IN (SELECT id FROM councils WHERE field_id = ?)",
    )
    .bind(judge)
    .bind(field)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn new_invite_link(
    pool: &SqlitePool,
    site: &super::mail::Site,
    judge: i64,
) -> Result<InviteLink, AppError> {
    let (user_id, full_name, email, edition): (i64, String, String, i64) = sqlx::query_as(
        "SELECT u.id, u.full_name, u.email, j.edition_id FROM judges j JOIN users u ON u.id = j.user_id
          WHERE j.id = ?",
    )
    .bind(judge)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("giám khảo".into()))?;
    let mut tx = pool.begin().await?;
    let url = auth::issue_link(
        &mut tx,
        user_id,
        super::judges_import::INVITE_DAYS,
        &site.public_url,
    )
    .await?;
    let link = InviteLink {
        full_name,
        email,
        url,
    };
    super::judges_import::invite_judge(&mut tx, site, edition, &link).await?;
    tx.commit().await?;
    Ok(link)
}
