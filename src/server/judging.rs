//! SQL for score sheets. Every judge query goes through `judge_scope`: a
//! judge reads and writes only their own sheets, for entries their
//! council judges in a round, and never with an open conflict.

use sqlx::SqlitePool;

use super::audit::{self, Action, Record};
use super::{conflicts, editions, entries, rounds, time};
use crate::app::error::AppError;
use crate::app::judging::{
    Assignment, EntryForJudge, PeerSheet, RubricCriterion, ScoreInput, SheetState, SheetView,
};
use crate::domain::aggregate::weighted_total;
use crate::domain::dates::Period;
use crate::domain::points::{Points, check_score};

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    round_id: i64,
    round_name: String,
    entry_id: i64,
    code: String,
    title: String,
    edition_name: String,
    field_name: String,
    sheet_id: Option<i64>,
    submitted_at: Option<String>,
}

pub async fn assignments(pool: &SqlitePool, user: i64) -> Result<Vec<Assignment>, AppError> {
    let editions: Vec<(i64, i64)> =
        sqlx::query_as("SELECT edition_id, id FROM judges WHERE user_id = ?")
            .bind(user)
            .fetch_all(pool)
            .await?;
    let mut conn = pool.acquire().await?;
    for (edition, judge) in editions {
        conflicts::refresh(&mut conn, edition, Some(judge)).await?;
    }
    let rows = sqlx::query_as::<_, AssignmentRow>(
        "SELECT sc.round_id, r.name AS round_name, e.id AS entry_id, e.code, e.title,
                ed.name || ' lần thứ ' || ed.number AS edition_name,
                f.name AS field_name, s.id AS sheet_id, s.submitted_at
           FROM judges j
           JOIN judge_scope sc ON sc.judge_id = j.id
           JOIN rounds r ON r.id = sc.round_id
           JOIN entries e ON e.id = sc.entry_id
           JOIN editions ed ON ed.id = e.edition_id
           JOIN fields f ON f.id = e.field_id
           LEFT JOIN score_sheets s ON s.round_id = sc.round_id AND s.entry_id = e.id
                                   AND s.judge_id = j.id
          WHERE j.user_id = ?
          ORDER BY ed.id DESC, r.position DESC, f.position, e.code",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let mut windows = std::collections::HashMap::new();
    for row in &rows {
        if let std::collections::hash_map::Entry::Vacant(slot) = windows.entry(row.round_id) {
            slot.insert(window_text(pool, row.round_id).await?);
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| Assignment {
            window: windows.get(&r.round_id).cloned().unwrap_or_default(),
            sheet: match (r.sheet_id, r.submitted_at) {
                (None, _) => SheetState::NotStarted,
                (Some(_), None) => SheetState::Draft,
                (Some(_), Some(_)) => SheetState::Submitted,
            },
            round_id: r.round_id,
            round_name: r.round_name,
            entry_id: r.entry_id,
            code: r.code,
            title: r.title,
            edition_name: r.edition_name,
            field_name: r.field_name,
        })
        .collect())
}

/// A round's dates as they bear on a judge today, for their list.
async fn window_text(pool: &SqlitePool, round: i64) -> Result<String, AppError> {
    let day = crate::domain::dates::format_date;
    Ok(match rounds::window(pool, round).await? {
        (Period::NotYet(first), _) => format!("mở từ ngày {}", day(first)),
        (Period::Over(last), _) => format!("đã kết thúc ngày {}", day(last)),
        (Period::Open, Some(last)) => format!("hạn nộp: hết ngày {}", day(last)),
        (Period::Open, None) => String::new(),
    })
}

/// Through which judge record and round `user` may score `entry`.
pub struct Scope {
    pub judge: i64,
    pub round: i64,
    pub edition: i64,
}

/// The scope of `user` on `entry` in `round` (the latest round when
/// `None`), with conflicts refreshed first. A judge with an open conflict
/// is told so; anyone else outside the scope gets NotFound.
pub async fn scope(
    pool: &SqlitePool,
    user: i64,
    entry: i64,
    round: Option<i64>,
) -> Result<Scope, AppError> {
    let not_found = || AppError::NotFound("hồ sơ trong phạm vi bạn được phân công".into());
    let (judge, edition): (i64, i64) = sqlx::query_as(
        "SELECT j.id, e.edition_id FROM entries e
           JOIN judges j ON j.edition_id = e.edition_id AND j.user_id = ?
          WHERE e.id = ?",
    )
    .bind(user)
    .bind(entry)
    .fetch_optional(pool)
    .await?
    .ok_or_else(not_found)?;
    let mut conn = pool.acquire().await?;
    conflicts::refresh(&mut conn, edition, Some(judge)).await?;
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT s.round_id FROM judge_scope s JOIN rounds r ON r.id = s.round_id
          WHERE s.judge_id = ? AND s.entry_id = ? AND (? IS NULL OR s.round_id = ?)
          ORDER BY r.position DESC LIMIT 1",
    )
    .bind(judge)
    .bind(entry)
    .bind(round)
    .bind(round)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(round) = found {
        return Ok(Scope {
            judge,
            round,
            edition,
        });
    }
    let conflicted: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM conflicts WHERE entry_id = ? AND judge_id = ?
                          AND overridden_at IS NULL)",
    )
    .bind(entry)
    .bind(judge)
    .fetch_one(&mut *conn)
    .await?;
    if conflicted {
        return Err(AppError::Conflict(
            "Bạn có xung đột lợi ích với hồ sơ này nên không được mở hay chấm.".into(),
        ));
    }
    Err(not_found())
}

