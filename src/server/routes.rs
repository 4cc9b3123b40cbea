//! Plain HTTP routes beside the server functions: file uploads (with an
//! explicit body limit), file downloads behind an authorization check,
//! and the results workbook. A browser form gets a redirect back to its
//! page; any other client gets JSON.

use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use tower_sessions::Session;

use super::state::AppState;
use super::{auth, editions, entries, files, judges_import, results, results_xlsx, time};
use crate::app::auth::{CurrentUser, Role};
use crate::app::editions::Program;
use crate::app::error::AppError;

/// Percent-encodes text for a header or a query string.
fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An error as JSON, with the status that fits it.
pub struct ApiError(pub AppError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            super::error::status(&self.0),
            Json(json!({ "error": self.0.to_string(), "kind": self.0 })),
        )
            .into_response()
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}

/// The answer for an id that is not a number.
fn not_found() -> ApiError {
    ApiError(AppError::NotFound("trang".into()))
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Answers a form post: back to `page` with `ok_query` or the error.
async fn answer(
    headers: &HeaderMap,
    session: &Session,
    page: &str,
    slot: &str,
    result: Result<(String, serde_json::Value), AppError>,
) -> Response {
    let html = wants_html(headers);
    match result {
        Ok((query, _)) if html => Redirect::to(&format!("{page}?{query}")).into_response(),
        Ok((_, body)) => Json(body).into_response(),
        Err(error) if html => match super::forms::flash(session, slot, error.to_string()).await {
            Ok(()) => Redirect::to(page).into_response(),
            Err(error) => ApiError(error).into_response(),
        },
        Err(error) => ApiError(error).into_response(),
    }
}

async fn signed_in(session: &Session, state: &AppState) -> Result<CurrentUser, AppError> {
    auth::user_of(session, &state.db.read)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// POST: the owner uploads the entry's description (PDF or DOCX).
pub async fn upload_description(
    State(state): State<AppState>,
    session: Session,
    Path(entry): Path<String>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let Ok(entry) = entry.parse::<i64>() else {
        return not_found().into_response();
    };
    let page = format!("/thi-sinh/giai-phap/{entry}");
    let result = async {
        let user = signed_in(&session, &state).await?;
        if user.role != Role::Contestant {
            return Err(AppError::Forbidden);
        }
        let owned = entries::check_can_edit(&state.db.read, user.id, entry).await?;
        if editions::rules(&state.db.read, owned.edition_id).await?.program != Program::Technical {
            return Err(AppError::NotFound("hồ sơ".into()));
        }
        let old = owned.description_file_id;
        let (_, name, bytes) =
            read_form_with_file(&mut multipart, state.config.max_upload_bytes).await?;
        // The body may have taken minutes to arrive: check again.
        entries::check_can_edit(&state.db.read, user.id, entry).await?;
        let kind = files::sniff_document(&bytes)
            .ok_or_else(|| AppError::invalid("Tệp thuyết minh", "chỉ nhận tệp PDF hoặc Word .docx"))?;
        let stored = files::store(&state.config, &bytes, kind.extension()).await?;

        let mut tx = state.db.write.begin().await?;
        let file_id: i64 = sqlx::query_scalar(
            "INSERT INTO files (stored_name, original_name, content_type, size_bytes, uploaded_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&stored)
        .bind(&name)
        .bind(kind.content_type())
        .bind(bytes.len() as i64)
        .bind(user.id)
        .bind(time::now_text())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE entries SET description_file_id = ?, updated_at = ? WHERE id = ?")
            .bind(file_id)
            .bind(time::now_text())
            .bind(entry)
            .execute(&mut *tx)
            .await?;
        let old_name = files::forget(&mut tx, old).await?;
        tx.commit().await?;
        files::remove_stored(&state.config, old_name).await;
        tracing::info!(entry.id = entry, size = bytes.len(), "description uploaded");
        Ok(("tai_len=ok".to_string(), json!({ "file_id": file_id, "name": name })))
    }
    .await;
    answer(&headers, &session, &page, "upload", result).await
}

/// GET: the description, for its owner, the organizers and the judges
/// assigned to its field.
pub async fn download_description(
    State(state): State<AppState>,
    session: Session,
    Path(entry): Path<String>,
) -> Result<Response, ApiError> {
    let Ok(entry) = entry.parse::<i64>() else {
        return Err(not_found());
    };
    let user = signed_in(&session, &state).await?;
    let e = entries::check_can_see(&state.db.read, &user, entry)
        .await
        .map_err(|_| AppError::NotFound("tệp".into()))?;
    let file_id = e
        .description_file_id
        .ok_or_else(|| AppError::NotFound("tệp".into()))?;
    let (stored, name, content_type): (String, String, String) =
        sqlx::query_as("SELECT stored_name, original_name, content_type FROM files WHERE id = ?")
            .bind(file_id)
            .fetch_one(&state.db.read)
            .await
            .map_err(AppError::from)?;
    let bytes = tokio::fs::read(files::stored_path(&state.config, &stored))
        .await
        .map_err(AppError::from)?;
    Ok(file_response(bytes, &content_type, &name))
}

fn file_response(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    // An ASCII stand-in for old clients, then the real (UTF-8) name.
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let kind = if content_type == "application/pdf" {
        "inline"
    } else {
        "attachment"
    };
    let disposition = format!(
        "{kind}; filename=\"{fallback}\"; filename*=UTF-8''{}",
        url_escape(name)
    );
    Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_DISPOSITION, disposition)
        .header(header::CACHE_CONTROL, "private, no-store")
        .header("X-Content-Type-Options", "nosniff")
        .body(Body::from(bytes))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// POST: the organizer uploads a judge list; it is staged, not imported.
pub async fn stage_judges(
    State(state): State<AppState>,
    session: Session,
    Path(edition): Path<String>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let Ok(edition) = edition.parse::<i64>() else {
        return not_found().into_response();
    };
    let page = format!("/to-chuc/ky-thi/{edition}/giam-khao");
    let result = async {
        let user = signed_in(&session, &state).await?;
        if user.role != Role::Organizer {
            return Err(AppError::Forbidden);
        }
        editions::rules(&state.db.read, edition).await?;
        let (_, _, bytes) =
            read_form_with_file(&mut multipart, state.config.max_upload_bytes).await?;
        let extension = files::sniff_spreadsheet(&bytes)
            .ok_or_else(|| AppError::invalid("Tệp", "chỉ nhận bảng tính .xlsx, .xls hoặc .ods"))?;
        let token = files::stage(&state.config, edition, &bytes, extension).await?;
        let path = files::staged_path(&state.config, edition, &token)?;
        let read_path = path.clone();
        let report = tokio::task::spawn_blocking(move || judges_import::read(&read_path))
            .await
            .map_err(|e| super::error::internal("reading a judge list panicked", e))?;
        let mut report = match report {
            Ok(report) => report,
            Err(error) => {
                let _ = tokio::fs::remove_file(&path).await;
                return Err(error);
            }
        };
        judges_import::vet(&state.db.read, &mut report).await?;
        Ok((
            format!("xem_truoc={token}"),
            json!({ "token": token, "report": report }),
        ))
    }
    .await;
    answer(&headers, &session, &page, "form", result).await
}

/// POST: the organizer uploads a council's paper score sheet; it is
/// staged and previewed, not imported.
pub async fn stage_scores(
    State(state): State<AppState>,
    session: Session,
    Path(edition): Path<String>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let Ok(edition) = edition.parse::<i64>() else {
        return not_found().into_response();
    };
    let page = format!("/to-chuc/ky-thi/{edition}/cham-diem");
    let result = async {
        let user = signed_in(&session, &state).await?;
        if user.role != Role::Organizer {
            return Err(AppError::Forbidden);
        }
        editions::rules(&state.db.read, edition).await?;
        let (_, _, bytes) =
            read_form_with_file(&mut multipart, state.config.max_upload_bytes).await?;
        let extension = files::sniff_spreadsheet(&bytes)
            .ok_or_else(|| AppError::invalid("Tệp", "chỉ nhận bảng tính .xlsx, .xls hoặc .ods"))?;
        let token = files::stage(&state.config, edition, &bytes, extension).await?;
        let path = files::staged_path(&state.config, edition, &token)?;
        let round = super::scores_import::current_round(&state.db.read, edition).await?;
        let report = super::scores_import::check(&state.db.write, edition, round, &path).await;
        let report = match report {
            Ok(report) => report,
            Err(error) => {
                let _ = tokio::fs::remove_file(&path).await;
                return Err(error);
            }
        };
        Ok((
            format!("phieu={token}"),
            json!({ "token": token, "report": report }),
        ))
    }
    .await;
    answer(&headers, &session, &page, "form", result).await
}

/// GET: the judging audit log as a workbook, for the organizer.
pub async fn audit_workbook(
    State(state): State<AppState>,
    session: Session,
    Path(edition): Path<String>,
) -> Result<Response, ApiError> {
    let Ok(edition) = edition.parse::<i64>() else {
        return Err(not_found());
    };
    let user = signed_in(&session, &state).await?;
    if user.role != Role::Organizer {
        return Err(AppError::Forbidden.into());
    }
    let log = super::audit::list(&state.db.read, edition).await?;
    let name: String = sqlx::query_scalar(
        "SELECT name || ' lần thứ ' || number || ' (' || year || ')' FROM editions WHERE id = ?",
    )
    .bind(edition)
    .fetch_one(&state.db.read)
    .await
    .map_err(AppError::from)?;
    let bytes = super::audit_xlsx::build(&state.config.letterhead(), &name, &log)
        .map_err(|e| super::error::internal("writing the audit workbook failed", e))?;
    Ok(file_response(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("nhat-ky-cham-thi-{edition}.xlsx"),
    ))
}

/// GET: the results workbook, for the organizer.
pub async fn results_workbook(
    State(state): State<AppState>,
    session: Session,
    Path(edition): Path<String>,
) -> Result<Response, ApiError> {
    let Ok(edition) = edition.parse::<i64>() else {
        return Err(not_found());
    };
    let user = signed_in(&session, &state).await?;
    if user.role != Role::Organizer {
        return Err(AppError::Forbidden.into());
    }
    let results = results::compute(&state.db.read, edition).await?;
    let letterhead = state.config.letterhead();
    let bytes = if results.honors {
        let ballots = super::ballots::edition_minutes(&state.db.read, edition).await?;
        results_xlsx::build_honors(&letterhead, &results, &ballots)
    } else {
        results_xlsx::build(&letterhead, &results)
    }
    .map_err(|e| super::error::internal("writing the results workbook failed", e))?;
    let name = format!("ket-qua-lan-thu-{}-{}.xlsx", results.number, results.year);
    Ok(file_response(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
    ))
}

/// Reads a form's one file field, named `file`, refusing anything over
/// `limit`, and its text fields, capped at 200 bytes (a kind, an id).
async fn read_form_with_file(
    multipart: &mut Multipart,
    limit: usize,
) -> Result<(std::collections::HashMap<String, String>, String, Vec<u8>), AppError> {
    let too_big = || AppError::invalid("Tệp", format!("tệp vượt quá {} MB", limit / 1024 / 1024));
    let mut fields = std::collections::HashMap::new();
    let mut file = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| too_big())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let original = crate::domain::text::clean_line(field.file_name().unwrap_or("tep"));
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| too_big())? {
                bytes.extend_from_slice(&chunk);
                if bytes.len() > limit {
                    return Err(too_big());
                }
            }
            file = Some((original, bytes));
        } else {
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
                text.extend_from_slice(&chunk);
                if text.len() > 200 {
                    return Err(AppError::BadRequest);
                }
            }
            fields.insert(name, String::from_utf8_lossy(&text).trim().to_string());
        }
    }
    match file {
        Some((_, bytes)) if bytes.is_empty() => Err(AppError::invalid("Tệp", "tệp rỗng")),
        Some((name, bytes)) => Ok((fields, name, bytes)),
        None => Err(AppError::invalid("Tệp", "chưa chọn tệp")),
    }
}

