//! The judging audit log: every score change, reopening, override, vote
//! count and final decision, appended in the same transaction as the
//! change itself, so the log and the data cannot disagree.

use sqlx::{SqliteConnection, SqlitePool};

use super::time;
use crate::app::error::AppError;
use crate::app::judging::AuditItem;

/// What happened, as stored; `label` gives the words the organizer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ScoresSaved,
    SheetSubmitted,
    SheetReopened,
    ScoresImported,
    ConflictDeclared,
    ConflictOverridden,
    Assigned,
    Advanced,
    VoteCounted,
    BallotClosed,
    ResultsFinalized,
    ResultsReopened,
    NationalMarked,
    SettingsChanged,
    RubricChanged,
    RoundChanged,
    VotesVoided,
    CouncilChanged,
}

impl Action {
    const ALL: [Action; 18] = [
        Action::ScoresSaved,
        Action::SheetSubmitted,
        Action::SheetReopened,
        Action::ScoresImported,
        Action::ConflictDeclared,
        Action::ConflictOverridden,
        Action::Assigned,
        Action::Advanced,
        Action::VoteCounted,
        Action::BallotClosed,
        Action::ResultsFinalized,
        Action::ResultsReopened,
        Action::NationalMarked,
        Action::SettingsChanged,
        Action::RubricChanged,
        Action::RoundChanged,
        Action::VotesVoided,
        Action::CouncilChanged,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            Action::ScoresSaved => "scores_saved",
            Action::SheetSubmitted => "sheet_submitted",
            Action::SheetReopened => "sheet_reopened",
            Action::ScoresImported => "scores_imported",
            Action::ConflictDeclared => "conflict_declared",
            Action::ConflictOverridden => "conflict_overridden",
            Action::Assigned => "assigned",
            Action::Advanced => "advanced",
            Action::VoteCounted => "vote_counted",
            Action::BallotClosed => "ballot_closed",
            Action::ResultsFinalized => "results_finalized",
            Action::ResultsReopened => "results_reopened",
            Action::NationalMarked => "national_marked",
            Action::SettingsChanged => "settings_changed",
            Action::RubricChanged => "rubric_changed",
            Action::RoundChanged => "round_changed",
            Action::VotesVoided => "votes_voided",
            Action::CouncilChanged => "council_changed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::ScoresSaved => "Sửa điểm",
            Action::SheetSubmitted => "Nộp phiếu chấm",
            Action::SheetReopened => "Mở lại phiếu chấm",
            Action::ScoresImported => "Nhập phiếu chấm giấy",
            Action::ConflictDeclared => "Khai xung đột lợi ích",
            Action::ConflictOverridden => "Cho phép chấm dù xung đột",
            Action::Assigned => "Phân công",
            Action::Advanced => "Vào vòng sau",
            Action::VoteCounted => "Biểu quyết",
            Action::BallotClosed => "Kết thúc bỏ phiếu kín",
            Action::ResultsFinalized => "Chốt kết quả",
            Action::ResultsReopened => "Mở lại kết quả",
            Action::NationalMarked => "Đề cử dự thi toàn quốc",
            Action::SettingsChanged => "Đổi cách xếp hạng",
            Action::RubricChanged => "Sửa tiêu chí",
            Action::RoundChanged => "Đổi thiết lập vòng chấm",
            Action::VotesVoided => "Hủy biểu quyết giải",
            Action::CouncilChanged => "Đổi vai trò trong hội đồng",
        }
    }

    fn from_db(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_db() == raw)
    }
}

/// One line to append.
pub struct Record<'a> {
    pub edition: i64,
    pub actor: Option<i64>,
    pub action: Action,
    pub entry: Option<i64>,
    pub judge: Option<i64>,
    pub detail: &'a str,
}

/// A reason given for a logged decision, as one clean line of at most 500
/// characters; `what` completes the request ("" or " mở lại").
pub fn reason(raw: &str, what: &str) -> Result<String, AppError> {
    let reason = crate::domain::text::clean_line(raw);
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "Lý do",
            format!("hãy ghi lý do{what}, tối đa 500 ký tự"),
        ));
    }
    Ok(reason)
}

impl<'a> Record<'a> {
    /// A line by `actor` about the edition as a whole: no entry, no judge.
    pub fn about_edition(edition: i64, actor: i64, action: Action, detail: &'a str) -> Self {
        Record {
            edition,
            actor: Some(actor),
            action,
            entry: None,
            judge: None,
            detail,
        }
    }
}

pub async fn record(conn: &mut SqliteConnection, line: Record<'_>) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (edition_id, at, actor_id, action, entry_id, judge_id, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(line.edition)
    .bind(time::now_text())
    .bind(line.actor)
    .bind(line.action.as_db())
    .bind(line.entry)
    .bind(line.judge)
    .bind(line.detail)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    at: String,
    actor: Option<String>,
    action: String,
    entry: Option<String>,
    judge: Option<String>,
    detail: String,
}

/// The whole log of an edition, oldest first.
pub async fn list(pool: &SqlitePool, edition: i64) -> Result<Vec<AuditItem>, AppError> {
    let zone: String = sqlx::query_scalar("SELECT time_zone FROM editions WHERE id = ?")
        .bind(edition)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound("kỳ thi".into()))?;
    let rows = sqlx::query_as::<_, Row>(
        "SELECT a.at, u.full_name AS actor, a.action, e.code AS entry,
                ju.full_name AS judge, a.detail
           FROM audit_log a
           LEFT JOIN users u ON u.id = a.actor_id
           LEFT JOIN entries e ON e.id = a.entry_id
           LEFT JOIN judges j ON j.id = a.judge_id
           LEFT JOIN users ju ON ju.id = j.user_id
          WHERE a.edition_id = ? ORDER BY a.id",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditItem {
            at: time::from_text(&r.at)
                .map(|at| time::show(at, &zone))
                .unwrap_or(r.at),
            actor: r.actor.unwrap_or_else(|| "Hệ thống".into()),
            action: Action::from_db(&r.action).map_or(r.action.clone(), |a| a.label().to_string()),
            entry: r.entry.unwrap_or_default(),
            judge: r.judge.unwrap_or_default(),
            detail: r.detail,
        })
        .collect())
}
