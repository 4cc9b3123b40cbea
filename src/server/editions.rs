//! SQL for editions, and the parsing of the new-edition form.

use sqlx::SqlitePool;

use super::time;
use crate::app::editions::{
    CriterionItem, EditionDetail, EditionSummary, FieldItem, NewEdition, PrizeItem,
};
use crate::app::error::AppError;
use crate::domain::points::Points;
use crate::domain::text::clean_line;

/// A new edition's setup, checked.
#[derive(Debug, Clone)]
pub struct EditionSetup {
    pub name: String,
    pub number: i64,
    pub year: i64,
    pub deadline_utc: String,
    pub fields: Vec<String>,
    pub criteria: Vec<(String, Points)>,
    pub step: Points,
    pub prizes: Vec<(String, u32)>,
    pub floor: Points,
}

fn lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(clean_line).filter(|l| !l.is_empty())
}

fn named_number(line: &str, label: &str) -> Result<(String, String), AppError> {
    let (name, number) = line.rsplit_once('|').ok_or_else(|| {
        AppError::invalid(label, format!("dòng \"{line}\" cần có dạng \"tên | số\""))
    })?;
    Ok((clean_line(name), number.trim().to_string()))
}

impl EditionSetup {
    pub fn parse(form: &NewEdition) -> Result<Self, AppError> {
        let name = clean_line(&form.name);
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::invalid("Tên kỳ thi", "cần từ 1 đến 200 ký tự"));
        }
        let number: i64 = form
            .number
            .trim()
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| AppError::invalid("Lần thứ", "cần một số nguyên dương"))?;
        let year: i64 = form
            .year
            .trim()
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::invalid("Năm", "cần một năm từ 2000 đến 2100"))?;
        let deadline = time::parse_local(&form.deadline, time::DEFAULT_ZONE).ok_or_else(|| {
            AppError::invalid("Hạn đăng ký", "cần ngày giờ dạng dd/mm/yyyy hh:mm")
        })?;

        if deadline < time::now() {
            return Err(AppError::invalid("Hạn đăng ký", "hạn đăng ký đã qua"));
        }

        let fields: Vec<String> = lines(&form.fields).collect();
        if fields.is_empty() {
            return Err(AppError::invalid("Lĩnh vực", "cần ít nhất một lĩnh vực"));
        }
        let mut unique = fields.clone();
        unique.sort();
        unique.dedup();
        if unique.len() != fields.len() {
            return Err(AppError::invalid("Lĩnh vực", "có lĩnh vực bị trùng tên"));
        }

        let step = Points::parse(&form.step)
            .ok()
            .filter(|s| s.0 > 0)
            .ok_or_else(|| AppError::invalid("Bước điểm", "cần một số dương, ví dụ 0,5"))?;
        let mut criteria = Vec::new();
        for line in lines(&form.criteria) {
            let (name, max) = named_number(&line, "Tiêu chí")?;
            let max = Points::parse(&max)
                .ok()
                .filter(|m| m.0 > 0 && m.0 % step.0 == 0)
                .ok_or_else(|| {
                    AppError::invalid(
                        "Tiêu chí",
                        format!("điểm tối đa của \"{name}\" cần là số dương, bội của bước điểm"),
                    )
                })?;
            if name.is_empty() {
                return Err(AppError::invalid(
                    "Tiêu chí",
                    format!("dòng \"{line}\" chưa có tên tiêu chí"),
                ));
            }
            if criteria.iter().any(|(n, _)| *n == name) {
                return Err(AppError::invalid(
                    "Tiêu chí",
                    format!("tiêu chí \"{name}\" bị trùng"),
                ));
            }
            criteria.push((name, max));
        }
        if criteria.is_empty() {
            return Err(AppError::invalid("Tiêu chí", "cần ít nhất một tiêu chí"));
        }

        let mut prizes = Vec::new();
        for line in lines(&form.prizes) {
            let (name, quota) = named_number(&line, "Giải thưởng")?;
            let quota: u32 = quota.parse().ok().filter(|q| *q <= 1000).ok_or_else(|| {
                AppError::invalid(
                    "Giải thưởng",
                    format!("số lượng giải \"{name}\" cần là số nguyên từ 0 đến 1000"),
                )
            })?;
            if name.is_empty() {
                return Err(AppError::invalid(
                    "Giải thưởng",
                    format!("dòng \"{line}\" chưa có tên giải"),
                ));
            }
            if prizes.iter().any(|(n, _)| *n == name) {
                return Err(AppError::invalid(
                    "Giải thưởng",
                    format!("giải \"{name}\" bị trùng"),
                ));
            }
            prizes.push((name, quota));
        }
        let floor = Points::parse(&form.floor)
            .ok()
            .filter(|f| f.0 >= 0)
            .ok_or_else(|| AppError::invalid("Điểm sàn", "cần một số không âm"))?;

        let reachable = Points(criteria.iter().map(|(_, max)| max.0).sum());
        if floor > reachable {
            return Err(AppError::invalid(
                "Điểm sàn",
                format!("điểm sàn {floor} lớn hơn tổng điểm tối đa {reachable} của các tiêu chí"),
            ));
        }

        Ok(Self {
            name,
            number,
            year,
            deadline_utc: time::to_text(deadline),
            fields,
            criteria,
            step,
            prizes,
            floor,
        })
    }
}

