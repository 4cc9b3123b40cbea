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

/// Ranks entries by total (highest first) and proposes prizes.
///
/// Levels are filled from the highest down, in rank order, and only with
/// entries at or above `floor`. Entries with equal totals are never split:
/// a tied group that does not fit in what is left of a level's quota moves
/// down to the next level where it fits whole, so no quota is ever
/// exceeded and the council decides such ties on the proposal.
pub fn rank_and_award(totals: &[Points], levels: &[PrizeLevel], floor: Points) -> Vec<Placement> {
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| totals[b].cmp(&totals[a]).then(a.cmp(&b)));

    let mut placements = Vec::with_capacity(totals.len());
    let mut level = 0;
    let mut left = levels.first().map_or(0, |l| l.quota);
    let mut start = 0;
    while start < order.len() {
        let total = totals[order[start]];
        let end = order[start..]
            .iter()
            .position(|&i| totals[i] != total)
            .map_or(order.len(), |n| start + n);
        let group = (end - start) as u32;

        let mut prize = None;
        if total >= floor {
            while level < levels.len() && group > left {
                level += 1;
                left = levels.get(level).map_or(0, |l| l.quota);
            }
            if level < levels.len() {
                prize = Some(level);
                left -= group;
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

    fn by_index(placements: Vec<Placement>) -> Vec<(u32, Option<usize>)> {
        let mut sorted = placements;
        sorted.sort_by_key(|p| p.index);
        sorted.into_iter().map(|p| (p.rank, p.prize)).collect()
    }

    #[test]
    fn equal_totals_share_a_rank_and_the_next_rank_skips() {
        let totals = [Points(8000), Points(9000), Points(8000), Points(7000)];
        let ranks: Vec<u32> = by_index(rank_and_award(&totals, &[], Points(0)))
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
            &totals,
            &levels(&[1, 1, 2, 0]),
            Points(5500),
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
            &totals,
            &levels(&[1, 1, 1, 1]),
            Points(5500),
        ));
        assert_eq!(got, vec![(1, Some(0)), (2, Some(1)), (3, None)]);
    }

    #[test]
    fn a_tie_that_overflows_a_quota_moves_down_whole() {
        let totals = [Points(9000), Points(9000), Points(8000)];
        let got = by_index(rank_and_award(&totals, &levels(&[1, 2, 1]), Points(0)));
        assert_eq!(got, vec![(1, Some(1)), (1, Some(1)), (3, Some(2))]);
    }

    #[test]
    fn entries_beyond_every_quota_get_no_prize() {
        let totals = [Points(9000), Points(8000), Points(7000)];
        let got = by_index(rank_and_award(&totals, &levels(&[1, 1]), Points(0)));
        assert_eq!(got, vec![(1, Some(0)), (2, Some(1)), (3, None)]);
    }
}
