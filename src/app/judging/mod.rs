//! Judging: a judge sees the submitted entries of the fields assigned to
//! them, scores each criterion and submits the sheet. Nobody else's scores
//! ever reach a judge.

mod api;
mod pages;

pub use api::*;
pub use pages::*;

use serde::{Deserialize, Serialize};

use crate::app::editions::CriterionItem;
use crate::domain::points::Points;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SheetState {
    NotStarted,
    Draft,
    Submitted,
}

impl SheetState {
    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "Chưa chấm",
            Self::Draft => "Đang chấm",
            Self::Submitted => "Đã nộp phiếu",
        }
    }
}

/// An entry on a judge's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub entry_id: i64,
    pub code: String,
    pub title: String,
    pub edition_name: String,
    pub field_name: String,
    pub sheet: SheetState,
}

/// What a judge sees of an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryForJudge {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub summary: String,
    pub field_name: String,
    pub applied_since: String,
    pub applying_unit: String,
    /// "Name (unit, share%)" for each author.
    pub authors: Vec<String>,
    pub file_url: Option<String>,
}

/// The judge's own score sheet for one entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetView {
    pub entry: EntryForJudge,
    pub criteria: Vec<CriterionItem>,
    pub step: Points,
    /// One per criterion, in order; `None` where not yet scored.
    pub scores: Vec<Option<Points>>,
    pub total: Points,
    pub submitted: bool,
}

/// One criterion's score as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreInput {
    pub criterion_id: i64,
    #[serde(default)]
    pub points: String,
}
