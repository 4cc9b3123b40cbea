//! Files attached to an entry (evidence, drawings, photos, other papers),
//! with their limits: how many, how large each, how large together.

use sqlx::SqlitePool;

use super::config::Config;
use super::{files, time};
use crate::app::editions::Program;
use crate::app::entries::{EntryFileView, FILE_KINDS};
use crate::app::error::AppError;

/// The most files one entry may carry.
pub const MAX_FILES: i64 = 20;
/// The most bytes one entry's files may take together.
pub const MAX_TOTAL_BYTES: i64 = 100 * 1024 * 1024;

pub async fn list(pool: &SqlitePool, entry: i64) -> Result<Vec<EntryFileView>, AppError> {
    let rows: Vec<(i64, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT ef.id, ef.kind, f.original_name, f.size_bytes, c.text
           FROM entry_files ef
           JOIN files f ON f.id = ef.file_id
           LEFT JOIN honor_criteria c ON c.id = ef.criterion_id
          WHERE ef.entry_id = ? ORDER BY ef.id",
    )
    .bind(entry)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, name, size_bytes, criterion)| EntryFileView {
            url: format!("/tep/ho-so/{entry}/{id}"),
            id,
            kind,
            name,
            size_bytes,
            criterion: criterion.unwrap_or_default(),
        })
        .collect())
}

/// Decides from the bytes whether a file fits its kind: photos are JPEG,
/// PNG or WebP; other papers may also be PDF or Word .docx.
pub fn check_type(kind: &str, bytes: &[u8]) -> Result<(&'static str, &'static str), AppError> {
    if let Some(image) = files::sniff_image(bytes) {
        return Ok(image);
    }
    if kind == "photo" {
        return Err(AppError::invalid(
            "Ảnh sản phẩm",
            "chỉ nhận ảnh JPEG, PNG hoặc WebP",
        ));
    }
    files::sniff_document(bytes)
        .map(|d| (d.content_type(), d.extension()))
        .ok_or_else(|| {
            AppError::invalid(
                "Tệp",
                "chỉ nhận tệp PDF, Word .docx hoặc ảnh JPEG, PNG, WebP",
            )
        })
}

/// Stores an upload for an entry, within the entry's limits. The caller
/// has checked that the uploader may change the entry.
#[allow(clippy::too_many_arguments)]
pub async fn add(
    pool: &SqlitePool,
    config: &Config,
    entry: i64,
    uploader: i64,
    kind: &str,
    criterion: Option<i64>,
    name: &str,
    bytes: &[u8],
) -> Result<i64, AppError> {
    let program: String = sqlx::query_scalar(
        "SELECT ed.contest_kind FROM entries e JOIN editions ed ON ed.id = e.edition_id
          WHERE e.id = ?",
    )
    .bind(entry)
    .fetch_one(pool)
    .await?;
    let program = Program::from_db(&program).ok_or(AppError::Internal)?;
    if !FILE_KINDS.iter().any(|(k, _)| *k == kind) || !program.file_kinds().contains(&kind) {
        return Err(AppError::invalid(
            "Loại tệp",
            "hãy chọn một loại tệp trong danh sách",
        ));
    }
    let (content_type, extension) = check_type(kind, bytes)?;
    if let Some(criterion) = criterion {
        let belongs: Option<i64> = sqlx::query_scalar(
            "SELECT c.id FROM honor_criteria c JOIN entries e ON e.field_id = c.field_id
              WHERE c.id = ? AND e.id = ?",
        )
        .bind(criterion)
        .bind(entry)
        .fetch_optional(pool)
        .await?;
        if belongs.is_none() {
            return Err(AppError::invalid(
                "Tiêu chí",
                "tiêu chí không thuộc hạng mục của hồ sơ",
            ));
        }
    }
    let stored = files::store(config, bytes, extension).await?;
    let result = async {
        let mut tx = pool.begin().await?;
        // Counted inside the write transaction: two uploads at once cannot
        // both slip under the limits.
        let (count, total): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(f.size_bytes), 0)
               FROM entry_files ef JOIN files f ON f.id = ef.file_id WHERE ef.entry_id = ?",
        )
        .bind(entry)
        .fetch_one(&mut *tx)
        .await?;
        if count >= MAX_FILES {
            return Err(AppError::invalid(
                "Tệp",
                format!("mỗi hồ sơ có tối đa {MAX_FILES} tệp; hãy xóa bớt tệp cũ"),
            ));
        }
        if total + bytes.len() as i64 > MAX_TOTAL_BYTES {
            return Err(AppError::invalid(
                "Tệp",
                format!(
                    "tổng dung lượng các tệp của hồ sơ vượt quá {} MB",
                    MAX_TOTAL_BYTES / 1024 / 1024
                ),
            ));
        }
        let file_id: i64 = sqlx::query_scalar(
            "INSERT INTO files (stored_name, original_name, content_type, size_bytes, uploaded_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&stored)
        .bind(name)
        .bind(content_type)
        .bind(bytes.len() as i64)
        .bind(uploader)
        .bind(time::now_text())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO entry_files (entry_id, file_id, kind, criterion_id) VALUES (?, ?, ?, ?)
             RETURNING id",
        )
        .bind(entry)
        .bind(file_id)
        .bind(kind)
        .bind(criterion)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE entries SET updated_at = ? WHERE id = ?")
            .bind(time::now_text())
            .bind(entry)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }
    .await;
    if result.is_err() {
        files::remove_stored(config, Some(stored)).await;
    }
    result
}

/// The stored name, original name and type of one file of an entry.
pub async fn find(
    pool: &SqlitePool,
    entry: i64,
    id: i64,
) -> Result<(String, String, String), AppError> {
    sqlx::query_as(
        "SELECT f.stored_name, f.original_name, f.content_type
           FROM entry_files ef JOIN files f ON f.id = ef.file_id
          WHERE ef.id = ? AND ef.entry_id = ?",
    )
    .bind(id)
    .bind(entry)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("tệp".into()))
}

/// Removes one file of an entry. The caller has checked who may.
pub async fn remove(
    pool: &SqlitePool,
    config: &Config,
    entry: i64,
    id: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let file: Option<i64> = sqlx::query_scalar(
        "DELETE FROM entry_files WHERE id = ? AND entry_id = ? RETURNING file_id",
    )
    .bind(id)
    .bind(entry)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(file) = file else {
        return Err(AppError::NotFound("tệp".into()));
    };
    let program: String = sqlx::query_scalar(
        "SELECT ed.contest_kind FROM entries e JOIN editions ed ON ed.id = e.edition_id
          WHERE e.id = ?",
    )
    .bind(entry)
    .fetch_one(&mut *tx)
    .await?;
    let program = Program::from_db(&program).ok_or(AppError::Internal)?;
    super::lifecycle::keep_complete(&mut tx, program, entry).await?;
    let stored = files::forget(&mut tx, Some(file)).await?;
    tx.commit().await?;
    files::remove_stored(config, stored).await;
    Ok(())
}
