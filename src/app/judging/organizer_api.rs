//! Server functions the organizer uses to run the judging. Each one
//! checks the organizer role first; SQL lives in `server::`.

use leptos::prelude::*;

use super::{
    AuditItem, BallotMinutes, ConflictItem, CouncilItem, CouncilRole, JudgingSettings,
    ProgressBoard, RoundItem,
};
use crate::app::error::AppError;
use crate::domain::points::Points;

/// Everything the judging setup page shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SetupView {
    pub edition_id: i64,
    pub rounds: Vec<RoundItem>,
    /// Each round's rubric as editable text, in the order of `rounds`.
    pub rubric_texts: Vec<String>,
    pub councils: Vec<CouncilItem>,
    /// (id, "GK01 – name") of every judge of the edition.
    pub judges: Vec<(i64, String)>,
    /// (id, name) of fields and of level groups.
    pub fields: Vec<(i64, String)>,
    pub level_groups: Vec<(i64, String)>,
    pub settings: JudgingSettings,
    pub conflicts: Vec<ConflictItem>,
    pub final_at: Option<String>,
}

#[cfg(feature = "ssr")]
async fn organizer() -> Result<
    (
        crate::app::auth::CurrentUser,
        crate::server::state::AppState,
    ),
    AppError,
> {
    let user = crate::server::auth::require(crate::app::auth::Role::Organizer).await?;
    Ok((user, crate::server::state::app_state()))
}

#[server(endpoint = "get_judging_setup")]
pub async fn get_judging_setup(edition: i64) -> Result<SetupView, AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            let db = &state.db;
            let rounds = crate::server::rounds::list(&db.read, edition).await?;
            let rubric_texts = rounds
                .iter()
                .map(|r| crate::server::rounds::rubric_text(&r.criteria))
                .collect();
            let judges: Vec<(i64, String)> = crate::server::judges::list(&db.read, edition)
                .await?
                .into_iter()
                .map(|j| (j.id, format!("{} – {}", j.code, j.full_name)))
                .collect();
            let fields = crate::server::editions::fields(&db.read, edition)
                .await?
                .into_iter()
                .map(|f| (f.id, f.name))
                .collect();
            let level_groups = crate::server::editions::level_groups(&db.read, edition)
                .await?
                .into_iter()
                .map(|g| (g.id, g.name))
                .collect();
            let results_final: Option<String> =
                sqlx::query_scalar("SELECT results_final_at FROM editions WHERE id = ?")
                    .bind(edition)
                    .fetch_one(&db.read)
                    .await?;
            Ok(SetupView {
                edition_id: edition,
                rounds,
                rubric_texts,
                councils: crate::server::councils::list(&db.read, edition).await?,
                judges,
                fields,
                level_groups,
                settings: crate::server::results::settings(&db.read, edition).await?,
                conflicts: crate::server::conflicts::report(&db.write, edition).await?,
                final_at: results_final,
            })
        }
        .await,
    )
    .await
}

#[server(endpoint = "save_rubric")]
pub async fn save_rubric(round: i64, rubric: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            crate::server::rounds::save_rubric(&state.db.write, round, &rubric).await
        }
        .await,
    )
    .await
}

/// Adds a screening round; `pass` is the advancing figure ("60"), blank
/// for pass or fail by the organizer.
#[server(endpoint = "add_screening_round")]
pub async fn add_screening_round(
    edition: i64,
    #[server(default)] pass: String,
) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            let pass = parse_pass(&pass)?;
            crate::server::rounds::add_screening(&state.db.write, edition, pass).await?;
            Ok(())
        }
        .await,
    )
    .await
}

fn parse_pass(raw: &str) -> Result<Option<Points>, AppError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    Points::parse(raw)
        .ok()
        .filter(|p| p.0 >= 0)
        .map(Some)
        .ok_or_else(|| AppError::invalid("Điểm vào vòng sau", "phải là một số không âm"))
}

#[server(endpoint = "update_round")]
pub async fn update_round(
    round: i64,
    #[server(default)] opens_on: String,
    #[server(default)] closes_on: String,
    #[server(default)] pass: String,
) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            let pass = parse_pass(&pass)?;
            crate::server::rounds::update(&state.db.write, round, &opens_on, &closes_on, pass).await
        }
        .await,
    )
    .await
}

/// Confirms entries of a screening round into the next round.
#[server(endpoint = "advance_entries")]
pub async fn advance_entries(
    round: i64,
    #[server(default)] entries: Vec<i64>,
) -> Result<usize, AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            crate::server::rounds::advance(&state.db.write, user.id, round, &entries).await
        }
        .await,
    )
    .await
}

/// Creates a council; `scope` is "field:ID", "group:ID" or "all".
#[server(endpoint = "create_council")]
pub async fn create_council(round: i64, name: String, scope: String) -> Result<i64, AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            let (field, group) = match scope.split_once(':') {
                Some(("field", id)) => (id.parse().ok(), None),
                Some(("group", id)) => (None, id.parse().ok()),
                _ if scope == "all" => (None, None),
                _ => return Err(AppError::invalid("Phạm vi", "hãy chọn lĩnh vực hoặc bảng")),
            };
            crate::server::councils::create(&state.db.write, round, &name, field, group).await
        }
        .await,
    )
    .await
}

