//! Computing a round's results from the submitted score sheets: every
//! aggregation side by side, the ranking by the edition's method and
//! tie-breaks, prizes within quotas, the council's votes, and finalizing.

use std::collections::HashMap;

use sqlx::SqlitePool;

use super::audit::{self, Action, Record};
use super::{editions, rounds, time};
use crate::app::error::AppError;
use crate::app::judging::{JudgingSettings, RubricCriterion};
use crate::app::results::{EditionResults, FieldResults, ResultRow, VoteCount};
use crate::domain::aggregate::{Method, Sheet, figures, weighted_total};
use crate::domain::ballot::Threshold;
use crate::domain::points::{Points, mean};
use crate::domain::ranking::{BoundaryTie, PrizeLevel, Standing, near_boundary, rank_and_award};

#[derive(sqlx::FromRow)]
struct SettingsRow {
    ranking_method: String,
    disagreement_centi: i64,
    near_margin_centi: i64,
    tie_breaks: String,
    boundary_tie: String,
    peers_after_submit: bool,
    vote_numerator: i64,
    vote_denominator: i64,
}

pub async fn settings(pool: &SqlitePool, edition: i64) -> Result<JudgingSettings, AppError> {
    let row = sqlx::query_as::<_, SettingsRow>(
        "SELECT ranking_method, disagreement_centi, near_margin_centi, tie_breaks, boundary_tie,
                peers_after_submit, vote_numerator, vote_denominator
           FROM editions WHERE id = ?",
    )
    .bind(edition)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("kỳ thi".into()))?;
    Ok(JudgingSettings {
        method: Method::from_db(&row.ranking_method).unwrap_or_default(),
        disagreement: Points(row.disagreement_centi),
        near_margin: Points(row.near_margin_centi),
        tie_breaks: row
            .tie_breaks
            .split(',')
            .filter_map(|p| p.trim().parse().ok())
            .collect(),
        boundary_tie: BoundaryTie::from_db(&row.boundary_tie).unwrap_or_default(),
        peers_after_submit: row.peers_after_submit,
        vote_numerator: row.vote_numerator as u32,
        vote_denominator: row.vote_denominator as u32,
    })
}

/// Changes how the edition ranks and decides; refused once final.
pub async fn save_settings(
    pool: &SqlitePool,
    actor: i64,
    edition: i64,
    new: &JudgingSettings,
) -> Result<(), AppError> {
    super::judging::ensure_open(pool, edition).await?;
    let threshold = Threshold::new(new.vote_numerator, new.vote_denominator).ok_or_else(|| {
        AppError::invalid("Ngưỡng biểu quyết", "phải là một phân số từ 1/100 đến 1")
    })?;
    if new.disagreement.0 < 0 || new.near_margin.0 < 0 {
        return Err(AppError::invalid("Ngưỡng chênh lệch", "không được âm"));
    }
    let criteria = editions::criteria(pool, edition).await?.len() as u32;
    if let Some(bad) = new.tie_breaks.iter().find(|&&p| p == 0 || p > criteria) {
        return Err(AppError::invalid(
            "Thứ tự phân định",
            format!("không có tiêu chí số {bad}; vòng chung khảo có {criteria} tiêu chí"),
        ));
    }
    let mut seen = Vec::new();
    for p in &new.tie_breaks {
        if seen.contains(p) {
            return Err(AppError::invalid(
                "Thứ tự phân định",
                format!("tiêu chí số {p} ghi hai lần"),
            ));
        }
        seen.push(*p);
    }
    let tie_breaks: Vec<String> = new.tie_breaks.iter().map(u32::to_string).collect();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE editions SET ranking_method = ?, disagreement_centi = ?, near_margin_centi = ?,
                tie_breaks = ?, boundary_tie = ?, peers_after_submit = ?,
                vote_numerator = ?, vote_denominator = ?
          WHERE id = ?",
    )
    .bind(new.method.as_db())
    .bind(new.disagreement.0)
    .bind(new.near_margin.0)
    .bind(tie_breaks.join(","))
    .bind(new.boundary_tie.as_db())
    .bind(new.peers_after_submit)
    .bind(threshold.numerator)
    .bind(threshold.denominator)
    .bind(edition)
    .execute(&mut *tx)
    .await?;
    let detail = format!(
        "{}; phân định theo tiêu chí {}; ngưỡng {}/{}",
        new.method.label(),
        if tie_breaks.is_empty() {
            "—".into()
        } else {
            tie_breaks.join(", ")
        },
        threshold.numerator,
        threshold.denominator
    );
    let line = Record::about_edition(edition, actor, Action::SettingsChanged, &detail);
    audit::record(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}

