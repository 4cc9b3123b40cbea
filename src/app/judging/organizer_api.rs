//! Server functions the organizer uses to run the judging. Each one
//! checks the organizer role first; SQL lives in `server::`.

use leptos::prelude::*;

use super::{
    AuditItem, BallotMinutes, ConflictItem, CouncilItem, JudgingSettings, ProgressBoard, RoundItem,
};
use crate::app::error::AppError;

/// Everything the judging setup page shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SetupView {
    pub edition_id: i64,
    pub rounds: Vec<RoundItem>,
    /// Each round's rubric as editable text, in the order of `rounds`.
    pub rubric_texts: Vec<String>,
    pub councils: Vec<CouncilItem>,
    pub council_entries: Vec<super::CouncilEntry>,
    /// (id, "GK01 – name") of every judge of the edition.
    pub judges: Vec<(i64, String)>,
    /// (id, name) of fields and of level groups.
    pub fields: Vec<(i64, String)>,
    pub level_groups: Vec<(i64, String)>,
    pub settings: JudgingSettings,
    pub conflicts: Vec<ConflictItem>,
    pub final_at: Option<String>,
    pub honors: bool,
    /// The screening round's entries and whether they pass, if it has one.
    pub screening: Vec<ScreeningRow>,
}

/// An entry of the screening round and its figure there.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScreeningRow {
    pub round_id: i64,
    pub entry_id: i64,
    pub code: String,
    pub title: String,
    pub figure: Option<crate::domain::points::Points>,
    /// The figure reaches the round's pass mark.
    pub passes: bool,
    pub advanced: bool,
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
            let program: String =
                sqlx::query_scalar("SELECT contest_kind FROM editions WHERE id = ?")
                    .bind(edition)
                    .fetch_one(&db.read)
                    .await?;
            let screening = match rounds
                .iter()
                .find(|r| r.kind == super::RoundKind::Screening)
            {
                Some(round) => crate::server::rounds::screening(&db.read, edition, round).await?,
                None => Vec::new(),
            };
            // Conflicts first: refreshing them can change who scores what.
            let conflicts = crate::server::conflicts::report(&db.write, edition).await?;
            Ok(SetupView {
                edition_id: edition,
                rounds,
                rubric_texts,
                councils: crate::server::councils::list(&db.read, edition).await?,
                council_entries: crate::server::assignments::council_entries(&db.read, edition)
                    .await?,
                judges,
                fields,
                level_groups,
                settings: crate::server::results::settings(&db.read, edition).await?,
                conflicts,
                final_at: results_final,
                honors: program == "honors",
                screening,
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
            let (user, state) = organizer().await?;
            crate::server::rounds::save_rubric(&state.db.write, user.id, round, &rubric).await
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

#[cfg(feature = "ssr")]
fn parse_pass(raw: &str) -> Result<Option<crate::domain::points::Points>, AppError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    crate::domain::points::Points::parse(raw)
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
    #[server(default)] step: String,
) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            let pass = parse_pass(&pass)?;
            let step = match parse_pass(&step) {
                Ok(Some(step)) if step.0 == 0 => None,
                Ok(step) => step,
                Err(_) => {
                    return Err(AppError::invalid(
                        "Bước điểm",
                        "phải là một số dương, ví dụ 0,5",
                    ));
                }
            };
            let db = &state.db.write;
            crate::server::rounds::update(db, user.id, round, &opens_on, &closes_on, pass, step)
                .await
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
            let site = crate::server::mail::Site::of(&state.config);
            let mut tx = state.db.write.begin().await?;
            if crate::server::councils::add_member(&mut tx, council, judge).await? {
                crate::server::councils::tell_member_added(&mut tx, &site, council, judge).await?;
            }
            tx.commit().await?;
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
            let (user, state) = organizer().await?;
            let role = match role.as_str() {
                "chair" | "secretary" | "member" => super::CouncilRole::from_db(&role),
                _ => {
                    return Err(AppError::invalid(
                        "Vai trò",
                        "hãy chọn chủ tịch, thư ký hoặc ủy viên",
                    ));
                }
            };
            let db = &state.db.write;
            crate::server::councils::set_member(db, user.id, council, judge, role, present).await
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
            let site = crate::server::mail::Site::of(&state.config);
            crate::server::judging::reopen(&state.db.write, &site, user.id, sheet, &reason).await?;
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

/// The ranking settings as the form sends them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SettingsForm {
    pub method: String,
    pub disagreement: String,
    pub near_margin: String,
    #[serde(default)]
    pub tie_breaks: String,
    pub boundary_tie: String,
    #[serde(default)]
    pub peers_after_submit: bool,
    pub vote: String,
}

