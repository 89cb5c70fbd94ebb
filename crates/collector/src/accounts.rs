//! Manager accounts for the dashboard: who may read which stores, their
//! passwords and their sessions. The rules live here; each engine only
//! stores what these functions make.
//!
//! - A password has at least [`MIN_PASSWORD_CHARS`] characters and is
//!   stored only as an Argon2id hash (PHC string, a random salt each).
//! - A session is 32 random bytes in an `HttpOnly` cookie; the collector
//!   keeps only its SHA-256 (like a token: 256 bits need no slow hash). It
//!   ends after [`SessionLimits::idle_ms`] without a request, or
//!   [`SessionLimits::max_ms`] after signing in, whichever comes first.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The most characters an account name may have.
pub const MAX_NAME_CHARS: usize = 64;

/// Which stores an account (or a manager token) may read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every store, present and future.
    AllStores,
    /// These stores only.
    Stores(Vec<String>),
}

/// Why a report was refused: the store asked for is not in the scope.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScopeError {
    /// Named a store outside the scope.
    #[error("you may not read store {0:?}")]
    NotYours(String),
    /// Asked for every store with a scope of several.
    #[error("name a store (store_id): you may read {0}, not every store")]
    NameOne(String),
}

impl Scope {
    /// Whether `store_id` may be read.
    pub fn allows(&self, store_id: &str) -> bool {
        match self {
            Scope::AllStores => true,
            Scope::Stores(stores) => stores.iter().any(|s| s == store_id),
        }
    }

    /// The store a report covers: the one asked for if allowed; with no
    /// store asked, every store (`None`) for [`Scope::AllStores`] or the
    /// only store of a one-store scope.
    pub fn resolve(&self, asked: Option<String>) -> Result<Option<String>, ScopeError> {
        match (self, asked) {
            (Scope::AllStores, asked) => Ok(asked),
            (scope, Some(asked)) if scope.allows(&asked) => Ok(Some(asked)),
            (_, Some(asked)) => Err(ScopeError::NotYours(asked)),
            (Scope::Stores(stores), None) if stores.len() == 1 => Ok(stores.first().cloned()),
            (Scope::Stores(stores), None) => Err(ScopeError::NameOne(stores.join(", "))),
        }
    }
}

/// An account, without its password hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Its number.
    pub id: i64,
    /// The name it signs in with.
    pub name: String,
    /// What it may read.
    pub scope: Scope,
    /// When it was made, ms since the epoch.
    pub created_at: i64,
    /// When it was disabled, if it was: it can no longer sign in.
    pub disabled_at: Option<i64>,
}

/// A signed-in session as stored, with its account.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    /// Whose it is.
    pub account: Account,
    /// When they signed in.
    pub created_at: i64,
    /// Their last request.
    pub last_seen_at: i64,
}

/// How long a session lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    /// Ends after this long without a request (30 minutes unless set).
    pub idle_ms: i64,
    /// Ends this long after signing in, however busy (12 hours).
    pub max_ms: i64,
}

impl Default for SessionLimits {
    fn default() -> SessionLimits {
        SessionLimits {
            idle_ms: 30 * 60 * 1000,
            max_ms: 12 * 60 * 60 * 1000,
        }
    }
}

impl SessionLimits {
    /// Whether a session is still valid at `now`.
    pub fn live(&self, session: &SessionRecord, now: i64) -> bool {
        session.account.disabled_at.is_none()
            && now.saturating_sub(session.last_seen_at) < self.idle_ms
            && now.saturating_sub(session.created_at) < self.max_ms
    }

    /// Whether a request at `now` should record itself as the session's
    /// last: at most about once a minute, so reading a page is not a write
    /// per request.
    pub fn should_touch(&self, session: &SessionRecord, now: i64) -> bool {
        now.saturating_sub(session.last_seen_at) >= (self.idle_ms / 30).clamp(1_000, 60_000)
    }
}

/// An account name: 1 to [`MAX_NAME_CHARS`] letters, digits, `.`, `_`,
/// `-` or `@` (an e-mail address works).
pub fn check_name(name: &str) -> Result<(), String> {
    let fine = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || !name.chars().all(fine) {
        return Err(format!(
            "an account name is 1 to {MAX_NAME_CHARS} letters, digits, '.', '_', '-' or '@'"
        ));
    }
    Ok(())
}

/// A password long enough to keep.
pub fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "a password needs at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    Ok(())
}

/// The Argon2id hash of `password` (PHC string) to store.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|err| anyhow::anyhow!("no randomness: {err}"))?;
    let salt =
        SaltString::encode_b64(&random).map_err(|err| anyhow::anyhow!("encoding a salt: {err}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| anyhow::anyhow!("hashing the password: {err}"))
}

/// Whether `password` matches a stored hash. With no hash (no such
/// account) a hash is still checked, so the time taken does not tell
/// whether the account exists.
pub fn verify_password(stored: Option<&str>, password: &str) -> bool {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let decoy = DECOY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default());
    let (hash, real) = match stored {
        Some(hash) => (hash, true),
        None => (decoy.as_str(), false),
    };
    let matches = PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    });
    real && matches
}

/// A new session secret: `fks_` and 32 random bytes in URL-safe base64.
pub fn new_session_secret() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| anyhow::anyhow!("no randomness: {err}"))?;
    Ok(format!("fks_{}", URL_SAFE_NO_PAD.encode(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_of_some_stores_reads_only_those() {
        let some = Scope::Stores(vec!["store-1".into(), "store-2".into()]);
        assert_eq!(
            some.resolve(Some("store-2".into())),
            Ok(Some("store-2".into()))
        );
        assert_eq!(
            some.resolve(Some("store-3".into())),
            Err(ScopeError::NotYours("store-3".into()))
        );
        assert!(matches!(some.resolve(None), Err(ScopeError::NameOne(_))));
        let one = Scope::Stores(vec!["store-1".into()]);
        assert_eq!(one.resolve(None), Ok(Some("store-1".into())));
        assert_eq!(Scope::AllStores.resolve(None), Ok(None));
    }

    #[test]
    fn passwords_are_hashed_with_argon2id_and_checked() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough!").is_ok());
        let hash = hash_password("correct horse").expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("correct horse"));
        assert!(verify_password(Some(&hash), "correct horse"));
        assert!(!verify_password(Some(&hash), "wrong horse"));
        assert!(!verify_password(None, "correct horse"));
        assert_ne!(hash, hash_password("correct horse").expect("hash"));
    }

    #[test]
    fn sessions_end_when_idle_or_old_or_disabled() {
        let limits = SessionLimits::default();
        let mut session = SessionRecord {
            account: Account {
                id: 1,
                name: "alice".into(),
                scope: Scope::AllStores,
                created_at: 0,
                disabled_at: None,
            },
            created_at: 0,
            last_seen_at: 0,
        };
        assert!(limits.live(&session, 29 * 60 * 1000));
        assert!(!limits.live(&session, 30 * 60 * 1000));
        session.last_seen_at = 12 * 60 * 60 * 1000 - 1;
        assert!(!limits.live(&session, 12 * 60 * 60 * 1000));
        session.last_seen_at = 0;
        session.account.disabled_at = Some(1);
        assert!(!limits.live(&session, 1));
    }

    #[test]
    fn names_are_plain() {
        assert!(check_name("alice").is_ok());
        assert!(check_name("area.manager@example.com").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("<b>").is_err());
        assert!(check_name(&"a".repeat(65)).is_err());
    }
}
