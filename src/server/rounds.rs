//! SQL for an edition's rounds and their rubrics.

use sqlx::SqlitePool;

use super::audit::{self, Action, Record};
use super::time;
use crate::app::error::AppError;
use crate::app::judging::{Band, RoundItem, RoundKind, RubricCriterion};
use crate::domain::dates::{Period, parse_date};
use crate::domain::points::Points;

#[derive(sqlx::FromRow)]
struct RoundRow {
    id: i64,
    kind: String,
    name: String,
    pass_centi: Option<i64>,
    step_centi: Option<i64>,
    opens_on: Option<String>,
    closes_on: Option<String>,
}

/// A round's settings as they were before a change, for the log.
#[derive(sqlx::FromRow)]
struct RoundSettings {
    kind: String,
    name: String,
    opens_on: Option<String>,
    closes_on: Option<String>,
    pass_centi: Option<i64>,
    step_centi: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct CriterionRow {
    id: i64,
    round_id: i64,
    name: String,
    max_centi: i64,
    weight_percent: i64,
    bands: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredBand {
    from: i64,
    to: i64,
    label: String,
}

fn to_item(round: RoundRow, criteria: &[CriterionRow]) -> RoundItem {
    let date = |d: Option<String>| {
        d.map(|d| crate::domain::dates::format_iso_date(&d))
            .unwrap_or_default()
    };
    RoundItem {
        criteria: criteria
            .iter()
            .filter(|c| c.round_id == round.id)
            .map(|c| RubricCriterion {
                id: c.id,
                name: c.name.clone(),
                max: Points(c.max_centi),
                weight_percent: c.weight_percent as u32,
                bands: serde_json::from_str::<Vec<StoredBand>>(&c.bands)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|b| Band {
                        from: Points(b.from),
                        to: Points(b.to),
                        label: b.label,
                    })
                    .collect(),
            })
            .collect(),
        id: round.id,
        kind: if round.kind == "screening" {
            RoundKind::Screening
        } else {
            RoundKind::Final
        },
        name: round.name,
        pass: round.pass_centi.map(Points),
        step: round.step_centi.map(Points),
        opens_on: date(round.opens_on),
        closes_on: date(round.closes_on),
    }
}

const CRITERIA: &str = "SELECT c.id, c.round_id, c.name, c.max_centi, c.weight_percent, c.bands
                          FROM criteria c JOIN rounds r ON r.id = c.round_id";

/// The rounds of an edition, first to last, each with its rubric.
pub async fn list(pool: &SqlitePool, edition: i64) -> Result<Vec<RoundItem>, AppError> {
    let rounds = sqlx::query_as::<_, RoundRow>(
        "SELECT id, kind, name, pass_centi, step_centi, opens_on, closes_on FROM rounds
          WHERE edition_id = ? ORDER BY position",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let criteria = sqlx::query_as::<_, CriterionRow>(&format!(
        "{CRITERIA} WHERE r.edition_id = ? ORDER BY c.position"
    ))
    .bind(edition)
    .fetch_all(pool)
    .await?;
    Ok(rounds.into_iter().map(|r| to_item(r, &criteria)).collect())
}

pub async fn get(pool: &SqlitePool, round: i64) -> Result<RoundItem, AppError> {
    let row = sqlx::query_as::<_, RoundRow>(
        "SELECT id, kind, name, pass_centi, step_centi, opens_on, closes_on FROM rounds
          WHERE id = ?",
    )
    .bind(round)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("vòng chấm".into()))?;
    let criteria = sqlx::query_as::<_, CriterionRow>(&format!(
        "{CRITERIA} WHERE r.id = ? ORDER BY c.position"
    ))
    .bind(round)
    .fetch_all(pool)
    .await?;
    Ok(to_item(row, &criteria))
}

/// Where today, in the edition's time zone, stands against the round's
/// dates.
pub async fn period(pool: &SqlitePool, round: i64) -> Result<Period, AppError> {
    Ok(window(pool, round).await?.0)
}

/// The round's period today, with its last day if it has one.
pub async fn window(
    pool: &SqlitePool,
    round: i64,
) -> Result<(Period, Option<chrono::NaiveDate>), AppError> {
    let (opens, closes, zone): (Option<String>, Option<String>, String) = sqlx::query_as(
        "SELECT r.opens_on, r.closes_on, e.time_zone FROM rounds r
           JOIN editions e ON e.id = r.edition_id WHERE r.id = ?",
    )
    .bind(round)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("vòng chấm".into()))?;
    let today = time::now().with_timezone(&time::zone(&zone)).date_naive();
    let day = |d: Option<String>| d.as_deref().and_then(parse_date);
    let last = day(closes);
    Ok((Period::of(today, day(opens), last), last))
}

