//! Builds the web application and serves it.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::map_response;
use axum::middleware::{Next, from_fn};
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

use super::config::Config;
use super::db::Db;
use super::routes;
use super::state::AppState;
use crate::app::{App, shell};

/// Room for the multipart envelope around a file of the largest size.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

pub async fn router(
    config: Config,
    leptos_options: LeptosOptions,
) -> Result<Router, Box<dyn std::error::Error>> {
    let db = Db::open(&config).await?;
    let store = SqliteStore::new(db.write.clone());
    store.migrate().await?;
    tokio::spawn(async move {
        let every = tokio::time::Duration::from_secs(600);
        let _ = tower_sessions::session_store::ExpiredDeletion::continuously_delete_expired(
            store, every,
        )
        .await;
    });
    let sessions = SessionManagerLayer::new(SqliteStore::new(db.write.clone()))
        .with_name("sangtao_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(Duration::hours(12)));

    tokio::spawn(super::files::sweep_staging(config.staging_dir()));
    let config = Arc::new(config);
    tokio::spawn(super::mail::worker::run(db.write.clone(), config.clone()));
    let upload_limit = DefaultBodyLimit::max(config.max_upload_bytes + MULTIPART_OVERHEAD);
    let public_url = Arc::new(config.public_url.clone());
    let state = AppState {
        leptos_options: leptos_options.clone(),
        db,
        config,
        throttle: Arc::default(),
    };
    super::state::remember(&state);
    let pages = generate_route_list(App);
    let app = Router::new()
        .route(
            "/tep/giai-phap/{id}/thuyet-minh",
            get(routes::download_description)
                .post(routes::upload_description)
                .layer(upload_limit),
        )
        .route(
            "/tep/ho-so/{id}",
            axum::routing::post(routes::upload_entry_file).layer(upload_limit),
        )
        .route("/tep/ho-so/{id}/{file}", get(routes::download_entry_file))
        // A deletion carries no file: the default (small) body limit holds.
        .route(
            "/tep/ho-so/{id}/{file}/xoa",
            axum::routing::post(routes::delete_entry_file),
        )
        .route(
            "/tep/ky-thi/{id}/giam-khao",
            axum::routing::post(routes::stage_judges).layer(upload_limit),
        )
        .route(
            "/tep/ky-thi/{id}/ket-qua.xlsx",
            get(routes::results_workbook),
        )
        .route(
            "/tep/ky-thi/{id}/phieu-cham",
            axum::routing::post(routes::stage_scores).layer(upload_limit),
        )
        .route("/tep/ky-thi/{id}/nhat-ky.xlsx", get(routes::audit_workbook))
        .leptos_routes(&state, pages, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(sessions)
        .layer(from_fn(move |request: Request, next: Next| {
            same_origin_only(public_url.clone(), request, next)
        }))
        .layer(map_response(client_error_status))
        .layer(map_response(security_headers))
        .layer(
            // The fastest level: most of the gain at a fraction of the CPU.
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .with_state(state);
    Ok(app)
}

/// The scheme-less origin ("host:port") of a URL.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// Refuses a state-changing request that a page of another origin made
/// the browser send (cross-site request forgery, including from another
/// port or subdomain of the same site, which SameSite cookies let through).
/// Browsers name the page's origin in `Origin` (or at least `Referer`);
/// a request with neither comes from a program, not a page.
async fn same_origin_only(public_url: Arc<String>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let Some(page) = text(header::ORIGIN).or_else(|| text(header::REFERER)) else {
        return next.run(request).await;
    };
    let page = authority(page);
    let host = text(header::HOST);
    let allowed = page.is_some() && (page == host || page == authority(&public_url));
    if !allowed {
        tracing::warn!(origin = ?page, "refused a request sent from another site");
        let message = "Yêu cầu bị từ chối vì được gửi từ một trang web khác.";
        return (StatusCode::FORBIDDEN, message).into_response();
    }
    next.run(request).await
}

/// Gives a malformed call its own status. Leptos answers a server
/// function whose arguments do not parse, or whose body is too large,
/// with 500 before our code runs; the error in the body says what it was.
async fn client_error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Error answers are a few hundred bytes; anything larger is left alone.
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    match serde_json::from_slice::<crate::app::error::AppError>(&bytes) {
        Ok(crate::app::error::AppError::Transport(message)) if message.contains("length limit") => {
            parts.status = StatusCode::PAYLOAD_TOO_LARGE;
        }
        Ok(error @ crate::app::error::AppError::BadRequest) => {
            parts.status = super::error::status(&error);
        }
        _ => {}
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Headers every answer carries: no MIME sniffing, no framing by other
/// sites (clickjacking), and no addresses leaked to other sites.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    // Pages carry personal data: no shared cache may keep them.
    let html = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if html && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
    }
    response
}

/// Serves until Ctrl-C. `on_bound` learns the address actually bound
/// (the port may be 0 in tests) before the first request is taken.
pub async fn serve(
    config: Config,
    leptos_options: LeptosOptions,
    on_bound: impl FnOnce(std::net::SocketAddr),
) -> Result<(), Box<dyn std::error::Error>> {
    let addr = leptos_options.site_addr;
    let app = router(config, leptos_options).await?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tracing::info!(address = %bound, "serving");
    on_bound(bound);
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
