//! What alerts ask of the database: the responses of the last minutes, the
//! alerts fired (with each rule's cooldown, claimed in the same transaction,
//! so two collectors on one database never both fire), and the deliveries
//! waiting to be sent, which survive a restart. The SQL is the same on both
//! engines (`$n` placeholders, see [`super::accounts::for_sqlite`]).

use super::StoreError;
use crate::alerts::rules::RecentResponse;
use async_trait::async_trait;

/// An alert about to be stored.
#[derive(Clone, Debug)]
pub struct NewAlert {
    /// Its id for the world outside (webhook payloads, mails).
    pub uid: String,
    /// The store.
    pub store_id: String,
    /// `unhappy_run` or `silent_kiosk`.
    pub rule: &'static str,
    /// An alert with the same key is never stored twice (one per silence
    /// of a kiosk); `None`: no such limit.
    pub dedupe_key: Option<String>,
    /// When it fired, ms since the epoch.
    pub fired_at: i64,
    /// What happened, in words.
    pub message: String,
    /// The figures behind it, as JSON.
    pub details: serde_json::Value,
}

/// A message to send, kept until it is.
#[derive(Clone, Debug)]
pub struct NewDelivery {
    /// `webhook` or `email`.
    pub channel: &'static str,
    /// The webhook's name, or the mail route.
    pub target: String,
    /// Sent with it; the same for every attempt.
    pub idempotency_key: String,
    /// What is sent: the webhook's JSON body, or a [`crate::alerts::mail::Mail`] as JSON.
    pub body: String,
}

/// A stored alert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertRecord {
    /// Its number.
    pub id: i64,
    /// Its id in webhook payloads and mails.
    pub uid: String,
    /// The store.
    pub store_id: String,
    /// `unhappy_run` or `silent_kiosk`.
    pub rule: String,
    /// When it fired, ms since the epoch.
    pub fired_at: i64,
    /// What happened, in words.
    pub message: String,
    /// `new`, `acknowledged` or `closed`.
    pub state: String,
    /// Who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// When, ms since the epoch.
    pub acknowledged_at: Option<i64>,
    /// What they noted.
    pub note: Option<String>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// When, ms since the epoch.
    pub closed_at: Option<i64>,
}

/// A delivery due to be tried.
#[derive(Clone, Debug)]
pub struct DueDelivery {
    /// Its number.
    pub id: i64,
    /// `webhook` or `email`.
    pub channel: String,
    /// The webhook's name, or the mail route.
    pub target: String,
    /// Sent with every attempt.
    pub idempotency_key: String,
    /// What is sent.
    pub body: String,
    /// Attempts so far.
    pub attempts: i64,
    /// When it was made, ms since the epoch.
    pub created_at: i64,
    /// When it became due.
    pub next_attempt_at: i64,
}

/// What became of an attempt.
#[derive(Clone, Debug)]
pub enum Attempt {
    /// The receiver took it.
    Delivered,
    /// It failed; try again at this time.
    Retry(i64, String),
    /// It failed for the last time.
    Failed(String),
}

/// A change of an alert's state.
#[derive(Clone, Debug)]
pub enum AlertAction {
    /// Someone has seen it and is acting on it, with a note.
    Acknowledge(String),
    /// It is over.
    Close,
}

/// Alerts and their deliveries.
#[async_trait]
pub trait Alerts: Send + Sync {
    /// Up to `limit` responses of `store_id` made in `[from, to)`, newest first.
    async fn recent_responses(
        &self,
        store_id: String,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<RecentResponse>, StoreError>;
    /// Stores `alert` and its `deliveries` unless its rule fired for its
    /// store less than `cooldown_ms` ago or its dedupe key is taken; its
    /// number if stored.
    async fn alert_fire(
        &self,
        alert: NewAlert,
        deliveries: Vec<NewDelivery>,
        cooldown_ms: i64,
    ) -> Result<Option<i64>, StoreError>;
    /// Up to `limit` alerts of these stores (`None`: every store), newest first.
    async fn alert_list(
        &self,
        stores: Option<Vec<String>>,
        limit: i64,
    ) -> Result<Vec<AlertRecord>, StoreError>;
    /// The alert with this number.
    async fn alert_get(&self, id: i64) -> Result<Option<AlertRecord>, StoreError>;
    /// Acknowledges (only a new alert) or closes (one not yet closed);
    /// `false` if its state did not allow it.
    async fn alert_update(
        &self,
        id: i64,
        action: AlertAction,
        who: String,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Stores deliveries of no alert (digests); a key already held is skipped.
    async fn delivery_enqueue(
        &self,
        deliveries: Vec<NewDelivery>,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Up to `limit` deliveries due at `now`, longest waiting first.
    async fn deliveries_due(&self, now: i64, limit: i64) -> Result<Vec<DueDelivery>, StoreError>;
    /// Takes a due delivery for this process until `until` (no other
    /// collector tries it meanwhile); `false` if another took it first.
    async fn delivery_claim(&self, due: &DueDelivery, until: i64) -> Result<bool, StoreError>;
    /// Records an attempt at `now` of a delivery this process claimed until
    /// `claimed_until`; nothing if another took it over since.
    async fn delivery_record(
        &self,
        id: i64,
        claimed_until: i64,
        attempt: Attempt,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Whether a delivery with this key was ever stored.
    async fn delivery_exists(&self, key: String) -> Result<bool, StoreError>;

    /// Sets (or with `None` stops) an account's digest; `false` if there is
    /// no such account.
    async fn digest_set(&self, account: String, digest: Option<Digest>)
        -> Result<bool, StoreError>;
    /// Every account's digest, by account name.
    async fn digest_list(&self) -> Result<Vec<(String, Digest)>, StoreError>;
}

/// How often a digest is mailed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    /// Every day, about the day before.
    Daily,
    /// Every Monday, about the week before.
    Weekly,
}

impl Frequency {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }

    /// From what is stored.
    pub fn parse(text: &str) -> Option<Frequency> {
        match text {
            "daily" => Some(Frequency::Daily),
            "weekly" => Some(Frequency::Weekly),
            _ => None,
        }
    }
}

/// One account's digest.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Digest {
    /// Where it is mailed.
    pub email: String,
    /// How often.
    pub frequency: Frequency,
    /// The local hour it is sent at, 0–23.
    pub hour: u8,
    /// The IANA time zone of that hour and of the days it covers.
    pub time_zone: String,
}

pub(crate) const RECENT: &str =
    "SELECT friendliness, speed, comfort, hygiene, security, reasons FROM responses
     WHERE store_id = $1 AND created_at >= $2 AND created_at < $3
     ORDER BY created_at DESC LIMIT $4";
pub(crate) const COOLDOWN_CLAIM: &str =
    "INSERT INTO alert_cooldowns (store_id, rule, fired_at) VALUES ($1, $2, $3)
     ON CONFLICT (store_id, rule) DO UPDATE SET fired_at = excluded.fired_at
     WHERE alert_cooldowns.fired_at <= $4 RETURNING fired_at";
pub(crate) const ALERT_INSERT: &str =
    "INSERT INTO alerts (uid, store_id, rule, dedupe_key, fired_at, message, details, state)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'new') ON CONFLICT (dedupe_key) DO NOTHING RETURNING id";
pub(crate) const DELIVERY_INSERT: &str =
    "INSERT INTO deliveries (alert_id, channel, target, idempotency_key, body, created_at,
        attempts, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, 0, $6) ON CONFLICT (idempotency_key) DO NOTHING";
