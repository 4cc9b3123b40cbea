//! SQL for editions, and the parsing of the new-edition form.

use sqlx::SqlitePool;

use super::time;
use crate::app::editions::Program;
use crate::app::editions::{
    CriterionItem, EditionDetail, EditionSummary, FieldItem, NewEdition, PrizeItem,
};
use crate::app::error::AppError;
use crate::app::honors::{Category, CriterionLine, HonorRules};
use crate::app::youth::YouthRules;
use crate::domain::points::Points;
use crate::domain::text::clean_line;
use crate::domain::youth::{AgeWindow, LevelGroup, SchoolLevel};
use chrono::NaiveDate;

/// An honors category's eligibility rule as the organizer typed it after
/// the name: "tối đa 35 tuổi" or "bằng cấp từ 01/05/2025 đến 30/04/2026".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategoryRule {
    pub age_max: Option<i32>,
    pub degree_window: Option<(NaiveDate, NaiveDate)>,
}

fn category_rule(name: &str, rule: &str) -> Result<CategoryRule, AppError> {
    let folded = crate::domain::text::fold_accents(rule);
    let bad = || {
        AppError::invalid(
            "Hạng mục",
            format!(
                "không hiểu điều kiện \"{rule}\" của hạng mục \"{name}\"; viết \"tối đa 35 tuổi\" \
                 hoặc \"bằng cấp từ 01/05/2025 đến 30/04/2026\""
            ),
        )
    };
    if folded.contains("tuoi") {
        let digits: String = folded.chars().filter(|c| c.is_ascii_digit()).collect();
        let age = digits
            .parse::<i32>()
            .ok()
            .filter(|a| (1..=120).contains(a))
            .ok_or_else(bad)?;
        return Ok(CategoryRule {
            age_max: Some(age),
            degree_window: None,
        });
    }
    let dates: Vec<NaiveDate> = rule
        .split_whitespace()
        .filter_map(crate::domain::dates::parse_date)
        .collect();
    match dates.as_slice() {
        [from, to] if from <= to => Ok(CategoryRule {
            age_max: None,
            degree_window: Some((*from, *to)),
        }),
        _ => Err(bad()),
    }
}

