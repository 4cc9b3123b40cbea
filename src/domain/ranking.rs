//! Ranking entries of one field by their mean total and proposing prizes
//! by the edition's floor and per-field quotas.

use serde::{Deserialize, Serialize};

use super::points::Points;

/// A prize level with how many entries of a field may receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrizeLevel {
    pub name: String,
    pub quota: u32,
}

/// The place of one entry in its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Index into the totals given to [`rank_and_award`].
    pub index: usize,
    /// 1-based; entries with equal totals share a rank ("1, 1, 3").
    pub rank: u32,
    /// Index into the prize levels, or `None`.
    pub prize: Option<usize>,
}

/// What happens when entries tied at a prize boundary do not all fit in
/// what is left of that prize's quota. The edition sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum BoundaryTie {
    /// Neither gets that prize: the tied group moves down whole to the
    /// next level where it fits, so no quota is ever exceeded.
    #[default]
    MoveDown,
    /// Both get it: the quota is exceeded by the tied group.
    AwardAll,
}

impl BoundaryTie {
    pub fn as_db(self) -> &'static str {
        match self {
            BoundaryTie::MoveDown => "move_down",
            BoundaryTie::AwardAll => "award_all",
        }
    }

    pub fn from_db(raw: &str) -> Option<Self> {
        match raw {
            "move_down" => Some(BoundaryTie::MoveDown),
            "award_all" => Some(BoundaryTie::AwardAll),
            _ => None,
        }
    }
}

/// What ranks an entry: its figure first, then the tie-break values in
/// the edition's order (e.g. the mean of criterion 1, then criterion 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub total: Points,
    pub tie_breaks: Vec<Points>,
}

impl Standing {
    pub fn of(total: Points) -> Self {
        Self {
            total,
            tie_breaks: Vec::new(),
        }
    }

    fn key(&self) -> (Points, &[Points]) {
        (self.total, &self.tie_breaks)
    }
}

/// Ranks entries, highest first, and proposes prizes.
///
/// Entries equal in total and in every tie-break share a rank ("1, 1, 3")
/// and are never split. Levels are filled from the highest down, in rank
/// order, and only with entries at or above `floor`; `tie` decides a tied
/// group that overflows a level's quota.
pub fn rank_and_award(
    standings: &[Standing],
    levels: &[PrizeLevel],
    floor: Points,
    tie: BoundaryTie,
) -> Vec<Placement> {
    let mut order: Vec<usize> = (0..standings.len()).collect();
    order.sort_by(|&a, &b| standings[b].key().cmp(&standings[a].key()).then(a.cmp(&b)));

    let mut placements = Vec::with_capacity(standings.len());
    let mut level = 0;
    let mut left = levels.first().map_or(0, |l| l.quota);
    let mut start = 0;
    while start < order.len() {
        let head = &standings[order[start]];
        let end = order[start..]
            .iter()
            .position(|&i| standings[i] != *head)
            .map_or(order.len(), |n| start + n);
        let group = (end - start) as u32;

        let mut prize = None;
        if head.total >= floor {
            while level < levels.len()
                && (left == 0 || (group > left && tie == BoundaryTie::MoveDown))
            {
                level += 1;
                left = levels.get(level).map_or(0, |l| l.quota);
            }
            if level < levels.len() {
                prize = Some(level);
                left = left.saturating_sub(group);
            }
        }
        for &index in &order[start..end] {
            placements.push(Placement {
                index,
                rank: start as u32 + 1,
                prize,
            });
        }
        start = end;
    }
    placements
}