/// The results of an edition's final round.
pub async fn compute(pool: &SqlitePool, edition: i64) -> Result<EditionResults, AppError> {
    let round: i64 =
        sqlx::query_scalar("SELECT id FROM rounds WHERE edition_id = ? AND kind = 'final'")
            .bind(edition)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| AppError::NotFound("kỳ thi".into()))?;
    compute_round(pool, edition, round).await
}

/// (name, number, year, finalized at, time zone, program) of an edition.
type EditionFacts = (String, i64, i64, Option<String>, String, String);

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    field_id: i64,
    level_group_id: Option<i64>,
    code: String,
    title: String,
    national: bool,
}

struct Group {
    council: Option<i64>,
    field: Option<i64>,
    level_group: Option<i64>,
    name: String,
    present: u32,
}

impl Group {
    fn holds(&self, e: &EntryRow) -> bool {
        self.field.is_none_or(|f| f == e.field_id)
            && self.level_group.is_none_or(|g| Some(g) == e.level_group_id)
    }
}

/// The results of one round of an edition.
pub async fn compute_round(
    pool: &SqlitePool,
    edition: i64,
    round_id: i64,
) -> Result<EditionResults, AppError> {
    let (name, number, year, final_at, zone, program): EditionFacts = sqlx::query_as(
        "SELECT name, number, year, results_final_at, time_zone, contest_kind
           FROM editions WHERE id = ?",
    )
    .bind(edition)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("kỳ thi".into()))?;
    let round = rounds::get(pool, round_id).await?;
    let rules = editions::rules(pool, edition).await?;
    let settings = settings(pool, edition).await?;
    let threshold =
        Threshold::new(settings.vote_numerator, settings.vote_denominator).unwrap_or_default();
    let levels: Vec<PrizeLevel> = editions::prizes(pool, edition)
        .await?
        .into_iter()
        .map(|p| PrizeLevel {
            name: p.name,
            quota: p.quota,
        })
        .collect();

    let entries = round_entries(pool, edition, round_id).await?;
    let groups = groups(pool, edition, round_id).await?;
    let authors: Vec<(i64, String)> = sqlx::query_as(
        "SELECT a.entry_id, a.full_name FROM authors a JOIN entries e ON e.id = a.entry_id
          WHERE e.edition_id = ? ORDER BY a.entry_id, a.position",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let assigned: HashMap<i64, i64> = sqlx::query_as(
        "SELECT entry_id, COUNT(DISTINCT judge_id) FROM judge_scope WHERE round_id = ?
          GROUP BY entry_id",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let sheets = counted_sheets(pool, round_id, &round.criteria).await?;
    let votes: Vec<(Option<i64>, i64, String, String)> = sqlx::query_as(
        "SELECT v.council_id, v.entry_id, v.prize, v.vote FROM prize_votes v
           JOIN councils c ON c.id = v.council_id
           JOIN council_members m ON m.council_id = v.council_id AND m.judge_id = v.judge_id
          WHERE c.round_id = ? AND m.present = 1",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?;

    // Figures over the whole round, so a judge's severity is measured on
    // every entry they scored.
    let index: HashMap<i64, usize> = entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let mut judge_index: HashMap<i64, usize> = HashMap::new();
    let mut flat = Vec::new();
    for sheet in &sheets {
        let Some(&entry) = index.get(&sheet.entry) else {
            continue;
        };
        let next = judge_index.len();
        let judge = *judge_index.entry(sheet.judge).or_insert(next);
        flat.push(Sheet {
            entry,
            judge,
            total: sheet.total,
        });
    }
    let all_figures = figures(&flat, entries.len(), judge_index.len());

    let mut results = Vec::new();
    for group in &groups {
        let members: Vec<usize> = (0..entries.len())
            .filter(|&i| group.holds(&entries[i]))
            .collect();
        let mut rows = Vec::new();
        let mut standings = Vec::new();
        let mut unscored = Vec::new();
        for &i in &members {
            let entry = &entries[i];
            let Some(figures) = all_figures[i] else {
                unscored.push(entry.code.clone());
                continue;
            };
            let own: Vec<&CountedSheet> = sheets.iter().filter(|s| s.entry == entry.id).collect();
            let criterion_means: Vec<Points> = round
                .criteria
                .iter()
                .enumerate()
                .map(|(k, _)| {
                    mean(&own.iter().map(|s| s.scores[k]).collect::<Vec<_>>()).unwrap_or_default()
                })
                .collect();
            let total = figures.by(settings.method);
            standings.push(Standing {
                total,
                tie_breaks: settings
                    .tie_breaks
                    .iter()
                    .map(|&p| {
                        criterion_means
                            .get(p as usize - 1)
                            .copied()
                            .unwrap_or_default()
                    })
                    .collect(),
            });
            let names: Vec<&str> = authors
                .iter()
                .filter(|(e, _)| *e == entry.id)
                .map(|(_, n)| n.as_str())
                .collect();
            rows.push(ResultRow {
                rank: 0,
                entry_id: entry.id,
                code: entry.code.clone(),
                title: entry.title.clone(),
                authors: names.join(", "),
                criterion_means,
                total,
                figures,
                judges: figures.judges,
                assigned: assigned.get(&entry.id).copied().unwrap_or(0) as u32,
                prize: None,
                disagreement: figures.spread > settings.disagreement,
                near_boundary: false,
                votes: VoteCount::default(),
                national: entry.national,
            });
        }
        let placements = rank_and_award(&standings, &levels, rules.floor, settings.boundary_tie);
        let near = near_boundary(&standings, &placements, rules.floor, settings.near_margin);
        let mut ranked = Vec::with_capacity(rows.len());
        for placement in placements {
            let mut row = rows[placement.index].clone();
            row.rank = placement.rank;
            row.prize = placement.prize.map(|level| levels[level].name.clone());
            row.near_boundary = near[placement.index];
            if let Some(prize) = &row.prize {
                let counted = votes
                    .iter()
                    .filter(|(c, e, p, _)| *c == group.council && *e == row.entry_id && p == prize);
                let yes = counted.clone().filter(|v| v.3 == "yes").count() as u32;
                let no = counted.filter(|v| v.3 == "no").count() as u32;
                row.votes = VoteCount {
                    yes,
                    no,
                    present: group.present,
                    needed: threshold.votes_needed(group.present),
                };
            }
            ranked.push(row);
        }
        results.push(FieldResults {
            council_id: group.council,
            field_id: group.field.unwrap_or(0),
            field_name: group.name.clone(),
            rows: ranked,
            unscored,
        });
    }
    Ok(EditionResults {
        edition_id: edition,
        edition_name: name,
        number,
        year,
        round_id,
        round_name: round.name.clone(),
        criteria: round.criteria.iter().map(Into::into).collect(),
        floor: rules.floor,
        method: settings.method,
        vote_rule: format!(
            "{}/{} số thành viên có mặt",
            threshold.numerator, threshold.denominator
        ),
        final_at: final_at
            .and_then(|at| time::from_text(&at))
            .map(|at| time::show(at, &zone)),
        honors: program == "honors",
        fields: results,
    })
}

/// Entries that take part in a round: registered ones in the first round,
/// advanced ones in a later round.
async fn round_entries(
    pool: &SqlitePool,
    edition: i64,
    round: i64,
) -> Result<Vec<EntryRow>, AppError> {
    Ok(sqlx::query_as::<_, EntryRow>(
        "SELECT e.id, e.field_id, e.level_group_id, e.code, e.title, e.national
           FROM entries e JOIN rounds r ON r.id = ?
          WHERE e.edition_id = ? AND e.state IN ('submitted', 'accepted')
            AND (r.position = (SELECT MIN(position) FROM rounds WHERE edition_id = e.edition_id)
                 OR EXISTS (SELECT 1 FROM advancements a
                             WHERE a.round_id = r.id AND a.entry_id = e.id))
          ORDER BY e.code",
    )
    .bind(round)
    .bind(edition)
    .fetch_all(pool)
    .await?)
}

#[derive(sqlx::FromRow)]
struct CouncilRow {
    id: i64,
    field_id: Option<i64>,
    level_group_id: Option<i64>,
    name: String,
    present: i64,
}

/// The ranking groups of a round: its councils, or the fields when the
/// round has no council.
async fn groups(pool: &SqlitePool, edition: i64, round: i64) -> Result<Vec<Group>, AppError> {
    let councils = sqlx::query_as::<_, CouncilRow>(
        "SELECT c.id, c.field_id, c.level_group_id, COALESCE(f.name, g.name, c.name) AS name,
                (SELECT COUNT(*) FROM council_members m
                  WHERE m.council_id = c.id AND m.present = 1) AS present
           FROM councils c
           LEFT JOIN fields f ON f.id = c.field_id
           LEFT JOIN level_groups g ON g.id = c.level_group_id
          WHERE c.round_id = ? ORDER BY f.position, g.position, c.id",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    let mut groups: Vec<Group> = councils
        .into_iter()
        .map(|c| Group {
            council: Some(c.id),
            field: c.field_id,
            level_group: c.level_group_id,
            name: c.name,
            present: c.present as u32,
        })
        .collect();
    // Fields no council covers still show, so no entry goes unseen.
    for field in editions::fields(pool, edition).await? {
        if !groups.iter().any(|g| g.field.is_none_or(|f| f == field.id)) {
            groups.push(Group {
                council: None,
                field: Some(field.id),
                level_group: None,
                name: field.name,
                present: 0,
            });
        }
    }
    Ok(groups)
}

/// A complete, submitted sheet that counts: its judge still scores the
/// entry in this round.
pub struct CountedSheet {
    pub entry: i64,
    pub judge: i64,
    /// One score per criterion of the round, in order.
    pub scores: Vec<Points>,
    pub total: Points,
}

async fn counted_sheets(
    pool: &SqlitePool,
    round: i64,
    criteria: &[RubricCriterion],
) -> Result<Vec<CountedSheet>, AppError> {
    let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.entry_id, s.judge_id, sc.criterion_id, sc.points_centi
           FROM score_sheets s
           JOIN scores sc ON sc.sheet_id = s.id
          WHERE s.round_id = ? AND s.submitted_at IS NOT NULL
            AND EXISTS (SELECT 1 FROM judge_scope x WHERE x.round_id = s.round_id
                          AND x.entry_id = s.entry_id AND x.judge_id = s.judge_id)
          ORDER BY s.id",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    let position: HashMap<i64, usize> = criteria
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    let weights: Vec<u32> = criteria.iter().map(|c| c.weight_percent).collect();
    let mut sheets: Vec<(i64, i64, i64, Vec<Option<Points>>)> = Vec::new();
    for (sheet, entry, judge, criterion, points) in rows {
        if sheets.last().is_none_or(|s| s.0 != sheet) {
            sheets.push((sheet, entry, judge, vec![None; criteria.len()]));
        }
        if let (Some(&k), Some(last)) = (position.get(&criterion), sheets.last_mut()) {
            last.3[k] = Some(Points(points));
        }
    }
    Ok(sheets
        .into_iter()
        .filter_map(|(_, entry, judge, scores)| {
            let scores: Vec<Points> = scores.into_iter().collect::<Option<_>>()?;
            Some(CountedSheet {
                entry,
                judge,
                total: weighted_total(&scores, &weights),
                scores,
            })
        })
        .collect())
}

/// Records a council member's yes or no on the prize proposed for an
/// entry; a present member of the entry's council only.
pub async fn vote(pool: &SqlitePool, user: i64, entry: i64, yes: bool) -> Result<(), AppError> {
    let edition: i64 = sqlx::query_scalar("SELECT edition_id FROM entries WHERE id = ?")
        .bind(entry)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound("hồ sơ".into()))?;
    super::judging::ensure_open(pool, edition).await?;
    let results = compute(pool, edition).await?;
    let (council, prize) = results
        .fields
        .iter()
        .find_map(|g| {
            let row = g.rows.iter().find(|r| r.entry_id == entry)?;
            Some((g.council_id?, row.prize.clone()?))
        })
        .ok_or_else(|| AppError::NotFound("đề xuất giải cho hồ sơ này".into()))?;
    let judge: i64 = sqlx::query_scalar(
        "SELECT m.judge_id FROM council_members m JOIN judges j ON j.id = m.judge_id
          WHERE m.council_id = ? AND j.user_id = ? AND m.present = 1",
    )
    .bind(council)
    .bind(user)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::Forbidden)?;
    if !all_submitted(pool, judge, edition).await? {
        return Err(AppError::Conflict(
            "Hãy nộp hết phiếu chấm của mình trước khi biểu quyết.".into(),
        ));
    }
    let conflicted: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM conflicts WHERE entry_id = ? AND judge_id = ?
                          AND overridden_at IS NULL)",
    )
    .bind(entry)
    .bind(judge)
    .fetch_one(pool)
    .await?;
    if conflicted {
        return Err(AppError::Conflict(
            "Bạn có xung đột lợi ích với hồ sơ này nên không biểu quyết về nó.".into(),
        ));
    }
    sqlx::query(
        "INSERT INTO prize_votes (council_id, entry_id, judge_id, prize, vote, cast_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (council_id, entry_id, judge_id) DO UPDATE SET
             prize = excluded.prize, vote = excluded.vote, cast_at = excluded.cast_at",
    )
    .bind(council)
    .bind(entry)
    .bind(judge)
    .bind(&prize)
    .bind(if yes { "yes" } else { "no" })
    .bind(time::now_text())
    .execute(pool)
    .await?;
    Ok(())
}

