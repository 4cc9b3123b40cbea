//! Results per field: each entry's means over the judges who submitted,
//! its rank and the proposed prize, and the workbook for the secretariat.

mod api;
mod pages;

pub use api::*;
pub use pages::*;

use serde::{Deserialize, Serialize};

use crate::app::editions::CriterionItem;
use crate::domain::points::Points;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    pub rank: u32,
    pub entry_id: i64,
    pub code: String,
    pub title: String,
    /// Authors' names, in the order of the entry.
    pub authors: String,
    /// One mean per criterion, in rubric order.
    pub criterion_means: Vec<Points>,
    /// Mean over judges of each judge's total.
    pub total: Points,
    /// How many judges submitted a sheet.
    pub judges: u32,
    pub prize: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldResults {
    pub field_id: i64,
    pub field_name: String,
    /// Judges assigned to the field: each entry should get this many sheets.
    pub assigned_judges: u32,
    pub rows: Vec<ResultRow>,
    /// Submitted entries no judge has submitted a sheet for yet.
    pub unscored: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionResults {
    pub edition_id: i64,
    pub edition_name: String,
    pub number: i64,
    pub year: i64,
    pub criteria: Vec<CriterionItem>,
    pub floor: Points,
    pub fields: Vec<FieldResults>,
}

impl FieldResults {
    /// Whether some sheets are still missing, so the ranking may change.
    pub fn incomplete(&self) -> bool {
        !self.unscored.is_empty() || self.rows.iter().any(|r| r.judges < self.assigned_judges)
    }
}
