//! Enrollment: a short one-time code an operator gives a kiosk, which the
//! kiosk exchanges once for its token, so no token ever sits in a file.
//!
//! A code is 12 Crockford base32 characters (60 random bits), shown as
//! `XXXX-XXXX-XXXX`, valid [`CODE_LIFETIME_MS`], usable once. Only its
//! SHA-256 is stored. The kiosk token is made at the exchange, in the same
//! transaction that marks the code used, and exists in clear only in that
//! reply.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use crate::store::StoreError;
use crate::tokens::{self, NewToken, Role};

/// How long a code can be exchanged: 24 hours.
pub const CODE_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

/// Crockford's base32 alphabet: no I, L, O or U to misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in a code.
const CODE_CHARS: usize = 12;

/// A code just made: the only time it exists in clear.
#[derive(Debug, Serialize)]
pub struct NewCode {
    /// The code, as `XXXX-XXXX-XXXX`.
    pub code: String,
    /// The store the kiosk will post for.
    pub store_id: String,
    /// The kiosk.
    pub kiosk_id: String,
    /// When it stops working, ms since the epoch.
    pub expires_at: i64,
}

/// Why a code was not exchanged: deliberately one case, so an answer never
/// tells an unknown code from a used or an expired one.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// Unknown, used or expired.
    #[error("this enrollment code is not valid")]
    Invalid,
    /// The database failed, or no token could be made.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ExchangeError {
    fn from(err: rusqlite::Error) -> ExchangeError {
        ExchangeError::Store(err.into())
    }
}

impl From<anyhow::Error> for ExchangeError {
    fn from(err: anyhow::Error) -> ExchangeError {
        ExchangeError::Store(err.into())
    }
}

/// Makes and stores a code for `kiosk_id` in `store_id`.
pub fn create(
    conn: &Connection,
    store_id: &str,
    kiosk_id: &str,
    now: i64,
) -> anyhow::Result<NewCode> {
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|err| anyhow::anyhow!("no randomness: {err}"))?;
    let bits = u64::from_le_bytes(random);
    let plain: String = (0..CODE_CHARS)
        .map(|i| char::from(ALPHABET[((bits >> (5 * i)) & 31) as usize]))
        .collect();
    let expires_at = now.saturating_add(CODE_LIFETIME_MS);
    conn.execute(
        "INSERT INTO enrollments (store_id, kiosk_id, hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            store_id,
            kiosk_id,
            tokens::hash(&plain).as_slice(),
            now,
            expires_at
        ],
    )?;
    Ok(NewCode {
        code: format!("{}-{}-{}", &plain[..4], &plain[4..8], &plain[8..]),
        store_id: store_id.to_owned(),
        kiosk_id: kiosk_id.to_owned(),
        expires_at,
    })
}

/// A code as typed, in its stored form: upper case, dashes and spaces
/// dropped, and the letters Crockford reads as digits (I, L, O) read so;
/// `None` when it cannot be a code.
pub fn normalise(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        })
        .collect();
    let valid = code.chars().count() == CODE_CHARS && code.bytes().all(|b| ALPHABET.contains(&b));
    valid.then_some(code)
}

/// Exchanges `typed` for a new kiosk token, once.
pub fn exchange(conn: &mut Connection, typed: &str, now: i64) -> Result<NewToken, ExchangeError> {
    let code = normalise(typed).ok_or(ExchangeError::Invalid)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (id, store_id, kiosk_id): (i64, String, String) = tx
        .query_row(
            "SELECT id, store_id, kiosk_id FROM enrollments
             WHERE hash = ?1 AND used_at IS NULL AND expires_at > ?2",
            params![tokens::hash(&code).as_slice(), now],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?
        .ok_or(ExchangeError::Invalid)?;
    let token = tokens::create(&tx, Role::Kiosk { store_id, kiosk_id }, now)?;
    tx.execute(
        "UPDATE enrollments SET used_at = ?2, token_id = ?3 WHERE id = ?1",
        params![id, now, token.info.id],
    )?;
    tx.commit()?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_however_they_are_typed() {
        assert_eq!(normalise("abcd-efgh-jk01").as_deref(), Some("ABCDEFGHJK01"));
        assert_eq!(
            normalise(" ABCD EFGH JKOL ").as_deref(),
            Some("ABCDEFGHJK01")
        );
        assert_eq!(normalise("ABCD-EFGH-JK0"), None, "too short");
        assert_eq!(normalise("ABCD-EFGH-JK0U"), None, "U is not Crockford");
    }

    #[test]
    fn a_code_is_stored_only_as_its_hash() {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        let new = create(&conn, "s1", "k1", 0).expect("code");
        assert_eq!(new.code.len(), 14);
        let plain = normalise(&new.code).expect("valid");
        let stored: Vec<u8> = conn
            .query_row("SELECT hash FROM enrollments", [], |r| r.get(0))
            .expect("row");
        assert_eq!(stored, tokens::hash(&plain).to_vec());
    }
}
