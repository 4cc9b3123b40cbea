//! Votes of a council: the open yes/no vote on a prize proposal and the
//! secret ballot on an honors candidate. Both pass on a share of the
//! members present, two-thirds unless the edition says otherwise.

use serde::{Deserialize, Serialize};

/// A share of the members present, as a fraction: 2/3 by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    pub numerator: u32,
    pub denominator: u32,
}

impl Default for Threshold {
    fn default() -> Self {
        Self {
            numerator: 2,
            denominator: 3,
        }
    }
}

impl Threshold {
    /// A share between 1/100 and 1 is accepted; anything else is not a
    /// threshold a council could meet.
    pub fn new(numerator: u32, denominator: u32) -> Option<Self> {
        (denominator > 0 && numerator > 0 && numerator <= denominator && denominator <= 100)
            .then_some(Self {
                numerator,
                denominator,
            })
    }

    /// Whether `yes` votes out of `present` members meet the threshold.
    /// Nobody present decides nothing.
    pub fn met(self, yes: u32, present: u32) -> bool {
        present > 0
            && u64::from(yes) * u64::from(self.denominator)
                >= u64::from(self.numerator) * u64::from(present)
    }

    /// The fewest votes that meet it with `present` members.
    pub fn votes_needed(self, present: u32) -> u32 {
        (u64::from(self.numerator) * u64::from(present)).div_ceil(u64::from(self.denominator))
            as u32
    }
}

/// A member's choice on a secret ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Choice {
    Agree,
    Disagree,
    Abstain,
}

/// The counts of a secret ballot, all that is ever stored of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub agree: u32,
    pub disagree: u32,
    pub abstain: u32,
}

impl Tally {
    pub fn cast(&self) -> u32 {
        self.agree + self.disagree + self.abstain
    }

    /// Selected when those agreeing reach the threshold of the members
    /// present; an abstention counts as present and not agreeing.
    pub fn selected(&self, present: u32, threshold: Threshold) -> bool {
        threshold.met(self.agree, present)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_thirds_of_members_present_is_needed() {
        let t = Threshold::default();
        assert!(t.met(6, 9));
        assert!(!t.met(5, 9));
        // 2/3 of 7 is 4.67: five votes are needed.
        assert!(!t.met(4, 7));
        assert!(t.met(5, 7));
        assert_eq!(t.votes_needed(7), 5);
        assert_eq!(t.votes_needed(9), 6);
        assert!(!t.met(0, 0));
    }

    #[test]
    fn other_thresholds_and_nonsense_ones() {
        let half = Threshold::new(1, 2).unwrap();
        assert!(half.met(2, 4));
        assert!(!half.met(1, 4));
        assert_eq!(Threshold::new(3, 2), None);
        assert_eq!(Threshold::new(0, 3), None);
        assert_eq!(Threshold::new(1, 0), None);
    }

    #[test]
    fn abstentions_count_as_present_but_not_agreeing() {
        let tally = Tally {
            agree: 6,
            disagree: 1,
            abstain: 2,
        };
        assert_eq!(tally.cast(), 9);
        assert!(tally.selected(9, Threshold::default()));
        let short = Tally {
            agree: 5,
            disagree: 0,
            abstain: 4,
        };
        assert!(!short.selected(9, Threshold::default()));
    }
}
