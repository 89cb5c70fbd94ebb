//! What one batch's inserted responses add to the rollups, counted in
//! memory before an engine writes it (in the batch's transaction).

use std::collections::BTreeMap;

use feedback_domain::Summary;

use crate::ingest::Content;
use crate::spans::{bucket_of, day_of};

/// Counts per half-hour bucket, per UTC day and in all, of the responses a
/// batch inserted. Keys are in order, so every engine writes rollup rows in
/// one order and concurrent batches never wait on each other in a cycle.
#[derive(Debug, Default)]
pub struct Additions {
    /// Per half-hour bucket.
    pub half_hours: BTreeMap<i64, Summary>,
    /// Per UTC day.
    pub days: BTreeMap<i64, Summary>,
    /// In all.
    pub total: Summary,
    /// Reasons named, per half-hour bucket, factor key and code.
    pub reasons: BTreeMap<(i64, &'static str, String), i64>,
    /// Reasons named, per UTC day, factor key and code.
    pub reason_days: BTreeMap<(i64, &'static str, String), i64>,
    /// Reasons named in all, per factor key and code.
    pub reason_total: BTreeMap<(&'static str, String), i64>,
}

impl Additions {
    /// Counts one inserted response.
    pub fn add(&mut self, content: &Content) {
        let ratings = super::sql::ratings_of(content.ratings.map(|v| v.map(i64::from)));
        let at = content.created_at;
        for summary in [
            self.half_hours.entry(bucket_of(at)).or_default(),
            self.days.entry(day_of(at)).or_default(),
            &mut self.total,
        ] {
            summary.add_rated(&ratings, content.complete);
        }
        for (factor, codes) in crate::store::reasons_of(content.reasons.as_deref()).iter() {
            for code in codes {
                let code = code.as_str();
                let (factor, owned) = (factor.key(), || code.to_owned());
                *self
                    .reasons
                    .entry((bucket_of(at), factor, owned()))
                    .or_default() += 1;
                *self
                    .reason_days
                    .entry((day_of(at), factor, owned()))
                    .or_default() += 1;
                *self.reason_total.entry((factor, owned())).or_default() += 1;
            }
        }
    }

    /// Nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.half_hours.is_empty()
    }
}
