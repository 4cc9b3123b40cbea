//! Results per field: each entry's means over the judges who submitted,
//! its rank and the proposed prize, and the workbook for the secretariat.

mod api;
mod pages;

pub use api::*;
pub use pages::*;

use serde::{Deserialize, Serialize};

use crate::app::editions::CriterionItem;
use crate::domain::aggregate::{Figures, Method};
use crate::domain::points::Points;

/// The council's yes/no count on the prize proposed for an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VoteCount {
    pub yes: u32,
    pub no: u32,
    pub present: u32,
    pub needed: u32,
}

impl VoteCount {
    pub fn approved(&self) -> bool {
        self.present > 0 && self.yes >= self.needed
    }
}

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
    /// The figure that ranks, by the edition's method.
    pub total: Points,
    /// Every method's figure, side by side.
    pub figures: Figures,
    /// How many judges submitted a complete sheet.
    pub judges: u32,
    /// How many judges the entry is assigned to.
    pub assigned: u32,
    pub prize: Option<String>,
    /// The judges' totals are further apart than the edition allows.
    pub disagreement: bool,
    /// Within the edition's margin of a prize boundary or the floor.
    pub near_boundary: bool,
    pub votes: VoteCount,
    pub national: bool,
}

/// One ranking group: a council's field or level group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldResults {
    pub council_id: Option<i64>,
    pub field_id: i64,
    pub field_name: String,
    pub rows: Vec<ResultRow>,
    /// Entries in the round that no judge has submitted a sheet for yet.
    pub unscored: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionResults {
    pub edition_id: i64,
    pub edition_name: String,
    pub number: i64,
    pub year: i64,
    pub round_id: i64,
    pub round_name: String,
    pub criteria: Vec<CriterionItem>,
    pub floor: Points,
    pub method: Method,
    /// "2/3 số thành viên có mặt".
    pub vote_rule: String,
    /// When the organizer finalized them (dd/mm/yyyy hh:mm), if they did.
    pub final_at: Option<String>,
    /// Honors editions decide by the selection council's secret ballot,
    /// not by these figures.
    #[serde(default)]
    pub honors: bool,
    pub fields: Vec<FieldResults>,
}

impl FieldResults {
    /// Whether some sheets are still missing, so the ranking may change.
    pub fn incomplete(&self) -> bool {
        !self.unscored.is_empty() || self.rows.iter().any(|r| r.judges < r.assigned)
    }
}
