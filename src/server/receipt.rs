//! The entry receipt (biên nhận hồ sơ): what an owner keeps as proof of
//! what was filed, the same for every program.

use sqlx::SqlitePool;

use super::results_xlsx::Letterhead;
use super::{editions, entry_files, time};
use crate::app::editions::Program;
use crate::app::entries::{Receipt, file_kind_label};
use crate::app::error::AppError;
use crate::domain::lifecycle::EntryState;

#[derive(sqlx::FromRow)]
struct ReceiptRow {
    edition_id: i64,
    code: String,
    title: String,
    state: String,
    submitted_at: Option<String>,
    edition: String,
    field: String,
    owner_name: String,
    owner_email: String,
    video_url: String,
}

/// People lines of an entry, by program.
async fn people(
    pool: &SqlitePool,
    program: Program,
    id: i64,
) -> Result<Vec<(String, String)>, AppError> {
    let sql = match program {
        Program::Technical => {
            "SELECT 'Tác giả', full_name || ' · sinh ngày ' || strftime('%d/%m/%Y', birth_date) || ' · ' || unit
                    || ' · đóng góp ' || share_percent || '%'
               FROM authors WHERE entry_id = ? ORDER BY position"
        }
        Program::Youth => {
            // Grades are typed "7A" as often as "Lớp 7A"; say "lớp" once.
            "SELECT 'Thành viên', full_name || ' · sinh ngày ' || strftime('%d/%m/%Y', birth_date) || ' · '
                    || CASE WHEN lower(substr(grade, 1, 3)) IN ('lớp', 'lop')
                            THEN '' ELSE 'lớp ' END
                    || grade || ', ' || school
               FROM members WHERE entry_id = ?1
             UNION ALL
             SELECT 'Giáo viên hướng dẫn', full_name || ' · ' || school
               FROM supervisors WHERE entry_id = ?1
             UNION ALL
             SELECT 'Bảng', g.name FROM entries e JOIN level_groups g ON g.id = e.level_group_id
              WHERE e.id = ?1"
        }
        Program::Honors => {
            "SELECT 'Ngày sinh, nơi công tác', 'sinh ngày ' || strftime('%d/%m/%Y', birth_date) || ' · ' || workplace
               FROM candidates WHERE entry_id = ?1
             UNION ALL
             SELECT 'Đơn vị đề cử', nominating_unit FROM candidates WHERE entry_id = ?1
             UNION ALL
             SELECT 'Tiêu chí đạt', c.text FROM entry_checks k
               JOIN honor_criteria c ON c.id = k.criterion_id
              WHERE k.entry_id = ?1"
        }
    };
    // Birth dates are stored as ISO; strftime writes them as dd/mm/yyyy.
    Ok(sqlx::query_as(sql).bind(id).fetch_all(pool).await?)
}

/// The receipt of an entry; the caller has checked that the viewer may
/// read it.
pub async fn receipt(
    pool: &SqlitePool,
    letterhead: &Letterhead,
    id: i64,
) -> Result<Receipt, AppError> {
    let row = sqlx::query_as::<_, ReceiptRow>(
        "SELECT e.edition_id, e.code, e.title, e.state, e.submitted_at, e.video_url,
                ed.name || ' lần thứ ' || ed.number || ' (' || ed.year || ')' AS edition,
                f.name AS field, u.full_name AS owner_name, u.email AS owner_email
           FROM entries e
           JOIN editions ed ON ed.id = e.edition_id
           JOIN fields f ON f.id = e.field_id
           JOIN users u ON u.id = e.owner_id
          WHERE e.id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("hồ sơ".into()))?;
    let rules = editions::rules(pool, row.edition_id).await?;
    let state = EntryState::from_db(&row.state).ok_or(AppError::Internal)?;
    let mut files: Vec<(String, String)> = entry_files::list(pool, id)
        .await?
        .into_iter()
        .map(|f| {
            let name = match f.criterion.as_str() {
                "" => f.name,
                criterion => format!("{} (tiêu chí: {criterion})", f.name),
            };
            (file_kind_label(&f.kind).to_string(), name)
        })
        .collect();
    // The technical contest keeps its description apart from the other files.
    let description: Option<String> = sqlx::query_scalar(
        "SELECT f.original_name FROM entries e JOIN files f ON f.id = e.description_file_id
          WHERE e.id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    if let Some(name) = description {
        files.insert(0, (file_kind_label("description").to_string(), name));
    }
    let show = |text: &str| {
        time::from_text(text)
            .map(|t| time::show(t, &rules.time_zone))
            .unwrap_or_default()
    };
    Ok(Receipt {
        organization: letterhead.org_name.clone(),
        place_date: letterhead.place_date(),
        code: row.code,
        edition: row.edition,
        field_label: rules.program.field_noun().to_string(),
        field: row.field,
        title_label: match rules.program {
            Program::Technical => "Tên giải pháp",
            Program::Youth => "Tên sản phẩm",
            Program::Honors => "Ứng viên",
        }
        .to_string(),
        title: row.title,
        people: people(pool, rules.program, id).await?,
        video_url: row.video_url,
        files,
        state: state.label().to_string(),
        submitted: state != EntryState::Draft,
        submitted_at: row.submitted_at.as_deref().map(show).unwrap_or_default(),
        owner: format!("{} <{}>", row.owner_name, row.owner_email),
        printed_at: time::show(time::now(), &rules.time_zone),
    })
}