/// Reads a level-group line: "Tiểu học và THCS | Tiểu học, THCS".
fn level_group(line: &str) -> Result<(String, Vec<SchoolLevel>), AppError> {
    let (name, levels) = line.rsplit_once('|').ok_or_else(|| {
        AppError::invalid(
            "Bảng thi",
            format!("dòng \"{line}\" cần có dạng \"tên bảng | cấp học, cấp học\""),
        )
    })?;
    let mut parsed = Vec::new();
    for level in levels
        .split([',', ';'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let level = SchoolLevel::from_label(level).ok_or_else(|| {
            AppError::invalid(
                "Bảng thi",
                format!(
                    "không hiểu cấp học \"{level}\"; dùng Mầm non, Tiểu học, THCS, THPT, Cao đẳng – Đại học"
                ),
            )
        })?;
        parsed.push(level);
    }
    let name = clean_line(name);
    if name.is_empty() || parsed.is_empty() {
        return Err(AppError::invalid(
            "Bảng thi",
            format!("dòng \"{line}\" cần tên bảng và ít nhất một cấp học"),
        ));
    }
    Ok((name, parsed))
}

/// What only a youth edition sets.
#[derive(Debug, Clone)]
pub struct YouthSetup {
    pub window: AgeWindow,
    pub group_max: i64,
    pub level_groups: Vec<(String, Vec<SchoolLevel>)>,
}

/// A new edition's setup, checked.
#[derive(Debug, Clone)]
pub struct EditionSetup {
    pub program: Program,
    pub youth: Option<YouthSetup>,
    /// Honors: the category rules, one per field, and the reference date.
    pub category_rules: Vec<CategoryRule>,
    pub age_on: Option<NaiveDate>,
    pub self_nomination: bool,
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
        // A form from before the programs (or a script) means the technical contest.
        let program = match form.program.trim() {
            "" => Program::Technical,
            other => Program::from_db(other)
                .ok_or_else(|| AppError::invalid("Chương trình", "hãy chọn một chương trình"))?,
        };
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

        let field_label = program.field_noun();
        let mut fields: Vec<String> = lines(&form.fields).collect();
        if fields.is_empty() {
            return Err(AppError::invalid(
                field_label,
                format!("cần ít nhất một {}", field_label.to_lowercase()),
            ));
        }
        let mut category_rules = Vec::new();
        if program == Program::Honors {
            for line in fields.iter_mut() {
                let rule = match line.split_once('|') {
                    Some((name, rule)) => {
                        let name = clean_line(name);
                        let rule = category_rule(&name, rule.trim())?;
                        *line = name;
                        rule
                    }
                    None => CategoryRule::default(),
                };
                category_rules.push(rule);
            }
        }
        let age_on = match form.age_on.trim() {
            "" => None,
            raw => Some(crate::domain::dates::parse_date(raw).ok_or_else(|| {
                AppError::invalid("Ngày tính tuổi", "cần ngày hợp lệ dạng dd/mm/yyyy")
            })?),
        };
        let youth = if program == Program::Youth {
            let number = |raw: &str, label: &str, range: std::ops::RangeInclusive<i64>| {
                raw.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| range.contains(n))
                    .ok_or_else(|| {
                        AppError::invalid(
                            label,
                            format!("cần số nguyên từ {} đến {}", range.start(), range.end()),
                        )
                    })
            };
            let min = number(&form.age_min, "Tuổi nhỏ nhất", 1..=30)?;
            let max = number(&form.age_max, "Tuổi lớn nhất", min..=30)?;
            let group_max = number(&form.group_max, "Số thành viên tối đa", 1..=20)?;
            let on = age_on.ok_or_else(|| {
                AppError::invalid("Ngày tính tuổi", "hãy chọn ngày tính tuổi của thí sinh")
            })?;
            let mut level_groups = Vec::new();
            for line in lines(&form.level_groups) {
                let (name, levels) = level_group(&line)?;
                if level_groups.iter().any(|(n, _): &(String, _)| *n == name) {
                    return Err(AppError::invalid(
                        "Bảng thi",
                        format!("bảng \"{name}\" bị trùng"),
                    ));
                }
                for level in &levels {
                    if level_groups
                        .iter()
                        .any(|(_, ls): &(_, Vec<SchoolLevel>)| ls.contains(level))
                    {
                        return Err(AppError::invalid(
                            "Bảng thi",
                            format!("cấp {} thuộc hai bảng", level.label()),
                        ));
                    }
                }
                level_groups.push((name, levels));
            }
            if level_groups.is_empty() {
                return Err(AppError::invalid("Bảng thi", "cần ít nhất một bảng thi"));
            }
            Some(YouthSetup {
                window: AgeWindow {
                    min: min as i32,
                    max: max as i32,
                    on,
                },
                group_max,
                level_groups,
            })
        } else {
            None
        };
        let mut unique = fields.clone();
        unique.sort();
        unique.dedup();
        if unique.len() != fields.len() {
            return Err(AppError::invalid(
                field_label,
                format!("có {} bị trùng tên", field_label.to_lowercase()),
            ));
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
            program,
            youth,
            category_rules,
            age_on: age_on.or_else(|| {
                // Honors count ages on the deadline unless told otherwise.
                (program == Program::Honors).then(|| {
                    deadline
                        .with_timezone(&time::zone(time::DEFAULT_ZONE))
                        .date_naive()
                })
            }),
            self_nomination: form.self_nomination.is_some(),
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
                               score_step_centi, prize_floor_centi, created_at,
                               age_min, age_max, age_on, group_max, self_nomination)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(setup.program.as_db())
    .bind(&setup.name)
    .bind(setup.number)
    .bind(setup.year)
    .bind(&setup.deadline_utc)
    .bind(setup.step.0)
    .bind(setup.floor.0)
    .bind(time::now_text())
    .bind(setup.youth.as_ref().map(|y| y.window.min))
    .bind(setup.youth.as_ref().map(|y| y.window.max))
    .bind(setup.age_on.map(|d| d.to_string()))
    .bind(setup.youth.as_ref().map(|y| y.group_max))
    .bind(setup.self_nomination)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict(_) => {
            AppError::invalid("Lần thứ", format!("đã có kỳ thi lần thứ {}", setup.number))
        }
        other => other,
    })?;
    for (position, name) in setup.fields.iter().enumerate() {
        let rule = setup
            .category_rules
            .get(position)
            .cloned()
            .unwrap_or_default();
        let field: i64 = sqlx::query_scalar(
            "INSERT INTO fields (edition_id, position, name, age_max, degree_from, degree_to)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(id)
        .bind(position as i64)
        .bind(name)
        .bind(rule.age_max)
        .bind(rule.degree_window.map(|(from, _)| from.to_string()))
        .bind(rule.degree_window.map(|(_, to)| to.to_string()))
        .fetch_one(&mut *tx)
        .await?;
        if setup.program == Program::Honors {
            let checklist = crate::app::honors::DEFAULT_CATEGORIES
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, items)| *items)
                .unwrap_or_default();
            for (position, text) in checklist.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO honor_criteria (field_id, position, text) VALUES (?, ?, ?)",
                )
                .bind(field)
                .bind(position as i64)
                .bind(text)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    if let Some(youth) = &setup.youth {
        for (position, (name, levels)) in youth.level_groups.iter().enumerate() {
            let levels: Vec<&str> = levels.iter().map(|l| l.as_db()).collect();
            sqlx::query(
                "INSERT INTO level_groups (edition_id, position, name, levels) VALUES (?, ?, ?, ?)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(name)
            .bind(levels.join(","))
            .execute(&mut *tx)
            .await?;
        }
    }
    let round: i64 = sqlx::query_scalar(
        "INSERT INTO rounds (edition_id, position, kind, name) VALUES (?, 1, 'final', 'Chung khảo')
         RETURNING id",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    for (position, (name, max)) in setup.criteria.iter().enumerate() {
        sqlx::query(
            "INSERT INTO criteria (edition_id, round_id, position, name, max_centi)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(round)
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
    contest_kind: String,
    age_min: Option<i64>,
    age_max: Option<i64>,
    age_on: Option<String>,
    group_max: Option<i64>,
    self_nomination: bool,
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
    fn program(&self) -> Program {
        Program::from_db(&self.contest_kind).unwrap_or_default()
    }

    fn age_on(&self) -> Option<NaiveDate> {
        self.age_on.as_deref().and_then(|d| d.parse().ok())
    }

    fn age_window(&self) -> Option<AgeWindow> {
        Some(AgeWindow {
            min: self.age_min? as i32,
            max: self.age_max? as i32,
            on: self.age_on()?,
        })
    }

    fn summary(&self) -> EditionSummary {
        let deadline = time::from_text(&self.registration_deadline).unwrap_or_else(time::now);
        EditionSummary {
            id: self.id,
            program: self.program(),
            name: self.name.clone(),
            number: self.number,
            year: self.year,
            open: self.state == "open",
            deadline: time::show(deadline, &self.time_zone),
            deadline_passed: deadline < time::now(),
            self_nomination: self.self_nomination,
        }
    }
}

const EDITION_COLUMNS: &str = "id, contest_kind, name, number, year, state, time_zone,
    registration_deadline, score_step_centi, prize_floor_centi, age_min, age_max, age_on,
    group_max, self_nomination";

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
    pub id: i64,
    pub program: Program,
    pub number: i64,
    pub year: i64,
    pub age_window: Option<AgeWindow>,
    pub age_on: Option<NaiveDate>,
    pub group_max: Option<i64>,
    pub self_nomination: bool,
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
        id: row.id,
        program: row.program(),
        number: row.number,
        year: row.year,
        age_window: row.age_window(),
        age_on: row.age_on(),
        group_max: row.group_max,
        self_nomination: row.self_nomination,
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

/// The rubric of the edition's final round, the one that ranks.
pub async fn criteria(pool: &SqlitePool, edition: i64) -> Result<Vec<CriterionItem>, AppError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT c.id, c.name, c.max_centi FROM criteria c JOIN rounds r ON r.id = c.round_id
          WHERE r.edition_id = ? AND r.kind = 'final' ORDER BY c.position",
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
        youth_rule: row.age_window().map(|w| {
            format!(
                "Từ {} đến {} tuổi tính theo ngày sinh đến ngày {}; mỗi nhóm tối đa {} thành viên",
                w.min,
                w.max,
                crate::domain::dates::format_date(w.on),
                row.group_max.unwrap_or_default()
            )
        }),
        level_groups: level_groups(pool, id).await?,
        categories: categories(pool, id).await?,
        self_nomination: row.self_nomination,
    })
}