/// Refuses any change once the edition's results are final.
pub async fn ensure_open(pool: &SqlitePool, edition: i64) -> Result<(), AppError> {
    let final_at: Option<String> =
        sqlx::query_scalar("SELECT results_final_at FROM editions WHERE id = ?")
            .bind(edition)
            .fetch_one(pool)
            .await?;
    match final_at {
        Some(_) => Err(AppError::Conflict(
            "Kết quả đã chốt; muốn thay đổi, ban tổ chức phải mở lại kết quả.".into(),
        )),
        None => Ok(()),
    }
}

/// Refuses a judge's change outside the round's dates.
async fn ensure_round_open(pool: &SqlitePool, round: i64) -> Result<(), AppError> {
    match rounds::period(pool, round).await?.refusal() {
        Some(why) => Err(AppError::Conflict(why)),
        None => Ok(()),
    }
}

pub async fn sheet(
    pool: &SqlitePool,
    user: i64,
    entry: i64,
    round: Option<i64>,
) -> Result<SheetView, AppError> {
    let scope = scope(pool, user, entry, round).await?;
    let view = entries::view(pool, entry).await?;
    let round = rounds::get(pool, scope.round).await?;
    let rules = editions::rules(pool, scope.edition).await?;
    let step = round.step.unwrap_or(rules.step);
    let sheets = sheets_of(pool, scope.round, entry).await?;
    let own = sheets.iter().find(|s| s.judge == scope.judge);
    let scores: Vec<Option<Points>> = round
        .criteria
        .iter()
        .map(|c| own.and_then(|s| s.score(c.id)))
        .collect();
    let submitted = own.is_some_and(|s| s.submitted);
    let show_peers: bool =
        sqlx::query_scalar("SELECT peers_after_submit FROM editions WHERE id = ?")
            .bind(scope.edition)
            .fetch_one(pool)
            .await?;
    let weights: Vec<u32> = round.criteria.iter().map(|c| c.weight_percent).collect();
    let peers = if submitted && show_peers {
        sheets
            .iter()
            .filter(|s| s.judge != scope.judge && s.submitted)
            .map(|s| {
                let scores: Vec<Option<Points>> =
                    round.criteria.iter().map(|c| s.score(c.id)).collect();
                let flat: Vec<Points> = scores.iter().map(|p| p.unwrap_or_default()).collect();
                PeerSheet {
                    total: weighted_total(&flat, &weights),
                    scores,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let flat: Vec<Points> = scores.iter().map(|p| p.unwrap_or_default()).collect();
    let closed = rounds::period(pool, round.id).await?.refusal();
    Ok(SheetView {
        deadline: round.closes_on.clone(),
        closed,
        round_id: round.id,
        round_name: round.name.clone(),
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
        total: weighted_total(&flat, &weights),
        criteria: round.criteria,
        step,
        scores,
        submitted,
        peers,
    })
}

/// A stored sheet with its scores.
pub struct StoredSheet {
    pub id: i64,
    pub judge: i64,
    pub submitted: bool,
    pub scores: Vec<(i64, Points)>,
}

impl StoredSheet {
    pub fn score(&self, criterion: i64) -> Option<Points> {
        self.scores
            .iter()
            .find(|(id, _)| *id == criterion)
            .map(|(_, p)| *p)
    }
}

/// Every sheet of an entry in a round, oldest first.
async fn sheets_of(
    pool: &SqlitePool,
    round: i64,
    entry: i64,
) -> Result<Vec<StoredSheet>, AppError> {
    let sheets: Vec<(i64, i64, bool)> = sqlx::query_as(
        "SELECT id, judge_id, submitted_at IS NOT NULL FROM score_sheets
          WHERE round_id = ? AND entry_id = ? ORDER BY id",
    )
    .bind(round)
    .bind(entry)
    .fetch_all(pool)
    .await?;
    let scores: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT sc.sheet_id, sc.criterion_id, sc.points_centi FROM scores sc
           JOIN score_sheets s ON s.id = sc.sheet_id WHERE s.round_id = ? AND s.entry_id = ?",
    )
    .bind(round)
    .bind(entry)
    .fetch_all(pool)
    .await?;
    Ok(sheets
        .into_iter()
        .map(|(id, judge, submitted)| StoredSheet {
            id,
            judge,
            submitted,
            scores: scores
                .iter()
                .filter(|(sheet, _, _)| *sheet == id)
                .map(|(_, c, p)| (*c, Points(*p)))
                .collect(),
        })
        .collect())
}

pub async fn save(
    pool: &SqlitePool,
    user: i64,
    entry: i64,
    round: Option<i64>,
    input: &[ScoreInput],
) -> Result<Scope, AppError> {
    let scope = scope(pool, user, entry, round).await?;
    ensure_open(pool, scope.edition).await?;
    ensure_round_open(pool, scope.round).await?;
    let round_item = rounds::get(pool, scope.round).await?;
    let step = match round_item.step {
        Some(step) => step,
        None => editions::rules(pool, scope.edition).await?.step,
    };
    let criteria = round_item.criteria;

    let mut checked = Vec::new();
    for score in input {
        let criterion = criteria
            .iter()
            .find(|c| c.id == score.criterion_id)
            .ok_or_else(|| AppError::invalid("Tiêu chí", "tiêu chí không thuộc vòng chấm này"))?;
        if checked
            .iter()
            .any(|(c, _): &(&RubricCriterion, Option<Points>)| c.id == criterion.id)
        {
            return Err(AppError::invalid(&criterion.name, "được gửi hai lần"));
        }
        if score.points.trim().is_empty() {
            checked.push((criterion, None));
            continue;
        }
        let points = Points::parse(&score.points)
            .and_then(|p| check_score(p, criterion.max, step))
            .map_err(|e| AppError::invalid(&criterion.name, e.to_string()))?;
        checked.push((criterion, Some(points)));
    }

    let mut tx = pool.begin().await?;
    let (sheet, submitted): (i64, Option<String>) = sqlx::query_as(
        "INSERT INTO score_sheets (round_id, entry_id, judge_id) VALUES (?, ?, ?)
         ON CONFLICT (round_id, entry_id, judge_id) DO UPDATE SET entry_id = excluded.entry_id
         RETURNING id, submitted_at",
    )
    .bind(scope.round)
    .bind(entry)
    .bind(scope.judge)
    .fetch_one(&mut *tx)
    .await?;
    if submitted.is_some() {
        return Err(AppError::Conflict(
            "Phiếu chấm đã nộp nên không sửa được nữa.".into(),
        ));
    }
    let mut changes = Vec::new();
    for (criterion, points) in checked {
        let before: Option<i64> = sqlx::query_scalar(
            "SELECT points_centi FROM scores WHERE sheet_id = ? AND criterion_id = ?",
        )
        .bind(sheet)
        .bind(criterion.id)
        .fetch_optional(&mut *tx)
        .await?;
        let before = before.map(Points);
        if before == points {
            continue;
        }
        let shown = |p: Option<Points>| p.map_or("trống".to_string(), |p| p.to_string());
        changes.push(format!(
            "{}: {} → {}",
            criterion.name,
            shown(before),
            shown(points)
        ));
        write_score(&mut tx, sheet, criterion.id, points).await?;
    }
    if !changes.is_empty() {
        let detail = changes.join("; ");
        let line = Record {
            edition: scope.edition,
            actor: Some(user),
            action: Action::ScoresSaved,
            entry: Some(entry),
            judge: Some(scope.judge),
            detail: &detail,
        };
        audit::record(&mut tx, line).await?;
    }
    tx.commit().await?;
    Ok(scope)
}

/// Sets or clears one criterion's score on a sheet.
pub async fn write_score(
    conn: &mut sqlx::SqliteConnection,
    sheet: i64,
    criterion: i64,
    points: Option<Points>,
) -> Result<(), AppError> {
    match points {
        Some(points) => sqlx::query(
            "INSERT INTO scores (sheet_id, criterion_id, points_centi) VALUES (?, ?, ?)
             ON CONFLICT (sheet_id, criterion_id) DO UPDATE SET points_centi = excluded.points_centi",
        )
        .bind(sheet)
        .bind(criterion)
        .bind(points.0)
        .execute(conn)
        .await?,
        None => sqlx::query("DELETE FROM scores WHERE sheet_id = ? AND criterion_id = ?")
            .bind(sheet)
            .bind(criterion)
            .execute(conn)
            .await?,
    };
    Ok(())
}

pub async fn submit(
    pool: &SqlitePool,
    user: i64,
    entry: i64,
    round: Option<i64>,
) -> Result<(), AppError> {
    let view = sheet(pool, user, entry, round).await?;
    if view.submitted {
        return Err(AppError::Conflict(
            "Phiếu chấm đã được nộp trước đó.".into(),
        ));
    }
    if let Some(why) = view.closed {
        return Err(AppError::Conflict(why));
    }
    let missing = view.missing();
    if !missing.is_empty() {
        return Err(AppError::invalid(
            "Phiếu chấm",
            format!("chưa chấm: {}", missing.join("; ")),
        ));
    }
    // The same rule as saving: a score the rubric no longer allows (its
    // maximum or step changed since) is corrected before it counts.
    for (criterion, score) in view.criteria.iter().zip(&view.scores) {
        if let Some(score) = score {
            check_score(*score, criterion.max, view.step)
                .map_err(|e| AppError::invalid(&criterion.name, e.to_string()))?;
        }
    }
    let scope = scope(pool, user, entry, Some(view.round_id)).await?;
    ensure_open(pool, scope.edition).await?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE score_sheets SET submitted_at = ?
          WHERE round_id = ? AND entry_id = ? AND judge_id = ? AND submitted_at IS NULL",
    )
    .bind(time::now_text())
    .bind(scope.round)
    .bind(entry)
    .bind(scope.judge)
    .execute(&mut *tx)
    .await?;
    let detail = format!("{}: tổng {}", view.round_name, view.total);
    let line = Record {
        edition: scope.edition,
        actor: Some(user),
        action: Action::SheetSubmitted,
        entry: Some(entry),
        judge: Some(scope.judge),
        detail: &detail,
    };
    audit::record(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}

/// The organizer reopens one judge's submitted sheet, with a reason.
/// Reopens a submitted sheet with a reason, which is audited and mailed to
/// the judge, who must submit again for the sheet to count.
pub async fn reopen(
    pool: &SqlitePool,
    site: &super::mail::Site,
    actor: i64,
    sheet: i64,
    reason: &str,
) -> Result<i64, AppError> {
    let reason = audit::reason(reason, " mở lại")?;
    let (edition, entry, judge, round): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT r.edition_id, s.entry_id, s.judge_id, r.id FROM score_sheets s
           JOIN rounds r ON r.id = s.round_id WHERE s.id = ? AND s.submitted_at IS NOT NULL",
    )
    .bind(sheet)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("phiếu chấm đã nộp".into()))?;
    ensure_open(pool, edition).await?;
    // A sheet reopened outside the round's dates could not be changed.
    let day = crate::domain::dates::format_date;
    let outside = match rounds::period(pool, round).await? {
        Period::Open => None,
        Period::Over(last) => Some(format!("đã kết thúc ngày {}", day(last))),
        Period::NotYet(first) => Some(format!("chỉ bắt đầu từ ngày {}", day(first))),
    };
    if let Some(outside) = outside {
        return Err(AppError::Conflict(format!(
            "Vòng chấm {outside}, nên giám khảo sẽ không sửa được phiếu. \
             Hãy sửa ngày của vòng chấm trước khi mở lại phiếu."
        )));
    }
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE score_sheets SET submitted_at = NULL WHERE id = ?")
        .bind(sheet)
        .execute(&mut *tx)
        .await?;
    let line = Record {
        edition,
        actor: Some(actor),
        action: Action::SheetReopened,
        entry: Some(entry),
        judge: Some(judge),
        detail: &reason,
    };
    audit::record(&mut tx, line).await?;
    // The council voted on figures that may now change: it votes again.
    let voided = sqlx::query("DELETE FROM prize_votes WHERE entry_id = ?")
        .bind(entry)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if voided > 0 {
        let detail = format!("{voided} phiếu, vì một phiếu chấm của hồ sơ được mở lại");
        let line = Record {
            edition,
            actor: Some(actor),
            action: Action::VotesVoided,
            entry: Some(entry),
            judge: None,
            detail: &detail,
        };
        audit::record(&mut tx, line).await?;
    }
    tell_judge_sheet_reopened(&mut tx, site, sheet, &reason).await?;
    tx.commit().await?;
    Ok(edition)
}

async fn tell_judge_sheet_reopened(
    conn: &mut sqlx::SqliteConnection,
    site: &super::mail::Site,
    sheet: i64,
    reason: &str,
) -> Result<(), AppError> {
    #[derive(sqlx::FromRow)]
    struct Facts {
        email: String,
        name: String,
        code: String,
        title: String,
        round_id: i64,
        round: String,
        entry_id: i64,
        edition: String,
    }
    let facts: Facts = sqlx::query_as(
        "SELECT u.email, u.full_name AS name, e.code, e.title, r.id AS round_id,
                r.name AS round, e.id AS entry_id,
                ed.name || ' lần thứ ' || ed.number || ' (' || ed.year || ')' AS edition
           FROM score_sheets s JOIN judges j ON j.id = s.judge_id
           JOIN users u ON u.id = j.user_id JOIN entries e ON e.id = s.entry_id
           JOIN rounds r ON r.id = s.round_id JOIN editions ed ON ed.id = r.edition_id
          WHERE s.id = ?",
    )
    .bind(sheet)
    .fetch_one(&mut *conn)
    .await?;
    let values = serde_json::json!({
        "org": site.org_name,
        "name": facts.name,
        "code": facts.code,
        "title": facts.title,
        "round": facts.round.to_lowercase(),
        "edition": facts.edition,
        "reason": reason,
        "link": format!(
            "{}/giam-khao/cham/{}?vong={}",
            site.public_url, facts.entry_id, facts.round_id
        ),
    });
    super::mail::enqueue(conn, "sheet_reopened", &facts.email, &facts.name, &values).await
}
