//! Turning the judges' totals for an entry into one figure, four ways:
//! the mean, the median, the trimmed mean and the mean of per-judge
//! standardized scores. The edition picks the one that ranks; the others
//! stay beside it so the council can see when the choice matters.

use serde::{Deserialize, Serialize};

use super::points::{Points, mean};

/// How the judges' totals for an entry become the figure that ranks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Method {
    #[default]
    Mean,
    Median,
    /// The highest and the lowest total dropped, when at least five judges
    /// scored; the plain mean otherwise.
    Trimmed,
    /// Each judge's totals become z-scores over the entries that judge
    /// scored; an entry's mean z-score is mapped back onto the points scale
    /// with the mean and spread of all totals. A severe or a lenient judge
    /// then weighs like any other.
    Standardized,
}

impl Method {
    pub const ALL: [Method; 4] = [
        Method::Mean,
        Method::Median,
        Method::Trimmed,
        Method::Standardized,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            Method::Mean => "mean",
            Method::Median => "median",
            Method::Trimmed => "trimmed",
            Method::Standardized => "standardized",
        }
    }

    pub fn from_db(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_db() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Mean => "Trung bình cộng",
            Method::Median => "Trung vị",
            Method::Trimmed => "Trung bình bỏ cao nhất, thấp nhất",
            Method::Standardized => "Trung bình chuẩn hóa theo giám khảo",
        }
    }
}

/// Fewest judges for the trimmed mean to drop anything.
pub const TRIM_FROM: usize = 5;

/// The middle total; with an even count, the mean of the two middle ones,
/// rounded like every other mean.
pub fn median(values: &[Points]) -> Option<Points> {
    let mut sorted = values.to_vec();
    sorted.sort();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => mean(&sorted[n / 2 - 1..=n / 2]),
    }
}

/// The mean without the highest and the lowest total, from five judges up.
pub fn trimmed_mean(values: &[Points]) -> Option<Points> {
    if values.len() < TRIM_FROM {
        return mean(values);
    }
    let mut sorted = values.to_vec();
    sorted.sort();
    mean(&sorted[1..sorted.len() - 1])
}

/// The difference between the highest and the lowest total.
pub fn spread(values: &[Points]) -> Points {
    let high = values.iter().max().copied().unwrap_or_default();
    let low = values.iter().min().copied().unwrap_or_default();
    Points(high.0 - low.0)
}

/// One judge's complete sheet: which entry, which judge, what total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sheet {
    pub entry: usize,
    pub judge: usize,
    pub total: Points,
}

/// The standardized figure of each of `entries` entries (None for an entry
/// no sheet scored).
///
/// A judge who scored one entry, or gave every entry the same total, has
/// no spread to standardize by; their sheets count as z = 0, the middle.
/// The arithmetic runs in floats and is rounded half away from zero to a
/// hundredth at the end: this figure is computed, never stored. It stays
/// within the lowest and highest total any judge gave, so it never shows
/// a score the rubric cannot give (over the maximum, or negative).
pub fn standardized(sheets: &[Sheet], entries: usize, judges: usize) -> Vec<Option<Points>> {
    let (all_mean, all_sd) = mean_and_sd(sheets.iter().map(|s| s.total.0 as f64));
    let lowest = sheets.iter().map(|s| s.total.0).min().unwrap_or_default();
    let highest = sheets.iter().map(|s| s.total.0).max().unwrap_or_default();

    let mut per_judge = vec![(0.0_f64, 0.0_f64, 0_usize); judges];
    for sheet in sheets {
        let slot = &mut per_judge[sheet.judge];
        slot.0 += sheet.total.0 as f64;
        slot.2 += 1;
    }
    for slot in &mut per_judge {
        if slot.2 > 0 {
            slot.0 /= slot.2 as f64;
        }
    }
    for sheet in sheets {
        let slot = &mut per_judge[sheet.judge];
        let d = sheet.total.0 as f64 - slot.0;
        slot.1 += d * d;
    }

    let mut sums = vec![(0.0_f64, 0_usize); entries];
    for sheet in sheets {
        let (judge_mean, squares, count) = per_judge[sheet.judge];
        let sd = (squares / count as f64).sqrt();
        let z = if sd > 0.0 {
            (sheet.total.0 as f64 - judge_mean) / sd
        } else {
            0.0
        };
        sums[sheet.entry].0 += z;
        sums[sheet.entry].1 += 1;
    }
    sums.into_iter()
        .map(|(z, count)| {
            (count > 0).then(|| {
                let mapped = (all_mean + all_sd * z / count as f64).round() as i64;
                Points(mapped.clamp(lowest, highest))
            })
        })
        .collect()
}