pub async fn create(pool: &SqlitePool, setup: &EditionSetup) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO editions (contest_kind, name, number, year, registration_deadline,
                               score_step_centi, prize_floor_centi, created_at)
         VALUES ('technical', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&setup.name)
    .bind(setup.number)
    .bind(setup.year)
    .bind(&setup.deadline_utc)
    .bind(setup.step.0)
    .bind(setup.floor.0)
    .bind(time::now_text())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict(_) => {
            AppError::invalid("Lần thứ", format!("đã có kỳ thi lần thứ {}", setup.number))
        }
        other => other,
    })?;
    for (position, name) in setup.fields.iter().enumerate() {
        sqlx::query("INSERT INTO fields (edition_id, position, name) VALUES (?, ?, ?)")
            .bind(id)
            .bind(position as i64)
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    for (position, (name, max)) in setup.criteria.iter().enumerate() {
        sqlx::query(
            "INSERT INTO criteria (edition_id, position, name, max_centi) VALUES (?, ?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(name)
        .bind(max.0)
        .execute(&mut *tx)
        .await?;
    }
    for (position, (name, quota)) in setup.prizes.iter().enumerate() {
        sqlx::query("INSERT INTO prize_levels (edition_id, position, name, quota_per_field) VALUES (?, ?, ?, ?)")
            .bind(id).bind(position as i64 + 1).bind(name).bind(*quota as i64)
            .execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct EditionRow {
    id: i64,
    name: String,
    number: i64,
    year: i64,
    state: String,
    time_zone: String,
    registration_deadline: String,
    score_step_centi: i64,
    prize_floor_centi: i64,
}

impl EditionRow {
    fn summary(&self) -> EditionSummary {
        let deadline = time::from_text(&self.registration_deadline).unwrap_or_else(time::now);
        EditionSummary {
            id: self.id,
            name: self.name.clone(),
            number: self.number,
            year: self.year,
            open: self.state == "open",
            deadline: time::show(deadline, &self.time_zone),
            deadline_passed: deadline < time::now(),
        }
    }
}

const EDITION_COLUMNS: &str = "id, name, number, year, state, time_zone, registration_deadline,
    score_step_centi, prize_floor_centi";

pub async fn list(pool: &SqlitePool) -> Result<Vec<EditionSummary>, AppError> {
    let rows = sqlx::query_as::<_, EditionRow>(&format!(
        "SELECT {EDITION_COLUMNS} FROM editions ORDER BY year DESC, number DESC"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(EditionRow::summary).collect())
}

/// The facts about an edition that rules need on the server.
#[derive(Debug, Clone)]
pub struct EditionRules {
    pub open: bool,
    pub time_zone: String,
    pub deadline: chrono::DateTime<chrono::Utc>,
    pub step: Points,
    pub floor: Points,
}

impl EditionRules {
    /// Refuses any change to entries once the deadline has passed, to the
    /// second, whatever the browser sends.
    pub fn check_deadline(&self) -> Result<(), AppError> {
        if time::now() > self.deadline {
            return Err(AppError::DeadlinePassed {
                deadline: time::show(self.deadline, &self.time_zone),
            });
        }
        Ok(())
    }
}

pub async fn rules(pool: &SqlitePool, id: i64) -> Result<EditionRules, AppError> {
    let row = sqlx::query_as::<_, EditionRow>(&format!(
        "SELECT {EDITION_COLUMNS} FROM editions WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("kỳ thi".into()))?;
    Ok(EditionRules {
        open: row.state == "open",
        deadline: time::from_text(&row.registration_deadline).ok_or(AppError::Internal)?,
        time_zone: row.time_zone,
        step: Points(row.score_step_centi),
        floor: Points(row.prize_floor_centi),
    })
}

pub async fn fields(pool: &SqlitePool, edition: i64) -> Result<Vec<FieldItem>, AppError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM fields WHERE edition_id = ? ORDER BY position")
            .bind(edition)
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| FieldItem { id, name })
        .collect())
}

pub async fn criteria(pool: &SqlitePool, edition: i64) -> Result<Vec<CriterionItem>, AppError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, name, max_centi FROM criteria WHERE edition_id = ? ORDER BY position",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, max)| CriterionItem {
            id,
            name,
            max: Points(max),
        })
        .collect())
}

