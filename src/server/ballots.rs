//! The honors selection council's secret ballot. A member's choice only
//! adds one to a tally in the same transaction that records that the
//! member has voted; nothing links a member to a choice, so no role, the
//! organizer included, can read a ballot back. Tallies stay hidden until
//! the organizer closes the ballot, so nobody can watch them move.

use serde_json::json;
use sqlx::{SqliteConnection, SqlitePool};

use super::audit::{self, Action, Record};
use super::mail::Site;
use super::time;
use crate::app::error::AppError;
use crate::app::judging::{BallotCandidate, BallotMinutes, MinutesRow};
use crate::domain::ballot::{Choice, Tally, Threshold};

/// (name, closed at, vote numerator, denominator, members present, edition).
type CouncilFacts = (String, Option<String>, u32, u32, u32, String);

/// Fewest ballots a candidate needs before a count is shown: one ballot
/// alone would be that member's vote.
const MIN_BALLOTS: u32 = 2;

/// The selection council of `user` covering `entry` in its edition's
/// final round: (council, judge, edition, closed).
async fn seat(pool: &SqlitePool, user: i64, entry: i64) -> Result<(i64, i64, i64, bool), AppError> {
    sqlx::query_as(
        "SELECT s.council_id, s.judge_id, r.edition_id, c.ballot_closed_at IS NOT NULL
           FROM judge_scope s
           JOIN judges j ON j.id = s.judge_id
           JOIN councils c ON c.id = s.council_id
           JOIN council_members m ON m.council_id = c.id AND m.judge_id = j.id
           JOIN rounds r ON r.id = s.round_id
           JOIN editions e ON e.id = r.edition_id
          WHERE j.user_id = ? AND s.entry_id = ? AND r.kind = 'final'
            AND e.contest_kind = 'honors' AND m.present = 1",
    )
    .bind(user)
    .bind(entry)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("ứng viên bạn được bỏ phiếu".into()))
}

/// Casts one secret ballot. A member votes once per candidate.
pub async fn cast(
    pool: &SqlitePool,
    user: i64,
    entry: i64,
    choice: Choice,
) -> Result<(), AppError> {
    let (council, judge, edition, closed) = seat(pool, user, entry).await?;
    if closed {
        return Err(AppError::Conflict("Hội đồng đã kết thúc bỏ phiếu.".into()));
    }
    super::judging::ensure_open(pool, edition).await?;
    let mut tx = pool.begin().await?;
    let first = sqlx::query(
        "INSERT OR IGNORE INTO ballot_voters (council_id, entry_id, judge_id) VALUES (?, ?, ?)",
    )
    .bind(council)
    .bind(entry)
    .bind(judge)
    .execute(&mut *tx)
    .await?;
    if first.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "Bạn đã bỏ phiếu cho ứng viên này; phiếu kín không sửa được.".into(),
        ));
    }
    let column = match choice {
        Choice::Agree => "agree",
        Choice::Disagree => "disagree",
        Choice::Abstain => "abstain",
    };
    sqlx::query(&format!(
        "INSERT INTO ballot_tallies (council_id, entry_id, {column}) VALUES (?, ?, 1)
         ON CONFLICT (council_id, entry_id) DO UPDATE SET {column} = {column} + 1"
    ))
    .bind(council)
    .bind(entry)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The candidates a member may vote on, with whether they have voted:
/// never how.
pub async fn my_ballot(pool: &SqlitePool, user: i64) -> Result<Vec<BallotCandidate>, AppError> {
    let rows: Vec<(i64, String, String, String, bool, bool)> = sqlx::query_as(
        "SELECT e.id, e.code, COALESCE(ca.full_name, e.title), f.name,
                EXISTS (SELECT 1 FROM ballot_voters v WHERE v.council_id = s.council_id
                          AND v.entry_id = e.id AND v.judge_id = s.judge_id),
                c.ballot_closed_at IS NOT NULL
           FROM judge_scope s
           JOIN judges j ON j.id = s.judge_id
           JOIN councils c ON c.id = s.council_id
           JOIN council_members m ON m.council_id = c.id AND m.judge_id = j.id AND m.present = 1
           JOIN rounds r ON r.id = s.round_id
           JOIN editions ed ON ed.id = r.edition_id AND ed.contest_kind = 'honors'
           JOIN entries e ON e.id = s.entry_id
           JOIN fields f ON f.id = e.field_id
           LEFT JOIN candidates ca ON ca.entry_id = e.id
          WHERE j.user_id = ? AND r.kind = 'final'
          ORDER BY f.position, e.code",
    )
    .bind(user)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(entry_id, code, candidate, category, voted, closed)| BallotCandidate {
                entry_id,
                code,
                candidate,
                category,
                voted,
                closed,
            },
        )
        .collect())
}

