//! Automatic assignment: every entry gets `k` judges of its council, no
//! judge with a conflict on it, and the judges' loads differ by at most one.
//!
//! It is a flow problem. Each entry may take `k` judges, each judge may
//! take an entry only without a conflict, and each judge's load is capped.
//! The flow is filled twice: first with every judge capped at the lower
//! balanced load, then at the higher. Flow into the sink never shrinks
//! along an augmenting path, so the loads reached in the first pass stay,
//! and every judge ends between the two. When that is impossible (too many
//! conflicts), the result says which entries could not be filled.

use std::collections::VecDeque;

/// Why no balanced assignment exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssignError {
    #[error("hội đồng chỉ có {judges} giám khảo, không đủ {k} người cho mỗi hồ sơ")]
    TooFewJudges { judges: usize, k: usize },
    /// Entries (by index) that could not get `k` judges without conflicts.
    #[error("không đủ giám khảo không xung đột lợi ích cho {} hồ sơ", .0.len())]
    Unfillable(Vec<usize>),
    /// The loads could not be kept within one of each other.
    #[error("xung đột lợi ích khiến số hồ sơ của các giám khảo lệch nhau quá một")]
    Unbalanced,
}

/// For each entry, the judges (indices) assigned to it, in judge order.
pub fn balanced(
    entries: usize,
    judges: usize,
    k: usize,
    conflicted: impl Fn(usize, usize) -> bool,
) -> Result<Vec<Vec<usize>>, AssignError> {
    if k == 0 || entries == 0 {
        return Ok(vec![Vec::new(); entries]);
    }
    if judges < k {
        return Err(AssignError::TooFewJudges { judges, k });
    }
    let work = entries * k;
    let low = work / judges;
    let high = work.div_ceil(judges);

    let mut net = Network::new(entries, judges);
    for e in 0..entries {
        net.add(net.source(), net.entry(e), k as i32);
        // Judges are tried from a different start for each entry, so the
        // first pass does not pile onto the first judges.
        for step in 0..judges {
            let j = (e * k + step) % judges;
            if !conflicted(e, j) {
                net.add(net.entry(e), net.judge(j), 1);
            }
        }
    }
    let sink_edges: Vec<usize> = (0..judges)
        .map(|j| net.add(net.judge(j), net.sink(), low as i32))
        .collect();
    let first = net.fill();
    let balanced_low = first == low * judges;
    for &edge in &sink_edges {
        net.capacity[edge] = high as i32;
    }
    let total = first + net.fill();

    let mut chosen = vec![Vec::new(); entries];
    for (e, judges_of_entry) in chosen.iter_mut().enumerate() {
        for &edge in &net.out[net.entry(e)] {
            let to = net.to[edge];
            if to >= net.judge(0) && to < net.sink() && net.flow(edge) > 0 {
                judges_of_entry.push(to - net.judge(0));
            }
        }
        judges_of_entry.sort_unstable();
    }
    if total < work {
        let short = (0..entries).filter(|&e| chosen[e].len() < k).collect();
        return Err(AssignError::Unfillable(short));
    }
    if !balanced_low {
        return Err(AssignError::Unbalanced);
    }
    Ok(chosen)
}

/// A residual network with edges stored in pairs (forward, backward).
struct Network {
    entries: usize,
    judges: usize,
    to: Vec<usize>,
    capacity: Vec<i32>,
    out: Vec<Vec<usize>>,
}

impl Network {
    fn new(entries: usize, judges: usize) -> Self {
        Self {
            entries,
            judges,
            to: Vec::new(),
            capacity: Vec::new(),
            out: vec![Vec::new(); entries + judges + 2],
        }
    }

    fn source(&self) -> usize {
        0
    }
    fn entry(&self, e: usize) -> usize {
        1 + e
    }
    fn judge(&self, j: usize) -> usize {
        1 + self.entries + j
    }
    fn sink(&self) -> usize {
        1 + self.entries + self.judges
    }

