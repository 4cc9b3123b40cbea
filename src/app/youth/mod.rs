//! Youth and Children Creativity Contest entries (sản phẩm dự thi): a
//! group of pupils, one or two supervising teachers, a description,
//! photos and a video link.

mod api;
mod pages;
pub mod validate;

pub use api::*;
pub use pages::*;

use serde::{Deserialize, Serialize};

use crate::app::editions::FieldItem;
use crate::domain::youth::{AgeWindow, LevelGroup};

/// The five fields of recent youth contests.
pub const DEFAULT_FIELDS: [&str; 5] = [
    "Đồ dùng học tập",
    "Phần mềm tin học",
    "Sản phẩm thân thiện môi trường",
    "Đồ dùng gia đình và đồ chơi",
    "Môi trường và phát triển kinh tế",
];

/// How many member rows and teacher rows the form offers.
pub const MEMBER_ROWS: usize = 5;
pub const SUPERVISOR_ROWS: usize = 2;

/// One member row as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub province: String,
}

impl MemberForm {
    pub fn is_blank(&self) -> bool {
        [
            &self.full_name,
            &self.birth_date,
            &self.school,
            &self.grade,
            &self.commune,
            &self.province,
        ]
        .iter()
        .all(|v| crate::domain::text::clean_line(v).is_empty())
    }
}

/// One supervising teacher as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SupervisorForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

impl SupervisorForm {
    pub fn is_blank(&self) -> bool {
        [&self.full_name, &self.school, &self.phone, &self.email]
            .iter()
            .all(|v| crate::domain::text::clean_line(v).is_empty())
    }
}

/// The youth entry form as typed; `id` is 0 for a new entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct YouthForm {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub edition_id: i64,
    #[serde(default)]
    pub field_id: i64,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub video_url: String,
    #[serde(default)]
    pub members: Vec<MemberForm>,
    #[serde(default)]
    pub supervisors: Vec<SupervisorForm>,
}

/// What a youth edition asks of an entry; sent to the browser so that the
/// form checks the same rules as the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YouthRules {
    pub window: AgeWindow,
    pub group_max: usize,
    pub level_groups: Vec<LevelGroup>,
    pub fields: Vec<FieldItem>,
}

/// A youth entry as its owner and the organizer see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YouthView {
    pub code: String,
    pub edition_name: String,
    pub field_name: String,
    pub level_group: String,
    /// The entry as typed, ready to edit (dates as dd/mm/yyyy).
    pub form: YouthForm,
    pub files: Vec<crate::app::entries::EntryFileView>,
    pub status: crate::app::entries::EntryStatus,
    pub deadline: String,
}
