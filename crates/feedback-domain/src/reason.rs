//! Why a customer was unhappy: the reasons a kiosk offers after a low
//! rating (1 or 2), by stable code.
//!
//! A code is what travels and is counted; the words shown for it belong to
//! each kiosk's language catalogue (or to its `kiosk.json`). Codes are
//! written as English words joined by `_` (`long_queue`), so readers with no
//! catalogue, such as the collector's reports, show [`ReasonCode::label`].

use std::fmt;

use crate::{Factor, Rating, Ratings};

/// Most reasons a kiosk offers, and a customer may choose, for one factor.
pub const MAX_REASONS_PER_FACTOR: usize = 6;

/// Longest reason code, in characters.
pub const MAX_REASON_CODE_CHARS: usize = 32;

/// The reasons every kiosk offers unless its `kiosk.json` replaces them, in
/// [`Factor::ALL`] order, each in the order shown. Four per factor, so each
/// language catalogue's words for them are checked by the compiler.
pub const DEFAULT_REASONS: [[&str; 4]; 5] = [
    // Friendliness
    [
        "unfriendly_staff",
        "nobody_to_help",
        "not_greeted",
        "rushed",
    ],
    // Speed
    [
        "long_queue",
        "slow_checkout",
        "not_enough_staff",
        "hard_to_find_things",
    ],
    // Comfort
    ["crowded", "too_hot_or_cold", "noisy", "nowhere_to_sit"],
    // Hygiene
    ["dirty_floor", "toilets", "trolleys_and_baskets", "smell"],
    // Security
    ["felt_unsafe", "poor_lighting", "car_park", "blocked_aisles"],
];

/// A reason's stable code: 1 to 32 of `a`–`z`, `0`–`9` and `_`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReasonCode(String);

/// Text that is not a reason code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a reason code (1 to 32 of a-z, 0-9 and _)")]
pub struct BadReasonCode(pub String);

impl ReasonCode {
    /// The code, if `text` is one.
    pub fn parse(text: &str) -> Result<ReasonCode, BadReasonCode> {
        let valid = (1..=MAX_REASON_CODE_CHARS).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if valid {
            Ok(ReasonCode(text.to_owned()))
        } else {
            Err(BadReasonCode(text.to_owned()))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Words for the code where no catalogue has any: `long_queue` → "long queue".
    pub fn label(&self) -> String {
        // Byte by byte (codes are ASCII): no string search code in the kiosk.
        let spaced = |b: u8| char::from(if b == b'_' { b' ' } else { b });
        self.0.bytes().map(spaced).collect()
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a rating asks why: 1 or 2.
pub const fn asks_why(rating: Rating) -> bool {
    rating.value() <= 2
}

/// The reasons a customer chose, per factor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Reasons([Vec<ReasonCode>; 5]);

/// Reasons that cannot belong to a response.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReasonsError {
    /// A code is not a reason code.
    #[error(transparent)]
    BadCode(#[from] BadReasonCode),
    /// More than [`MAX_REASONS_PER_FACTOR`] for one factor.
    #[error("{factor} has {count} reasons, more than the {MAX_REASONS_PER_FACTOR} allowed")]
    TooMany {
        /// The factor.
        factor: Factor,
        /// How many were given.
        count: usize,
    },
    /// The same reason twice for one factor.
    #[error("{factor} names reason \"{code}\" twice")]
    Repeated {
        /// The factor.
        factor: Factor,
        /// The code.
        code: ReasonCode,
    },
    /// Reasons for a factor not rated 1 or 2.
    #[error("{0} has reasons but is not rated 1 or 2")]
    NotLow(Factor),
}

impl Reasons {
    /// No reasons.
    pub fn none() -> Reasons {
        Reasons::default()
    }

    /// The reasons chosen for `factor`, in the order chosen.
    pub fn get(&self, factor: Factor) -> &[ReasonCode] {
        &self.0[factor.index()]
    }

    /// Sets the reasons for `factor`, if they are at most
    /// [`MAX_REASONS_PER_FACTOR`] different codes.
    pub fn set(&mut self, factor: Factor, codes: Vec<ReasonCode>) -> Result<(), ReasonsError> {
        if codes.len() > MAX_REASONS_PER_FACTOR {
            return Err(ReasonsError::TooMany {
                factor,
                count: codes.len(),
            });
        }
        for (i, code) in codes.iter().enumerate() {
            if codes[..i].contains(code) {
                return Err(ReasonsError::Repeated {
                    factor,
                    code: code.clone(),
                });
            }
        }
        self.0[factor.index()] = codes;
        Ok(())
    }

    /// Chooses `code` for `factor`, or unchooses it if it was chosen; a
    /// seventh is not taken.
    pub fn toggle(&mut self, factor: Factor, code: ReasonCode) {
        let codes = &mut self.0[factor.index()];
        match codes.iter().position(|c| *c == code) {
            Some(i) => {
                codes.remove(i);
            }
            None if codes.len() < MAX_REASONS_PER_FACTOR => codes.push(code),
            None => {}
        }
    }

    /// Drops the reasons chosen for `factor` (its rating is no longer low).
    pub fn clear(&mut self, factor: Factor) {
        self.0[factor.index()].clear();
    }

    /// Whether no factor has reasons.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Vec::is_empty)
    }

    /// Each factor with reasons, in [`Factor::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Factor, &[ReasonCode])> {
        Factor::ALL
            .into_iter()
            .map(|factor| (factor, self.get(factor)))
            .filter(|(_, codes)| !codes.is_empty())
    }

    /// Checks that only factors rated 1 or 2 have reasons.
    pub fn check(&self, ratings: &Ratings) -> Result<(), ReasonsError> {
        match self
            .iter()
            .find(|(factor, _)| !ratings.get(*factor).is_some_and(asks_why))
        {
            Some((factor, _)) => Err(ReasonsError::NotLow(factor)),
            None => Ok(()),
        }
    }
}

/// How often each reason was named, per factor: what summaries of a period
/// add to the ratings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReasonTally([Vec<(ReasonCode, u32)>; 5]);

/// One reason among the most named for a factor.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedReason {
    /// The reason.
    pub code: ReasonCode,
    /// How many responses named it.
    pub count: u32,
    /// `count` as a share of the factor's ratings of 1 or 2 (0.0 to 1.0);
    /// `None` when there were none (reasons without them are impossible,
    /// but counts of different periods may be mixed).
    pub share_of_low: Option<f64>,
}

impl ReasonTally {
    /// Counts the reasons of one response.
    pub fn add(&mut self, reasons: &Reasons) {
        for (factor, codes) in reasons.iter() {
            for code in codes {
                self.add_count(factor, code.clone(), 1);
            }
        }
    }

