//! Editions of a contest: the organizer sets one up and opens
//! registration; the public home page lists the open ones.

mod api;
mod pages;

pub use api::*;
pub use pages::*;

use serde::{Deserialize, Serialize};

use crate::domain::points::Points;

/// The six fields of recent Technical Creativity Contests.
pub const DEFAULT_FIELDS: [&str; 6] = [
    "Công nghệ thông tin – Điện tử – Viễn thông",
    "Cơ khí – Tự động hóa – Xây dựng – Giao thông vận tải",
    "Vật liệu – Hóa học – Năng lượng",
    "Nông – Lâm – Ngư nghiệp – Môi trường",
    "Y – Dược",
    "Giáo dục – Đào tạo",
];

/// Criteria with their maximum points (30/30/40 of 100).
pub const DEFAULT_CRITERIA: [(&str, i64); 3] = [
    ("Tính mới và tính sáng tạo", 30),
    ("Khả năng áp dụng", 30),
    ("Hiệu quả kinh tế – kỹ thuật – xã hội", 40),
];

/// Prize levels from the highest down, with a default quota per field.
pub const DEFAULT_PRIZES: [(&str, u32); 4] =
    [("Nhất", 1), ("Nhì", 2), ("Ba", 3), ("Khuyến khích", 4)];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionSummary {
    pub id: i64,
    pub name: String,
    pub number: i64,
    pub year: i64,
    pub open: bool,
    /// dd/mm/yyyy HH:MM in the edition's zone.
    pub deadline: String,
    pub deadline_passed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldItem {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionItem {
    pub id: i64,
    pub name: String,
    pub max: Points,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrizeItem {
    pub name: String,
    pub quota: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionDetail {
    pub summary: EditionSummary,
    pub time_zone: String,
    pub fields: Vec<FieldItem>,
    pub criteria: Vec<CriterionItem>,
    pub prizes: Vec<PrizeItem>,
    pub step: Points,
    pub floor: Points,
    pub entry_count: i64,
    pub judge_count: i64,
}

/// The new-edition form as typed. Lists are one item a line; a criterion
/// or a prize line is "name | number".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEdition {
    pub name: String,
    pub number: String,
    pub year: String,
    /// Local time in Asia/Ho_Chi_Minh: `2026-12-31T17:00` or `31/12/2026 17:00`.
    pub deadline: String,
    pub fields: String,
    pub criteria: String,
    pub step: String,
    pub prizes: String,
    pub floor: String,
}

impl Default for NewEdition {
    fn default() -> Self {
        Self {
            name: "Hội thi Sáng tạo kỹ thuật".into(),
            number: String::new(),
            year: String::new(),
            deadline: String::new(),
            fields: DEFAULT_FIELDS.join("\n"),
            criteria: DEFAULT_CRITERIA
                .iter()
                .map(|(n, m)| format!("{n} | {m}"))
                .collect::<Vec<_>>()
                .join("\n"),
            step: "0,5".into(),
            prizes: DEFAULT_PRIZES
                .iter()
                .map(|(n, q)| format!("{n} | {q}"))
                .collect::<Vec<_>>()
                .join("\n"),
            floor: "55".into(),
        }
    }
}
