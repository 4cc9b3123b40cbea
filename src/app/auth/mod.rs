//! Accounts: sign-in, sign-out, contestant registration and the one-time
//! link through which an invited judge sets a password.

mod api;
mod pages;

pub use api::*;
pub use pages::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Organizer,
    Contestant,
    Judge,
    /// A nominating unit (association, university, department).
    Unit,
}

impl Role {
    pub fn from_db(value: &str) -> Self {
        match value {
            "organizer" => Self::Organizer,
            "judge" => Self::Judge,
            "unit" => Self::Unit,
            _ => Self::Contestant,
        }
    }

    pub fn as_db(self) -> &'static str {
        match self {
            Self::Organizer => "organizer",
            Self::Contestant => "contestant",
            Self::Judge => "judge",
            Self::Unit => "unit",
        }
    }

    /// Where the person lands after signing in.
    pub fn home(self) -> &'static str {
        match self {
            Self::Organizer => "/to-chuc",
            Self::Contestant => "/thi-sinh",
            Self::Judge => "/giam-khao",
            Self::Unit => "/don-vi",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Organizer => "Ban tổ chức",
            Self::Contestant => "Thí sinh",
            Self::Judge => "Giám khảo",
            Self::Unit => "Đơn vị đề cử",
        }
    }
}

/// The signed-in person as the browser sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub role: Role,
}