#[server(endpoint = "add_council_member")]
pub async fn add_council_member(council: i64, judge: i64) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            let mut conn = state.db.write.acquire().await?;
            crate::server::councils::add_member(&mut conn, council, judge).await?;
            Ok(())
        }
        .await,
    )
    .await
}

/// Sets a member's role ("chair", "secretary", "member") and presence.
#[server(endpoint = "set_council_member")]
pub async fn set_council_member(
    council: i64,
    judge: i64,
    role: String,
    #[server(default)] present: bool,
) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            let role = CouncilRole::from_db(&role);
            crate::server::councils::set_member(&state.db.write, council, judge, role, present)
                .await
        }
        .await,
    )
    .await
}

#[server(endpoint = "remove_council_member")]
pub async fn remove_council_member(council: i64, judge: i64) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            crate::server::councils::remove_member(&state.db.write, council, judge).await
        }
        .await,
    )
    .await
}

/// Assigns each of the council's entries to `k` of its members, balanced
/// and without conflicts; returns each member's load.
#[server(endpoint = "auto_assign")]
pub async fn auto_assign(council: i64, k: usize) -> Result<Vec<usize>, AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            crate::server::assignments::auto(&state.db.write, user.id, council, k).await
        }
        .await,
    )
    .await
}

/// Sets by hand who scores an entry in a round; none gives it back to the
/// whole council.
#[server(endpoint = "set_assignment")]
pub async fn set_assignment(
    round: i64,
    entry: i64,
    #[server(default)] judges: Vec<i64>,
) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            crate::server::assignments::set(
                &state.db.write,
                user.id,
                round,
                entry,
                &judges,
                "manual",
            )
            .await
        }
        .await,
    )
    .await
}

#[server(endpoint = "override_conflict")]
pub async fn override_conflict(entry: i64, judge: i64, reason: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            crate::server::conflicts::override_conflict(
                &state.db.write,
                user.id,
                entry,
                judge,
                &reason,
            )
            .await
        }
        .await,
    )
    .await
}

/// Reopens one judge's submitted sheet, with a reason.
#[server(endpoint = "reopen_sheet")]
pub async fn reopen_sheet(sheet: i64, reason: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            crate::server::judging::reopen(&state.db.write, user.id, sheet, &reason).await?;
            Ok(())
        }
        .await,
    )
    .await
}

#[server(endpoint = "get_judging_progress")]
pub async fn get_judging_progress(edition: i64) -> Result<ProgressBoard, AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            crate::server::progress::board(&state.db.read, edition).await
        }
        .await,
    )
    .await
}

#[server(endpoint = "get_audit_log")]
pub async fn get_audit_log(edition: i64) -> Result<Vec<AuditItem>, AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            crate::server::audit::list(&state.db.read, edition).await
        }
        .await,
    )
    .await
}

#[server(endpoint = "save_judging_settings")]
pub async fn save_judging_settings(
    edition: i64,
    settings: JudgingSettings,
) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            crate::server::results::save_settings(&state.db.write, user.id, edition, &settings)
                .await
        }
        .await,
    )
    .await
}

#[server(endpoint = "finalize_results")]
pub async fn finalize_results(edition: i64) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            crate::server::results::finalize(&state.db.write, user.id, edition).await
        }
        .await,
    )
    .await
}

#[server(endpoint = "reopen_results")]
pub async fn reopen_results(edition: i64, reason: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            crate::server::results::reopen(&state.db.write, user.id, edition, &reason).await
        }
        .await,
    )
    .await
}

#[server(endpoint = "mark_national")]
pub async fn mark_national(entry: i64, #[server(default)] national: bool) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            crate::server::results::mark_national(&state.db.write, user.id, entry, national)
                .await?;
            Ok(())
        }
        .await,
    )
    .await
}

/// The minutes of a selection council's secret ballot: tallies only.
#[server(endpoint = "get_ballot_minutes")]
pub async fn get_ballot_minutes(council: i64) -> Result<BallotMinutes, AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            crate::server::ballots::minutes(&state.db.read, council).await
        }
        .await,
    )
    .await
}

#[server(endpoint = "close_ballot")]
pub async fn close_ballot(council: i64) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            let site = crate::server::mail::Site::of(&state.config);
            crate::server::ballots::close(&state.db.write, &site, user.id, council).await
        }
        .await,
    )
    .await
}

/// Sets the code the secretariat's own lists use for an entry ("GP-01").
#[server(endpoint = "set_file_code")]
pub async fn set_file_code(entry: i64, #[server(default)] code: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            let code = crate::domain::text::clean_line(&code);
            if code.chars().count() > 30 {
                return Err(AppError::invalid("Mã trong danh sách", "tối đa 30 ký tự"));
            }
            let done = sqlx::query("UPDATE entries SET file_code = ? WHERE id = ?")
                .bind(&code)
                .bind(entry)
                .execute(&state.db.write)
                .await?;
            if done.rows_affected() == 0 {
                return Err(AppError::NotFound("hồ sơ".into()));
            }
            Ok(())
        }
        .await,
    )
    .await
}