pub async fn edition_of(pool: &SqlitePool, round: i64) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT edition_id FROM rounds WHERE id = ?")
        .bind(round)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound("vòng chấm".into()))
}

/// One criterion as the organizer typed it.
#[derive(Debug, PartialEq)]
pub struct CriterionLine {
    pub name: String,
    pub max: Points,
    pub weight_percent: u32,
    pub bands: Vec<Band>,
}

/// Reads a rubric typed one criterion per line:
/// `Tính mới, sáng tạo | 30 | 100 | 27-30: Hoàn toàn mới; 21-26: Mới một phần`.
/// The weight (in percent) and the bands are optional.
pub fn parse_rubric(text: &str) -> Result<Vec<CriterionLine>, AppError> {
    let mut criteria: Vec<CriterionLine> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = crate::domain::text::clean_line(line);
        if line.is_empty() {
            continue;
        }
        let at = |message: String| {
            AppError::invalid("Tiêu chí", format!("dòng {}: {message}", number + 1))
        };
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let name = parts[0].to_string();
        if name.is_empty() || name.chars().count() > 300 {
            return Err(at("thiếu tên tiêu chí hoặc tên dài quá 300 ký tự".into()));
        }
        let max = parts
            .get(1)
            .and_then(|raw| Points::parse(raw).ok())
            .filter(|max| max.0 > 0)
            .ok_or_else(|| at("hãy ghi điểm tối đa sau dấu |, ví dụ \"Tính mới | 30\"".into()))?;
        let weight_percent = match parts.get(2).filter(|raw| !raw.is_empty()) {
            None => 100,
            Some(raw) => raw
                .trim_end_matches('%')
                .parse::<u32>()
                .ok()
                .filter(|w| (1..=1000).contains(w))
                .ok_or_else(|| {
                    at(format!(
                        "trọng số \"{raw}\" phải là số phần trăm từ 1 đến 1000"
                    ))
                })?,
        };
        let mut bands = Vec::new();
        for band in parts.get(3).map_or("", |b| b).split(';').map(str::trim) {
            if band.is_empty() {
                continue;
            }
            let (range, label) = band
                .split_once(':')
                .ok_or_else(|| at(format!("mức \"{band}\" phải có dạng \"27-30: mô tả\"")))?;
            let (from, to) = range
                .split_once(['-', '–'])
                .and_then(|(a, b)| Some((Points::parse(a).ok()?, Points::parse(b).ok()?)))
                .filter(|(a, b)| a <= b && *b <= max)
                .ok_or_else(|| {
                    at(format!(
                        "khoảng điểm \"{range}\" không hợp lệ (tối đa {max})"
                    ))
                })?;
            bands.push(Band {
                from,
                to,
                label: label.trim().to_string(),
            });
        }
        if criteria.iter().any(|c| c.name == name) {
            return Err(at(format!("tiêu chí \"{name}\" bị lặp")));
        }
        criteria.push(CriterionLine {
            name,
            max,
            weight_percent,
            bands,
        });
    }
    if criteria.is_empty() {
        return Err(AppError::invalid(
            "Tiêu chí",
            "hãy nhập ít nhất một tiêu chí",
        ));
    }
    Ok(criteria)
}

