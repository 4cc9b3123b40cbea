//! Judging: rounds with their rubric, councils and assignments, conflicts
//! of interest, the judge's score sheet, the progress board and the audit
//! log. A judge sees only the entries in their scope and, until they
//! submit, nobody else's scores.

mod api;
mod board_pages;
mod organizer_api;
mod organizer_pages;
mod pages;

pub use api::*;
pub use board_pages::*;
pub use organizer_api::*;
pub use organizer_pages::*;
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
    pub round_id: i64,
    pub round_name: String,
    pub entry_id: i64,
    pub code: String,
    pub title: String,
    pub edition_name: String,
    pub field_name: String,
    pub sheet: SheetState,
    /// The round's dates as they bear on the judge today: "hạn nộp: hết
    /// ngày 20/12/2026", "đã kết thúc ngày …", "mở từ ngày …"; empty when
    /// the round has no dates.
    #[serde(default)]
    pub window: String,
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

/// The judge's own score sheet for one entry in one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetView {
    pub round_id: i64,
    pub round_name: String,
    pub entry: EntryForJudge,
    pub criteria: Vec<RubricCriterion>,
    pub step: Points,
    /// One per criterion, in order; `None` where not yet scored.
    pub scores: Vec<Option<Points>>,
    pub total: Points,
    pub submitted: bool,
    /// The round's last day (dd/mm/yyyy), or empty when it has none.
    #[serde(default)]
    pub deadline: String,
    /// Why the sheet cannot be changed now: the round has not begun or is
    /// over. `None` while it is open.
    #[serde(default)]
    pub closed: Option<String>,
    /// The other judges' sheets, only once this one is submitted and only
    /// when the edition allows it; otherwise empty.
    pub peers: Vec<PeerSheet>,
}

impl SheetView {
    /// The criteria still without a score, by name.
    pub fn missing(&self) -> Vec<String> {
        self.criteria
            .iter()
            .zip(&self.scores)
            .filter(|(_, score)| score.is_none())
            .map(|(c, _)| c.name.clone())
            .collect()
    }
}

/// Another judge's submitted sheet, without their name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerSheet {
    pub scores: Vec<Option<Points>>,
    pub total: Points,
}

/// A score range of a criterion and what it means ("27–30: hoàn toàn mới").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub from: Points,
    pub to: Points,
    pub label: String,
}

/// A criterion of a round's rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RubricCriterion {
    pub id: i64,
    pub name: String,
    pub max: Points,
    /// In percent: 100 counts the criterion once.
    pub weight_percent: u32,
    pub bands: Vec<Band>,
}

