//! SQL for rounds' councils and their members.

use sqlx::{SqliteConnection, SqlitePool};

use crate::app::error::AppError;
use crate::app::judging::{CouncilItem, CouncilMember, CouncilRole};

/// The final round of an edition: every edition has one.
pub async fn final_round(conn: &mut SqliteConnection, edition: i64) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM rounds WHERE edition_id = ? AND kind = 'final'")
        .bind(edition)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("vòng chung khảo".into()))
}

/// The council of a field in the edition's final round, created when the
/// field has none yet.
pub async fn field_council(conn: &mut SqliteConnection, field: i64) -> Result<i64, AppError> {
    let (edition, name): (i64, String) =
        sqlx::query_as("SELECT edition_id, name FROM fields WHERE id = ?")
            .bind(field)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| AppError::NotFound("lĩnh vực".into()))?;
    let round = final_round(conn, edition).await?;
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM councils WHERE round_id = ? AND field_id = ?")
            .bind(round)
            .bind(field)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(id) = found {
        return Ok(id);
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO councils (round_id, name, field_id) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(round)
    .bind(format!("Hội đồng {name}"))
    .bind(field)
    .fetch_one(conn)
    .await?)
}

/// Adds a judge of the same edition to a council, with the role their
/// list gave them; false when they were a member already.
pub async fn add_member(
    conn: &mut SqliteConnection,
    council: i64,
    judge: i64,
) -> Result<bool, AppError> {
    let role: Option<String> = sqlx::query_scalar(
        "SELECT j.council_role FROM judges j
           JOIN rounds r ON r.edition_id = j.edition_id
           JOIN councils c ON c.round_id = r.id
          WHERE j.id = ? AND c.id = ?",
    )
    .bind(judge)
    .bind(council)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(role) = role else {
        return Err(AppError::NotFound(
            "giám khảo hoặc hội đồng của kỳ thi này".into(),
        ));
    };
    ensure_open(&mut *conn, council).await?;
    let role = if role.starts_with("Chủ tịch") {
        CouncilRole::Chair
    } else if role.starts_with("Thư ký") {
        CouncilRole::Secretary
    } else {
        CouncilRole::Member
    };
    let added = sqlx::query(
        "INSERT OR IGNORE INTO council_members (council_id, judge_id, role) VALUES (?, ?, ?)",
    )
    .bind(council)
    .bind(judge)
    .bind(role.as_db())
    .execute(conn)
    .await?;
    Ok(added.rows_affected() == 1)
}

/// Tells a judge they were added to a council: the field it scores, or
/// its name when it is not a field's (a level group, a selection council).
pub async fn tell_member_added(
    conn: &mut SqliteConnection,
    site: &super::mail::Site,
    council: i64,
    judge: i64,
) -> Result<(), AppError> {
    let (email, name, council_name, field, edition): (
        String,
        String,
        String,
        Option<String>,
        String,
    ) = sqlx::query_as(
        "SELECT u.email, u.full_name, c.name, f.name,
                    e.name || ' lần thứ ' || e.number || ' (' || e.year || ')'
               FROM councils c JOIN rounds r ON r.id = c.round_id
               JOIN editions e ON e.id = r.edition_id
               LEFT JOIN fields f ON f.id = c.field_id
               JOIN judges j ON j.id = ? JOIN users u ON u.id = j.user_id
              WHERE c.id = ?",
    )
    .bind(judge)
    .bind(council)
    .fetch_one(&mut *conn)
    .await?;
    let values = serde_json::json!({
        "org": site.org_name,
        "name": name,
        "field": field.unwrap_or_default(),
        "council": council_name,
        "edition": edition,
        "link": format!("{}/giam-khao", site.public_url),
    });
    super::mail::enqueue(conn, "judge_assigned", &email, &name, &values).await
}

/// Refuses to change a council once its edition's results are final.
async fn ensure_open(conn: &mut SqliteConnection, council: i64) -> Result<(), AppError> {
    let final_at: Option<String> = sqlx::query_scalar(
        "SELECT e.results_final_at FROM councils c JOIN rounds r ON r.id = c.round_id
           JOIN editions e ON e.id = r.edition_id WHERE c.id = ?",
    )
    .bind(council)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::NotFound("hội đồng".into()))?;
    match final_at {
        Some(_) => Err(AppError::Conflict(
            "Kết quả đã chốt; muốn thay đổi, ban tổ chức phải mở lại kết quả.".into(),
        )),
        None => Ok(()),
    }
}

