//! Conflicts of interest: detected from an entry's people and units,
//! declared by a judge, overridden by the organizer with a reason.

use std::collections::{HashMap, HashSet};

use sqlx::{SqliteConnection, SqlitePool};

use super::audit::{self, Action, Record};
use super::time;
use crate::app::error::AppError;
use crate::app::judging::ConflictItem;
use crate::domain::conflicts::{EntryPeople, Person, detect};

/// Brings the detected conflicts of an edition (or of one of its judges)
/// up to date with its judges and entries. Declared conflicts and
/// overridden ones are kept as they are.
pub async fn refresh(
    conn: &mut SqliteConnection,
    edition: i64,
    only: Option<i64>,
) -> Result<(), AppError> {
    let judges: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT j.id, u.full_name, u.email, j.unit FROM judges j JOIN users u ON u.id = j.user_id
          WHERE j.edition_id = ? AND (? IS NULL OR j.id = ?)",
    )
    .bind(edition)
    .bind(only)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let people = entry_people(conn, edition).await?;

    let mut found = HashMap::new();
    for (judge, name, email, unit) in &judges {
        let judge_person = Person {
            name: name.clone(),
            email: email.clone(),
            unit: unit.clone(),
        };
        for (entry, people) in &people {
            if let Some(reason) = detect(&judge_person, people) {
                found.insert((*entry, *judge), reason);
            }
        }
    }

    let stored: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT x.entry_id, x.judge_id FROM conflicts x JOIN judges j ON j.id = x.judge_id
          WHERE j.edition_id = ? AND (? IS NULL OR j.id = ?)
            AND x.source = 'detected' AND x.overridden_at IS NULL",
    )
    .bind(edition)
    .bind(only)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let stored: HashSet<(i64, i64)> = stored.into_iter().collect();
    for gone in stored.iter().filter(|key| !found.contains_key(key)) {
        sqlx::query(
            "DELETE FROM conflicts WHERE entry_id = ? AND judge_id = ? AND source = 'detected'",
        )
        .bind(gone.0)
        .bind(gone.1)
        .execute(&mut *conn)
        .await?;
    }
    let now = time::now_text();
    for ((entry, judge), reason) in found {
        sqlx::query(
            "INSERT INTO conflicts (entry_id, judge_id, source, reason, created_at)
             VALUES (?, ?, 'detected', ?, ?)
             ON CONFLICT (entry_id, judge_id) DO UPDATE SET reason = excluded.reason
              WHERE conflicts.source = 'detected' AND conflicts.overridden_at IS NULL",
        )
        .bind(entry)
        .bind(judge)
        .bind(reason)
        .bind(&now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The people and units of every entry past the draft stage.
async fn entry_people(
    conn: &mut SqliteConnection,
    edition: i64,
) -> Result<HashMap<i64, EntryPeople>, AppError> {
    let mut people: HashMap<i64, EntryPeople> = HashMap::new();
    let units: Vec<(i64, String)> = sqlx::query_as(
        "SELECT e.id, e.applying_unit FROM entries e
          WHERE e.edition_id = ? AND e.state <> 'draft'
         UNION ALL
         SELECT c.entry_id, c.nominating_unit FROM candidates c JOIN entries e ON e.id = c.entry_id
          WHERE e.edition_id = ? AND e.state <> 'draft'",
    )
    .bind(edition)
    .bind(edition)
    .fetch_all(&mut *conn)
    .await?;
    for (entry, unit) in units {
        let slot = people.entry(entry).or_default();
        if !unit.trim().is_empty() {
            slot.units.push(unit);
        }
    }
    // (entry, is supervisor, name, email, unit) of authors, members,
    // candidates and teachers.
    let persons: Vec<(i64, bool, String, String, String)> = sqlx::query_as(
        "SELECT a.entry_id, 0, a.full_name, a.email, a.unit FROM authors a
           JOIN entries e ON e.id = a.entry_id WHERE e.edition_id = ?1
         UNION ALL
         SELECT m.entry_id, 0, m.full_name, '', m.school FROM members m
           JOIN entries e ON e.id = m.entry_id WHERE e.edition_id = ?1
         UNION ALL
         SELECT c.entry_id, 0, c.full_name, c.email, c.workplace FROM candidates c
           JOIN entries e ON e.id = c.entry_id WHERE e.edition_id = ?1
         UNION ALL
         SELECT s.entry_id, 1, s.full_name, s.email, s.school FROM supervisors s
           JOIN entries e ON e.id = s.entry_id WHERE e.edition_id = ?1",
    )
    .bind(edition)
    .fetch_all(&mut *conn)
    .await?;
    for (entry, supervisor, name, email, unit) in persons {
        let Some(slot) = people.get_mut(&entry) else {
            continue;
        };
        let person = Person { name, email, unit };
        if supervisor {
            slot.supervisors.push(person);
        } else {
            slot.authors.push(person);
        }
    }
    Ok(people)
}

/// A judge declares a conflict on an entry of their scope, with a reason.
pub async fn declare(
    pool: &SqlitePool,
    user: i64,
    entry: i64,
    reason: &str,
) -> Result<(), AppError> {
    let reason = audit::reason(reason, "")?;
    let (judge, edition): (i64, i64) = sqlx::query_as(
        "SELECT DISTINCT s.judge_id, j.edition_id FROM judge_scope s
           JOIN judges j ON j.id = s.judge_id WHERE j.user_id = ? AND s.entry_id = ?",
    )
    .bind(user)
    .bind(entry)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("hồ sơ trong phạm vi bạn được phân công".into()))?;
    super::judging::ensure_open(pool, edition).await?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO conflicts (entry_id, judge_id, source, reason, created_at)
         VALUES (?, ?, 'declared', ?, ?)
         ON CONFLICT (entry_id, judge_id) DO UPDATE SET source = 'declared',
             reason = excluded.reason, override_reason = NULL, overridden_by = NULL,
             overridden_at = NULL",
    )
    .bind(entry)
    .bind(judge)
    .bind(&reason)
    .bind(time::now_text())
    .execute(&mut *tx)
    .await?;
    let line = Record {
        edition,
        actor: Some(user),
        action: Action::ConflictDeclared,
        entry: Some(entry),
        judge: Some(judge),
        detail: &reason,
    };
    audit::record(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}

/// The organizer lets a conflicted judge score an entry anyway.
pub async fn override_conflict(
    pool: &SqlitePool,
    actor: i64,
    entry: i64,
    judge: i64,
    reason: &str,
) -> Result<(), AppError> {
    let reason = audit::reason(reason, " cho phép")?;
    let owner: i64 = sqlx::query_scalar("SELECT edition_id FROM entries WHERE id = ?")
        .bind(entry)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound("hồ sơ".into()))?;
    super::judging::ensure_open(pool, owner).await?;
    let mut tx = pool.begin().await?;
    let edition: i64 = sqlx::query_scalar(
        "UPDATE conflicts SET override_reason = ?, overridden_by = ?, overridden_at = ?
          WHERE entry_id = ? AND judge_id = ? AND overridden_at IS NULL
         RETURNING (SELECT edition_id FROM entries WHERE id = conflicts.entry_id)",
    )
    .bind(&reason)
    .bind(actor)
    .bind(time::now_text())
    .bind(entry)
    .bind(judge)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound("xung đột lợi ích chưa được cho phép".into()))?;
    let line = Record {
        edition,
        actor: Some(actor),
        action: Action::ConflictOverridden,
        entry: Some(entry),
        judge: Some(judge),
        detail: &reason,
    };
    audit::record(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    entry_id: i64,
    code: String,
    title: String,
    judge_id: i64,
    judge_name: String,
    source: String,
    reason: String,
    override_reason: Option<String>,
}

/// Every conflict of an edition, refreshed first.
pub async fn report(pool: &SqlitePool, edition: i64) -> Result<Vec<ConflictItem>, AppError> {
    let mut conn = pool.acquire().await?;
    refresh(&mut conn, edition, None).await?;
    let rows = sqlx::query_as::<_, Row>(
        "SELECT x.entry_id, e.code, e.title, x.judge_id, u.full_name AS judge_name,
                x.source, x.reason, x.override_reason
           FROM conflicts x
           JOIN entries e ON e.id = x.entry_id
           JOIN judges j ON j.id = x.judge_id JOIN users u ON u.id = j.user_id
          WHERE e.edition_id = ? ORDER BY e.code, j.code",
    )
    .bind(edition)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ConflictItem {
            entry_id: r.entry_id,
            code: r.code,
            title: r.title,
            judge_id: r.judge_id,
            judge_name: r.judge_name,
            source: if r.source == "declared" {
                "Giám khảo tự khai".into()
            } else {
                "Phát hiện tự động".into()
            },
            reason: r.reason,
            override_reason: r.override_reason,
        })
        .collect())
}