    /// Adds an edge and returns its index.
    fn add(&mut self, from: usize, to: usize, capacity: i32) -> usize {
        let id = self.to.len();
        self.to.extend([to, from]);
        self.capacity.extend([capacity, 0]);
        self.out[from].push(id);
        self.out[to].push(id + 1);
        id
    }

    fn flow(&self, edge: usize) -> i32 {
        self.capacity[edge ^ 1]
    }

    /// Pushes flow along shortest augmenting paths until none is left;
    /// returns how much was pushed.
    fn fill(&mut self) -> usize {
        let mut pushed = 0;
        loop {
            let mut via = vec![usize::MAX; self.out.len()];
            let mut queue = VecDeque::from([self.source()]);
            let mut seen = vec![false; self.out.len()];
            seen[self.source()] = true;
            while let Some(node) = queue.pop_front() {
                for &edge in &self.out[node] {
                    let next = self.to[edge];
                    if !seen[next] && self.capacity[edge] > 0 {
                        seen[next] = true;
                        via[next] = edge;
                        queue.push_back(next);
                    }
                }
            }
            if !seen[self.sink()] {
                return pushed;
            }
            let mut node = self.sink();
            while node != self.source() {
                let edge = via[node];
                self.capacity[edge] -= 1;
                self.capacity[edge ^ 1] += 1;
                node = self.to[edge ^ 1];
            }
            pushed += 1;
        }
    }
}

/// Each judge's number of entries in an assignment.
pub fn loads(assignment: &[Vec<usize>], judges: usize) -> Vec<usize> {
    let mut loads = vec![0; judges];
    for judge in assignment.iter().flatten() {
        loads[*judge] += 1;
    }
    loads
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        assignment: &[Vec<usize>],
        judges: usize,
        k: usize,
        conflicted: impl Fn(usize, usize) -> bool,
    ) {
        for (e, chosen) in assignment.iter().enumerate() {
            assert_eq!(chosen.len(), k, "entry {e} has {chosen:?}");
            for &j in chosen {
                assert!(!conflicted(e, j), "entry {e} got conflicted judge {j}");
            }
        }
        let loads = loads(assignment, judges);
        let (min, max) = (loads.iter().min().unwrap(), loads.iter().max().unwrap());
        assert!(max - min <= 1, "loads {loads:?}");
    }

    #[test]
    fn loads_differ_by_at_most_one() {
        for (entries, judges, k) in [(10, 4, 3), (7, 5, 2), (31, 7, 3), (1, 3, 3), (50, 9, 5)] {
            let got = balanced(entries, judges, k, |_, _| false).unwrap();
            check(&got, judges, k, |_, _| false);
        }
    }

    #[test]
    fn a_conflicted_judge_is_never_assigned_and_loads_stay_balanced() {
        // 12 entries x 3 judges over 5 judges: loads of 7 or 8. Judge 0 has
        // a conflict on entries 0..5 and judge 3 on every fourth, so both
        // can still reach 7.
        let conflicted = |e: usize, j: usize| (j == 0 && e < 5) || (j == 3 && e.is_multiple_of(4));
        let got = balanced(12, 5, 3, conflicted).unwrap();
        check(&got, 5, 3, conflicted);
    }

    #[test]
    fn an_entry_every_judge_conflicts_with_is_named() {
        let conflicted = |e: usize, j: usize| e == 2 && j != 0;
        assert_eq!(
            balanced(4, 3, 2, conflicted),
            Err(AssignError::Unfillable(vec![2]))
        );
    }

    #[test]
    fn more_judges_per_entry_than_the_council_has_is_refused() {
        assert_eq!(
            balanced(3, 2, 3, |_, _| false),
            Err(AssignError::TooFewJudges { judges: 2, k: 3 })
        );
    }

    #[test]
    fn balance_that_conflicts_forbid_is_reported() {
        // Judge 2 may score nothing, but balance needs one entry from each.
        let conflicted = |_: usize, j: usize| j == 2;
        assert_eq!(balanced(4, 3, 1, conflicted), Err(AssignError::Unbalanced));
    }
}