/// Whether a council has votes or ballots cast: from then on who is
/// present is fixed, so nobody can shift a threshold or isolate a voter.
async fn has_votes(conn: &mut SqliteConnection, council: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM ballot_voters WHERE council_id = ?1)
             OR EXISTS (SELECT 1 FROM prize_votes WHERE council_id = ?1)",
    )
    .bind(council)
    .fetch_one(conn)
    .await?)
}

/// The edition a council belongs to, or NotFound.
pub async fn edition_of(pool: &SqlitePool, council: i64) -> Result<i64, AppError> {
    sqlx::query_scalar(
        "SELECT r.edition_id FROM councils c JOIN rounds r ON r.id = c.round_id WHERE c.id = ?",
    )
    .bind(council)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("hội đồng".into()))
}

#[derive(sqlx::FromRow)]
struct CouncilRow {
    id: i64,
    round_id: i64,
    name: String,
    scope: Option<String>,
    entries: i64,
    ballot_closed_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    council_id: i64,
    judge_id: i64,
    code: String,
    full_name: String,
    role: String,
    present: bool,
}

/// Every council of an edition with its members, chair first.
pub async fn list(pool: &SqlitePool, edition: i64) -> Result<Vec<CouncilItem>, AppError> {
    let councils = sqlx::query_as::<_, CouncilRow>(
        "SELECT c.id, c.round_id, c.name, COALESCE(f.name, g.name) AS scope,
                (SELECT COUNT(DISTINCT s.entry_id) FROM judge_scope s
                  WHERE s.council_id = c.id) AS entries,
                c.ballot_closed_at
           FROM councils c JOIN rounds r ON r.id = c.round_id
           LEFT JOIN fields f ON f.id = c.field_id
           LEFT JOIN level_groups g ON g.id = c.level_group_id
          WHERE r.edition_id = ? ORDER BY r.position, f.position, g.position, c.id",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let members = sqlx::query_as::<_, MemberRow>(
        "SELECT cm.council_id, cm.judge_id, j.code, u.full_name, cm.role, cm.present
           FROM council_members cm
           JOIN judges j ON j.id = cm.judge_id JOIN users u ON u.id = j.user_id
          WHERE j.edition_id = ?
          ORDER BY CASE cm.role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 1 ELSE 2 END, j.code",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    Ok(councils
        .into_iter()
        .map(|c| CouncilItem {
            members: members
                .iter()
                .filter(|m| m.council_id == c.id)
                .map(|m| CouncilMember {
                    judge_id: m.judge_id,
                    code: m.code.clone(),
                    full_name: m.full_name.clone(),
                    role: CouncilRole::from_db(&m.role),
                    present: m.present,
                })
                .collect(),
            id: c.id,
            round_id: c.round_id,
            name: c.name,
            scope: c.scope.unwrap_or_else(|| "Tất cả hồ sơ".into()),
            entries: c.entries as u32,
            ballot_closed: c.ballot_closed_at.is_some(),
        })
        .collect())
}

/// Creates a council in a round for a field, a level group or, with
/// neither, every entry (the honors selection council).
pub async fn create(
    pool: &SqlitePool,
    round: i64,
    name: &str,
    field: Option<i64>,
    level_group: Option<i64>,
) -> Result<i64, AppError> {
    let name = crate::domain::text::clean_line(name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::invalid(
            "Tên hội đồng",
            "hãy nhập tên, tối đa 200 ký tự",
        ));
    }
    let edition: i64 = sqlx::query_scalar("SELECT edition_id FROM rounds WHERE id = ?")
        .bind(round)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound("vòng chấm".into()))?;
    let belongs: bool = sqlx::query_scalar(
        "SELECT (? IS NULL OR EXISTS (SELECT 1 FROM fields WHERE id = ? AND edition_id = ?))
            AND (? IS NULL OR EXISTS (SELECT 1 FROM level_groups WHERE id = ? AND edition_id = ?))",
    )
    .bind(field)
    .bind(field)
    .bind(edition)
    .bind(level_group)
    .bind(level_group)
    .bind(edition)
    .fetch_one(pool)
    .await?;
    if !belongs {
        return Err(AppError::NotFound(
            "lĩnh vực hoặc bảng của kỳ thi này".into(),
        ));
    }
    super::judging::ensure_open(pool, edition).await?;
    // Councils of a round judge disjoint sets of entries: one for every
    // entry, or one per field, or one per level group.
    let overlap: Option<String> = sqlx::query_scalar(
        "SELECT name FROM councils WHERE round_id = ?1
            AND (?2 IS NULL AND ?3 IS NULL
                 OR field_id IS NULL AND level_group_id IS NULL
                 OR ?2 IS NOT NULL AND (field_id = ?2 OR level_group_id IS NOT NULL)
                 OR ?3 IS NOT NULL AND (level_group_id = ?3 OR field_id IS NOT NULL))
          LIMIT 1",
    )
    .bind(round)
    .bind(field)
    .bind(level_group)
    .fetch_optional(pool)
    .await?;
    if let Some(other) = overlap {
        return Err(AppError::invalid(
            "Chấm",
            format!(
                "trùng phạm vi với \"{other}\"; mỗi hồ sơ chỉ thuộc một hội đồng trong một vòng"
            ),
        ));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO councils (round_id, name, field_id, level_group_id) VALUES (?, ?, ?, ?)
         RETURNING id",
    )
    .bind(round)
    .bind(name)
    .bind(field)
    .bind(level_group)
    .fetch_one(pool)
    .await?)
}

