//! The panel of judges: imported from the organizer's spreadsheet with a
//! preview, invited through one-time links, and assigned to fields.

mod api;
mod pages;

pub use api::*;
pub use pages::*;

use serde::{Deserialize, Serialize};

use crate::app::editions::FieldItem;

/// A problem or a remark about one cell of an imported sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowProblem {
    /// The row number as Excel shows it.
    pub row: u32,
    /// The column letter as Excel shows it.
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "row {}, column {}: {}",
            self.row, self.column, self.message
        )
    }
}

/// A person the import would write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgeRowPreview {
    pub row: u32,
    pub code: String,
    pub title: String,
    pub full_name: String,
    pub email: String,
    pub unit: String,
    pub phone: String,
    pub council_role: String,
}

/// What an import found, before or after writing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: u32,
    pub imported: u32,
    pub merged: u32,
    pub rejected: u32,
    /// Rows refused, each by its row and column.
    pub rejections: Vec<RowProblem>,
    /// Rows merged into an earlier one, and other remarks.
    pub notes: Vec<RowProblem>,
    pub people: Vec<JudgeRowPreview>,
    /// The letter of the e-mail column, to name it in later checks.
    #[serde(default)]
    pub email_column: String,
}

impl ImportReport {
    /// The counts line the command line prints last.
    pub fn counts_json(&self) -> String {
        format!(
            "{{\"rows\":{},\"imported\":{},\"merged\":{},\"rejected\":{}}}",
            self.rows, self.imported, self.merged, self.rejected
        )
    }
}

/// A one-time link for a judge to set a password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteLink {
    pub full_name: String,
    pub email: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub report: ImportReport,
    pub links: Vec<InviteLink>,
}

/// A judge of an edition as the organizer sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgeItem {
    pub id: i64,
    pub code: String,
    /// Academic titles and degrees ("PGS.TS.").
    pub title: String,
    pub full_name: String,
    pub email: String,
    pub unit: String,
    pub council_role: String,
    pub has_password: bool,
    pub fields: Vec<FieldItem>,
    /// Submitted entries in the judge's fields.
    pub assigned_entries: i64,
    /// Score sheets the judge has submitted.
    pub submitted_sheets: i64,
}