/// The minutes of a council's ballot: tallies only, once closed.
pub async fn minutes(pool: &SqlitePool, council: i64) -> Result<BallotMinutes, AppError> {
    let mut conn = pool.acquire().await?;
    load_minutes(&mut conn, council, false).await
}

/// The minutes of every council of an edition that has candidates to
/// vote on, in the order the councils were made.
pub async fn edition_minutes(
    pool: &SqlitePool,
    edition: i64,
) -> Result<Vec<BallotMinutes>, AppError> {
    let councils: Vec<i64> = sqlx::query_scalar(
        "SELECT c.id FROM councils c JOIN rounds r ON r.id = c.round_id
          WHERE r.edition_id = ? ORDER BY r.position, c.id",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let mut all = Vec::new();
    for council in councils {
        let minutes = minutes(pool, council).await?;
        if !minutes.rows.is_empty() {
            all.push(minutes);
        }
    }
    Ok(all)
}

/// The minutes, with the tallies when the ballot is closed or `reveal`.
async fn load_minutes(
    conn: &mut SqliteConnection,
    council: i64,
    reveal: bool,
) -> Result<BallotMinutes, AppError> {
    let (name, closed, numerator, denominator, present, edition_name): CouncilFacts =
        sqlx::query_as(
            "SELECT c.name, c.ballot_closed_at, e.vote_numerator, e.vote_denominator,
                    (SELECT COUNT(*) FROM council_members m
                      WHERE m.council_id = c.id AND m.present = 1),
                    e.name || ' lần thứ ' || e.number || ' (' || e.year || ')'
               FROM councils c JOIN rounds r ON r.id = c.round_id
               JOIN editions e ON e.id = r.edition_id
              WHERE c.id = ? AND e.contest_kind = 'honors'",
        )
        .bind(council)
        .fetch_optional(&mut *conn)
        .await?
        // Only a selection council votes by secret ballot.
        .ok_or_else(|| AppError::NotFound("hội đồng xét tôn vinh".into()))?;
    let threshold = Threshold::new(numerator, denominator).unwrap_or_default();
    let members: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT TRIM(j.title || ' ' || u.full_name), m.role, j.code, m.present
           FROM council_members m JOIN judges j ON j.id = m.judge_id
           JOIN users u ON u.id = j.user_id WHERE m.council_id = ?
          ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 1 ELSE 2 END, j.code",
    )
    .bind(council)
    .fetch_all(&mut *conn)
    .await?;
    let voters: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT e.id, e.code, COALESCE(ca.full_name, e.title),
                (SELECT COUNT(*) FROM ballot_voters v WHERE v.council_id = ? AND v.entry_id = e.id)
           FROM (SELECT DISTINCT entry_id FROM judge_scope WHERE council_id = ?) s
           JOIN entries e ON e.id = s.entry_id
           LEFT JOIN candidates ca ON ca.entry_id = e.id
          ORDER BY e.code",
    )
    .bind(council)
    .bind(council)
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = Vec::new();
    for (entry, code, candidate, cast) in voters {
        let tally = if closed.is_some() || reveal {
            let counts: Option<(u32, u32, u32)> = sqlx::query_as(
                "SELECT agree, disagree, abstain FROM ballot_tallies
                  WHERE council_id = ? AND entry_id = ?",
            )
            .bind(council)
            .bind(entry)
            .fetch_optional(&mut *conn)
            .await?;
            let (agree, disagree, abstain) = counts.unwrap_or_default();
            Some(Tally {
                agree,
                disagree,
                abstain,
            })
        } else {
            None
        };
        rows.push(MinutesRow {
            entry_id: entry,
            code,
            candidate,
            ballots_cast: cast as u32,
            selected: tally.map(|t| t.selected(present, threshold)),
            tally,
        });
    }
    Ok(BallotMinutes {
        council_id: council,
        council_name: name,
        edition_name,
        org_name: String::new(),
        place_date: String::new(),
        members: members
            .into_iter()
            .map(|(name, role, _, present)| {
                let role = crate::app::judging::CouncilRole::from_db(&role)
                    .label()
                    .to_string();
                (name, role, present)
            })
            .collect(),
        present,
        needed: threshold.votes_needed(present),
        closed: closed.is_some() || reveal,
        rows,
    })
}