/// Changes how the edition ranks and decides. Points are typed as people
/// write them ("15", "1,5"); `tie_breaks` lists criterion numbers ("1, 2");
/// `vote` is a fraction ("2/3").
#[server(endpoint = "save_judging_settings")]
pub async fn save_judging_settings(edition: i64, settings: SettingsForm) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let SettingsForm {
                method,
                disagreement,
                near_margin,
                tie_breaks,
                boundary_tie,
                peers_after_submit,
                vote,
            } = settings;
            use crate::domain::aggregate::Method;
            use crate::domain::points::Points;
            use crate::domain::ranking::BoundaryTie;
            let (user, state) = organizer().await?;
            let points = |raw: &str, field: &str| {
                Points::parse(raw)
                    .ok()
                    .filter(|p| p.0 >= 0)
                    .ok_or_else(|| AppError::invalid(field, "phải là một số điểm không âm"))
            };
            let tie_breaks = tie_breaks
                .split([',', ';', ' '])
                .filter(|t| !t.trim().is_empty())
                .map(|t| {
                    t.trim()
                        .trim_start_matches(['T', 't', 'C', 'c'])
                        .parse::<u32>()
                        .map_err(|_| {
                            AppError::invalid(
                                "Thứ tự phân định",
                                format!("\"{t}\" không phải số tiêu chí"),
                            )
                        })
                })
                .collect::<Result<Vec<u32>, AppError>>()?;
            let (numerator, denominator) = vote
                .split_once('/')
                .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
                .ok_or_else(|| {
                    AppError::invalid("Ngưỡng biểu quyết", "ghi dạng phân số, ví dụ 2/3")
                })?;
            let settings = JudgingSettings {
                method: Method::from_db(&method).ok_or_else(|| {
                    AppError::invalid("Cách tính điểm xếp hạng", "hãy chọn một cách")
                })?,
                disagreement: points(&disagreement, "Ngưỡng chênh lệch")?,
                near_margin: points(&near_margin, "Khoảng sát ngưỡng giải")?,
                tie_breaks,
                boundary_tie: BoundaryTie::from_db(&boundary_tie).ok_or_else(|| {
                    AppError::invalid("Đồng điểm ở ngưỡng giải", "hãy chọn một quy tắc")
                })?,
                peers_after_submit,
                vote_numerator: numerator,
                vote_denominator: denominator,
            };
            crate::server::results::save_settings(&state.db.write, user.id, edition, &settings)
                .await
        }
        .await,
    )
    .await
}

/// What importing a staged score sheet would do.
#[server(endpoint = "preview_score_import")]
pub async fn preview_score_import(
    edition: i64,
    token: String,
) -> Result<super::ScoreImportReport, AppError> {
    crate::server::forms::respond(
        async move {
            let (_, state) = organizer().await?;
            let path = crate::server::files::staged_path(&state.config, edition, &token)?;
            let round =
                crate::server::scores_import::current_round(&state.db.read, edition).await?;
            crate::server::scores_import::check(&state.db.write, edition, round, &path).await
        }
        .await,
    )
    .await
}

/// Imports a staged score sheet: the rows that stand, in one transaction.
#[server(endpoint = "confirm_score_import")]
pub async fn confirm_score_import(
    edition: i64,
    token: String,
) -> Result<super::ScoreImportReport, AppError> {
    crate::server::forms::respond(
        async move {
            use crate::server::scores_import;
            let (user, state) = organizer().await?;
            let path = crate::server::files::staged_path(&state.config, edition, &token)?;
            let round = scores_import::current_round(&state.db.read, edition).await?;
            let report = scores_import::check(&state.db.write, edition, round, &path).await?;
            scores_import::apply(&state.db.write, Some(user.id), edition, &report).await?;
            let _ = tokio::fs::remove_file(&path).await;
            tracing::info!(
                edition.id = edition,
                user.id = user.id,
                imported = report.imported,
                "score sheet imported"
            );
            Ok(report)
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
            let mut minutes = crate::server::ballots::minutes(&state.db.read, council).await?;
            let letterhead = state.config.letterhead();
            minutes.org_name = letterhead.org_name.clone();
            minutes.place_date = letterhead.place_date();
            Ok(minutes)
        }
        .await,
    )
    .await
}

#[server(endpoint = "close_ballot")]
pub async fn close_ballot(council: i64, #[server(default)] anyway: bool) -> Result<(), AppError> {
    crate::server::forms::respond(
        async move {
            let (user, state) = organizer().await?;
            let site = crate::server::mail::Site::of(&state.config);
            crate::server::ballots::close(&state.db.write, &site, user.id, council, anyway).await
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
