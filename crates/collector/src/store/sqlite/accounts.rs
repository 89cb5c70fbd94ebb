//! Accounts, sessions and heartbeats in SQLite (the SQL is shared:
//! [`crate::store::accounts`]).

use async_trait::async_trait;
use feedback_domain::heartbeat::Heartbeat;
use rusqlite::{params, Connection, OptionalExtension};

use super::SqliteStore;
use crate::accounts::{Account, Scope, SessionRecord};
use crate::store::accounts::{self as q, for_sqlite, Accounts, KioskHealth};
use crate::store::StoreError;

fn stores_of(conn: &Connection, account_id: i64) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached(&for_sqlite(q::ACCOUNT_STORES))?
        .query_map([account_id], |row| row.get(0))?
        .collect()
}

fn account_row(conn: &Connection, row: &rusqlite::Row<'_>) -> rusqlite::Result<(Account, String)> {
    let id: i64 = row.get(0)?;
    let all: bool = row.get(2)?;
    let stores = if all {
        Vec::new()
    } else {
        stores_of(conn, id)?
    };
    let account = q::account_of(id, row.get(1)?, all, row.get(3)?, row.get(4)?, stores);
    Ok((account, row.get(5)?))
}

/// Runs an `UPDATE … RETURNING id` on an account and, if it matched, ends
/// the account's sessions, in one transaction.
fn update_and_end_sessions(
    conn: &mut Connection,
    sql: &str,
    name: &str,
    value: &dyn rusqlite::ToSql,
) -> Result<bool, StoreError> {
    let tx = conn.transaction()?;
    let id: Option<i64> = tx
        .query_row(&for_sqlite(sql), params![name, value], |row| row.get(0))
        .optional()?;
    if let Some(id) = id {
        tx.execute(&for_sqlite(q::SESSIONS_OF_DELETE), [id])?;
    }
    tx.commit()?;
    Ok(id.is_some())
}

#[async_trait]
impl Accounts for SqliteStore {
    async fn account_create(
        &self,
        name: String,
        password_hash: String,
        scope: Scope,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let (all, stores) = q::scope_stores(&scope);
            let id: Option<i64> = tx
                .query_row(
                    &for_sqlite(q::ACCOUNT_INSERT),
                    params![name, password_hash, all, now],
                    |row| row.get(0),
                )
                .optional()?;
            let Some(id) = id else { return Ok(false) };
            for store in stores {
                tx.execute(&for_sqlite(q::ACCOUNT_STORE_INSERT), params![id, store])?;
            }
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    async fn account_list(&self) -> Result<Vec<Account>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {} FROM accounts ORDER BY name",
                q::ACCOUNT_COLUMNS
            ))?;
            let rows = stmt.query_map([], |row| account_row(conn, row).map(|(a, _)| a))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn account_find(&self, name: String) -> Result<Option<(Account, String)>, StoreError> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {} FROM accounts WHERE name = ?1",
                q::ACCOUNT_COLUMNS
            );
            Ok(conn
                .query_row(&sql, [name], |row| account_row(conn, row))
                .optional()?)
        })
        .await
    }

    async fn account_disable(&self, name: String, now: i64) -> Result<bool, StoreError> {
        self.write(move |conn| update_and_end_sessions(conn, q::ACCOUNT_DISABLE, &name, &now))
            .await
    }

    async fn account_set_password(
        &self,
        name: String,
        password_hash: String,
    ) -> Result<bool, StoreError> {
        self.write(move |conn| {
            update_and_end_sessions(conn, q::ACCOUNT_PASSWORD, &name, &password_hash)
        })
        .await
    }

    async fn session_create(
        &self,
        hash: [u8; 32],
        account_id: i64,
        now: i64,
        forget_before: i64,
    ) -> Result<(), StoreError> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            tx.execute(&for_sqlite(q::SESSIONS_OLD_DELETE), [forget_before])?;
            tx.execute(
                &for_sqlite(q::SESSION_INSERT),
                params![hash.as_slice(), account_id, now],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn session_find(&self, hash: [u8; 32]) -> Result<Option<SessionRecord>, StoreError> {
        self.read(move |conn| {
            let found = conn
                .query_row(&for_sqlite(q::SESSION_FIND), [hash.as_slice()], |row| {
                    let id: i64 = row.get(0)?;
                    let all: bool = row.get(2)?;
                    let stores = if all {
                        Vec::new()
                    } else {
                        stores_of(conn, id)?
                    };
                    Ok(SessionRecord {
                        account: q::account_of(
                            id,
                            row.get(1)?,
                            all,
                            row.get(3)?,
                            row.get(4)?,
                            stores,
                        ),
                        created_at: row.get(5)?,
                        last_seen_at: row.get(6)?,
                    })
                })
                .optional()?;
            Ok(found)
        })
        .await
    }

    async fn session_touch(&self, hash: [u8; 32], now: i64) -> Result<(), StoreError> {
        self.write(move |conn| {
            conn.execute(&for_sqlite(q::SESSION_TOUCH), params![hash.as_slice(), now])?;
            Ok(())
        })
        .await
    }

    async fn session_delete(&self, hash: [u8; 32]) -> Result<(), StoreError> {
        self.write(move |conn| {
            conn.execute(&for_sqlite(q::SESSION_DELETE), [hash.as_slice()])?;
            Ok(())
        })
        .await
    }

    async fn heartbeat_record(
        &self,
        store_id: String,
        kiosk_id: String,
        beat: Heartbeat,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write(move |conn| {
            conn.execute(
                &for_sqlite(q::HEARTBEAT_UPSERT),
                params![
                    store_id,
                    kiosk_id,
                    now,
                    beat.app_version,
                    beat.waiting,
                    beat.last_sync_at,
                    q::stored_bytes(beat.storage_used),
                    q::stored_bytes(beat.storage_quota),
                    beat.persistent
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn kiosk_list(&self) -> Result<Vec<KioskHealth>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare(q::KIOSK_LIST)?;
            let rows = stmt.query_map([], |row| {
                Ok(KioskHealth {
                    store_id: row.get(0)?,
                    kiosk_id: row.get(1)?,
                    last_seen_at: row.get(2)?,
                    heartbeat: q::heartbeat_of(
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                        row.get(7)?,
                        row.get(8)?,
                    ),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }
}
