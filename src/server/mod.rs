//! Server-only parts: configuration, database, sessions, files, mail-free
//! invitations, spreadsheets and the command-line tasks.

pub mod auth;
pub mod collation;
pub mod config;
pub mod db;
pub mod demo;
pub mod editions;
pub mod entries;
pub mod error;
pub mod files;
pub mod forms;
pub mod invites;
pub mod judges;
pub mod judges_import;
pub mod judging;
pub mod results;
pub mod results_xlsx;
pub mod routes;
pub mod serve;
pub mod spreadsheet;
pub mod state;
pub mod time;
