use crate::Factor;

/// A customer's answer for one factor on the five-face scale, 1 to 5.
///
/// 1 is "very dissatisfied", 3 "neutral", 5 "very satisfied". The words a
/// person reads live in the kiosk's message catalogue, not here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rating(u8);

/// A number that is not on the 1–5 scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("rating {0} is outside 1 to 5")]
pub struct RatingOutOfRange(pub i64);

impl Rating {
    /// The lowest rating: very dissatisfied.
    pub const MIN: Rating = Rating(1);
    /// The highest rating: very satisfied.
    pub const MAX: Rating = Rating(5);
    /// Every rating, lowest first.
    pub const ALL: [Rating; 5] = [Rating(1), Rating(2), Rating(3), Rating(4), Rating(5)];

    /// A rating from a number, if it is on the 1–5 scale.
    pub fn new(value: i64) -> Result<Rating, RatingOutOfRange> {
        match value {
            1..=5 => Ok(Rating(value as u8)),
            _ => Err(RatingOutOfRange(value)),
        }
    }

    /// The rating as a number from 1 to 5.
    pub const fn value(self) -> u8 {
        self.0
    }

    /// Whether the customer was satisfied: a 4 or a 5.
    pub const fn is_satisfied(self) -> bool {
        self.0 >= 4
    }

    /// The rating on a 0–100 scale where the five faces weigh 0, 25, 50, 75 and 100.
    pub const fn index_points(self) -> u32 {
        (self.0 as u32 - 1) * 25
    }
}

/// The ratings a customer gave, at most one per factor. Any subset may be rated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Ratings([Option<Rating>; 5]);

impl Ratings {
    /// No factor rated yet.
    pub const fn none() -> Ratings {
        Ratings([None; 5])
    }

    /// The rating given for `factor`, if any.
    pub fn get(&self, factor: Factor) -> Option<Rating> {
        self.0[factor.index()]
    }

    /// Rates `factor`, replacing an earlier rating of it.
    pub fn set(&mut self, factor: Factor, rating: Rating) {
        self.0[factor.index()] = Some(rating);
    }

    /// The same ratings with `factor` rated `rating`.
    #[must_use]
    pub fn with(mut self, factor: Factor, rating: Rating) -> Ratings {
        self.set(factor, rating);
        self
    }

    /// Whether no factor has been rated.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    /// Whether every factor has been rated.
    pub fn is_full(&self) -> bool {
        self.0.iter().all(Option::is_some)
    }

    /// How many factors have been rated.
    pub fn count(&self) -> usize {
        self.0.iter().flatten().count()
    }

    /// The rated factors with their ratings, in [`Factor::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Factor, Rating)> + '_ {
        Factor::ALL
            .into_iter()
            .filter_map(|factor| self.get(factor).map(|rating| (factor, rating)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_to_five_are_ratings() {
        assert_eq!(Rating::new(0), Err(RatingOutOfRange(0)));
        assert_eq!(Rating::new(6), Err(RatingOutOfRange(6)));
        assert_eq!(Rating::new(-1), Err(RatingOutOfRange(-1)));
        let values: Vec<u8> = (1..=5)
            .map(|v| Rating::new(v).map(Rating::value))
            .collect::<Result<_, _>>()
            .expect("1 to 5 are valid");
        assert_eq!(values, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn four_and_five_count_as_satisfied() {
        let satisfied: Vec<bool> = Rating::ALL.iter().map(|r| r.is_satisfied()).collect();
        assert_eq!(satisfied, [false, false, false, true, true]);
    }

    #[test]
    fn index_points_weigh_faces_zero_to_hundred() {
        let points: Vec<u32> = Rating::ALL.iter().map(|r| r.index_points()).collect();
        assert_eq!(points, [0, 25, 50, 75, 100]);
    }

    #[test]
    fn rating_again_replaces_the_earlier_choice() {
        let ratings = Ratings::none()
            .with(Factor::Speed, Rating::MIN)
            .with(Factor::Speed, Rating::MAX);
        assert_eq!(ratings.get(Factor::Speed), Some(Rating::MAX));
        assert_eq!(ratings.count(), 1);
        assert!(!ratings.is_empty());
        assert!(!ratings.is_full());
        assert_eq!(
            ratings.iter().collect::<Vec<_>>(),
            [(Factor::Speed, Rating::MAX)]
        );
    }
}
