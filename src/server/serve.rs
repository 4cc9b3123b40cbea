//! Builds the web application and serves it.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::middleware::map_response;
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

    let upload_limit = DefaultBodyLimit::max(config.max_upload_bytes + MULTIPART_OVERHEAD);
    let state = AppState {
        leptos_options: leptos_options.clone(),
        db,
        config: Arc::new(config),
        throttle: Arc::default(),
    };
    let pages = generate_route_list(App);
    let app = Router::new()
        .route(
            "/tep/giai-phap/{id}/thuyet-minh",
            get(routes::download_description)
                .post(routes::upload_description)
                .layer(upload_limit),
        )
        .route(
            "/tep/ky-thi/{id}/giam-khao",
            axum::routing::post(routes::stage_judges).layer(upload_limit),
        )
        .route(
            "/tep/ky-thi/{id}/ket-qua.xlsx",
            get(routes::results_workbook),
        )
        .leptos_routes(&state, pages, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(sessions)
        .layer(map_response(security_headers))
        .layer(
            // The fastest level: most of the gain at a fraction of the CPU.
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .with_state(state);
    Ok(app)
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
    response
}

/// Serves until Ctrl-C. Prints the address actually bound (the port may
/// be 0 in tests) on standard output.
pub async fn serve(
    config: Config,
    leptos_options: LeptosOptions,
) -> Result<(), Box<dyn std::error::Error>> {
    let addr = leptos_options.site_addr;
    let app = router(config, leptos_options).await?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    println!("listening on http://{bound}");
    tracing::info!(address = %bound, "serving");
    axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
