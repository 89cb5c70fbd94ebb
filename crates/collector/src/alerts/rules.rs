//! The two rules, as plain functions of what the database holds.
//!
//! - **Unhappy run**: of the responses a store's customers made within the
//!   window ending now (by when they were made, so a late offline batch
//!   from hours ago is never a run now), at least `min_responses`, and at
//!   least `min_unhappy_share` of them rating one factor 1 or 2 (what asks
//!   why: [`feedback_domain::reason::asks_why`]).
//! - **Silent kiosk**: no heartbeat for `after_minutes` of the store's
//!   opening hours ([`super::hours`]).

use feedback_domain::reason::asks_why;
use feedback_domain::{Factor, NamedReason, Rating, ReasonTally};

use super::config::UnhappyRun;
use crate::store::reasons_of;

/// One response as the unhappy-run rule reads it.
#[derive(Clone, Debug, Default)]
pub struct RecentResponse {
    /// Ratings 1–5 in [`Factor::ALL`] order.
    pub ratings: [Option<u8>; 5],
    /// Its reasons, as stored (wire JSON).
    pub reasons: Option<String>,
}

/// What makes an unhappy run.
#[derive(Clone, Debug, PartialEq)]
pub struct UnhappyFinding {
    /// The factor rated low most often.
    pub factor: Factor,
    /// Responses in the window.
    pub responses: u32,
    /// Of them, how many rated `factor` 1 or 2.
    pub unhappy: u32,
    /// Reasons most named for `factor`, most first (up to three).
    pub reasons: Vec<NamedReason>,
}

/// Whether `recent` (every response of one store made within the rule's
/// window) is an unhappy run, and about what.
pub fn unhappy_run(rule: &UnhappyRun, recent: &[RecentResponse]) -> Option<UnhappyFinding> {
    let responses = u32::try_from(recent.len()).unwrap_or(u32::MAX);
    if !rule.enabled || responses < rule.min_responses {
        return None;
    }
    let low = |response: &RecentResponse, factor: Factor| {
        response.ratings[factor.index()]
            .and_then(|value| Rating::new(i64::from(value)).ok())
            .is_some_and(asks_why)
    };
    let (factor, unhappy) = Factor::ALL
        .into_iter()
        .map(|factor| {
            let count = recent.iter().filter(|r| low(r, factor)).count();
            (factor, u32::try_from(count).unwrap_or(u32::MAX))
        })
        // The first of the most-low factors, in the usual factor order.
        .fold(None::<(Factor, u32)>, |best, (factor, count)| match best {
            Some((_, most)) if most >= count => best,
            _ => Some((factor, count)),
        })?;
    if f64::from(unhappy) < rule.min_unhappy_share * f64::from(responses) || unhappy == 0 {
        return None;
    }
    let mut tally = ReasonTally::default();
    for response in recent.iter().filter(|r| low(r, factor)) {
        tally.add(&reasons_of(response.reasons.as_deref()));
    }
    Some(UnhappyFinding {
        factor,
        responses,
        unhappy,
        reasons: tally.top(factor, unhappy, 3),
    })
}

/// Whether a kiosk last heard from at `last_seen_at` is silent at `now`:
/// `open_ms` of opening hours passed since, at least `after_ms`, and the
/// store is open now.
pub fn silent(open_ms_since: i64, after_ms: i64, open_now: bool) -> bool {
    open_now && open_ms_since >= after_ms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(ratings: [u8; 5], reasons: Option<&str>) -> RecentResponse {
        RecentResponse {
            ratings: ratings.map(|r| (r > 0).then_some(r)),
            reasons: reasons.map(str::to_owned),
        }
    }

    #[test]
    fn half_of_four_rating_one_factor_low_is_a_run() {
        let rule = UnhappyRun::default();
        let queue = Some(r#"{"speed":["long_queue"]}"#);
        let recent = [
            response([5, 1, 5, 5, 5], queue),
            response([5, 2, 5, 5, 5], queue),
            response([5, 4, 5, 5, 5], None),
            response([5, 5, 1, 5, 5], None),
        ];
        let found = unhappy_run(&rule, &recent).expect("a run");
        assert_eq!(
            (found.factor, found.responses, found.unhappy),
            (Factor::Speed, 4, 2)
        );
        assert_eq!(found.reasons[0].code.as_str(), "long_queue");
        assert_eq!(found.reasons[0].count, 2);
        // Three responses are too few, whatever they say.
        assert_eq!(unhappy_run(&rule, &recent[..2]), None);
        // Low ratings spread over factors are not a run of one.
        let spread = [
            response([1, 5, 5, 5, 5], None),
            response([5, 1, 5, 5, 5], None),
            response([5, 5, 1, 5, 5], None),
            response([5, 5, 5, 3, 5], None),
        ];
        assert_eq!(unhappy_run(&rule, &spread), None);
        let off = UnhappyRun {
            enabled: false,
            ..rule
        };
        assert_eq!(unhappy_run(&off, &recent), None);
    }

    #[test]
    fn silence_counts_only_while_open() {
        assert!(silent(7_200_000, 7_200_000, true));
        assert!(!silent(7_200_000, 7_200_000, false));
        assert!(!silent(7_199_999, 7_200_000, true));
    }
}