/// The prize proposals of every council where `user` sits present in the
/// final round, with their own vote: places and prizes, no scores.
pub async fn proposals(
    pool: &SqlitePool,
    user: i64,
) -> Result<Vec<crate::app::judging::Proposal>, AppError> {
    let seats: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT r.edition_id, m.council_id, m.judge_id FROM council_members m
           JOIN judges j ON j.id = m.judge_id JOIN councils c ON c.id = m.council_id
           JOIN rounds r ON r.id = c.round_id
           JOIN editions e ON e.id = r.edition_id AND e.contest_kind <> 'honors'
          WHERE j.user_id = ? AND m.present = 1 AND r.kind = 'final'",
    )
    .bind(user)
    .fetch_all(pool)
    .await?;
    let mut list = Vec::new();
    for (edition, council, judge) in seats {
        // Blind until done: the proposal follows from the others' scores.
        if !all_submitted(pool, judge, edition).await? {
            continue;
        }
        let results = compute(pool, edition).await?;
        let Some(group) = results
            .fields
            .iter()
            .find(|g| g.council_id == Some(council))
        else {
            continue;
        };
        let conflicted: Vec<i64> = sqlx::query_scalar(
            "SELECT entry_id FROM conflicts WHERE judge_id = ? AND overridden_at IS NULL",
        )
        .bind(judge)
        .fetch_all(pool)
        .await?;
        for row in group
            .rows
            .iter()
            .filter(|r| !conflicted.contains(&r.entry_id))
        {
            let Some(prize) = &row.prize else { continue };
            let vote: Option<String> = sqlx::query_scalar(
                "SELECT vote FROM prize_votes WHERE council_id = ? AND entry_id = ?
                    AND judge_id = ? AND prize = ?",
            )
            .bind(council)
            .bind(row.entry_id)
            .bind(judge)
            .bind(prize)
            .fetch_optional(pool)
            .await?;
            list.push(crate::app::judging::Proposal {
                entry_id: row.entry_id,
                code: row.code.clone(),
                title: row.title.clone(),
                council: group.field_name.clone(),
                rank: row.rank,
                prize: prize.clone(),
                my_vote: vote.map(|v| v == "yes"),
            });
        }
    }
    Ok(list)
}