/// Which placed entries lie within `margin` of a prize boundary: of the
/// floor, or of the nearest entry that got a different prize. The council
/// looks at these again before it votes. `placements` are in rank order,
/// as [`rank_and_award`] returns them, so each prize is one run.
pub fn near_boundary(
    standings: &[Standing],
    placements: &[Placement],
    floor: Points,
    margin: Points,
) -> Vec<bool> {
    let total = |p: &Placement| standings[p.index].total.0;
    let mut near = vec![false; standings.len()];
    let runs: Vec<&[Placement]> = placements.chunk_by(|a, b| a.prize == b.prize).collect();
    for (i, run) in runs.iter().enumerate() {
        // The lowest figure of the prize above and the highest of the one
        // below: the closest entries with another prize.
        let above = i.checked_sub(1).and_then(|j| runs[j].last()).map(total);
        let below = runs.get(i + 1).and_then(|r| r.first()).map(total);
        for placement in *run {
            let own = total(placement);
            near[placement.index] = (own - floor.0).abs() <= margin.0
                || above.is_some_and(|a| a - own <= margin.0)
                || below.is_some_and(|b| own - b <= margin.0);
        }
    }
    near
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(quotas: &[u32]) -> Vec<PrizeLevel> {
        let names = ["Nhất", "Nhì", "Ba", "Khuyến khích"];
        quotas
            .iter()
            .zip(names)
            .map(|(&quota, name)| PrizeLevel {
                name: name.into(),
                quota,
            })
            .collect()
    }

    fn of(totals: &[Points]) -> Vec<Standing> {
        totals.iter().map(|&t| Standing::of(t)).collect()
    }

    fn by_index(placements: Vec<Placement>) -> Vec<(u32, Option<usize>)> {
        let mut sorted = placements;
        sorted.sort_by_key(|p| p.index);
        sorted.into_iter().map(|p| (p.rank, p.prize)).collect()
    }

    #[test]
    fn equal_totals_share_a_rank_and_the_next_rank_skips() {
        let totals = [Points(8000), Points(9000), Points(8000), Points(7000)];
        let ranks: Vec<u32> = by_index(rank_and_award(
            &of(&totals),
            &[],
            Points(0),
            BoundaryTie::MoveDown,
        ))
        .into_iter()
        .map(|r| r.0)
        .collect();
        assert_eq!(ranks, vec![2, 1, 2, 4]);
    }

    #[test]
    fn prizes_follow_score_order_and_quotas() {
        let totals = [
            Points(9000),
            Points(8500),
            Points(8000),
            Points(7500),
            Points(7000),
        ];
        let got = by_index(rank_and_award(
            &of(&totals),
            &levels(&[1, 1, 2, 0]),
            Points(5500),
            BoundaryTie::MoveDown,
        ));
        assert_eq!(
            got,
            vec![
                (1, Some(0)),
                (2, Some(1)),
                (3, Some(2)),
                (4, Some(2)),
                (5, None)
            ]
        );
    }

    #[test]
    fn nothing_is_awarded_under_the_floor() {
        let totals = [Points(6000), Points(5500), Points(5450)];
        let got = by_index(rank_and_award(
            &of(&totals),
            &levels(&[1, 1, 1, 1]),
            Points(5500),
            BoundaryTie::MoveDown,
        ));
        assert_eq!(got, vec![(1, Some(0)), (2, Some(1)), (3, None)]);
    }

    #[test]
    fn a_tie_that_overflows_a_quota_moves_down_whole() {
        let totals = [Points(9000), Points(9000), Points(8000)];
        let got = by_index(rank_and_award(
            &of(&totals),
            &levels(&[1, 2, 1]),
            Points(0),
            BoundaryTie::MoveDown,
        ));
        assert_eq!(got, vec![(1, Some(1)), (1, Some(1)), (3, Some(2))]);
    }

    #[test]
    fn entries_beyond_every_quota_get_no_prize() {
        let totals = [Points(9000), Points(8000), Points(7000)];
        let got = by_index(rank_and_award(
            &of(&totals),
            &levels(&[1, 1]),
            Points(0),
            BoundaryTie::MoveDown,
        ));
        assert_eq!(got, vec![(1, Some(0)), (2, Some(1)), (3, None)]);
    }

    #[test]
    fn a_tie_at_the_boundary_can_take_the_prize_together() {
        // Quota 1 for Nhất, two entries tied at the top: with AwardAll both
        // get Nhất and Nhì starts after them; with MoveDown both get Nhì.
        let totals = [Points(9000), Points(9000), Points(8000)];
        let all = by_index(rank_and_award(
            &of(&totals),
            &levels(&[1, 1, 1]),
            Points(0),
            BoundaryTie::AwardAll,
        ));
        assert_eq!(all, vec![(1, Some(0)), (1, Some(0)), (3, Some(1))]);
        let down = by_index(rank_and_award(
            &of(&totals),
            &levels(&[1, 2, 1]),
            Points(0),
            BoundaryTie::MoveDown,
        ));
        assert_eq!(down, vec![(1, Some(1)), (1, Some(1)), (3, Some(2))]);
    }

    #[test]
    fn tie_breaks_order_equal_totals_by_criterion_in_turn() {
        // vn_03: GP-01 and GP-05 both total 234.5; criterion 1 sums to 78
        // and 74, so GP-01 ranks first. Equal on every key: a shared rank.
        let standing = |total, first, second| Standing {
            total: Points(total),
            tie_breaks: vec![Points(first), Points(second)],
        };
        let standings = [
            standing(23450, 7400, 7000),
            standing(23450, 7800, 6000),
            standing(23450, 7400, 7000),
            standing(23450, 7400, 7100),
        ];
        let got = by_index(rank_and_award(
            &standings,
            &levels(&[1, 1, 2]),
            Points(0),
            BoundaryTie::MoveDown,
        ));
        assert_eq!(
            got,
            vec![(3, Some(2)), (1, Some(0)), (3, Some(2)), (2, Some(1))]
        );
    }

    #[test]
    fn entries_close_to_a_prize_boundary_or_the_floor_are_listed() {
        let totals = [
            Points(9000),
            Points(8900),
            Points(8000),
            Points(5600),
            Points(4000),
        ];
        let standings = of(&totals);
        let placements = rank_and_award(
            &standings,
            &levels(&[1, 1, 1, 1]),
            Points(5500),
            BoundaryTie::MoveDown,
        );
        let near = near_boundary(&standings, &placements, Points(5500), Points(150));
        // 90 and 89 straddle Nhất/Nhì; 56 is 1 point above the floor.
        assert_eq!(near, vec![true, true, false, true, false]);
    }
}