/// The signed-in person, who may change this entry, and the entry's page
/// (where a plain form post is sent back to).
async fn editable_entry(
    state: &AppState,
    session: &Session,
    entry: i64,
) -> Result<(CurrentUser, String), AppError> {
    let user = signed_in(session, state).await?;
    let owned = entries::check_can_edit(&state.db.read, user.id, entry).await?;
    let program = editions::rules(&state.db.read, owned.edition_id)
        .await?
        .program;
    Ok((user, program.entry_path(entry)))
}

/// POST: the owner attaches a file (evidence, drawing, photo…) to an entry.
pub async fn upload_entry_file(
    State(state): State<AppState>,
    session: Session,
    Path(entry): Path<String>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let Ok(entry) = entry.parse::<i64>() else {
        return not_found().into_response();
    };
    let mut page = "/".to_string();
    let result = async {
        let user;
        (user, page) = editable_entry(&state, &session, entry).await?;
        let (fields, name, bytes) =
            read_form_with_file(&mut multipart, state.config.max_upload_bytes).await?;
        // The body may have taken minutes to arrive: check again.
        entries::check_can_edit(&state.db.read, user.id, entry).await?;
        let kind = fields.get("kind").map(String::as_str).unwrap_or("other");
        let criterion = fields
            .get("criterion")
            .filter(|c| !c.is_empty())
            .map(|c| c.parse::<i64>().map_err(|_| AppError::BadRequest))
            .transpose()?;
        let id = super::entry_files::add(
            &state.db.write,
            &state.config,
            entry,
            user.id,
            kind,
            criterion,
            &name,
            &bytes,
        )
        .await?;
        tracing::info!(
            entry.id = entry,
            size = bytes.len(),
            kind,
            "entry file uploaded"
        );
        Ok(("tai_len=ok".to_string(), json!({ "id": id, "name": name })))
    }
    .await;
    answer(&headers, &session, &page, "upload", result).await
}

