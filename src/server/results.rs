//! Computing an edition's results from the submitted score sheets.

use std::collections::HashMap;

use sqlx::SqlitePool;

use super::editions;
use crate::app::error::AppError;
use crate::app::results::{EditionResults, FieldResults, ResultRow};
use crate::domain::points::{Points, mean};
use crate::domain::ranking::{BoundaryTie, PrizeLevel, Standing, rank_and_award};

pub async fn compute(pool: &SqlitePool, edition: i64) -> Result<EditionResults, AppError> {
    let (name, number, year): (String, i64, i64) =
        sqlx::query_as("SELECT name, number, year FROM editions WHERE id = ?")
            .bind(edition)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| AppError::NotFound("kỳ thi".into()))?;
    let rules = editions::rules(pool, edition).await?;
    let fields = editions::fields(pool, edition).await?;
    let criteria = editions::criteria(pool, edition).await?;
    let levels: Vec<PrizeLevel> = editions::prizes(pool, edition)
        .await?
        .into_iter()
        .map(|p| PrizeLevel {
            name: p.name,
            quota: p.quota,
        })
        .collect();

    let entries: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT id, field_id, code, title FROM entries WHERE edition_id = ? AND state IN ('submitted', 'accepted') ORDER BY code",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let authors: Vec<(i64, String)> = sqlx::query_as(
        "SELECT a.entry_id, a.full_name FROM authors a JOIN entries e ON e.id = a.entry_id
          WHERE e.edition_id = ? ORDER BY a.entry_id, a.position",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    // (entry, sheet, criterion, points) of submitted sheets only, and only
    // of judges still assigned to the entry's field: a judge the organizer
    // took off a field no longer counts there.
    let scores: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT s.entry_id, s.id, sc.criterion_id, sc.points_centi
           FROM score_sheets s
           JOIN scores sc ON sc.sheet_id = s.id
           JOIN entries e ON e.id = s.entry_id
           JOIN judge_fields jf ON jf.judge_id = s.judge_id AND jf.field_id = e.field_id
          WHERE e.edition_id = ? AND s.submitted_at IS NOT NULL",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;

    let mut by_entry: HashMap<i64, HashMap<i64, HashMap<i64, Points>>> = HashMap::new();
    for (entry, sheet, criterion, points) in scores {
        by_entry
            .entry(entry)
            .or_default()
            .entry(sheet)
            .or_default()
            .insert(criterion, Points(points));
    }

    let mut results = Vec::new();
    for field in &fields {
        let mut rows = Vec::new();
        let mut unscored = Vec::new();
        for (entry_id, _, code, title) in entries.iter().filter(|e| e.1 == field.id) {
            let Some(sheets) = by_entry.get(entry_id) else {
                unscored.push(code.clone());
                continue;
            };
            let criterion_means = criteria
                .iter()
                .map(|c| {
                    let values: Vec<Points> = sheets
                        .values()
                        .filter_map(|s| s.get(&c.id).copied())
                        .collect();
                    mean(&values).unwrap_or_default()
                })
                .collect();
            let totals: Vec<Points> = sheets
                .values()
                .map(|s| Points(s.values().map(|p| p.0).sum()))
                .collect();
            let names: Vec<&str> = authors
                .iter()
                .filter(|(e, _)| e == entry_id)
                .map(|(_, n)| n.as_str())
                .collect();
            rows.push(ResultRow {
                rank: 0,
                entry_id: *entry_id,
                code: code.clone(),
                title: title.clone(),
                authors: names.join(", "),
                criterion_means,
                total: mean(&totals).unwrap_or_default(),
                judges: sheets.len() as u32,
                prize: None,
            });
        }
        let totals: Vec<Points> = rows.iter().map(|r| r.total).collect();
        let standings: Vec<Standing> = totals.iter().map(|&t| Standing::of(t)).collect();
        let placements = rank_and_award(&standings, &levels, rules.floor, BoundaryTie::MoveDown);
        let mut ranked = Vec::with_capacity(rows.len());
        for placement in placements {
            let mut row = rows[placement.index].clone();
            row.rank = placement.rank;
            row.prize = placement.prize.map(|level| levels[level].name.clone());
            ranked.push(row);
        }
        let assigned_judges: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM judge_fields WHERE field_id = ?")
                .bind(field.id)
                .fetch_one(pool)
                .await?;
        results.push(FieldResults {
            field_id: field.id,
            field_name: field.name.clone(),
            assigned_judges: assigned_judges as u32,
            rows: ranked,
            unscored,
        });
    }
    Ok(EditionResults {
        edition_id: edition,
        edition_name: name,
        number,
        year,
        criteria,
        floor: rules.floor,
        fields: results,
    })
}