pub async fn prizes(pool: &SqlitePool, edition: i64) -> Result<Vec<PrizeItem>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT name, quota_per_field FROM prize_levels WHERE edition_id = ? ORDER BY position",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, quota)| PrizeItem {
            name,
            quota: quota.max(0) as u32,
        })
        .collect())
}

pub async fn detail(pool: &SqlitePool, id: i64) -> Result<EditionDetail, AppError> {
    let row = sqlx::query_as::<_, EditionRow>(&format!(
        "SELECT {EDITION_COLUMNS} FROM editions WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("kỳ thi".into()))?;
    let entry_count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM entries WHERE edition_id = ?")
        .bind(id)
        .fetch_one(pool)
        .await?;
    let judge_count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM judges WHERE edition_id = ?")
        .bind(id)
        .fetch_one(pool)
        .await?;
    Ok(EditionDetail {
        summary: row.summary(),
        time_zone: row.time_zone.clone(),
        fields: fields(pool, id).await?,
        criteria: criteria(pool, id).await?,
        prizes: prizes(pool, id).await?,
        step: Points(row.score_step_centi),
        floor: Points(row.prize_floor_centi),
        entry_count,
        judge_count,
    })
}

pub async fn open_registration(pool: &SqlitePool, id: i64) -> Result<(), AppError> {
    let done = sqlx::query("UPDATE editions SET state = 'open' WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound("kỳ thi".into()));
    }
    Ok(())
}

/// Sets the deadline from local time and returns it as shown to people.
pub async fn set_deadline(pool: &SqlitePool, id: i64, local: &str) -> Result<String, AppError> {
    let rules = rules(pool, id).await?;
    let deadline = time::parse_local(local, &rules.time_zone)
        .ok_or_else(|| AppError::invalid("Hạn đăng ký", "cần ngày giờ dạng dd/mm/yyyy hh:mm"))?;
    sqlx::query("UPDATE editions SET registration_deadline = ? WHERE id = ?")
        .bind(time::to_text(deadline))
        .bind(id)
        .execute(pool)
        .await?;
    Ok(time::show(deadline, &rules.time_zone))
}
