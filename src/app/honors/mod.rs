//! Honors (tôn vinh): nominating units put forward candidates with a
//! profile and the criteria they meet, with evidence.

mod api;
mod pages;
mod setup;
pub mod validate;

pub use api::*;
pub use pages::*;
pub use setup::*;

use serde::{Deserialize, Serialize};

/// The categories of the yearly honors, with their default checklists.
pub const DEFAULT_CATEGORIES: [(&str, &[&str]); 3] = [
    (
        "Tiến sĩ mới của năm",
        &[
            "Luận án bảo vệ thành công trong thời gian xét",
            "Có bài báo khoa học công bố quốc tế",
            "Kết quả nghiên cứu được ứng dụng tại địa phương",
        ],
    ),
    (
        "Tài năng trẻ",
        &[
            "Chủ nhiệm đề tài, dự án cấp tỉnh trở lên",
            "Có bài báo khoa học công bố quốc tế",
            "Có sáng kiến được áp dụng hiệu quả",
            "Đạt giải thưởng khoa học công nghệ cấp quốc gia",
        ],
    ),
    (
        "Trí thức tiêu biểu",
        &[
            "Chủ nhiệm đề tài, dự án cấp tỉnh trở lên",
            "Có bài báo khoa học công bố quốc tế",
            "Có sáng kiến được áp dụng hiệu quả",
            "Đạt giải thưởng khoa học công nghệ cấp quốc gia",
            "Được phong GS, PGS hoặc danh hiệu Nhà giáo/Thầy thuốc Nhân dân, Ưu tú",
        ],
    ),
];

/// The default age limit of the young-talent category.
pub const YOUNG_TALENT_AGE_MAX: i32 = 35;

/// The nomination form as typed; `id` is 0 for a new nomination.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NominationForm {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub edition_id: i64,
    #[serde(default)]
    pub field_id: i64,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub degree: String,
    #[serde(default)]
    pub degree_date: String,
    #[serde(default)]
    pub academic_title: String,
    #[serde(default)]
    pub expertise: String,
    #[serde(default)]
    pub workplace: String,
    #[serde(default)]
    pub achievements: String,
    /// The ids of the category's criteria the candidate meets.
    #[serde(default)]
    pub checks: Vec<i64>,
}

/// A category with its eligibility rule and checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: i64,
    pub name: String,
    /// The candidate is at most this old on the edition's reference date.
    pub age_max: Option<i32>,
    /// The doctorate was awarded within these dates (ISO).
    pub degree_from: Option<chrono::NaiveDate>,
    pub degree_to: Option<chrono::NaiveDate>,
    pub criteria: Vec<CriterionLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionLine {
    pub id: i64,
    pub text: String,
}

/// What an honors edition asks of a nomination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HonorRules {
    pub age_on: chrono::NaiveDate,
    pub categories: Vec<Category>,
    pub self_nomination: bool,
}

/// A nomination as its unit and the organizer see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NominationView {
    pub code: String,
    pub edition_name: String,
    pub category: String,
    pub nominating_unit: String,
    /// The nomination as typed, ready to edit (dates as dd/mm/yyyy).
    pub form: NominationForm,
    pub files: Vec<crate::app::entries::EntryFileView>,
    pub status: crate::app::entries::EntryStatus,
    pub deadline: String,
}

/// A unit account the organizer created, with its set-password link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitAccount {
    pub name: String,
    pub email: String,
    pub link: String,
}

/// A nominating unit as the organizer's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitLine {
    pub name: String,
    pub email: String,
    /// Whether the unit has set its password.
    pub active: bool,
    pub nominations: i64,
}

/// A category's eligibility rule as people read it: "tối đa 35 tuổi",
/// "bằng tiến sĩ cấp từ 01/05/2025 đến 30/04/2026".
pub fn eligibility(category: &Category) -> Option<String> {
    use crate::domain::dates::format_date;
    let mut parts = Vec::new();
    if let Some(max) = category.age_max {
        parts.push(format!("tối đa {max} tuổi"));
    }
    if let (Some(from), Some(to)) = (category.degree_from, category.degree_to) {
        parts.push(format!(
            "bằng tiến sĩ cấp từ {} đến {}",
            format_date(from),
            format_date(to)
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}
