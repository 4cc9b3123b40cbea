//! Aggregation, ranking and prize allocation for a large edition: 10,000
//! entries × 7 judges × 5 criteria, in 10 fields. The target is under
//! 100 ms per edition. The baseline in the same run sums the same sheets'
//! totals, so the report also reads as a ratio to plain arithmetic.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use sangtao::domain::aggregate::{Method, Sheet, figures, weighted_total};
use sangtao::domain::points::Points;
use sangtao::domain::ranking::{BoundaryTie, PrizeLevel, Standing, near_boundary, rank_and_award};

const ENTRIES: usize = 10_000;
const JUDGES_PER_ENTRY: usize = 7;
const CRITERIA: usize = 5;
const FIELDS: usize = 10;
const PANEL: usize = 70;

/// Scores from a fixed linear congruential sequence: the same every run.
fn scores() -> Vec<(usize, usize, Vec<Points>)> {
    let mut state: u64 = 0x5EED;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as i64
    };
    let mut sheets = Vec::with_capacity(ENTRIES * JUDGES_PER_ENTRY);
    for entry in 0..ENTRIES {
        let field = entry % FIELDS;
        for k in 0..JUDGES_PER_ENTRY {
            // Seven judges of the field's panel, rotating.
            let judge = field * (PANEL / FIELDS) + (entry / FIELDS + k) % (PANEL / FIELDS);
            let criteria = (0..CRITERIA).map(|_| Points((next() % 41) * 50)).collect();
            sheets.push((entry, judge, criteria));
        }
    }
    sheets
}

fn edition(raw: &[(usize, usize, Vec<Points>)]) -> usize {
    let weights = [100; CRITERIA];
    let sheets: Vec<Sheet> = raw
        .iter()
        .map(|(entry, judge, scores)| Sheet {
            entry: *entry,
            judge: *judge,
            total: weighted_total(scores, &weights),
        })
        .collect();
    let all = figures(&sheets, ENTRIES, PANEL);
    let levels: Vec<PrizeLevel> = [("Nhất", 10), ("Nhì", 20), ("Ba", 30), ("Khuyến khích", 50)]
        .into_iter()
        .map(|(name, quota)| PrizeLevel {
            name: name.into(),
            quota,
        })
        .collect();
    let mut awarded = 0;
    for field in 0..FIELDS {
        let standings: Vec<Standing> = (field..ENTRIES)
            .step_by(FIELDS)
            .filter_map(|e| all[e])
            .map(|f| Standing {
                total: f.by(Method::Standardized),
                tie_breaks: vec![f.mean, f.median],
            })
            .collect();
        let placements = rank_and_award(&standings, &levels, Points(5500), BoundaryTie::MoveDown);
        let near = near_boundary(&standings, &placements, Points(5500), Points(200));
        awarded += placements.iter().filter(|p| p.prize.is_some()).count();
        awarded += near.iter().filter(|n| **n).count();
    }
    awarded
}

fn baseline(raw: &[(usize, usize, Vec<Points>)]) -> i64 {
    raw.iter()
        .map(|(_, _, s)| s.iter().map(|p| p.0).sum::<i64>())
        .sum()
}

fn bench(c: &mut Criterion) {
    let raw = scores();
    let mut group = c.benchmark_group("edition 10k x 7 x 5");
    group.sample_size(20);
    group.bench_function("baseline: sum every score", |b| {
        b.iter(|| baseline(black_box(&raw)))
    });
    group.bench_function("aggregate, rank and award", |b| {
        b.iter(|| edition(black_box(&raw)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
