//! What a set of responses says about the store: counts, averages, share satisfied.

use crate::{Factor, Rating, Ratings, Response};

/// How one factor was rated across a set of responses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FactorSummary {
    /// How many times each face was chosen: index 0 is rating 1, index 4 rating 5.
    pub distribution: [u32; 5],
}

impl FactorSummary {
    /// Adds one rating.
    pub fn add(&mut self, rating: Rating) {
        self.distribution[usize::from(rating.value() - 1)] += 1;
    }

    /// How many responses rated this factor.
    pub fn count(&self) -> u32 {
        self.distribution.iter().sum()
    }

    fn weighted(&self, weight: impl Fn(Rating) -> f64) -> Option<f64> {
        let count = self.count();
        (count > 0).then(|| {
            let total: f64 = Rating::ALL
                .iter()
                .zip(self.distribution)
                .map(|(&rating, n)| weight(rating) * f64::from(n))
                .sum();
            total / f64::from(count)
        })
    }

    /// The mean rating from 1 to 5; `None` when nobody rated this factor.
    pub fn average(&self) -> Option<f64> {
        self.weighted(|rating| f64::from(rating.value()))
    }

    /// The share of ratings that were 4 or 5, from 0.0 to 1.0; `None` when unrated.
    pub fn share_satisfied(&self) -> Option<f64> {
        self.weighted(|rating| if rating.is_satisfied() { 1.0 } else { 0.0 })
    }

    /// The 0–100 index where the faces weigh 0, 25, 50, 75, 100; `None` when unrated.
    pub fn index(&self) -> Option<f64> {
        self.weighted(|rating| f64::from(rating.index_points()))
    }
}

/// A summary of a set of responses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Responses sent by the customer.
    pub complete: u32,
    /// Responses saved when the customer walked away part way.
    pub partial: u32,
    /// Per factor, in [`Factor::ALL`] order.
    pub factors: [FactorSummary; 5],
}

