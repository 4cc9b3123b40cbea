//! SQL for score sheets. Every query is scoped to the calling judge: a
//! judge reads and writes only their own sheets, for entries of the fields
//! they are assigned to.

use sqlx::SqlitePool;

use super::{editions, entries, time};
use crate::app::error::AppError;
use crate::app::judging::{Assignment, EntryForJudge, ScoreInput, SheetState, SheetView};
use crate::domain::points::{Points, check_score};

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    entry_id: i64,
    code: String,
    title: String,
    edition_name: String,
    field_name: String,
    sheet_id: Option<i64>,
    submitted_at: Option<String>,
}

pub async fn assignments(pool: &SqlitePool, user: i64) -> Result<Vec<Assignment>, AppError> {
    let rows = sqlx::query_as::<_, AssignmentRow>(
        "SELECT e.id AS entry_id, e.code, e.title, ed.name || ' lần thứ ' || ed.number AS edition_name,
                f.name AS field_name, s.id AS sheet_id, s.submitted_at
           FROM judges j
           JOIN judge_fields jf ON jf.judge_id = j.id
           JOIN entries e ON e.field_id = jf.field_id AND e.edition_id = j.edition_id
                         AND e.state IN ('submitted', 'accepted')
           JOIN editions ed ON ed.id = e.edition_id
           JOIN fields f ON f.id = e.field_id
           LEFT JOIN score_sheets s ON s.entry_id = e.id AND s.judge_id = j.id
          WHERE j.user_id = ?
          ORDER BY ed.id DESC, f.position, e.code",
    )
    .bind(user)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Assignment {
            sheet: match (r.sheet_id, r.submitted_at) {
                (None, _) => SheetState::NotStarted,
                (Some(_), None) => SheetState::Draft,
                (Some(_), Some(_)) => SheetState::Submitted,
            },
            entry_id: r.entry_id,
            code: r.code,
            title: r.title,
            edition_name: r.edition_name,
            field_name: r.field_name,
        })
        .collect())
}

/// The judge record of `user` that may score `entry`, or NotFound.
async fn judge_for(pool: &SqlitePool, user: i64, entry: i64) -> Result<i64, AppError> {
    sqlx::query_scalar(
        "SELECT j.id FROM entries e
           JOIN judges j ON j.edition_id = e.edition_id AND j.user_id = ?
           JOIN judge_fields jf ON jf.judge_id = j.id AND jf.field_id = e.field_id
          WHERE e.id = ? AND e.state IN ('submitted', 'accepted')",
    )
    .bind(user)
    .bind(entry)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("giải pháp trong các lĩnh vực bạn được phân công".into()))
}

pub async fn sheet(pool: &SqlitePool, user: i64, entry: i64) -> Result<SheetView, AppError> {
    let judge = judge_for(pool, user, entry).await?;
    let view = entries::view(pool, entry).await?;
    let criteria = editions::criteria(pool, view.edition_id).await?;
    let rules = editions::rules(pool, view.edition_id).await?;
    let sheet: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT id, submitted_at FROM score_sheets WHERE entry_id = ? AND judge_id = ?",
    )
    .bind(entry)
    .bind(judge)
    .fetch_optional(pool)
    .await?;
    let saved: Vec<(i64, i64)> = match sheet {
        Some((id, _)) => {
            sqlx::query_as("SELECT criterion_id, points_centi FROM scores WHERE sheet_id = ?")
                .bind(id)
                .fetch_all(pool)
                .await?
        }
        None => Vec::new(),
    };
    let scores: Vec<Option<Points>> = criteria
        .iter()
        .map(|c| {
            saved
                .iter()
                .find(|(id, _)| *id == c.id)
                .map(|(_, p)| Points(*p))
        })
        .collect();
    Ok(SheetView {
        entry: EntryForJudge {
            id: view.id,
            code: view.code,
            title: view.title,
            summary: view.summary,
            field_name: view.field_name,
            applied_since: crate::domain::dates::format_iso_date(&view.applied_since),
            applying_unit: view.applying_unit,
            authors: view
                .authors
                .iter()
                .map(|a| format!("{} ({}, {}%)", a.full_name, a.unit, a.share))
                .collect(),
            file_url: view.file.map(|f| f.url),
        },
        total: Points(scores.iter().flatten().map(|p| p.0).sum()),
        criteria,
        step: rules.step,
        scores,
        submitted: sheet.is_some_and(|(_, at)| at.is_some()),
    })
}