/// Closes a council's ballot: the tallies decide, each nominating unit is
/// told, and each count goes into the audit log.
///
/// Every present member eligible for a candidate must have voted, unless
/// the organizer closes `anyway`: a member who does not vote holds up
/// nothing then, and a ballot not cast does not count as agreeing. The
/// log names the candidates closed short of ballots, never the members.
pub async fn close(
    pool: &SqlitePool,
    site: &Site,
    actor: i64,
    council: i64,
    anyway: bool,
) -> Result<(), AppError> {
    let edition = super::councils::edition_of(pool, council).await?;
    super::judging::ensure_open(pool, edition).await?;
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE councils SET ballot_closed_at = ? WHERE id = ? AND ballot_closed_at IS NULL",
    )
    .bind(time::now_text())
    .bind(council)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict("Hội đồng đã kết thúc bỏ phiếu.".into()));
    }
    // Read inside the transaction that closes, so no ballot slips in
    // between the count and the closing.
    let minutes = load_minutes(&mut tx, council, true).await?;
    // Every member present who may vote on a candidate has voted.
    let mut short = Vec::new();
    for row in &minutes.rows {
        let eligible: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM judge_scope s
               JOIN council_members m ON m.council_id = s.council_id AND m.judge_id = s.judge_id
              WHERE s.council_id = ? AND s.entry_id = ? AND m.present = 1",
        )
        .bind(council)
        .bind(row.entry_id)
        .fetch_one(&mut *tx)
        .await?;
        if i64::from(row.ballots_cast) < eligible {
            if !anyway {
                return Err(AppError::Conflict(format!(
                    "Ứng viên {} mới có {}/{} phiếu. Hãy chờ mọi thành viên có mặt bỏ phiếu; \
                     nếu có người không bỏ phiếu, chọn \"Kết thúc dù còn thiếu phiếu\" \
                     (phiếu không bỏ không được tính là đồng ý).",
                    row.candidate, row.ballots_cast, eligible
                )));
            }
            short.push(format!("{} ({}/{eligible})", row.code, row.ballots_cast));
        }
    }
    // A count of one ballot is that member's vote: refuse to reveal it.
    if let Some(thin) = minutes.rows.iter().find(|r| r.ballots_cast < MIN_BALLOTS) {
        return Err(AppError::Conflict(format!(
            "Ứng viên {} mới có {} phiếu; cần ít nhất {MIN_BALLOTS} phiếu để kiểm phiếu mà vẫn giữ bí mật.",
            thin.candidate, thin.ballots_cast
        )));
    }
    for row in &minutes.rows {
        let tally = row.tally.unwrap_or_default();
        let selected = row.selected.unwrap_or(false);
        let decision = if selected {
            "được xét chọn"
        } else {
            "không được xét chọn"
        };
        let detail = format!(
            "{}: {} đồng ý, {} không đồng ý, {} không biểu quyết / {} có mặt – {decision}",
            row.code, tally.agree, tally.disagree, tally.abstain, minutes.present
        );
        let line = Record {
            edition,
            actor: Some(actor),
            action: Action::VoteCounted,
            entry: Some(row.entry_id),
            judge: None,
            detail: &detail,
        };
        audit::record(&mut tx, line).await?;
        let outcome = json!({
            "decision": decision,
            "agree": tally.agree,
            "disagree": tally.disagree,
            "abstain": tally.abstain,
            "present": minutes.present,
            "needed": minutes.needed,
        });
        super::mail::honors_decision(&mut tx, site, row.entry_id, &outcome).await?;
    }
    let mut detail = format!("{}: {} ứng viên", minutes.council_name, minutes.rows.len());
    if !short.is_empty() {
        detail.push_str(&format!(
            "; kết thúc khi còn thiếu phiếu: {}",
            short.join(", ")
        ));
    }
    let line = Record::about_edition(edition, actor, Action::BallotClosed, &detail);
    audit::record(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}