fn mean_and_sd(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let (sum, count) = values
        .clone()
        .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    if count == 0 {
        return (0.0, 0.0);
    }
    let mean = sum / count as f64;
    let squares: f64 = values.map(|v| (v - mean) * (v - mean)).sum();
    (mean, (squares / count as f64).sqrt())
}

/// Every figure for one entry, side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Figures {
    pub mean: Points,
    pub median: Points,
    pub trimmed: Points,
    pub standardized: Points,
    pub spread: Points,
    pub judges: u32,
}

impl Figures {
    pub fn by(&self, method: Method) -> Points {
        match method {
            Method::Mean => self.mean,
            Method::Median => self.median,
            Method::Trimmed => self.trimmed,
            Method::Standardized => self.standardized,
        }
    }
}

/// The figures of every entry from the complete sheets of one round.
/// Entries with no sheet get `None`.
pub fn figures(sheets: &[Sheet], entries: usize, judges: usize) -> Vec<Option<Figures>> {
    let mut totals: Vec<Vec<Points>> = vec![Vec::new(); entries];
    for sheet in sheets {
        totals[sheet.entry].push(sheet.total);
    }
    let standardized = standardized(sheets, entries, judges);
    totals
        .iter()
        .zip(standardized)
        .map(|(values, standardized)| {
            Some(Figures {
                mean: mean(values)?,
                median: median(values)?,
                trimmed: trimmed_mean(values)?,
                standardized: standardized?,
                spread: spread(values),
                judges: values.len() as u32,
            })
        })
        .collect()
}