/// Whether a judge has submitted every sheet of the final round.
async fn all_submitted(pool: &SqlitePool, judge: i64, edition: i64) -> Result<bool, AppError> {
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM judge_scope s JOIN rounds r ON r.id = s.round_id
          WHERE s.judge_id = ? AND r.edition_id = ? AND r.kind = 'final'
            AND NOT EXISTS (SELECT 1 FROM score_sheets sh WHERE sh.round_id = s.round_id
                              AND sh.entry_id = s.entry_id AND sh.judge_id = s.judge_id
                              AND sh.submitted_at IS NOT NULL)",
    )
    .bind(judge)
    .bind(edition)
    .fetch_one(pool)
    .await?;
    Ok(open == 0)
}

/// Finalizes the results: the proposal as it stands, with the vote counts
/// in the log. Every later change needs `reopen`.
pub async fn finalize(pool: &SqlitePool, actor: i64, edition: i64) -> Result<(), AppError> {
    super::judging::ensure_open(pool, edition).await?;
    // An honors edition is decided by its ballots: no ranking to compute.
    let program: Option<String> =
        sqlx::query_scalar("SELECT contest_kind FROM editions WHERE id = ?")
            .bind(edition)
            .fetch_optional(pool)
            .await?;
    if program.as_deref() == Some("honors") {
        return finalize_honors(pool, actor, edition).await;
    }
    let results = compute(pool, edition).await?;
    let incomplete: Vec<&str> = results
        .fields
        .iter()
        .filter(|g| g.incomplete())
        .map(|g| g.field_name.as_str())
        .collect();
    if !incomplete.is_empty() {
        return Err(AppError::Conflict(format!(
            "Chưa chốt được: còn thiếu phiếu chấm ở {}.",
            incomplete.join(", ")
        )));
    }
    let unapproved: Vec<&str> = results
        .fields
        .iter()
        .filter(|g| g.council_id.is_some())
        .flat_map(|g| &g.rows)
        .filter(|r| r.prize.is_some() && !r.votes.approved())
        .map(|r| r.code.as_str())
        .collect();
    if !unapproved.is_empty() {
        return Err(AppError::Conflict(format!(
            "Chưa chốt được: giải đề xuất của {} chưa được hội đồng biểu quyết thông qua.",
            unapproved.join(", ")
        )));
    }
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM final_results WHERE edition_id = ?")
        .bind(edition)
        .execute(&mut *tx)
        .await?;
    for row in results.fields.iter().flat_map(|g| &g.rows) {
        sqlx::query(
            "INSERT INTO final_results (entry_id, edition_id, rank, prize, figure_centi)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(row.entry_id)
        .bind(edition)
        .bind(row.rank)
        .bind(&row.prize)
        .bind(row.total.0)
        .execute(&mut *tx)
        .await?;
        if let Some(prize) = &row.prize {
            let v = row.votes;
            let detail = format!(
                "{prize}: {} đồng ý, {} không đồng ý / {} có mặt (cần {})",
                v.yes, v.no, v.present, v.needed
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
        }
    }
    let now = time::now_text();
    sqlx::query("UPDATE editions SET results_final_at = ? WHERE id = ?")
        .bind(&now)
        .bind(edition)
        .execute(&mut *tx)
        .await?;
    let detail = format!(
        "{} hồ sơ, xếp theo {}",
        results.fields.iter().map(|g| g.rows.len()).sum::<usize>(),
        results.method.label()
    );
    let line = Record::about_edition(edition, actor, Action::ResultsFinalized, &detail);
    audit::record(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}

/// Finalizes an honors edition: the selection councils' secret ballots
/// decide, so each must be closed; scores, if any, do not. A candidate's
/// rank is by agreeing ballots within the council (ties share), and the
/// figure kept is that count.
async fn finalize_honors(pool: &SqlitePool, actor: i64, edition: i64) -> Result<(), AppError> {
    let ballots = super::ballots::edition_minutes(pool, edition).await?;
    if ballots.is_empty() {
        return Err(AppError::Conflict(
            "Chưa chốt được: chưa có hội đồng xét chọn nào có ứng viên để bỏ phiếu.".into(),
        ));
    }
    let open: Vec<&str> = ballots
        .iter()
        .filter(|b| !b.closed)
        .map(|b| b.council_name.as_str())
        .collect();
    if !open.is_empty() {
        return Err(AppError::Conflict(format!(
            "Chưa chốt được: {} chưa kết thúc bỏ phiếu kín.",
            open.join(", ")
        )));
    }
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM final_results WHERE edition_id = ?")
        .bind(edition)
        .execute(&mut *tx)
        .await?;
    let (mut selected, mut candidates) = (0, 0);
    for ballot in &ballots {
        let agree = |row: &crate::app::judging::MinutesRow| row.tally.unwrap_or_default().agree;
        for row in &ballot.rows {
            let rank = 1 + ballot.rows.iter().filter(|r| agree(r) > agree(row)).count();
            let chosen = row.selected.unwrap_or(false);
            sqlx::query(
                "INSERT INTO final_results (entry_id, edition_id, rank, prize, figure_centi)
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(row.entry_id)
            .bind(edition)
            .bind(rank as i64)
            .bind(chosen.then_some("Được xét chọn"))
            .bind(i64::from(agree(row)) * 100)
            .execute(&mut *tx)
            .await?;
            candidates += 1;
            selected += usize::from(chosen);
        }
    }
    sqlx::query("UPDATE editions SET results_final_at = ? WHERE id = ?")
        .bind(time::now_text())
        .bind(edition)
        .execute(&mut *tx)
        .await?;
    let detail = format!("{selected}/{candidates} ứng viên được xét chọn, theo phiếu kín");
    let line = Record::about_edition(edition, actor, Action::ResultsFinalized, &detail);
    audit::record(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}

/// Reopens finalized results, with a reason kept in the log.
pub async fn reopen(
    pool: &SqlitePool,
    actor: i64,
    edition: i64,
    reason: &str,
) -> Result<(), AppError> {
    let reason = audit::reason(reason, " mở lại")?;
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE editions SET results_final_at = NULL WHERE id = ? AND results_final_at IS NOT NULL",
    )
    .bind(edition)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict("Kết quả chưa được chốt.".into()));
    }
    let line = Record::about_edition(edition, actor, Action::ResultsReopened, &reason);
    audit::record(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks or unmarks an entry for the national contest.
pub async fn mark_national(
    pool: &SqlitePool,
    actor: i64,
    entry: i64,
    national: bool,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let (edition, code): (i64, String) = sqlx::query_as(
        "UPDATE entries SET national = ? WHERE id = ? AND state IN ('submitted', 'accepted')
         RETURNING edition_id, code",
    )
    .bind(national)
    .bind(entry)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound("hồ sơ".into()))?;
    let detail = format!(
        "{code}: {}",
        if national {
            "đề cử"
        } else {
            "bỏ đề cử"
        }
    );
    let line = Record {
        edition,
        actor: Some(actor),
        action: Action::NationalMarked,
        entry: Some(entry),
        judge: None,
        detail: &detail,
    };
    audit::record(&mut tx, line).await?;
    tx.commit().await?;
    Ok(edition)
}