/// Sets a member's role and presence; a council has one chair and one
/// secretary at most, so giving the role to someone takes it from the
/// other.
pub async fn set_member(
    pool: &SqlitePool,
    actor: i64,
    council: i64,
    judge: i64,
    role: CouncilRole,
    present: bool,
) -> Result<(), AppError> {
    let edition = edition_of(pool, council).await?;
    let mut tx = pool.begin().await?;
    ensure_open(&mut tx, council).await?;
    let before: Option<(String, bool)> = sqlx::query_as(
        "SELECT role, present FROM council_members WHERE council_id = ? AND judge_id = ?",
    )
    .bind(council)
    .bind(judge)
    .fetch_optional(&mut *tx)
    .await?;
    let was_present = before.as_ref().map(|(_, present)| *present);
    // Who held the role before, if someone else: they become a member.
    let displaced: Option<String> = if role == CouncilRole::Member {
        None
    } else {
        sqlx::query_scalar(
            "SELECT u.full_name FROM council_members m JOIN judges j ON j.id = m.judge_id
               JOIN users u ON u.id = j.user_id
              WHERE m.council_id = ? AND m.role = ? AND m.judge_id != ?",
        )
        .bind(council)
        .bind(role.as_db())
        .bind(judge)
        .fetch_optional(&mut *tx)
        .await?
    };
    if was_present.is_some_and(|was| was != present) && has_votes(&mut tx, council).await? {
        return Err(AppError::invalid(
            "Có mặt",
            "hội đồng đã bắt đầu biểu quyết nên danh sách có mặt không đổi được nữa",
        ));
    }
    if role != CouncilRole::Member {
        sqlx::query("UPDATE council_members SET role = 'member' WHERE council_id = ? AND role = ?")
            .bind(council)
            .bind(role.as_db())
            .execute(&mut *tx)
            .await?;
    }
    let done = sqlx::query(
        "UPDATE council_members SET role = ?, present = ? WHERE council_id = ? AND judge_id = ?",
    )
    .bind(role.as_db())
    .bind(present)
    .bind(council)
    .bind(judge)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound("thành viên hội đồng".into()));
    }
    // Roles sign the minutes and presence sets the threshold: a change
    // is logged, with who lost a role to it.
    if let Some((was_role, was_present)) = before {
        let was_role = CouncilRole::from_db(&was_role);
        if was_role != role || was_present != present {
            let (council_name, name): (String, String) = sqlx::query_as(
                "SELECT c.name, u.full_name FROM councils c, judges j
                   JOIN users u ON u.id = j.user_id WHERE c.id = ? AND j.id = ?",
            )
            .bind(council)
            .bind(judge)
            .fetch_one(&mut *tx)
            .await?;
            let presence = |p: bool| if p { "có mặt" } else { "vắng" };
            let mut detail = format!(
                "{council_name}: {name} – {}, {} (trước: {}, {})",
                role.label(),
                presence(present),
                was_role.label(),
                presence(was_present)
            );
            if let Some(other) = displaced {
                detail.push_str(&format!(
                    "; {other} chuyển thành {}",
                    CouncilRole::Member.label()
                ));
            }
            let line = super::audit::Record {
                edition,
                actor: Some(actor),
                action: super::audit::Action::CouncilChanged,
                entry: None,
                judge: Some(judge),
                detail: &detail,
            };
            super::audit::record(&mut tx, line).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

pub async fn remove_member(pool: &SqlitePool, council: i64, judge: i64) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    ensure_open(&mut conn, council).await?;
    if has_votes(&mut conn, council).await? {
        return Err(AppError::Conflict(
            "Hội đồng đã bắt đầu biểu quyết nên không bỏ được thành viên.".into(),
        ));
    }
    sqlx::query("DELETE FROM council_members WHERE council_id = ? AND judge_id = ?")
        .bind(council)
        .bind(judge)
        .execute(pool)
        .await?;
    Ok(())
}