    /// Counts `code` named `count` more times for `factor`.
    pub fn add_count(&mut self, factor: Factor, code: ReasonCode, count: u32) {
        let named = &mut self.0[factor.index()];
        match named.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n = n.saturating_add(count),
            None => named.push((code, count)),
        }
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &ReasonTally) {
        for factor in Factor::ALL {
            for (code, count) in &other.0[factor.index()] {
                self.add_count(factor, code.clone(), *count);
            }
        }
    }

    /// Each factor's reasons and counts, in no particular order.
    pub fn counts(&self, factor: Factor) -> &[(ReasonCode, u32)] {
        &self.0[factor.index()]
    }

    /// Whether no reason was named.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Vec::is_empty)
    }

    /// Up to `limit` reasons most named for `factor`, most first (ties: by
    /// code), with their share of the `low` ratings (1 or 2) it had.
    pub fn top(&self, factor: Factor, low: u32, limit: usize) -> Vec<NamedReason> {
        let mut named = self.0[factor.index()].clone();
        // Codes are unique per factor, so this order is total: no stable
        // sort needed (its code is kept out of the pages).
        named.sort_unstable_by(|(a, m), (b, n)| n.cmp(m).then_with(|| a.cmp(b)));
        named
            .into_iter()
            .take(limit)
            .map(|(code, count)| NamedReason {
                code,
                count,
                share_of_low: (low > 0).then(|| f64::from(count) / f64::from(low)),
            })
            .collect()
    }
}

/// How many ratings of 1 or 2 a factor had: what reasons are a share of.
pub fn low_ratings(summary: &crate::FactorSummary) -> u32 {
    summary.distribution[0] + summary.distribution[1]
}

/// The header of the reason columns both CSV exports end with, in
/// [`Factor::ALL`] order.
pub const REASON_CSV_COLUMNS: [&str; 5] = [
    "friendliness_reasons",
    "speed_reasons",
    "comfort_reasons",
    "hygiene_reasons",
    "security_reasons",
];

/// The cells under [`REASON_CSV_COLUMNS`]: each factor's codes, separated by
/// spaces, in the order chosen.
pub fn reason_cells(reasons: &Reasons) -> [String; 5] {
    Factor::ALL.map(|factor| {
        let codes: Vec<&str> = reasons.get(factor).iter().map(ReasonCode::as_str).collect();
        codes.join(" ")
    })
}

#[cfg(test)]
mod tests;
