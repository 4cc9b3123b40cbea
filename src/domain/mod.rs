//! Pure rules of the contests: no I/O, compiled for the server and the
//! browser alike so that a form and the server refuse the same things.

pub mod aggregate;
pub mod assignment;
pub mod ballot;
pub mod conflicts;
pub mod dates;
pub mod lifecycle;
pub mod points;
pub mod ranking;
pub mod text;
pub mod youth;