/// GET: one file of an entry, for who may see the entry.
pub async fn download_entry_file(
    State(state): State<AppState>,
    session: Session,
    Path((entry, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (Ok(entry), Ok(file)) = (entry.parse::<i64>(), file.parse::<i64>()) else {
        return Err(not_found());
    };
    let user = signed_in(&session, &state).await?;
    entries::check_can_see(&state.db.read, &user, entry)
        .await
        .map_err(|_| AppError::NotFound("tệp".into()))?;
    let (stored, name, content_type) =
        super::entry_files::find(&state.db.read, entry, file).await?;
    let bytes = tokio::fs::read(files::stored_path(&state.config, &stored))
        .await
        .map_err(AppError::from)?;
    Ok(file_response(bytes, &content_type, &name))
}

/// POST: the owner removes a file from an entry they may still change.
pub async fn delete_entry_file(
    State(state): State<AppState>,
    session: Session,
    Path((entry, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (Ok(entry), Ok(file)) = (entry.parse::<i64>(), file.parse::<i64>()) else {
        return not_found().into_response();
    };
    let mut page = "/".to_string();
    let result = async {
        (_, page) = editable_entry(&state, &session, entry).await?;
        super::entry_files::remove(&state.db.write, &state.config, entry, file).await?;
        Ok(("xoa_tep=ok".to_string(), json!({ "deleted": file })))
    }
    .await;
    answer(&headers, &session, &page, "upload", result).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            url_escape("Sai mật khẩu & email"),
            "Sai%20m%E1%BA%ADt%20kh%E1%BA%A9u%20%26%20email"
        );
    }
}
