//! Access tokens: one per kiosk, and manager tokens for reading.
//!
//! A token is 32 random bytes shown once when created (`fkk_…` for a kiosk,
//! `fkm_…` for a manager). The collector keeps only its SHA-256: a token has
//! 256 bits of entropy, so a fast hash is enough to make a leaked database
//! useless for posting or reading.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What a token allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// Post responses for one kiosk of one store.
    Kiosk {
        /// The store the kiosk stands in.
        store_id: String,
        /// The kiosk.
        kiosk_id: String,
    },
    /// Read summaries and exports: of one store, or of every store.
    Manager {
        /// The only store it may read; `None`: all stores.
        store_id: Option<String>,
    },
}

/// A stored token, without its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// The token's number, for listing and revoking.
    pub id: i64,
    /// What it allows.
    #[serde(flatten)]
    pub role: Role,
    /// When it was made, ms since the epoch.
    pub created_at: i64,
    /// When it was revoked, if it was.
    pub revoked_at: Option<i64>,
}

/// A token that was just made: the only time its secret exists.
pub struct NewToken {
    /// What was stored.
    pub info: TokenInfo,
    /// The secret to hand to the kiosk or manager.
    pub secret: String,
}

/// SHA-256 of a token's secret, as stored.
pub fn hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// A new secret for a token with `role`: `fkk_` or `fkm_` and 32 random
/// bytes in URL-safe base64.
pub fn new_secret(role: &Role) -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| anyhow::anyhow!("no randomness: {err}"))?;
    let prefix = match role {
        Role::Kiosk { .. } => "fkk_",
        Role::Manager { .. } => "fkm_",
    };
    Ok(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// How a role is stored: its name, store and kiosk columns.
pub fn columns(role: &Role) -> (&'static str, Option<&str>, Option<&str>) {
    match role {
        Role::Kiosk { store_id, kiosk_id } => ("kiosk", Some(store_id), Some(kiosk_id)),
        Role::Manager { store_id } => ("manager", store_id.as_deref(), None),
    }
}

/// A role from its stored columns (see [`columns`]).
pub fn role_of(role: &str, store_id: Option<String>, kiosk_id: Option<String>) -> Role {
    match (role, store_id, kiosk_id) {
        ("kiosk", Some(store_id), Some(kiosk_id)) => Role::Kiosk { store_id, kiosk_id },
        (_, store_id, _) => Role::Manager { store_id },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_say_their_role_and_are_never_the_same() {
        let kiosk = Role::Kiosk {
            store_id: "s1".into(),
            kiosk_id: "k1".into(),
        };
        let first = new_secret(&kiosk).expect("secret");
        assert!(
            first.starts_with("fkk_") && first.len() == 4 + 43,
            "{first}"
        );
        assert_ne!(first, new_secret(&kiosk).expect("secret"));
        let manager = Role::Manager { store_id: None };
        assert!(new_secret(&manager).expect("secret").starts_with("fkm_"));
        let (name, store, kiosk_id) = columns(&kiosk);
        assert_eq!(
            role_of(name, store.map(str::to_owned), kiosk_id.map(str::to_owned)),
            kiosk
        );
    }
}
