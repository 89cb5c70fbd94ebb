//! What the dashboard reads from the collector's API, and the periods it
//! asks for. Figures are rebuilt into the domain crate's [`Summary`] so the
//! shared components draw them exactly as the kiosk does.

use feedback_domain::report::TrendPoint;
use feedback_domain::{Factor, FactorSummary, ReasonCode, ReasonTally, Summary};
use serde::Deserialize;

/// One factor of a summary or trend bucket, as the API sends it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct FactorFigures {
    /// The factor's key.
    pub factor: String,
    /// How many chose each face, rating 1 first.
    pub distribution: [u32; 5],
    /// The reasons named after ratings of 1 or 2 (summaries only).
    #[serde(default)]
    pub reasons: Vec<ReasonFigures>,
}

/// One reason of a factor, as the API sends it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct ReasonFigures {
    /// The reason's code.
    pub code: String,
    /// How many responses named it.
    pub count: u32,
}

/// `GET /v1/summary` (and each half of an overview row).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct SummaryFigures {
    /// Responses the customer sent.
    pub complete: u32,
    /// Responses saved when the customer walked away.
    pub partial: u32,
    /// Per factor.
    pub factors: Vec<FactorFigures>,
}

impl SummaryFigures {
    /// The domain summary these figures describe.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            complete: self.complete,
            partial: self.partial,
            ..Summary::default()
        };
        for figures in &self.factors {
            if let Ok(factor) = figures.factor.parse::<Factor>() {
                summary.factors[factor.index()] = FactorSummary {
                    distribution: figures.distribution,
                };
            }
        }
        summary
    }

    /// The reasons these figures name.
    pub fn reasons(&self) -> ReasonTally {
        let mut tally = ReasonTally::default();
        for figures in &self.factors {
            let Ok(factor) = figures.factor.parse::<Factor>() else {
                continue;
            };
            for reason in &figures.reasons {
                if let Ok(code) = ReasonCode::parse(&reason.code) {
                    tally.add_count(factor, code, reason.count);
                }
            }
        }
        tally
    }
}

/// One row of `GET /v1/overview`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct OverviewRow {
    /// The store.
    pub store_id: String,
    /// The period.
    pub summary: SummaryFigures,
    /// The period before it.
    pub previous: SummaryFigures,
}

/// `GET /v1/overview`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Overview {
    /// One row per store.
    pub stores: Vec<OverviewRow>,
}

pub use feedback_domain::heartbeat::{KioskList, KioskRow};

/// One bucket of `GET /v1/trend`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct TrendBucket {
    /// Where it starts, RFC 3339 in the store's local time.
    pub start: String,
    /// Responses in it.
    pub responses: u32,
    /// Per factor.
    pub factors: Vec<FactorFigures>,
}

/// `GET /v1/trend`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Trend {
    /// The buckets, oldest first.
    pub buckets: Vec<TrendBucket>,
}

impl TrendBucket {
    /// The bucket as the shared trend chart draws it: `key` is the local
    /// day number (or hour number when `hourly`) of its start.
    pub fn point(&self, hourly: bool) -> TrendPoint {
        let (mut ratings, mut rating_sum) = (0, 0);
        for factor in &self.factors {
            for (face, n) in (1..).zip(factor.distribution) {
                ratings += n;
                rating_sum += face * n;
            }
        }
        let day = local_day(&self.start).unwrap_or(0);
        let hour = self.start.get(11..13).and_then(|h| h.parse::<i64>().ok());
        TrendPoint {
            key: if hourly {
                day * 24 + hour.unwrap_or(0)
            } else {
                day
            },
            responses: self.responses,
            ratings,
            rating_sum,
        }
    }
}

/// Days since 1970-01-01 of the date an RFC 3339 text starts with.
pub fn local_day(text: &str) -> Option<i64> {
    let year: i64 = text.get(0..4)?.parse().ok()?;
    let month: i64 = text.get(5..7)?.parse().ok()?;
    let day: i64 = text.get(8..10)?.parse().ok()?;
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_day_numbers() {
        assert_eq!(local_day("1970-01-01"), Some(0));
        assert_eq!(local_day("2026-03-29T02:00:00+02:00"), Some(20_541));
        assert_eq!(local_day("garbage"), None);
    }
}
