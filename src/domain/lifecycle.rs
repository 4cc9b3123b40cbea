//! The life of an entry, the same in every program: draft → submitted →
//! returned for completion → submitted again → accepted or rejected.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryState {
    Draft,
    Submitted,
    Returned,
    Accepted,
    Rejected,
}

impl EntryState {
    pub const ALL: [EntryState; 5] = [
        EntryState::Draft,
        EntryState::Submitted,
        EntryState::Returned,
        EntryState::Accepted,
        EntryState::Rejected,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            EntryState::Draft => "draft",
            EntryState::Submitted => "submitted",
            EntryState::Returned => "returned",
            EntryState::Accepted => "accepted",
            EntryState::Rejected => "rejected",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_db() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryState::Draft => "Bản nháp",
            EntryState::Submitted => "Đã nộp",
            EntryState::Returned => "Trả lại để bổ sung",
            EntryState::Accepted => "Đã tiếp nhận",
            EntryState::Rejected => "Không tiếp nhận",
        }
    }

    /// Whether judges may see the entry: the organizer has not turned it
    /// back or down.
    pub fn is_in_contest(self) -> bool {
        matches!(self, EntryState::Submitted | EntryState::Accepted)
    }
}

/// What someone asks to do with an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// The owner sends the entry (first time, or again after a return).
    Submit,
    /// The organizer sends it back for completion, with a reason and a due date.
    Return,
    Accept,
    /// The organizer turns it down, with a reason.
    Reject,
}

impl Action {
    pub fn by_organizer(self) -> bool {
        !matches!(self, Action::Submit)
    }

    /// Whether the action must say why.
    pub fn needs_reason(self) -> bool {
        matches!(self, Action::Return | Action::Reject)
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Submit => "nộp",
            Action::Return => "trả lại để bổ sung",
            Action::Accept => "tiếp nhận",
            Action::Reject => "không tiếp nhận",
        }
    }
}

/// The state an action leads to, or why it is not allowed from `from`.
pub fn next(from: EntryState, action: Action) -> Result<EntryState, String> {
    use EntryState::*;
    let to = match (from, action) {
        (Draft | Returned, Action::Submit) => Submitted,
        (Submitted | Accepted, Action::Return) => Returned,
        (Submitted, Action::Accept) => Accepted,
        (Submitted | Returned | Accepted, Action::Reject) => Rejected,
        _ => {
            return Err(format!(
                "hồ sơ đang ở trạng thái \"{}\" nên không thể {}",
                from.label(),
                action.label()
            ));
        }
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_path_is_allowed() {
        let submitted = next(EntryState::Draft, Action::Submit).unwrap();
        let returned = next(submitted, Action::Return).unwrap();
        let again = next(returned, Action::Submit).unwrap();
        assert_eq!(next(again, Action::Accept), Ok(EntryState::Accepted));
    }

    #[test]
    fn transitions_that_make_no_sense_are_refused() {
        use EntryState::*;
        let refused = [
            (Draft, Action::Accept),
            (Draft, Action::Return),
            (Draft, Action::Reject),
            (Submitted, Action::Submit),
            (Accepted, Action::Submit),
            (Accepted, Action::Accept),
            (Rejected, Action::Submit),
            (Rejected, Action::Accept),
            (Rejected, Action::Return),
            (Returned, Action::Accept),
            (Returned, Action::Return),
        ];
        for (from, action) in refused {
            assert!(next(from, action).is_err(), "{from:?} {action:?}");
        }
        assert!(
            next(Rejected, Action::Submit)
                .unwrap_err()
                .contains("Không tiếp nhận")
        );
    }

    #[test]
    fn every_state_reads_back_from_storage() {
        for state in EntryState::ALL {
            assert_eq!(EntryState::from_db(state.as_db()), Some(state));
        }
    }
}