impl From<&RubricCriterion> for CriterionItem {
    fn from(c: &RubricCriterion) -> Self {
        CriterionItem {
            id: c.id,
            name: c.name.clone(),
            max: c.max,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundKind {
    Screening,
    Final,
}

impl RoundKind {
    pub fn label(self) -> &'static str {
        match self {
            RoundKind::Screening => "Sơ khảo",
            RoundKind::Final => "Chung khảo",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundItem {
    pub id: i64,
    pub kind: RoundKind,
    pub name: String,
    /// Screening: the figure that proposes an entry for the next round.
    pub pass: Option<Points>,
    /// The step scores go by; `None`: the edition's.
    pub step: Option<Points>,
    /// dd/mm/yyyy, or empty.
    pub opens_on: String,
    pub closes_on: String,
    pub criteria: Vec<RubricCriterion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CouncilRole {
    Chair,
    Secretary,
    Member,
}

impl CouncilRole {
    pub fn as_db(self) -> &'static str {
        match self {
            CouncilRole::Chair => "chair",
            CouncilRole::Secretary => "secretary",
            CouncilRole::Member => "member",
        }
    }

    pub fn from_db(raw: &str) -> Self {
        match raw {
            "chair" => CouncilRole::Chair,
            "secretary" => CouncilRole::Secretary,
            _ => CouncilRole::Member,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CouncilRole::Chair => "Chủ tịch",
            CouncilRole::Secretary => "Thư ký",
            CouncilRole::Member => "Ủy viên",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouncilMember {
    pub judge_id: i64,
    pub code: String,
    pub full_name: String,
    pub role: CouncilRole,
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouncilItem {
    pub id: i64,
    pub round_id: i64,
    pub name: String,
    /// The field or level group it judges, or "Tất cả hồ sơ".
    pub scope: String,
    pub members: Vec<CouncilMember>,
    pub entries: u32,
    pub ballot_closed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictItem {
    pub entry_id: i64,
    pub code: String,
    pub title: String,
    pub judge_id: i64,
    pub judge_name: String,
    /// "Phát hiện tự động" or "Giám khảo tự khai".
    pub source: String,
    pub reason: String,
    /// Set when the organizer let the judge score anyway.
    pub override_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgeProgress {
    pub judge_id: i64,
    pub full_name: String,
    pub assigned: u32,
    pub started: u32,
    pub submitted: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryProgress {
    pub entry_id: i64,
    pub code: String,
    pub title: String,
    pub round_name: String,
    pub assigned: u32,
    pub submitted: u32,
    /// The submitted sheets, which the organizer may reopen.
    pub sheets: Vec<SheetRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetRef {
    pub id: i64,
    pub judge: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressBoard {
    pub judges: Vec<JudgeProgress>,
    pub entries: Vec<EntryProgress>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditItem {
    /// dd/mm/yyyy hh:mm in the edition's time zone.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entry: String,
    pub judge: String,
    pub detail: String,
}

/// How the edition ranks and decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgingSettings {
    pub method: crate::domain::aggregate::Method,
    pub disagreement: Points,
    pub near_margin: Points,
    /// Criterion positions, 1-based, that break equal figures in order.
    #[serde(default)]
    pub tie_breaks: Vec<u32>,
    pub boundary_tie: crate::domain::ranking::BoundaryTie,
    pub peers_after_submit: bool,
    pub vote_numerator: u32,
    pub vote_denominator: u32,
}

/// One criterion's score as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreInput {
    pub criterion_id: i64,
    #[serde(default)]
    pub points: String,
}

/// A candidate on a selection council member's ballot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BallotCandidate {
    pub entry_id: i64,
    pub code: String,
    pub candidate: String,
    pub category: String,
    /// Whether this member has voted; how is never stored.
    pub voted: bool,
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinutesRow {
    pub entry_id: i64,
    pub code: String,
    pub candidate: String,
    pub ballots_cast: u32,
    /// Only once the ballot is closed.
    pub tally: Option<crate::domain::ballot::Tally>,
    pub selected: Option<bool>,
}

/// Biên bản kiểm phiếu: tallies only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BallotMinutes {
    pub council_id: i64,
    pub council_name: String,
    /// The edition, as a title reads it: "… lần thứ 4 (2026)".
    pub edition_name: String,
    /// Who issues the minutes and where: the letterhead and the
    /// place-and-date line, filled in by the server function.
    #[serde(default)]
    pub org_name: String,
    #[serde(default)]
    pub place_date: String,
    /// (name, role, present) of every member, chair first.
    pub members: Vec<(String, String, bool)>,
    pub present: u32,
    pub needed: u32,
    pub closed: bool,
    pub rows: Vec<MinutesRow>,
}

/// One paper score sheet row that will be imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedSheet {
    pub row: u32,
    pub entry_id: i64,
    pub entry_code: String,
    pub judge_id: i64,
    pub judge_code: String,
    /// One per criterion of the round; `None` where the cell was blank.
    pub scores: Vec<Option<Points>>,
}

/// What importing a council's paper score sheet would do, row by row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScoreImportReport {
    pub round_id: i64,
    pub rows: u32,
    pub imported: u32,
    pub merged: u32,
    pub rejected: u32,
    /// Refused rows, each by its row and column.
    pub rejections: Vec<crate::app::judges::RowProblem>,
    /// Skipped rows (an absent judge) and sheets left incomplete.
    pub notes: Vec<crate::app::judges::RowProblem>,
    pub sheets: Vec<ImportedSheet>,
}

impl ScoreImportReport {
    /// The counts line the command line prints last, as the other imports.
    pub fn counts_json(&self) -> String {
        format!(
            "{{\"rows\":{},\"imported\":{},\"merged\":{},\"rejected\":{}}}",
            self.rows, self.imported, self.merged, self.rejected
        )
    }
}

/// An entry a council judges, with who scores it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouncilEntry {
    pub council_id: i64,
    pub round_id: i64,
    pub entry_id: i64,
    pub code: String,
    pub title: String,
    /// Judges scoring it: the whole council, or those assigned.
    pub judges: Vec<i64>,
    /// Whether someone narrowed it from the whole council.
    pub assigned: bool,
}

/// A prize proposal a council member votes on: no scores, only the place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub entry_id: i64,
    pub code: String,
    pub title: String,
    pub council: String,
    pub rank: u32,
    pub prize: String,
    /// This member's vote on the current proposal, if cast.
    pub my_vote: Option<bool>,
}
