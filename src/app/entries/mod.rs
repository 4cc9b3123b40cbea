//! Entries (giải pháp): a contestant registers a technical solution with
//! its authors and description file, and edits it until the deadline.

mod api;
mod pages;
mod receipt;
mod shared;
pub mod validate;

pub use api::*;
pub use pages::*;
pub use receipt::*;
pub use shared::*;

use serde::{Deserialize, Serialize};

use crate::domain::lifecycle::EntryState;

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
    /// The state's label ("Trả lại để bổ sung").
    pub state: String,
    /// The page the owner edits it on.
    pub url: String,
}

/// A line in the organizer's list of an edition's entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryAdminLine {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub field_name: String,
    /// Authors, members or the candidate, comma separated.
    pub authors: String,
    pub owner_email: String,
    pub submitted: bool,
    pub state: EntryState,
    /// Youth: the level group; empty otherwise.
    pub level_group: String,
    /// Youth: the members' schools, comma separated.
    pub schools: String,
    pub file_url: Option<String>,
}

/// The organizer's filters over an edition's entries; empty means any.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EntryFilter {
    #[serde(default)]
    pub field: Option<i64>,
    /// A state as stored (`submitted`, `returned`…).
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub level_group: Option<i64>,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub commune: String,
    /// Names and titles, matched ignoring accents and case.
    #[serde(default)]
    pub q: String,
}

/// One change in an entry's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    /// dd/mm/yyyy HH:MM in Vietnam time.
    pub at: String,
    pub actor: String,
    pub from: String,
    pub to: String,
    pub reason: String,
    /// For a return: the due date, as shown; empty otherwise.
    pub due: String,
}

/// A possible duplicate for the organizer to look at; never merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateFlag {
    /// What the entries share, in words.
    pub reason: String,
    /// The codes and ids of the entries concerned.
    pub entries: Vec<(i64, String)>,
}

/// Where an entry stands, for its owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryStatus {
    pub state: EntryState,
    /// The organizer's reason for a return or a rejection.
    pub reason: String,
    /// For a returned entry: until when it can be completed.
    pub return_due: String,
    /// Whether the owner may change the entry now.
    pub editable: bool,
    pub history: Vec<HistoryLine>,
}

/// A file attached to an entry beside the technical description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryFileView {
    pub id: i64,
    /// `description`, `evidence`, `drawing`, `photo` or `other`.
    pub kind: String,
    pub name: String,
    pub size_bytes: i64,
    pub url: String,
    /// For honors evidence: the criterion it supports.
    pub criterion: String,
}

/// The kinds of file an entry may carry, with their labels.
pub const FILE_KINDS: [(&str, &str); 5] = [
    ("description", "Bản mô tả, thuyết minh"),
    (
        "evidence",
        "Minh chứng (xác nhận của đơn vị áp dụng, quyết định, giấy khen…)",
    ),
    ("drawing", "Bản vẽ, sơ đồ"),
    ("photo", "Ảnh sản phẩm"),
    ("other", "Tài liệu khác"),
];

pub fn file_kind_label(kind: &str) -> &'static str {
    FILE_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, label)| *label)
        .unwrap_or("Tài liệu khác")
}

/// One entry an import would write (a youth group or a nomination).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedEntry {
    /// The Excel row of its first line.
    pub row: u32,
    /// The code the file gave it, if any ("DA-01").
    pub code_in_file: String,
    pub title: String,
    pub people: Vec<String>,
}

/// What an entry or nomination import found; the counts are of entries
/// (a group's member rows make one entry).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EntryImportReport {
    pub rows: u32,
    pub imported: u32,
    pub merged: u32,
    pub rejected: u32,
    /// Problems that reject an entry, each by its row and column.
    pub rejections: Vec<crate::app::judges::RowProblem>,
    /// Remarks that reject nothing (a stated age that disagrees…).
    pub notes: Vec<crate::app::judges::RowProblem>,
    pub entries: Vec<ImportedEntry>,
}

impl EntryImportReport {
    /// The counts line the command line prints last.
    pub fn counts_json(&self) -> String {
        format!(
            "{{\"rows\":{},\"imported\":{},\"merged\":{},\"rejected\":{}}}",
            self.rows, self.imported, self.merged, self.rejected
        )
    }
}

/// The printable receipt of an entry, for its owner and the organizers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub code: String,
    /// The union that receives the entry, as its letterhead names it.
    pub organization: String,
    /// "Đồng Tháp, ngày 04 tháng 12 năm 2026", above the signatures.
    pub place_date: String,
    /// "Hội thi Sáng tạo kỹ thuật lần thứ 12 (2026)".
    pub edition: String,
    /// "Lĩnh vực" or "Hạng mục".
    pub field_label: String,
    pub field: String,
    /// "Tên giải pháp", "Tên sản phẩm" or "Ứng viên".
    pub title_label: String,
    pub title: String,
    /// (role, line): the authors, members and teachers, or the candidate.
    pub people: Vec<(String, String)>,
    pub video_url: String,
    /// (kind, original name) of each attached file.
    pub files: Vec<(String, String)>,
    pub state: String,
    pub submitted: bool,
    /// dd/mm/yyyy HH:MM in the edition's zone; empty for a draft.
    pub submitted_at: String,
    /// "Name <email>" of the account that filed it.
    pub owner: String,
    pub printed_at: String,
}
