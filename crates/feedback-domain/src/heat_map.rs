//! When customers are satisfied: the share of ratings of 4 or 5 by local
//! weekday and hour, over a period. The collector fills one from its hourly
//! tallies; the dashboard draws it.

use serde::{Deserialize, Serialize};

use crate::{Factor, Summary};

/// Ratings by weekday (0 Monday to 6 Sunday) and hour (0 to 23).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeatMap {
    /// Per weekday, Monday first, per hour: ratings of 4 or 5.
    pub satisfied: [[u32; 24]; 7],
    /// Per weekday, Monday first, per hour: all ratings.
    pub rated: [[u32; 24]; 7],
}

impl HeatMap {
    /// Counts `summary` (an hour's) in `weekday` (0 Monday) and `hour`:
    /// every factor's ratings, or only `only`'s. Out-of-range cells are
    /// ignored.
    pub fn add(&mut self, weekday: usize, hour: usize, summary: &Summary, only: Option<Factor>) {
        let (Some(satisfied), Some(rated)) = (
            self.satisfied
                .get_mut(weekday)
                .and_then(|d| d.get_mut(hour)),
            self.rated.get_mut(weekday).and_then(|d| d.get_mut(hour)),
        ) else {
            return;
        };
        for factor in Factor::ALL {
            if only.is_some_and(|only| only != factor) {
                continue;
            }
            let figures = summary.factor(factor);
            *satisfied += figures.distribution[3] + figures.distribution[4];
            *rated += figures.count();
        }
    }

    /// The share satisfied in a cell, 0–1; `None` when nothing was rated.
    pub fn share(&self, weekday: usize, hour: usize) -> Option<f64> {
        let rated = *self.rated.get(weekday)?.get(hour)?;
        let satisfied = *self.satisfied.get(weekday)?.get(hour)?;
        (rated > 0).then(|| f64::from(satisfied) / f64::from(rated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_count_satisfied_ratings_of_every_factor_or_one() {
        let mut hour = Summary::default();
        hour.factors[Factor::Speed.index()].distribution = [1, 0, 0, 1, 1];
        hour.factors[Factor::Hygiene.index()].distribution = [0, 0, 0, 0, 1];
        let mut map = HeatMap::default();
        map.add(0, 9, &hour, None);
        map.add(0, 9, &hour, None);
        assert_eq!(map.share(0, 9), Some(6.0 / 8.0));
        assert_eq!(map.share(0, 10), None);
        let mut speed = HeatMap::default();
        speed.add(6, 23, &hour, Some(Factor::Speed));
        assert_eq!(speed.share(6, 23), Some(2.0 / 3.0));
        speed.add(7, 0, &hour, None);
        speed.add(0, 24, &hour, None);
        assert_eq!(speed.rated.iter().flatten().sum::<u32>(), 3);
    }
}
