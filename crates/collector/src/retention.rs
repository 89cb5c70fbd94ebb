//! Retention: raw responses (and the comments they hold) older than a set
//! number of days are deleted in the background, a small batch per short
//! transaction with a pause between, so ingest never waits long behind it.
//! Rollups stay: summaries and trends of old periods keep working.

use std::sync::Arc;
use std::time::Duration;

use crate::spans::DAY_MS;
use crate::store::{Store, StoreError};

/// How retention runs.
#[derive(Clone, Debug)]
pub struct Retention {
    /// Keep raw responses this many days (at least 1).
    pub days: u32,
    /// Rows deleted per transaction.
    pub batch: usize,
    /// Pause between two batches, so writers get their turn.
    pub pause: Duration,
    /// Pause between two passes.
    pub every: Duration,
}

impl Retention {
    /// Retention of `days` days with the usual pacing: 1,000 rows per
    /// transaction, 50 ms apart, a pass every 10 minutes.
    pub fn days(days: u32) -> Retention {
        Retention {
            days,
            batch: 1_000,
            pause: Duration::from_millis(50),
            every: Duration::from_secs(600),
        }
    }

    /// The instant before which raw rows go, at `now`.
    pub fn cutoff(&self, now: i64) -> i64 {
        now.saturating_sub(i64::from(self.days).saturating_mul(DAY_MS))
    }
}

/// One pass: deletes everything older than the cutoff at `now`, batch by
/// batch; how many rows went.
pub async fn pass(store: &dyn Store, retention: &Retention, now: i64) -> Result<usize, StoreError> {
    let cutoff = retention.cutoff(now);
    let mut deleted = 0;
    loop {
        let step = store.retain_step(cutoff, retention.batch.max(1)).await?;
        deleted += step;
        if step < retention.batch.max(1) {
            return Ok(deleted);
        }
        tokio::time::sleep(retention.pause).await;
    }
}

/// Runs passes for as long as the runtime runs.
pub fn spawn(store: Arc<dyn Store>, retention: Retention) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match pass(store.as_ref(), &retention, crate::now_millis()).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(
                    deleted,
                    days = retention.days,
                    "retention deleted old responses"
                ),
                Err(err) => {
                    tracing::error!(error = %err, "retention pass failed; trying again later")
                }
            }
            tokio::time::sleep(retention.every).await;
        }
    })
}