/// Replaces a round's rubric. Criteria keep their identity by name, so
/// scores already given stay with them; a scored criterion cannot go.
pub async fn save_rubric(
    pool: &SqlitePool,
    actor: i64,
    round: i64,
    text: &str,
) -> Result<(), AppError> {
    let lines = parse_rubric(text)?;
    let edition = edition_of(pool, round).await?;
    super::judging::ensure_open(pool, edition).await?;
    // The best total a sheet can reach must still clear the prize floor,
    // or weights would quietly take every prize away.
    let floor = super::editions::rules(pool, edition).await?.floor;
    let maxima: Vec<Points> = lines.iter().map(|l| l.max).collect();
    let weights: Vec<u32> = lines.iter().map(|l| l.weight_percent).collect();
    let reachable = crate::domain::aggregate::weighted_total(&maxima, &weights);
    if reachable < floor {
        return Err(AppError::invalid(
            "Tiêu chí",
            format!(
                "với các trọng số này, tổng tối đa chỉ là {reachable}, thấp hơn điểm sàn {floor}"
            ),
        ));
    }
    let mut tx = pool.begin().await?;
    let existing: Vec<(i64, String, bool, i64, i64)> = sqlx::query_as(
        "SELECT c.id, c.name, EXISTS (SELECT 1 FROM scores s WHERE s.criterion_id = c.id),
                c.max_centi, c.weight_percent
           FROM criteria c WHERE c.round_id = ?",
    )
    .bind(round)
    .fetch_all(&mut *tx)
    .await?;
    // A scored criterion keeps its maximum and weight: changing them would
    // change sheets already given.
    for line in &lines {
        let scored = existing.iter().find(|(_, name, scored, max, weight)| {
            *name == line.name
                && *scored
                && (*max != line.max.0 || *weight != i64::from(line.weight_percent))
        });
        if let Some((_, name, ..)) = scored {
            return Err(AppError::invalid(
                "Tiêu chí",
                format!("\"{name}\" đã có điểm chấm nên không đổi được điểm tối đa và trọng số"),
            ));
        }
    }
    for (id, name, scored, ..) in &existing {
        if lines.iter().any(|l| l.name == *name) {
            continue;
        }
        if *scored {
            return Err(AppError::invalid(
                "Tiêu chí",
                format!("\"{name}\" đã có điểm chấm nên không xóa được"),
            ));
        }
        sqlx::query("DELETE FROM criteria WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    for (position, line) in lines.iter().enumerate() {
        let bands: Vec<StoredBand> = line
            .bands
            .iter()
            .map(|b| StoredBand {
                from: b.from.0,
                to: b.to.0,
                label: b.label.clone(),
            })
            .collect();
        let bands = serde_json::to_string(&bands).map_err(|_| AppError::Internal)?;
        match existing.iter().find(|(_, name, ..)| *name == line.name) {
            Some((id, ..)) => {
                sqlx::query(
                    "UPDATE criteria SET position = ?, max_centi = ?, weight_percent = ?, bands = ?
                      WHERE id = ?",
                )
                .bind(position as i64)
                .bind(line.max.0)
                .bind(line.weight_percent)
                .bind(bands)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO criteria (edition_id, round_id, position, name, max_centi,
                                           weight_percent, bands)
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(edition)
                .bind(round)
                .bind(position as i64)
                .bind(&line.name)
                .bind(line.max.0)
                .bind(line.weight_percent)
                .bind(bands)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    let names: Vec<String> = lines
        .iter()
        .map(|l| format!("{} ({}, {}%)", l.name, l.max, l.weight_percent))
        .collect();
    let detail = names.join("; ");
    let line = Record::about_edition(edition, actor, Action::RubricChanged, &detail);
    audit::record(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes a rubric back as the text `parse_rubric` reads.
pub fn rubric_text(criteria: &[RubricCriterion]) -> String {
    criteria
        .iter()
        .map(|c| {
            let bands: Vec<String> = c
                .bands
                .iter()
                .map(|b| format!("{}-{}: {}", b.from, b.to, b.label))
                .collect();
            format!(
                "{} | {} | {} | {}",
                c.name,
                c.max,
                c.weight_percent,
                bands.join("; ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Adds a screening round before the final one, with a copy of the final
/// rubric to start from. An edition has one screening round at most.
pub async fn add_screening(
    pool: &SqlitePool,
    edition: i64,
    pass: Option<Points>,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM rounds WHERE edition_id = ? AND kind = 'screening')",
    )
    .bind(edition)
    .fetch_one(&mut *tx)
    .await?;
    if exists {
        return Err(AppError::Conflict("Kỳ thi đã có vòng sơ khảo.".into()));
    }
    let started: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM score_sheets s JOIN rounds r ON r.id = s.round_id
                         WHERE r.edition_id = ?)",
    )
    .bind(edition)
    .fetch_one(&mut *tx)
    .await?;
    if started {
        return Err(AppError::Conflict(
            "Đã có phiếu chấm nên không thêm được vòng sơ khảo trước vòng chung khảo.".into(),
        ));
    }
    let round: i64 = sqlx::query_scalar(
        "INSERT INTO rounds (edition_id, position, kind, name, pass_centi)
         VALUES (?, (SELECT MIN(position) - 1 FROM rounds WHERE edition_id = ?), 'screening',
                 'Sơ khảo', ?)
         RETURNING id",
    )
    .bind(edition)
    .bind(edition)
    .bind(pass.map(|p| p.0))
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO criteria (edition_id, round_id, position, name, max_centi, weight_percent, bands)
         SELECT c.edition_id, ?, c.position, c.name, c.max_centi, c.weight_percent, c.bands
           FROM criteria c JOIN rounds r ON r.id = c.round_id
          WHERE r.edition_id = ? AND r.kind = 'final'",
    )
    .bind(round)
    .bind(edition)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(round)
}

/// Sets a round's dates (dd/mm/yyyy, blank for none), screening mark and
/// step (blank: the edition's).
pub async fn update(
    pool: &SqlitePool,
    actor: i64,
    round: i64,
    opens_on: &str,
    closes_on: &str,
    pass: Option<Points>,
    step: Option<Points>,
) -> Result<(), AppError> {
    let date = |raw: &str, field: &str| -> Result<Option<String>, AppError> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        use chrono::Datelike;
        crate::domain::dates::parse_date(raw)
            // A round runs in this century: year 0 or 1900 is a slip.
            .filter(|d| (2000..=2100).contains(&d.year()))
            .map(|d| Some(d.format("%Y-%m-%d").to_string()))
            .ok_or_else(|| {
                AppError::invalid(
                    field,
                    "hãy ghi một ngày có thật dạng dd/mm/yyyy, năm từ 2000",
                )
            })
    };
    let edition = edition_of(pool, round).await?;
    super::judging::ensure_open(pool, edition).await?;
    let opens = date(opens_on, "Ngày bắt đầu")?;
    let closes = date(closes_on, "Ngày kết thúc")?;
    if let (Some(a), Some(b)) = (&opens, &closes)
        && a > b
    {
        return Err(AppError::invalid("Ngày kết thúc", "trước ngày bắt đầu"));
    }
    // Read before the transaction: the write pool has one connection.
    let edition_step = super::editions::rules(pool, edition).await?.step;
    let mut tx = pool.begin().await?;
    let before: RoundSettings = sqlx::query_as(
        "SELECT kind, name, opens_on, closes_on, pass_centi, step_centi
           FROM rounds WHERE id = ?",
    )
    .bind(round)
    .fetch_one(&mut *tx)
    .await?;
    // A new step must not strand scores already given on the old one: the
    // judge could neither keep nor resubmit them.
    let step_now = match step {
        Some(step) => step,
        None => edition_step,
    };
    if step_now.0 > 0 {
        let stranded: Option<i64> = sqlx::query_scalar(
            "SELECT s.points_centi FROM scores s JOIN score_sheets sh ON sh.id = s.sheet_id
              WHERE sh.round_id = ? AND s.points_centi % ? != 0 LIMIT 1",
        )
        .bind(round)
        .bind(step_now.0)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(score) = stranded {
            return Err(AppError::invalid(
                "Bước điểm",
                format!(
                    "vòng này đã có điểm {} không là bội số của {step_now}; \
                     hãy giữ bước điểm cũ hoặc chọn bước nhỏ hơn",
                    Points(score)
                ),
            ));
        }
    }
    sqlx::query(
        "UPDATE rounds SET opens_on = ?, closes_on = ?,
                pass_centi = CASE kind WHEN 'screening' THEN ? END, step_centi = ?
          WHERE id = ?",
    )
    .bind(&opens)
    .bind(&closes)
    .bind(pass.map(|p| p.0))
    .bind(step.map(|p| p.0))
    .bind(round)
    .execute(&mut *tx)
    .await?;
    // A round's dates decide who may still score, its step which scores
    // stand, its mark who goes on: every change is logged.
    let shown = |d: &Option<String>| match d {
        Some(d) => crate::domain::dates::format_iso_date(d),
        None => "không đặt".into(),
    };
    let points = |p: Option<i64>| {
        p.map(|p| Points(p).to_string())
            .unwrap_or("theo kỳ thi".into())
    };
    let mut changes = Vec::new();
    if (&before.opens_on, &before.closes_on) != (&opens, &closes) {
        changes.push(format!(
            "từ {} đến {} (trước đó: từ {} đến {})",
            shown(&opens),
            shown(&closes),
            shown(&before.opens_on),
            shown(&before.closes_on)
        ));
    }
    if before.step_centi != step.map(|p| p.0) {
        let (was, now) = (points(before.step_centi), points(step.map(|p| p.0)));
        changes.push(format!("bước điểm {was} → {now}"));
    }
    // Only a screening round keeps a mark (see the UPDATE above).
    let pass_now = pass.map(|p| p.0).filter(|_| before.kind == "screening");
    if before.pass_centi != pass_now {
        let mark = |p: Option<i64>| {
            p.map(|p| Points(p).to_string())
                .unwrap_or("không đặt".into())
        };
        changes.push(format!(
            "điểm vào vòng sau {} → {}",
            mark(before.pass_centi),
            mark(pass_now)
        ));
    }
    if !changes.is_empty() {
        let detail = format!("{}: {}", before.name, changes.join("; "));
        let line = Record::about_edition(edition, actor, Action::RoundChanged, &detail);
        audit::record(&mut tx, line).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Confirms entries of a screening round into the next round.
pub async fn advance(
    pool: &SqlitePool,
    actor: i64,
    screening: i64,
    entries: &[i64],
) -> Result<usize, AppError> {
    let edition = edition_of(pool, screening).await?;
    super::judging::ensure_open(pool, edition).await?;
    let next: i64 = sqlx::query_scalar(
        "SELECT n.id FROM rounds r JOIN rounds n ON n.edition_id = r.edition_id
          WHERE r.id = ? AND n.position > r.position ORDER BY n.position LIMIT 1",
    )
    .bind(screening)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("vòng tiếp theo".into()))?;
    let mut tx = pool.begin().await?;
    let mut added = 0;
    for &entry in entries {
        let code: Option<String> = sqlx::query_scalar(
            "SELECT code FROM entries WHERE id = ? AND edition_id = ?
                AND state IN ('submitted', 'accepted')",
        )
        .bind(entry)
        .bind(edition)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(code) = code else {
            return Err(AppError::NotFound(format!(
                "hồ sơ số {entry} của kỳ thi này"
            )));
        };
        let done = sqlx::query(
            "INSERT OR IGNORE INTO advancements (round_id, entry_id, confirmed_by, confirmed_at)
             VALUES (?, ?, ?, ?)",
        )
        .bind(next)
        .bind(entry)
        .bind(actor)
        .bind(time::now_text())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            added += 1;
            let detail = format!("{code} vào vòng sau");
            let line = Record {
                edition,
                actor: Some(actor),
                action: Action::Advanced,
                entry: Some(entry),
                judge: None,
                detail: &detail,
            };
            audit::record(&mut tx, line).await?;
        }
    }
    tx.commit().await?;
    Ok(added)
}

/// The screening round's entries with their figure and whether they
/// reach the pass mark; the organizer confirms who advances.
pub async fn screening(
    pool: &SqlitePool,
    edition: i64,
    round: &RoundItem,
) -> Result<Vec<crate::app::judging::ScreeningRow>, AppError> {
    let results = super::results::compute_round(pool, edition, round.id).await?;
    let advanced: Vec<i64> = sqlx::query_scalar(
        "SELECT a.entry_id FROM advancements a JOIN rounds r ON r.id = a.round_id
          WHERE r.edition_id = ?",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let mut rows = Vec::new();
    for group in results.fields {
        for row in group.rows {
            rows.push(crate::app::judging::ScreeningRow {
                round_id: round.id,
                entry_id: row.entry_id,
                passes: round.pass.is_some_and(|pass| row.total >= pass),
                advanced: advanced.contains(&row.entry_id),
                code: row.code,
                title: row.title,
                figure: Some(row.total),
            });
        }
        for code in group.unscored {
            rows.push(crate::app::judging::ScreeningRow {
                round_id: round.id,
                entry_id: 0,
                code,
                title: String::new(),
                figure: None,
                passes: false,
                advanced: false,
            });
        }
    }
    rows.retain(|r| r.entry_id != 0);
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rubric_line_reads_name_maximum_weight_and_bands() {
        let got = parse_rubric(
            "Tính mới | 30 | 100 | 27-30: Hoàn toàn mới; 21–26,5: Mới một phần\nTrình bày | 10",
        )
        .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].max, Points(3000));
        assert_eq!(got[0].bands[1].to, Points(2650));
        assert_eq!(got[0].bands[1].label, "Mới một phần");
        assert_eq!(got[1].weight_percent, 100);
        assert!(got[1].bands.is_empty());
    }

    #[test]
    fn a_bad_rubric_line_is_named_by_its_number() {
        let error = parse_rubric("Tính mới | 30\nKhả năng áp dụng").unwrap_err();
        assert!(error.to_string().contains("dòng 2"), "{error}");
        let error = parse_rubric("Tính mới | 30 | | 25-35: quá").unwrap_err();
        assert!(error.to_string().contains("25-35"), "{error}");
        let error = parse_rubric("A | 10 | 0").unwrap_err();
        assert!(error.to_string().contains("trọng số"), "{error}");
    }
}
