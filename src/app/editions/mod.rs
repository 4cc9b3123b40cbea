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

/// The three programs the union runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Program {
    /// Hội thi Sáng tạo kỹ thuật: technical solutions by their authors.
    #[default]
    Technical,
    /// Cuộc thi Sáng tạo thanh thiếu niên, nhi đồng: products by pupils.
    Youth,
    /// Tôn vinh: candidates nominated by units.
    Honors,
}

impl Program {
    pub const ALL: [Program; 3] = [Program::Technical, Program::Youth, Program::Honors];

    pub fn as_db(self) -> &'static str {
        match self {
            Program::Technical => "technical",
            Program::Youth => "youth",
            Program::Honors => "honors",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_db() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Program::Technical => "Hội thi Sáng tạo kỹ thuật",
            Program::Youth => "Cuộc thi Sáng tạo thanh thiếu niên, nhi đồng",
            Program::Honors => "Tôn vinh trí thức khoa học và công nghệ",
        }
    }

    /// Where a new entry of an edition of this program is filed.
    pub fn new_entry_path(self, edition: i64) -> String {
        match self {
            Program::Technical => format!("/thi-sinh/giai-phap/moi?ky_thi={edition}"),
            Program::Youth => format!("/ho-so/san-pham/moi?ky_thi={edition}"),
            Program::Honors => format!("/ho-so/de-cu/moi?ky_thi={edition}"),
        }
    }

    /// The page of one entry of this program.
    pub fn entry_path(self, entry: i64) -> String {
        match self {
            Program::Technical => format!("/thi-sinh/giai-phap/{entry}"),
            Program::Youth => format!("/ho-so/san-pham/{entry}"),
            Program::Honors => format!("/ho-so/de-cu/{entry}"),
        }
    }

    /// The kinds of file an entry of this program takes (see
    /// `entries::FILE_KINDS`); the technical contest's description has a
    /// place of its own.
    pub fn file_kinds(self) -> &'static [&'static str] {
        match self {
            Program::Technical => &["evidence", "drawing", "photo", "other"],
            Program::Youth => &["photo", "description", "drawing", "other"],
            Program::Honors => &["evidence", "other"],
        }
    }

    /// What one entry is called in this program.
    pub fn entry_noun(self) -> &'static str {
        match self {
            Program::Technical => "giải pháp",
            Program::Youth => "sản phẩm dự thi",
            Program::Honors => "hồ sơ đề cử",
        }
    }

    /// The heading over an entry's name in lists.
    pub fn title_noun(self) -> &'static str {
        match self {
            Program::Technical => "Tên giải pháp",
            Program::Youth => "Tên sản phẩm",
            Program::Honors => "Ứng viên",
        }
    }

    /// The heading over the people behind an entry in lists.
    pub fn people_noun(self) -> &'static str {
        match self {
            Program::Technical => "Tác giả",
            Program::Youth => "Thành viên, trường",
            Program::Honors => "Đơn vị đề cử",
        }
    }

    /// What the program's fields are called.
    pub fn field_noun(self) -> &'static str {
        match self {
            Program::Honors => "Hạng mục",
            _ => "Lĩnh vực",
        }
    }

    /// The prefix of entry codes: STKT12-007, TTN12-003, TV2026-001.
    pub fn code_prefix(self) -> &'static str {
        match self {
            Program::Technical => "STKT",
            Program::Youth => "TTN",
            Program::Honors => "TV",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionSummary {
    pub id: i64,
    pub program: Program,
    pub name: String,
    pub number: i64,
    pub year: i64,
    pub open: bool,
    /// dd/mm/yyyy HH:MM in the edition's zone.
    pub deadline: String,
    pub deadline_passed: bool,
    /// Honors: people may nominate themselves.
    pub self_nomination: bool,
}

impl EditionSummary {
    /// Whether a contestant's account may file an entry here (honors take
    /// nominations from units, and from people only where allowed).
    pub fn takes_contestants(&self) -> bool {
        self.program != Program::Honors || self.self_nomination
    }
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
    /// Youth: "6–18 tuổi tính đến 31/05/2026, nhóm tối đa 5 thành viên".
    pub youth_rule: Option<String>,
    /// Youth: the level groups ranked apart.
    pub level_groups: Vec<crate::domain::youth::LevelGroup>,
    /// Honors: each category's eligibility rule and checklist.
    pub categories: Vec<crate::app::honors::Category>,
    pub self_nomination: bool,
}

/// The new-edition form as typed. Lists are one item a line; a criterion
/// or a prize line is "name | number".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEdition {
    /// `technical`, `youth` or `honors`.
    #[serde(default)]
    pub program: String,
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
    /// Youth: the age window by exact birthday on `age_on`, the largest
    /// group, and the level groups, one a line: "name | level, level".
    #[serde(default)]
    pub age_min: String,
    #[serde(default)]
    pub age_max: String,
    #[serde(default)]
    pub age_on: String,
    #[serde(default)]
    pub group_max: String,
    #[serde(default)]
    pub level_groups: String,
    /// Honors: "on" when people may nominate themselves.
    #[serde(default)]
    pub self_nomination: Option<String>,
}

impl NewEdition {
    /// The form prefilled with a program's usual rules.
    pub fn for_program(program: Program) -> Self {
        let mut form = Self {
            program: program.as_db().into(),
            name: program.label().into(),
            ..Self::default()
        };
        match program {
            Program::Technical => {}
            Program::Youth => {
                form.fields = crate::app::youth::DEFAULT_FIELDS.join("\n");
                form.age_min = "6".into();
                form.age_max = "18".into();
                form.group_max = "5".into();
                form.level_groups = crate::domain::youth::default_level_groups()
                    .iter()
                    .map(|(name, levels)| {
                        let levels: Vec<&str> = levels.iter().map(|l| l.label()).collect();
                        format!("{name} | {}", levels.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            Program::Honors => {
                form.fields = crate::app::honors::DEFAULT_CATEGORIES
                    .iter()
                    .map(|(name, _)| match *name {
                        "Tiến sĩ mới của năm" => {
                            format!("{name} | bằng cấp từ 01/05/2025 đến 30/04/2026")
                        }
                        "Tài năng trẻ" => format!(
                            "{name} | tối đa {} tuổi",
                            crate::app::honors::YOUNG_TALENT_AGE_MAX
                        ),
                        _ => name.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
            }
        }
        form
    }
}

impl Default for NewEdition {
    fn default() -> Self {
        Self {
            program: "technical".into(),
            age_min: String::new(),
            age_max: String::new(),
            age_on: String::new(),
            group_max: String::new(),
            level_groups: String::new(),
            self_nomination: None,
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
