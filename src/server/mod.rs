//! Server-only parts: configuration, database, sessions, files, mail-free
//! invitations, spreadsheets and the command-line tasks.

pub mod auth;
pub mod collation;
pub mod config;
pub mod db;
pub mod demo;
pub mod drafts;
pub mod duplicates;
pub mod editions;
pub mod entries;
pub mod entries_import;
pub mod entry_files;
pub mod error;
pub mod files;
pub mod forms;
pub mod honors;
pub mod invites;
pub mod judges;
pub mod judges_import;
pub mod judging;
pub mod lifecycle;
pub mod mail;
pub mod receipt;
pub mod results;
pub mod results_xlsx;
pub mod routes;
pub mod serve;
pub mod spreadsheet;
pub mod state;
pub mod time;
pub mod youth;
