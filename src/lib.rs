#![recursion_limit = "256"]
//! sangtao: the contests and honors of a provincial Union of Science and
//! Technology Associations, from registration to the results workbook.
//!
//! `domain` holds the rules and builds for both targets; `app` is the
//! Leptos UI with its server functions; `server` (feature `ssr`) owns the
//! database, sessions, files and spreadsheets.

pub mod app;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the browser bundle: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