/// A judge's total with criterion weights in percent (100 = counts once),
/// rounded half up to a hundredth.
pub fn weighted_total(scores: &[Points], weights: &[u32]) -> Points {
    let sum: i64 = scores
        .iter()
        .zip(weights)
        .map(|(score, &weight)| score.0 * i64::from(weight))
        .sum();
    Points((sum + 50).div_euclid(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(points: &[i64]) -> Vec<Points> {
        points.iter().map(|&v| Points::from_whole(v)).collect()
    }

    #[test]
    fn median_takes_the_middle_or_the_mean_of_the_two_middles() {
        assert_eq!(median(&p(&[70, 90, 80])), Some(Points(8000)));
        assert_eq!(median(&p(&[70, 75, 90, 80])), Some(Points(7750)));
        assert_eq!(median(&[Points(7001), Points(7002)]), Some(Points(7002)));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn trimmed_mean_drops_one_highest_and_one_lowest_from_five_judges() {
        // 60 and 95 dropped: (70 + 75 + 80) / 3 = 75.
        assert_eq!(trimmed_mean(&p(&[95, 70, 60, 80, 75])), Some(Points(7500)));
        // Four judges: the plain mean, (60 + 70 + 80 + 95) / 4 = 76.25.
        assert_eq!(trimmed_mean(&p(&[95, 70, 60, 80])), Some(Points(7625)));
        // Only one copy of a repeated extreme is dropped: (80+80+90)/3.
        assert_eq!(trimmed_mean(&p(&[80, 80, 80, 90, 90])), Some(Points(8333)));
    }

    #[test]
    fn a_standardized_figure_stays_within_the_totals_given() {
        // Judge 0 gave four entries 50 and one 100, which is 2 deviations
        // above their mean; mapped back over all totals (mean 57.14,
        // deviation 31.94) that entry would get 121.03 on a 100-point rubric.
        let sheet = |judge, entry, total| Sheet {
            entry,
            judge,
            total: Points::from_whole(total),
        };
        let mut sheets = vec![sheet(1, 0, 0), sheet(1, 1, 100), sheet(0, 6, 100)];
        sheets.extend((2..6).map(|entry| sheet(0, entry, 50)));
        let got = standardized(&sheets, 7, 2);
        assert_eq!(got[6], Some(Points(10000)), "held at the highest total");
        assert_eq!(
            got[1],
            Some(Points(8909)),
            "57.14 + 31.94, inside the range"
        );
    }

    #[test]
    fn spread_is_highest_minus_lowest() {
        assert_eq!(spread(&p(&[70, 92, 81])), Points::from_whole(22));
        assert_eq!(spread(&[]), Points(0));
    }

    #[test]
    fn standardized_scores_remove_a_judges_severity() {
        // Judge 0 is lenient (90, 80), judge 1 severe (60, 50): both put
        // entry 0 ten points above entry 1. All totals: 90 80 60 50, mean
        // 70, population sd sqrt(250) = 15.81. Each judge's z-scores are
        // +1 for entry 0 and -1 for entry 1, so entry 0 maps to 70 + 15.81
        // and entry 1 to 70 - 15.81.
        let sheets = [
            Sheet {
                entry: 0,
                judge: 0,
                total: Points::from_whole(90),
            },
            Sheet {
                entry: 1,
                judge: 0,
                total: Points::from_whole(80),
            },
            Sheet {
                entry: 0,
                judge: 1,
                total: Points::from_whole(60),
            },
            Sheet {
                entry: 1,
                judge: 1,
                total: Points::from_whole(50),
            },
        ];
        assert_eq!(
            standardized(&sheets, 2, 2),
            vec![Some(Points(8581)), Some(Points(5419))]
        );
    }

    #[test]
    fn standardized_counts_a_judge_without_spread_as_the_middle() {
        // Judge 1 scored one entry only: z = 0 there. Judge 0: 80 and 60,
        // z = +1 and -1. Totals 80 60 75: mean 71.67, sd 8.50.
        // Entry 0: (1 + 0) / 2 = 0.5 -> 71.67 + 4.25 = 75.92.
        let sheets = [
            Sheet {
                entry: 0,
                judge: 0,
                total: Points::from_whole(80),
            },
            Sheet {
                entry: 1,
                judge: 0,
                total: Points::from_whole(60),
            },
            Sheet {
                entry: 0,
                judge: 1,
                total: Points::from_whole(75),
            },
        ];
        let got = standardized(&sheets, 3, 2);
        assert_eq!(got, vec![Some(Points(7592)), Some(Points(6317)), None]);
    }

    #[test]
    fn figures_put_every_method_side_by_side() {
        let totals = [95, 70, 60, 80, 75];
        let sheets: Vec<Sheet> = totals
            .iter()
            .enumerate()
            .map(|(judge, &t)| Sheet {
                entry: 0,
                judge,
                total: Points::from_whole(t),
            })
            .collect();
        let got = figures(&sheets, 2, 5);
        let first = got[0].expect("entry 0 was scored");
        assert_eq!(first.mean, Points(7600));
        assert_eq!(first.median, Points(7500));
        assert_eq!(first.trimmed, Points(7500));
        // One entry per judge: nobody has a spread, every z is 0, so the
        // figure is the mean of all totals.
        assert_eq!(first.standardized, Points(7600));
        assert_eq!(first.spread, Points::from_whole(35));
        assert_eq!(first.judges, 5);
        assert_eq!(first.by(Method::Median), Points(7500));
        assert_eq!(got[1], None);
    }

    #[test]
    fn weights_scale_each_criterion() {
        let scores = [Points(2500), Points(2000), Points(850)];
        assert_eq!(weighted_total(&scores, &[100, 100, 100]), Points(5350));
        assert_eq!(weighted_total(&scores, &[200, 100, 50]), Points(7425));
        assert_eq!(weighted_total(&[Points(1)], &[50]), Points(1));
    }

    #[test]
    fn methods_round_trip_through_storage() {
        for method in Method::ALL {
            assert_eq!(Method::from_db(method.as_db()), Some(method));
        }
        assert_eq!(Method::from_db("mode"), None);
    }
}