pub async fn save(
    pool: &SqlitePool,
    user: i64,
    entry: i64,
    input: &[ScoreInput],
) -> Result<(), AppError> {
    let judge = judge_for(pool, user, entry).await?;
    let edition: i64 = sqlx::query_scalar("SELECT edition_id FROM entries WHERE id = ?")
        .bind(entry)
        .fetch_one(pool)
        .await?;
    let criteria = editions::criteria(pool, edition).await?;
    let step = editions::rules(pool, edition).await?.step;

    let mut checked = Vec::new();
    for score in input {
        let criterion = criteria
            .iter()
            .find(|c| c.id == score.criterion_id)
            .ok_or_else(|| AppError::invalid("Tiêu chí", "tiêu chí không thuộc kỳ thi này"))?;
        if score.points.trim().is_empty() {
            checked.push((criterion.id, None));
            continue;
        }
        let points = Points::parse(&score.points)
            .and_then(|p| check_score(p, criterion.max, step))
            .map_err(|e| AppError::invalid(&criterion.name, e.to_string()))?;
        checked.push((criterion.id, Some(points)));
    }

    let mut tx = pool.begin().await?;
    let (sheet, submitted): (i64, Option<String>) = sqlx::query_as(
        "INSERT INTO score_sheets (entry_id, judge_id) VALUES (?, ?)
         ON CONFLICT (entry_id, judge_id) DO UPDATE SET entry_id = excluded.entry_id
         RETURNING id, submitted_at",
    )
    .bind(entry)
    .bind(judge)
    .fetch_one(&mut *tx)
    .await?;
    if submitted.is_some() {
        return Err(AppError::Conflict(
            "Phiếu chấm đã nộp nên không sửa được nữa.".into(),
        ));
    }
    for (criterion, points) in checked {
        match points {
            Some(points) => {
                sqlx::query(
                    "INSERT INTO scores (sheet_id, criterion_id, points_centi) VALUES (?, ?, ?)
                     ON CONFLICT (sheet_id, criterion_id) DO UPDATE SET points_centi = excluded.points_centi",
                )
                .bind(sheet)
                .bind(criterion)
                .bind(points.0)
                .execute(&mut *tx)
                .await?
            }
            None => {
                sqlx::query("DELETE FROM scores WHERE sheet_id = ? AND criterion_id = ?")
                    .bind(sheet)
                    .bind(criterion)
                    .execute(&mut *tx)
                    .await?
            }
        };
    }
    tx.commit().await?;
    Ok(())
}

pub async fn submit(pool: &SqlitePool, user: i64, entry: i64) -> Result<(), AppError> {
    let view = sheet(pool, user, entry).await?;
    if view.submitted {
        return Err(AppError::Conflict(
            "Phiếu chấm đã được nộp trước đó.".into(),
        ));
    }
    let missing: Vec<String> = view
        .criteria
        .iter()
        .zip(&view.scores)
        .filter(|(_, score)| score.is_none())
        .map(|(c, _)| c.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(AppError::invalid(
            "Phiếu chấm",
            format!("chưa chấm: {}", missing.join("; ")),
        ));
    }
    let judge = judge_for(pool, user, entry).await?;
    sqlx::query("UPDATE score_sheets SET submitted_at = ? WHERE entry_id = ? AND judge_id = ? AND submitted_at IS NULL")
        .bind(time::now_text())
        .bind(entry)
        .bind(judge)
        .execute(pool)
        .await?;
    Ok(())
}
