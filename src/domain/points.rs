//! Points as exact hundredths: scores, maxima, floors and means never pass
//! through a float, so the screen and the workbook round alike.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount of points in hundredths (27.5 points is `Points(2750)`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Points(pub i64);

/// Why a typed score was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("điểm không phải là số")]
    NotANumber,
    #[error("điểm chỉ có tối đa hai chữ số thập phân")]
    TooPrecise,
    #[error("điểm không được âm")]
    Negative,
    #[error("điểm vượt quá tối đa {max}")]
    OverMaximum { max: Points },
    #[error("điểm phải là bội số của {step}")]
    OffStep { step: Points },
}

impl Points {
    pub fn from_whole(points: i64) -> Self {
        Self(points * 100)
    }

    /// Reads "8,5", "8.5", " 9 " or "27.25"; at most two decimals.
    pub fn parse(raw: &str) -> Result<Self, ScoreError> {
        let value = raw.trim().replace(',', ".");
        let (negative, digits) = match value.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, value.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty())
            || !all_digits(whole)
            || !all_digits(fraction)
            || whole.len() > 9
        {
            return Err(ScoreError::NotANumber);
        }
        if fraction.len() > 2 {
            return Err(ScoreError::TooPrecise);
        }
        // ",5" is half a point.
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| ScoreError::NotANumber)?
        };
        let fraction: i64 = format!("{fraction:0<2}")
            .parse()
            .map_err(|_| ScoreError::NotANumber)?;
        let centi = whole * 100 + fraction;
        Ok(Self(if negative { -centi } else { centi }))
    }

    /// The points as a float, for a spreadsheet cell only.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

/// Writes points the Vietnamese way, with a decimal comma and no trailing
/// zeros: 27,5; 30; 78,25.
impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.abs();
        let (whole, cents) = (abs / 100, abs % 100);
        match cents {
            0 => write!(f, "{sign}{whole}"),
            c if c % 10 == 0 => write!(f, "{sign}{whole},{}", c / 10),
            c => write!(f, "{sign}{whole},{c:02}"),
        }
    }
}

/// Checks one criterion's score against its maximum and the edition's step.
pub fn check_score(score: Points, max: Points, step: Points) -> Result<Points, ScoreError> {
    if score.0 < 0 {
        return Err(ScoreError::Negative);
    }
    if score > max {
        return Err(ScoreError::OverMaximum { max });
    }
    if step.0 > 0 && score.0 % step.0 != 0 {
        return Err(ScoreError::OffStep { step });
    }
    Ok(score)
}

/// The mean of some amounts, rounded half up to a hundredth of a point:
/// the one rounding the results page and the workbook both use.
pub fn mean(values: &[Points]) -> Option<Points> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as i64;
    let sum: i64 = values.iter().map(|p| p.0).sum();
    let rounded = if sum >= 0 {
        (2 * sum + n) / (2 * n)
    } else {
        -((-2 * sum + n) / (2 * n))
    };
    Some(Points(rounded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_decimal_commas_and_text_numbers() {
        assert_eq!(Points::parse("8,5"), Ok(Points(850)));
        assert_eq!(Points::parse(" 9 "), Ok(Points(900)));
        assert_eq!(Points::parse("22.5"), Ok(Points(2250)));
        assert_eq!(Points::parse("-2"), Ok(Points(-200)));
        assert_eq!(Points::parse("abc"), Err(ScoreError::NotANumber));
        assert_eq!(Points::parse("1.234"), Err(ScoreError::TooPrecise));
        assert_eq!(Points::parse(",5"), Ok(Points(50)));
        assert_eq!(Points::parse(","), Err(ScoreError::NotANumber));
        assert_eq!(Points::parse(""), Err(ScoreError::NotANumber));
    }

    #[test]
    fn score_within_bounds_and_step_is_accepted() {
        let (max, step) = (Points::from_whole(30), Points(50));
        assert_eq!(check_score(Points(0), max, step), Ok(Points(0)));
        assert_eq!(check_score(Points(2750), max, step), Ok(Points(2750)));
        assert_eq!(check_score(Points(3000), max, step), Ok(Points(3000)));
    }

    #[test]
    fn score_over_maximum_negative_or_off_step_is_refused() {
        let (max, step) = (Points::from_whole(30), Points(50));
        assert_eq!(
            check_score(Points(3050), max, step),
            Err(ScoreError::OverMaximum { max })
        );
        assert_eq!(
            check_score(Points(-50), max, step),
            Err(ScoreError::Negative)
        );
        assert_eq!(
            check_score(Points(2725), max, step),
            Err(ScoreError::OffStep { step })
        );
    }

    #[test]
    fn mean_rounds_half_up_to_a_hundredth() {
        assert_eq!(
            mean(&[Points(7000), Points(7050), Points(7050)]),
            Some(Points(7033))
        );
        assert_eq!(mean(&[Points(1), Points(2)]), Some(Points(2)));
        assert_eq!(mean(&[]), None);
    }

    #[test]
    fn shows_points_with_a_decimal_comma() {
        assert_eq!(Points(2750).to_string(), "27,5");
        assert_eq!(Points(3000).to_string(), "30");
        assert_eq!(Points(7825).to_string(), "78,25");
    }
}