pub async fn level_groups(pool: &SqlitePool, edition: i64) -> Result<Vec<LevelGroup>, AppError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, levels FROM level_groups WHERE edition_id = ? ORDER BY position",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, levels)| LevelGroup {
            id,
            name,
            levels: levels.split(',').filter_map(SchoolLevel::from_db).collect(),
        })
        .collect())
}

/// A category's id, name, age limit and degree window.
type CategoryRow = (i64, String, Option<i64>, Option<String>, Option<String>);

/// The categories of an honors edition with their rules and checklists.
pub async fn categories(pool: &SqlitePool, edition: i64) -> Result<Vec<Category>, AppError> {
    let rows: Vec<CategoryRow> = sqlx::query_as(
        "SELECT f.id, f.name, f.age_max, f.degree_from, f.degree_to
           FROM fields f JOIN editions e ON e.id = f.edition_id
          WHERE f.edition_id = ? AND e.contest_kind = 'honors' ORDER BY f.position",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let mut categories = Vec::new();
    for (id, name, age_max, from, to) in rows {
        let criteria: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, text FROM honor_criteria WHERE field_id = ? ORDER BY position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        categories.push(Category {
            id,
            name,
            age_max: age_max.map(|a| a as i32),
            degree_from: from.and_then(|d| d.parse().ok()),
            degree_to: to.and_then(|d| d.parse().ok()),
            criteria: criteria
                .into_iter()
                .map(|(id, text)| CriterionLine { id, text })
                .collect(),
        });
    }
    Ok(categories)
}

/// The rules a youth entry of this edition must meet.
pub async fn youth_rules(pool: &SqlitePool, edition: i64) -> Result<YouthRules, AppError> {
    let rules = rules(pool, edition).await?;
    let window = rules
        .age_window
        .filter(|_| rules.program == Program::Youth)
        .ok_or_else(|| AppError::NotFound("cuộc thi sáng tạo thanh thiếu niên, nhi đồng".into()))?;
    Ok(YouthRules {
        window,
        group_max: rules.group_max.unwrap_or(5).max(1) as usize,
        level_groups: level_groups(pool, edition).await?,
        fields: fields(pool, edition).await?,
    })
}

/// The rules a nomination of this edition must meet.
pub async fn honor_rules(pool: &SqlitePool, edition: i64) -> Result<HonorRules, AppError> {
    let rules = rules(pool, edition).await?;
    if rules.program != Program::Honors {
        return Err(AppError::NotFound("đợt tôn vinh".into()));
    }
    Ok(HonorRules {
        age_on: rules.age_on.unwrap_or_else(|| {
            rules
                .deadline
                .with_timezone(&time::zone(&rules.time_zone))
                .date_naive()
        }),
        categories: categories(pool, edition).await?,
        self_nomination: rules.self_nomination,
    })
}

/// Replaces a category's checklist with the lines typed, keeping the ids
/// (and so the ticks of existing nominations) of lines left unchanged.
pub async fn save_checklist(pool: &SqlitePool, field: i64, text: &str) -> Result<(), AppError> {
    let wanted: Vec<String> = lines(text).collect();
    if wanted.iter().any(|l| l.chars().count() > 500) {
        return Err(AppError::invalid(
            "Tiêu chí",
            "mỗi tiêu chí tối đa 500 ký tự",
        ));
    }
    let honors: Option<i64> = sqlx::query_scalar(
        "SELECT f.id FROM fields f JOIN editions e ON e.id = f.edition_id
          WHERE f.id = ? AND e.contest_kind = 'honors'",
    )
    .bind(field)
    .fetch_optional(pool)
    .await?;
    if honors.is_none() {
        return Err(AppError::NotFound("hạng mục tôn vinh".into()));
    }
    let mut tx = pool.begin().await?;
    let existing: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, text FROM honor_criteria WHERE field_id = ?")
            .bind(field)
            .fetch_all(&mut *tx)
            .await?;
    for (id, text) in &existing {
        if !wanted.contains(text) {
            // Removing a criterion would silently untick it on nominations
            // already made.
            let ticked: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM entry_checks WHERE criterion_id = ?")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            if ticked > 0 {
                return Err(AppError::invalid(
                    "Tiêu chí",
                    format!(
                        "tiêu chí \"{text}\" đã được {ticked} hồ sơ đánh dấu nên không xóa được; \
                         có thể thêm tiêu chí mới"
                    ),
                ));
            }
            sqlx::query("DELETE FROM honor_criteria WHERE id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    for (position, text) in wanted.iter().enumerate() {
        match existing.iter().find(|(_, t)| t == text) {
            Some((id, _)) => {
                sqlx::query("UPDATE honor_criteria SET position = ? WHERE id = ?")
                    .bind(position as i64)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO honor_criteria (field_id, position, text) VALUES (?, ?, ?)",
                )
                .bind(field)
                .bind(position as i64)
                .bind(text)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Hands out the next entry code of an edition: STKT12-007, TTN12-003,
/// TV2026-001. Codes come from a counter, so none is ever given twice.
pub async fn next_code(tx: &mut sqlx::SqliteConnection, edition: i64) -> Result<String, AppError> {
    let (count, number, year, kind): (i64, i64, i64, String) = sqlx::query_as(
        "UPDATE editions SET entries_numbered = entries_numbered + 1 WHERE id = ?
         RETURNING entries_numbered, number, year, contest_kind",
    )
    .bind(edition)
    .fetch_one(&mut *tx)
    .await?;
    let program = Program::from_db(&kind).unwrap_or_default();
    let series = if program == Program::Honors {
        year
    } else {
        number
    };
    Ok(format!("{}{series}-{count:03}", program.code_prefix()))
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
