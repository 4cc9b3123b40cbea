//! Entries (giải pháp): a contestant registers a technical solution with
//! its authors and description file, and edits it until the deadline.

mod api;
mod pages;
pub mod validate;

pub use api::*;
pub use pages::*;

use serde::{Deserialize, Serialize};

/// How many author rows the form offers.
pub const AUTHOR_ROWS: usize = 6;

/// One author row as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthorForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub share: String,
}

impl AuthorForm {
    pub fn is_blank(&self) -> bool {
        [
            &self.full_name,
            &self.birth_date,
            &self.phone,
            &self.email,
            &self.unit,
            &self.share,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }
}

/// The entry form as typed; `id` is 0 for a new entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EntryForm {
    pub id: i64,
    pub edition_id: i64,
    pub field_id: i64,
    pub title: String,
    pub summary: String,
    pub applied_since: String,
    pub applying_unit: String,
    #[serde(default)]
    pub authors: Vec<AuthorForm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorView {
    pub full_name: String,
    /// ISO yyyy-mm-dd, as a date input wants it.
    pub birth_date: String,
    pub phone: String,
    pub email: String,
    pub unit: String,
    pub share: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileView {
    pub name: String,
    pub size_bytes: i64,
    pub url: String,
}

/// An entry as its owner and the organizer see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    pub id: i64,
    pub code: String,
    pub edition_id: i64,
    pub edition_name: String,
    pub field_id: i64,
    pub field_name: String,
    pub title: String,
    pub summary: String,
    pub applied_since: String,
    pub applying_unit: String,
    pub authors: Vec<AuthorView>,
    pub file: Option<FileView>,
    pub submitted: bool,
    pub deadline: String,
    pub deadline_passed: bool,
}

/// A line in the contestant's list of entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryLine {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub edition_name: String,
    pub field_name: String,
    pub submitted: bool,
}

/// A line in the organizer's list of an edition's entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryAdminLine {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub field_name: String,
    pub authors: String,
    pub owner_email: String,
    pub submitted: bool,
    pub file_url: Option<String>,
}
