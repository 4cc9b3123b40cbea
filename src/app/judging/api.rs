//! Server functions for judges. SQL in `server::judging`.

use leptos::prelude::*;

use super::{Assignment, BallotCandidate, Proposal, ScoreInput, SheetView};
use crate::app::error::AppError;

#[server(endpoint = "my_assignments")]
pub async fn my_assignments() -> Result<Vec<Assignment>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::judging::assignments(&state.db.write, user.id).await
        }
        .await,
    )
    .await
}

/// The judge's own sheet for an entry of one of their fields.
#[server(endpoint = "get_sheet")]
pub async fn get_sheet(
    entry: i64,
    #[server(default)] round: Option<i64>,
) -> Result<SheetView, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::judging::sheet(&state.db.write, user.id, entry, round).await
        }
        .await,
    )
    .await
}

/// Saves the typed scores; a blank score stays unscored. With `submit`,
/// then locks the sheet, so what is locked is exactly what was on screen.
#[server(endpoint = "save_scores")]
pub async fn save_scores(
    entry: i64,
    #[server(default)] round: Option<i64>,
    #[server(default)] scores: Vec<ScoreInput>,
    #[server(default)] submit: bool,
) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::judging::save(&state.db.write, user.id, entry, round, &scores).await?;
            if submit {
                crate::server::judging::submit(&state.db.write, user.id, entry, round).await?;
                tracing::info!(entry.id = entry, user.id = user.id, "score sheet submitted");
            }
            Ok(())
        }
        .await,
    )
    .await
}

/// Locks the sheet; every criterion must be scored.
#[server(endpoint = "submit_sheet")]
pub async fn submit_sheet(
    entry: i64,
    #[server(default)] round: Option<i64>,
) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::judging::submit(&state.db.write, user.id, entry, round).await?;
            tracing::info!(entry.id = entry, user.id = user.id, "score sheet submitted");
            Ok(())
        }
        .await,
    )
    .await
}

/// The judge declares a conflict of interest with an entry; from then on
/// they can neither open nor score it.
#[server(endpoint = "declare_conflict")]
pub async fn declare_conflict(entry: i64, reason: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::conflicts::declare(&state.db.write, user.id, entry, &reason).await
        }
        .await,
    )
    .await
}

/// A present council member's yes or no on the prize proposed for an entry.
#[server(endpoint = "vote_prize")]
pub async fn vote_prize(entry: i64, yes: bool) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::results::vote(&state.db.write, user.id, entry, yes).await
        }
        .await,
    )
    .await
}

/// The candidates on the member's secret ballot and whether they voted.
#[server(endpoint = "my_ballot")]
pub async fn my_ballot() -> Result<Vec<BallotCandidate>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::ballots::my_ballot(&state.db.read, user.id).await
        }
        .await,
    )
    .await
}

/// Casts a secret ballot: "agree", "disagree" or "abstain".
#[server(endpoint = "cast_ballot")]
pub async fn cast_ballot(entry: i64, choice: String) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            use crate::domain::ballot::Choice;
            let user = crate::server::auth::require(Role::Judge).await?;
            let choice = match choice.as_str() {
                "agree" => Choice::Agree,
                "disagree" => Choice::Disagree,
                "abstain" => Choice::Abstain,
                _ => {
                    return Err(AppError::invalid(
                        "Phiếu",
                        "hãy chọn đồng ý, không đồng ý hoặc không biểu quyết",
                    ));
                }
            };
            let state = crate::server::state::app_state();
            crate::server::ballots::cast(&state.db.write, user.id, entry, choice).await
        }
        .await,
    )
    .await
}

/// The prize proposals the member votes on, with their own vote.
#[server(endpoint = "my_proposals")]
pub async fn my_proposals() -> Result<Vec<Proposal>, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::app::auth::Role;
            let user = crate::server::auth::require(Role::Judge).await?;
            let state = crate::server::state::app_state();
            crate::server::results::proposals(&state.db.read, user.id).await
        }
        .await,
    )
    .await
}