impl Summary {
    /// Summarises `responses`.
    pub fn of<'a>(responses: impl IntoIterator<Item = &'a Response>) -> Summary {
        let mut summary = Summary::default();
        for response in responses {
            summary.add(response);
        }
        summary
    }

    /// Adds one response.
    pub fn add(&mut self, response: &Response) {
        self.add_rated(&response.ratings, response.complete);
    }

    /// Adds one response given only what a summary needs: its ratings and
    /// whether the customer sent it.
    pub fn add_rated(&mut self, ratings: &Ratings, complete: bool) {
        if complete {
            self.complete += 1;
        } else {
            self.partial += 1;
        }
        for (factor, rating) in ratings.iter() {
            self.factors[factor.index()].add(rating);
        }
    }

    /// Adds every count of `other`, as if its responses were added one by
    /// one: how summaries of parts (hours, days, stores) make the whole.
    pub fn merge(&mut self, other: &Summary) {
        self.complete += other.complete;
        self.partial += other.partial;
        for (mine, theirs) in self.factors.iter_mut().zip(&other.factors) {
            for (m, t) in mine.distribution.iter_mut().zip(theirs.distribution) {
                *m += t;
            }
        }
    }

    /// How many responses, complete and partial.
    pub fn responses(&self) -> u32 {
        self.complete + self.partial
    }

    /// The summary of one factor.
    pub fn factor(&self, factor: Factor) -> &FactorSummary {
        &self.factors[factor.index()]
    }

    /// The factor with the lowest share satisfied (ties: lower average, then
    /// the earlier factor); `None` when nothing was rated.
    pub fn weakest(&self) -> Option<Factor> {
        Factor::ALL
            .into_iter()
            .filter_map(|factor| {
                let summary = self.factor(factor);
                Some((factor, summary.share_satisfied()?, summary.average()?))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.2.total_cmp(&b.2)))
            .map(|(factor, _, _)| factor)
    }

    /// The 0–100 index of every rating of every factor together (faces
    /// weigh 0, 25, 50, 75, 100); `None` when nothing was rated. Ranks
    /// stores "worst first".
    pub fn index(&self) -> Option<f64> {
        let mut all = FactorSummary::default();
        for factor in &self.factors {
            for (total, n) in all.distribution.iter_mut().zip(factor.distribution) {
                *total += n;
            }
        }
        all.index()
    }

    /// How many whole index points `self` gained on `before` (negative: lost);
    /// `None` unless both have ratings.
    pub fn index_change(&self, before: &Summary) -> Option<i32> {
        Some((self.index()?.round() - before.index()?.round()) as i32)
    }

    /// [`Summary::weakest`] with its share satisfied, 0–1.
    pub fn weakest_share(&self) -> Option<(Factor, f64)> {
        let factor = self.weakest()?;
        Some((factor, self.factor(factor).share_satisfied()?))
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::{Ratings, ResponseId, Timestamp};

    fn response(n: u128, complete: bool, ratings: &[(Factor, i64)]) -> Response {
        let mut all = Ratings::none();
        for &(factor, value) in ratings {
            all.set(factor, Rating::new(value).expect("on scale"));
        }
        Response::new(
            ResponseId(Uuid::from_u128(n)),
            Timestamp(0),
            all,
            None,
            complete,
        )
        .expect("rated")
    }

    #[test]
    fn nothing_rated_gives_no_numbers_rather_than_zero() {
        let summary = Summary::of(&[]);
        assert_eq!(summary.responses(), 0);
        for factor in Factor::ALL {
            assert_eq!(summary.factor(factor).average(), None);
            assert_eq!(summary.factor(factor).share_satisfied(), None);
            assert_eq!(summary.factor(factor).index(), None);
        }
        assert_eq!(summary.weakest(), None);
    }

    #[test]
    fn hand_computed_dataset() {
        use Factor::*;
        let responses = [
            response(1, true, &[(Speed, 1), (Hygiene, 5), (Comfort, 4)]),
            response(2, true, &[(Speed, 2), (Hygiene, 4)]),
            response(3, false, &[(Speed, 5)]),
            response(4, true, &[(Speed, 4), (Hygiene, 3), (Comfort, 4)]),
        ];
        let summary = Summary::of(&responses);
        assert_eq!((summary.complete, summary.partial), (3, 1));
        let speed = summary.factor(Speed);
        assert_eq!(speed.distribution, [1, 1, 0, 1, 1]);
        assert_eq!(speed.average(), Some(3.0)); // (1+2+5+4)/4
        assert_eq!(speed.share_satisfied(), Some(0.5));
        assert_eq!(speed.index(), Some(50.0)); // (0+25+100+75)/4
        let hygiene = summary.factor(Hygiene);
        assert_eq!(hygiene.count(), 3);
        assert_eq!(hygiene.average(), Some(4.0));
        assert!((hygiene.share_satisfied().expect("rated") - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(summary.factor(Friendliness).count(), 0);
        assert_eq!(summary.weakest(), Some(Speed));
    }

    #[test]
    fn merging_summaries_of_parts_equals_the_summary_of_the_whole() {
        use Factor::*;
        let responses = [
            response(1, true, &[(Speed, 1), (Hygiene, 5)]),
            response(2, false, &[(Speed, 4)]),
            response(3, true, &[(Comfort, 2), (Speed, 4)]),
        ];
        let mut parts = Summary::of(&responses[..1]);
        parts.merge(&Summary::of(&responses[1..]));
        assert_eq!(parts, Summary::of(&responses));
    }

    #[test]
    fn the_overall_index_pools_every_rating_and_compares_periods() {
        let mut now = Summary::default();
        now.factors[0].distribution = [0, 0, 0, 0, 2]; // 100, 100
        now.factors[1].distribution = [1, 0, 0, 0, 0]; // 0
        let mut before = Summary::default();
        before.factors[2].distribution = [0, 0, 1, 0, 0]; // 50
        assert!((now.index().expect("rated") - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(now.index_change(&before), Some(17));
        assert_eq!(before.index_change(&now), Some(-17));
        assert_eq!(Summary::default().index(), None);
        assert_eq!(now.index_change(&Summary::default()), None);
    }

    #[test]
    fn weakest_breaks_ties_by_average() {
        use Factor::*;
        let responses = [
            response(1, true, &[(Comfort, 3), (Security, 1)]),
            response(2, true, &[(Comfort, 4), (Security, 4)]),
        ];
        // Both 50% satisfied; security averages 2.5, comfort 3.5.
        assert_eq!(Summary::of(&responses).weakest(), Some(Security));
    }
}
