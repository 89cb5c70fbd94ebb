//! Tokens and enrollment codes in SQLite: only their hashes are stored
//! ([`crate::tokens`], [`crate::enrollments`] make them).

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::enrollments::{self, ExchangeError, NewCode, CODE_LIFETIME_MS};
use crate::store::StoreError;
use crate::tokens::{self, NewToken, Role, TokenInfo};

const TOKEN_COLUMNS: &str = "id, role, store_id, kiosk_id, created_at, revoked_at";

fn token_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<TokenInfo> {
    let role: String = row.get(1)?;
    Ok(TokenInfo {
        id: row.get(0)?,
        role: tokens::role_of(&role, row.get(2)?, row.get(3)?),
        created_at: row.get(4)?,
        revoked_at: row.get(5)?,
    })
}

/// Makes and stores a new token.
pub(super) fn token_create(
    conn: &Connection,
    role: Role,
    now: i64,
) -> Result<NewToken, StoreError> {
    let secret = tokens::new_secret(&role)?;
    let (name, store_id, kiosk_id) = tokens::columns(&role);
    conn.execute(
        "INSERT INTO tokens (role, store_id, kiosk_id, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, store_id, kiosk_id, tokens::hash(&secret).as_slice(), now],
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
pub(super) fn token_authenticate(
    conn: &Connection,
    secret: &str,
) -> rusqlite::Result<Option<TokenInfo>> {
    conn.prepare_cached(&format!(
        "SELECT {TOKEN_COLUMNS} FROM tokens WHERE hash = ?1 AND revoked_at IS NULL"
    ))?
    .query_row([tokens::hash(secret).as_slice()], token_of)
    .optional()
}

/// Every token, oldest first.
pub(super) fn token_list(conn: &Connection) -> rusqlite::Result<Vec<TokenInfo>> {
    conn.prepare(&format!("SELECT {TOKEN_COLUMNS} FROM tokens ORDER BY id"))?
        .query_map([], token_of)?
        .collect()
}

/// Revokes token `id`; `false` if there is no such live token.
pub(super) fn token_revoke(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, now],
    )?;
    Ok(changed == 1)
}

/// Makes and stores a code for `kiosk_id` in `store_id`.
pub(super) fn enrollment_create(
    conn: &Connection,
    store_id: &str,
    kiosk_id: &str,
    now: i64,
) -> Result<NewCode, StoreError> {
    let code = enrollments::new_code()?;
    let expires_at = now.saturating_add(CODE_LIFETIME_MS);
    conn.execute(
        "INSERT INTO enrollments (store_id, kiosk_id, hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            store_id,
            kiosk_id,
            tokens::hash(&code).as_slice(),
            now,
            expires_at
        ],
    )?;
    Ok(NewCode {
        code: enrollments::shown(&code),
        store_id: store_id.to_owned(),
        kiosk_id: kiosk_id.to_owned(),
        expires_at,
    })
}

/// Exchanges `typed` for a new kiosk token, once: the token is made in the
/// transaction that marks the code used.
pub(super) fn enrollment_exchange(
    conn: &mut Connection,
    typed: &str,
    now: i64,
) -> Result<NewToken, ExchangeError> {
    let code = enrollments::normalise(typed).ok_or(ExchangeError::Invalid)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(StoreError::from)?;
    let (id, store_id, kiosk_id): (i64, String, String) = tx
        .query_row(
            "SELECT id, store_id, kiosk_id FROM enrollments
             WHERE hash = ?1 AND used_at IS NULL AND expires_at > ?2",
            params![tokens::hash(&code).as_slice(), now],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()
        .map_err(StoreError::from)?
        .ok_or(ExchangeError::Invalid)?;
    let token = token_create(&tx, Role::Kiosk { store_id, kiosk_id }, now)?;
    tx.execute(
        "UPDATE enrollments SET used_at = ?2, token_id = ?3 WHERE id = ?1",
        params![id, now, token.info.id],
    )
    .map_err(StoreError::from)?;
    tx.commit().map_err(StoreError::from)?;
    Ok(token)
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
    fn only_the_hash_of_a_token_is_stored_and_it_authenticates_until_revoked() {
        let conn = conn();
        let role = Role::Kiosk {
            store_id: "s1".into(),
            kiosk_id: "k1".into(),
        };
        let new = token_create(&conn, role.clone(), 5).expect("create");
        let stored: Vec<u8> = conn
            .query_row("SELECT hash FROM tokens", [], |r| r.get(0))
            .expect("row");
        assert_eq!(stored, tokens::hash(&new.secret).to_vec());
        let found = token_authenticate(&conn, &new.secret).expect("query");
        assert_eq!(found.map(|t| t.role), Some(role));
        assert_eq!(token_authenticate(&conn, "fkk_wrong").expect("query"), None);
        assert!(token_revoke(&conn, new.info.id, 9).expect("revoke"));
        assert!(!token_revoke(&conn, new.info.id, 10).expect("revoke twice"));
        assert_eq!(token_authenticate(&conn, &new.secret).expect("query"), None);
        assert_eq!(token_list(&conn).expect("list")[0].revoked_at, Some(9));
    }

    #[test]
    fn a_code_is_stored_only_as_its_hash() {
        let conn = conn();
        let new = enrollment_create(&conn, "s1", "k1", 0).expect("code");
        let plain = enrollments::normalise(&new.code).expect("valid");
        let stored: Vec<u8> = conn
            .query_row("SELECT hash FROM enrollments", [], |r| r.get(0))
            .expect("row");
        assert_eq!(stored, tokens::hash(&plain).to_vec());
    }
}
