//! Accounts, sessions and heartbeats in PostgreSQL (the SQL is shared:
//! [`crate::store::accounts`]).

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use feedback_domain::heartbeat::Heartbeat;
use tokio_postgres::Row;

use super::PostgresStore;
use crate::accounts::{Account, Scope, SessionRecord};
use crate::store::accounts::{self as q, Accounts, KioskHealth};
use crate::store::StoreError;

type Result<T> = std::result::Result<T, StoreError>;

async fn account_of_row(client: &impl GenericClient, row: &Row) -> Result<Account> {
    let id: i64 = row.try_get(0)?;
    let all: bool = row.try_get(2)?;
    let stores = if all {
        Vec::new()
    } else {
        client
            .query(q::ACCOUNT_STORES, &[&id])
            .await?
            .iter()
            .map(|row| row.try_get(0))
            .collect::<std::result::Result<_, _>>()?
    };
    Ok(q::account_of(
        id,
        row.try_get(1)?,
        all,
        row.try_get(3)?,
        row.try_get(4)?,
        stores,
    ))
}

/// Runs an `UPDATE … RETURNING id` on an account and, if it matched, ends
/// the account's sessions, in one transaction.
async fn update_and_end_sessions(
    store: &PostgresStore,
    sql: &str,
    name: &str,
    value: &(dyn tokio_postgres::types::ToSql + Sync),
) -> Result<bool> {
    let mut client = store.client().await?;
    let tx = client.transaction().await?;
    let id: Option<i64> = match tx.query_opt(sql, &[&name, value]).await? {
        Some(row) => Some(row.try_get(0)?),
        None => None,
    };
    if let Some(id) = id {
        tx.execute(q::SESSIONS_OF_DELETE, &[&id]).await?;
    }
    tx.commit().await?;
    Ok(id.is_some())
}

#[async_trait]
impl Accounts for PostgresStore {
    async fn account_create(
        &self,
        name: String,
        password_hash: String,
        scope: Scope,
        now: i64,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let (all, stores) = q::scope_stores(&scope);
        let Some(row) = tx
            .query_opt(q::ACCOUNT_INSERT, &[&name, &password_hash, &all, &now])
            .await?
        else {
            return Ok(false);
        };
        let id: i64 = row.try_get(0)?;
        for store in stores {
            tx.execute(q::ACCOUNT_STORE_INSERT, &[&id, store]).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn account_list(&self) -> Result<Vec<Account>> {
        let client = self.client().await?;
        let sql = format!("SELECT {} FROM accounts ORDER BY name", q::ACCOUNT_COLUMNS);
        let mut accounts = Vec::new();
        for row in client.query(&sql, &[]).await? {
            accounts.push(account_of_row(&client, &row).await?);
        }
        Ok(accounts)
    }

    async fn account_find(&self, name: String) -> Result<Option<(Account, String)>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {} FROM accounts WHERE name = $1",
            q::ACCOUNT_COLUMNS
        );
        let Some(row) = client.query_opt(&sql, &[&name]).await? else {
            return Ok(None);
        };
        let account = account_of_row(&client, &row).await?;
        Ok(Some((account, row.try_get(5)?)))
    }

    async fn account_disable(&self, name: String, now: i64) -> Result<bool> {
        update_and_end_sessions(self, q::ACCOUNT_DISABLE, &name, &now).await
    }

    async fn account_set_password(&self, name: String, password_hash: String) -> Result<bool> {
        update_and_end_sessions(self, q::ACCOUNT_PASSWORD, &name, &password_hash).await
    }

    async fn session_create(
        &self,
        hash: [u8; 32],
        account_id: i64,
        now: i64,
        forget_before: i64,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute(q::SESSIONS_OLD_DELETE, &[&forget_before])
            .await?;
        tx.execute(q::SESSION_INSERT, &[&hash.as_slice(), &account_id, &now])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_find(&self, hash: [u8; 32]) -> Result<Option<SessionRecord>> {
        let client = self.client().await?;
        let Some(row) = client
            .query_opt(q::SESSION_FIND, &[&hash.as_slice()])
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(SessionRecord {
            account: account_of_row(&client, &row).await?,
            created_at: row.try_get(5)?,
            last_seen_at: row.try_get(6)?,
        }))
    }

    async fn session_touch(&self, hash: [u8; 32], now: i64) -> Result<()> {
        let client = self.client().await?;
        client
            .execute(q::SESSION_TOUCH, &[&hash.as_slice(), &now])
            .await?;
        Ok(())
    }

    async fn session_delete(&self, hash: [u8; 32]) -> Result<()> {
        let client = self.client().await?;
        client
            .execute(q::SESSION_DELETE, &[&hash.as_slice()])
            .await?;
        Ok(())
    }

    async fn heartbeat_record(
        &self,
        store_id: String,
        kiosk_id: String,
        beat: Heartbeat,
        now: i64,
    ) -> Result<()> {
        let client = self.client().await?;
        let waiting = i64::from(beat.waiting);
        client
            .execute(
                q::HEARTBEAT_UPSERT,
                &[
                    &store_id,
                    &kiosk_id,
                    &now,
                    &beat.app_version,
                    &waiting,
                    &beat.last_sync_at,
                    &q::stored_bytes(beat.storage_used),
                    &q::stored_bytes(beat.storage_quota),
                    &beat.persistent,
                ],
            )
            .await?;
        Ok(())
    }

    async fn kiosk_list(&self) -> Result<Vec<KioskHealth>> {
        let client = self.client().await?;
        client
            .query(q::KIOSK_LIST, &[])
            .await?
            .iter()
            .map(|row| {
                Ok(KioskHealth {
                    store_id: row.try_get(0)?,
                    kiosk_id: row.try_get(1)?,
                    last_seen_at: row.try_get(2)?,
                    heartbeat: q::heartbeat_of(
                        row.try_get(3)?,
                        row.try_get(4)?,
                        row.try_get(5)?,
                        row.try_get(6)?,
                        row.try_get(7)?,
                        row.try_get(8)?,
                    ),
                })
            })
            .collect()
    }
}
