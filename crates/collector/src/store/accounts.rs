//! What the dashboard asks of the database: manager accounts, their
//! sessions, and kiosks' heartbeats. The SQL is the same on both engines
//! (written with `$n` placeholders; [`for_sqlite`] turns them into `?n`),
//! so each engine only runs it.

use async_trait::async_trait;
use feedback_domain::heartbeat::Heartbeat;
use serde::Serialize;

use super::StoreError;
use crate::accounts::{Account, Scope, SessionRecord};

/// Manager accounts and their sessions.
#[async_trait]
pub trait Accounts: Send + Sync {
    /// Stores a new account; `false` if the name is taken.
    async fn account_create(
        &self,
        name: String,
        password_hash: String,
        scope: Scope,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Every account, by name.
    async fn account_list(&self) -> Result<Vec<Account>, StoreError>;
    /// The account with this name and its password hash.
    async fn account_find(&self, name: String) -> Result<Option<(Account, String)>, StoreError>;
    /// Disables an account and ends its sessions; `false` if there is none.
    async fn account_disable(&self, name: String, now: i64) -> Result<bool, StoreError>;
    /// Sets a new password hash (enabling the account again) and ends its
    /// sessions; `false` if there is no such account.
    async fn account_set_password(
        &self,
        name: String,
        password_hash: String,
    ) -> Result<bool, StoreError>;

    /// Stores a session (by the hash of its secret); sessions begun before
    /// `forget_before` are deleted at the same time.
    async fn session_create(
        &self,
        hash: [u8; 32],
        account_id: i64,
        now: i64,
        forget_before: i64,
    ) -> Result<(), StoreError>;
    /// The session with this hash, with its account.
    async fn session_find(&self, hash: [u8; 32]) -> Result<Option<SessionRecord>, StoreError>;
    /// Records a request at `now`.
    async fn session_touch(&self, hash: [u8; 32], now: i64) -> Result<(), StoreError>;
    /// Ends a session.
    async fn session_delete(&self, hash: [u8; 32]) -> Result<(), StoreError>;

    /// Records a kiosk's heartbeat, received at `now`.
    async fn heartbeat_record(
        &self,
        store_id: String,
        kiosk_id: String,
        heartbeat: Heartbeat,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Every kiosk the collector knows (from live kiosk tokens and
    /// heartbeats), by store and kiosk, with its last heartbeat.
    async fn kiosk_list(&self) -> Result<Vec<KioskHealth>, StoreError>;
}

/// What the collector knows of a kiosk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KioskHealth {
    /// Its store.
    pub store_id: String,
    /// The kiosk.
    pub kiosk_id: String,
    /// When its last heartbeat arrived, ms since the epoch; `None`: never.
    pub last_seen_at: Option<i64>,
    /// What that heartbeat said.
    pub heartbeat: Option<Heartbeat>,
}

/// `$n` placeholders as SQLite's `?n`.
pub fn for_sqlite(sql: &str) -> String {
    sql.replace('$', "?")
}

pub(crate) const ACCOUNT_INSERT: &str =
    "INSERT INTO accounts (name, password_hash, all_stores, created_at)
     VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING id";
pub(crate) const ACCOUNT_STORE_INSERT: &str =
    "INSERT INTO account_stores (account_id, store_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
pub(crate) const ACCOUNT_COLUMNS: &str =
    "id, name, all_stores, created_at, disabled_at, password_hash";
pub(crate) const ACCOUNT_STORES: &str =
    "SELECT store_id FROM account_stores WHERE account_id = $1 ORDER BY store_id";
pub(crate) const ACCOUNT_DISABLE: &str =
    "UPDATE accounts SET disabled_at = $2 WHERE name = $1 AND disabled_at IS NULL RETURNING id";
pub(crate) const ACCOUNT_PASSWORD: &str =
    "UPDATE accounts SET password_hash = $2, disabled_at = NULL WHERE name = $1 RETURNING id";
pub(crate) const SESSIONS_OF_DELETE: &str = "DELETE FROM sessions WHERE account_id = $1";
pub(crate) const SESSION_INSERT: &str =
    "INSERT INTO sessions (hash, account_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)";
pub(crate) const SESSIONS_OLD_DELETE: &str = "DELETE FROM sessions WHERE created_at < $1";
pub(crate) const SESSION_FIND: &str =
    "SELECT a.id, a.name, a.all_stores, a.created_at, a.disabled_at,
            s.created_at, s.last_seen_at
     FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.hash = $1";
pub(crate) const SESSION_TOUCH: &str = "UPDATE sessions SET last_seen_at = $2 WHERE hash = $1";
pub(crate) const SESSION_DELETE: &str = "DELETE FROM sessions WHERE hash = $1";
pub(crate) const HEARTBEAT_UPSERT: &str =
    "INSERT INTO kiosk_health (store_id, kiosk_id, last_seen_at, app_version, waiting,
        last_sync_at, storage_used, storage_quota, persistent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (store_id, kiosk_id) DO UPDATE SET last_seen_at = excluded.last_seen_at,
        app_version = excluded.app_version, waiting = excluded.waiting,
        last_sync_at = excluded.last_sync_at, storage_used = excluded.storage_used,
        storage_quota = excluded.storage_quota, persistent = excluded.persistent";
pub(crate) const KIOSK_LIST: &str =
    "SELECT k.store_id, k.kiosk_id, h.last_seen_at, h.app_version, h.waiting,
        h.last_sync_at, h.storage_used, h.storage_quota, h.persistent
     FROM (SELECT store_id, kiosk_id FROM tokens WHERE role = 'kiosk' AND revoked_at IS NULL
           UNION SELECT store_id, kiosk_id FROM kiosk_health) k
     LEFT JOIN kiosk_health h ON h.store_id = k.store_id AND h.kiosk_id = k.kiosk_id
     ORDER BY k.store_id, k.kiosk_id";

/// An account from its columns (in [`ACCOUNT_COLUMNS`] order) and stores.
pub(crate) fn account_of(
    id: i64,
    name: String,
    all_stores: bool,
    created_at: i64,
    disabled_at: Option<i64>,
    stores: Vec<String>,
) -> Account {
    Account {
        id,
        name,
        scope: if all_stores {
            Scope::AllStores
        } else {
            Scope::Stores(stores)
        },
        created_at,
        disabled_at,
    }
}

/// The stores to list for a scope (none for every store).
pub(crate) fn scope_stores(scope: &Scope) -> (bool, &[String]) {
    match scope {
        Scope::AllStores => (true, &[]),
        Scope::Stores(stores) => (false, stores.as_slice()),
    }
}

/// A heartbeat from its columns; `None` when none was ever received.
pub(crate) fn heartbeat_of(
    app_version: Option<String>,
    waiting: Option<i64>,
    last_sync_at: Option<i64>,
    storage_used: Option<i64>,
    storage_quota: Option<i64>,
    persistent: Option<bool>,
) -> Option<Heartbeat> {
    Some(Heartbeat {
        app_version: app_version?,
        waiting: u32::try_from(waiting.unwrap_or(0)).unwrap_or(u32::MAX),
        last_sync_at,
        storage_used: storage_used.and_then(|n| u64::try_from(n).ok()),
        storage_quota: storage_quota.and_then(|n| u64::try_from(n).ok()),
        persistent,
    })
}

/// A byte count as stored (both engines keep signed 64-bit integers).
pub(crate) fn stored_bytes(bytes: Option<u64>) -> Option<i64> {
    bytes.map(|n| i64::try_from(n).unwrap_or(i64::MAX))
}
