//! Uploaded files: the type is decided from the content, the file is stored
//! under a generated name, and nothing is served without a check.

use std::io::Cursor;
use std::path::PathBuf;

use super::config::Config;
use crate::app::error::AppError;

/// A document type the contest accepts for a description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Pdf,
    Docx,
}

impl DocumentKind {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
        }
    }
}

/// Decides from the bytes whether a file is a PDF or a Word .docx; a file
/// renamed to .pdf, or any other zip, is neither.
pub fn sniff_document(bytes: &[u8]) -> Option<DocumentKind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(DocumentKind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let has = |name: &str| archive.index_for_name(name).is_some();
        if has("[Content_Types].xml") && has("word/document.xml") {
            return Some(DocumentKind::Docx);
        }
    }
    None
}

/// A photo format every phone produces and every browser shows, decided
/// from the bytes: its content type and extension.
pub fn sniff_image(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

/// A spreadsheet the importers read, decided from the bytes (an .xlsx
/// renamed .xls is still an .xlsx); the name is not trusted.
pub fn sniff_spreadsheet(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some("xls");
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    if archive.index_for_name("xl/workbook.xml").is_some() {
        Some("xlsx")
    } else if archive.index_for_name("content.xml").is_some()
        && archive.index_for_name("mimetype").is_some()
    {
        Some("ods")
    } else {
        None
    }
}

/// Writes an upload under a generated name and returns that name.
pub async fn store(config: &Config, bytes: &[u8], extension: &str) -> Result<String, AppError> {
    let dir = config.uploads_dir();
    tokio::fs::create_dir_all(&dir).await?;
    let name = format!("{}.{extension}", uuid::Uuid::new_v4());
    tokio::fs::write(dir.join(&name), bytes).await?;
    Ok(name)
}

pub fn stored_path(config: &Config, stored_name: &str) -> PathBuf {
    config.uploads_dir().join(stored_name)
}

/// Forgets a file's row inside the caller's transaction; returns the stored
/// name, for [`remove_stored`] once the transaction has committed.
pub async fn forget(
    tx: &mut sqlx::SqliteConnection,
    id: Option<i64>,
) -> Result<Option<String>, AppError> {
    let Some(id) = id else { return Ok(None) };
    let name = sqlx::query_scalar("DELETE FROM files WHERE id = ? RETURNING stored_name")
        .bind(id)
        .fetch_optional(tx)
        .await?;
    Ok(name)
}

/// Deletes a stored file from disk; a file already gone is not an error.
pub async fn remove_stored(config: &Config, stored_name: Option<String>) {
    if let Some(name) = stored_name {
        let _ = tokio::fs::remove_file(stored_path(config, &name)).await;
    }
}

/// Puts an uploaded spreadsheet aside until the organizer confirms or
/// cancels its import; returns the token that names it.
pub async fn stage(
    config: &Config,
    edition: i64,
    bytes: &[u8],
    extension: &str,
) -> Result<String, AppError> {
    let dir = config.staging_dir();
    tokio::fs::create_dir_all(&dir).await?;
    let token = format!("{}.{extension}", uuid::Uuid::new_v4());
    tokio::fs::write(dir.join(format!("{edition}-{token}")), bytes).await?;
    Ok(token)
}

/// How long an uploaded list may wait for the organizer's confirmation.
const STAGING_LIFETIME: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Deletes staged spreadsheets nobody confirmed or cancelled within a day,
/// now and then every hour.
pub async fn sweep_staging(dir: PathBuf) {
    loop {
        if let Ok(mut entries) = tokio::fs::read_dir(&dir).await {
            while let Ok(Some(entry)) = entries.next_entry().await {
                let old = entry
                    .metadata()
                    .await
                    .and_then(|m| m.modified())
                    .is_ok_and(|at| at.elapsed().is_ok_and(|age| age > STAGING_LIFETIME));
                if old {
                    let _ = tokio::fs::remove_file(entry.path()).await;
                }
            }
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}

/// The staged file a token names. The token is checked to be one this
/// server made, so it can never point outside the staging folder.
pub fn staged_path(config: &Config, edition: i64, token: &str) -> Result<PathBuf, AppError> {
    let gone = || AppError::NotFound("tệp đang chờ nhập (có thể đã được nhập hoặc đã hủy)".into());
    let (id, extension) = token.split_once('.').ok_or_else(gone)?;
    uuid::Uuid::parse_str(id).map_err(|_| gone())?;
    if !["xlsx", "xls", "ods"].contains(&extension) {
        return Err(gone());
    }
    let path = config.staging_dir().join(format!("{edition}-{token}"));
    if !path.is_file() {
        return Err(gone());
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_known_by_its_content() {
        assert_eq!(sniff_document(b"%PDF-1.4\n..."), Some(DocumentKind::Pdf));
        assert_eq!(sniff_document(b"<html>not a pdf</html>"), None);
    }

    #[test]
    fn a_spreadsheet_renamed_to_docx_is_not_a_docx() {
        let xlsx = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/vn_02_judges.xlsx"
        ))
        .unwrap();
        assert_eq!(sniff_document(&xlsx), None);
        assert_eq!(sniff_spreadsheet(&xlsx), Some("xlsx"));
        assert_eq!(sniff_spreadsheet(b"%PDF-1.4"), None);
    }

    #[test]
    fn a_token_cannot_escape_the_staging_folder() {
        let config = Config::from_env();
        assert!(staged_path(&config, 1, "../../etc/passwd").is_err());
        assert!(staged_path(&config, 1, "00000000-0000-0000-0000-000000000000.sh").is_err());
    }
}
