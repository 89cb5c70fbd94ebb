//! Access tokens: one per kiosk, and manager tokens for reading.
//!
//! A token is 32 random bytes shown once when created (`fkk_…` for a kiosk,
//! `fkm_…` for a manager). The collector keeps only its SHA-256: a token has
//! 256 bits of entropy, so a fast hash is enough to make a leaked database
//! useless for posting or reading.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rusqlite::{params, Connection, OptionalExtension};
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

/// Makes and stores a new token.
pub fn create(conn: &Connection, role: Role, now: i64) -> anyhow::Result<NewToken> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| anyhow::anyhow!("no randomness: {err}"))?;
    let prefix = match role {
        Role::Kiosk { .. } => "fkk_",
        Role::Manager { .. } => "fkm_",
    };
    let secret = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
    let (role_name, store_id, kiosk_id) = columns(&role);
    conn.execute(
        "INSERT INTO tokens (role, store_id, kiosk_id, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![role_name, store_id, kiosk_id, hash(&secret).as_slice(), now],
    )?;
    Ok(NewToken {
        info: TokenInfo {
            id: conn.last_insert_rowid(),
            role,
            created_at: now,
            revoked_at: None,
        },
        secret,
    })
}

/// The live token with this secret, if any.
pub fn authenticate(conn: &Connection, secret: &str) -> rusqlite::Result<Option<TokenInfo>> {
    conn.prepare_cached(
        "SELECT id, role, store_id, kiosk_id, created_at, revoked_at
         FROM tokens WHERE hash = ?1 AND revoked_at IS NULL",
    )?
    .query_row([hash(secret).as_slice()], from_row)
    .optional()
}

/// Every token, oldest first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<TokenInfo>> {
    conn.prepare(
        "SELECT id, role, store_id, kiosk_id, created_at, revoked_at FROM tokens ORDER BY id",
    )?
    .query_map([], from_row)?
    .collect()
}

/// Revokes token `id`; `false` if there is no such live token.
pub fn revoke(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, now],
    )?;
    Ok(changed == 1)
}

fn columns(role: &Role) -> (&'static str, Option<&str>, Option<&str>) {
    match role {
        Role::Kiosk { store_id, kiosk_id } => ("kiosk", Some(store_id), Some(kiosk_id)),
        Role::Manager { store_id } => ("manager", store_id.as_deref(), None),
    }
}

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TokenInfo> {
    let role: String = row.get(1)?;
    let store_id: Option<String> = row.get(2)?;
    let role = match (role.as_str(), store_id, row.get::<_, Option<String>>(3)?) {
        ("kiosk", Some(store_id), Some(kiosk_id)) => Role::Kiosk { store_id, kiosk_id },
        (_, store_id, _) => Role::Manager { store_id },
    };
    Ok(TokenInfo {
        id: row.get(0)?,
        role,
        created_at: row.get(4)?,
        revoked_at: row.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        conn
    }

    #[test]
    fn only_the_hash_is_stored_and_it_authenticates() {
        let conn = conn();
        let role = Role::Kiosk {
            store_id: "s1".into(),
            kiosk_id: "k1".into(),
        };
        let new = create(&conn, role.clone(), 5).expect("create");
        assert!(new.secret.starts_with("fkk_"));
        let stored: Vec<u8> = conn
            .query_row("SELECT hash FROM tokens", [], |r| r.get(0))
            .expect("row");
        assert_eq!(stored, hash(&new.secret).to_vec());
        assert!(!String::from_utf8_lossy(&stored).contains(&new.secret[4..]));

        let found = authenticate(&conn, &new.secret).expect("query");
        assert_eq!(found.map(|t| t.role), Some(role));
        assert_eq!(authenticate(&conn, "fkk_wrong").expect("query"), None);
    }

    #[test]
    fn a_revoked_token_no_longer_authenticates() {
        let conn = conn();
        let new = create(&conn, Role::Manager { store_id: None }, 5).expect("create");
        assert!(revoke(&conn, new.info.id, 9).expect("revoke"));
        assert!(!revoke(&conn, new.info.id, 10).expect("revoke twice"));
        assert_eq!(authenticate(&conn, &new.secret).expect("query"), None);
        assert_eq!(list(&conn).expect("list")[0].revoked_at, Some(9));
    }
}
