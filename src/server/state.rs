//! What every request handler and server function can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::config::Config;
use super::db::Db;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    pub throttle: Arc<super::auth::SignInThrottle>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state of the one app this process serves, for server functions
/// that run where the reactive context is gone (see `app_state`).
static STATE: std::sync::OnceLock<AppState> = std::sync::OnceLock::new();

/// Keeps the app's state for `app_state`; the router calls it once.
pub fn remember(state: &AppState) {
    let _ = STATE.set(state.clone());
}

/// The state, inside a server function. Normally from the reactive
/// context; a resource whose page was already thrown away (Leptos can
/// still poll its future on another task) finds no context any more, and
/// panicking there once left a page hanging, so the process-wide state
/// stands in.
pub fn app_state() -> AppState {
    leptos::prelude::use_context::<AppState>()
        .or_else(|| STATE.get().cloned())
        .expect("the router keeps the app state before serving")
}