pub(crate) const ALERT_COLUMNS: &str = "id, uid, store_id, rule, fired_at, message, state,
     acknowledged_by, acknowledged_at, note, closed_by, closed_at";
pub(crate) const ACKNOWLEDGE: &str =
    "UPDATE alerts SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3,
        note = $4 WHERE id = $1 AND state = 'new'";
pub(crate) const CLOSE: &str = "UPDATE alerts SET state = 'closed', closed_by = $2,
        closed_at = $3 WHERE id = $1 AND state <> 'closed'";
pub(crate) const DUE: &str =
    "SELECT id, channel, target, idempotency_key, body, attempts, created_at, next_attempt_at
     FROM deliveries WHERE done_at IS NULL AND next_attempt_at <= $1
     ORDER BY next_attempt_at, id LIMIT $2";
pub(crate) const CLAIM: &str = "UPDATE deliveries SET next_attempt_at = $3
     WHERE id = $1 AND next_attempt_at = $2 AND done_at IS NULL";
// A finished delivery keeps no copy of what it sent (a digest quotes
// customers' comments, which retention must be able to delete).
pub(crate) const DELIVERED: &str = "UPDATE deliveries SET done_at = $2, attempts = attempts + 1,
     outcome = 'delivered', last_error = NULL, body = ''
     WHERE id = $1 AND next_attempt_at = $3 AND done_at IS NULL";
pub(crate) const FAILED: &str = "UPDATE deliveries SET done_at = $2, attempts = attempts + 1,
     outcome = 'failed', last_error = $3, body = ''
     WHERE id = $1 AND next_attempt_at = $4 AND done_at IS NULL";
pub(crate) const RETRY: &str = "UPDATE deliveries SET attempts = attempts + 1,
     next_attempt_at = $2, last_error = $3
     WHERE id = $1 AND next_attempt_at = $4 AND done_at IS NULL";

pub(crate) const DELIVERY_EXISTS: &str =
    "SELECT count(*) FROM deliveries WHERE idempotency_key = $1";
pub(crate) const ACCOUNT_ID: &str = "SELECT id FROM accounts WHERE name = $1";
pub(crate) const DIGEST_UPSERT: &str =
    "INSERT INTO digests (account_id, email, frequency, hour, time_zone) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (account_id) DO UPDATE SET email = excluded.email, frequency = excluded.frequency,
        hour = excluded.hour, time_zone = excluded.time_zone";
pub(crate) const DIGEST_DELETE: &str = "DELETE FROM digests WHERE account_id = $1";
pub(crate) const DIGEST_LIST: &str = "SELECT a.name, d.email, d.frequency, d.hour, d.time_zone
     FROM digests d JOIN accounts a ON a.id = d.account_id ORDER BY a.name";

/// A digest from its stored columns.
pub(crate) fn digest_of(
    email: String,
    frequency: &str,
    hour: i64,
    time_zone: String,
) -> Option<Digest> {
    Some(Digest {
        email,
        frequency: Frequency::parse(frequency)?,
        hour: u8::try_from(hour).ok()?,
        time_zone,
    })
}

/// The alerts listed: every store's, or one store's.
pub(crate) fn list_sql(one_store: bool) -> String {
    let filter = if one_store {
        "WHERE store_id = $1 "
    } else {
        ""
    };
    let limit = if one_store { "$2" } else { "$1" };
    format!(
        "SELECT {ALERT_COLUMNS} FROM alerts {filter}ORDER BY fired_at DESC, id DESC LIMIT {limit}"
    )
}

/// Merges per-store lists, newest first, keeping `limit`.
pub(crate) fn newest(mut alerts: Vec<AlertRecord>, limit: i64) -> Vec<AlertRecord> {
    alerts.sort_by(|a, b| b.fired_at.cmp(&a.fired_at).then(b.id.cmp(&a.id)));
    alerts.truncate(usize::try_from(limit).unwrap_or(0));
    alerts
}
