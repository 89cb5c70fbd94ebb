//! Alerts and deliveries in SQLite (the SQL is shared:
//! [`crate::store::alerts`]).

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension, Row};

use super::SqliteStore;
use crate::alerts::rules::RecentResponse;
use crate::store::accounts::for_sqlite;
use crate::store::alerts::{
    self as q, AlertAction, AlertRecord, Alerts, Attempt, Digest, DueDelivery, NewAlert,
    NewDelivery,
};
use crate::store::StoreError;

fn alert_of(row: &Row<'_>) -> rusqlite::Result<AlertRecord> {
    Ok(AlertRecord {
        id: row.get(0)?,
        uid: row.get(1)?,
        store_id: row.get(2)?,
        rule: row.get(3)?,
        fired_at: row.get(4)?,
        message: row.get(5)?,
        state: row.get(6)?,
        acknowledged_by: row.get(7)?,
        acknowledged_at: row.get(8)?,
        note: row.get(9)?,
        closed_by: row.get(10)?,
        closed_at: row.get(11)?,
    })
}

fn insert_deliveries(
    tx: &rusqlite::Transaction<'_>,
    alert_id: Option<i64>,
    deliveries: &[NewDelivery],
    now: i64,
) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached(&for_sqlite(q::DELIVERY_INSERT))?;
    for d in deliveries {
        insert.execute(params![
            alert_id,
            d.channel,
            d.target,
            d.idempotency_key,
            d.body,
            now
        ])?;
    }
    Ok(())
}

#[async_trait]
impl Alerts for SqliteStore {
    async fn recent_responses(
        &self,
        store_id: String,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<RecentResponse>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&for_sqlite(q::RECENT))?;
            let rows = stmt.query_map(params![store_id, from, to, limit], |row| {
                let mut ratings = [None; 5];
                for (i, rating) in ratings.iter_mut().enumerate() {
                    let value: Option<i64> = row.get(i)?;
                    *rating = value.and_then(|v| u8::try_from(v).ok());
                }
                Ok(RecentResponse {
                    ratings,
                    reasons: row.get(5)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn alert_fire(
        &self,
        alert: NewAlert,
        deliveries: Vec<NewDelivery>,
        cooldown_ms: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let at = alert.fired_at;
            let claimed: Option<i64> = tx
                .query_row(
                    &for_sqlite(q::COOLDOWN_CLAIM),
                    params![alert.store_id, alert.rule, at, at - cooldown_ms],
                    |row| row.get(0),
                )
                .optional()?;
            if claimed.is_none() {
                return Ok(None);
            }
            let id: Option<i64> = tx
                .query_row(
                    &for_sqlite(q::ALERT_INSERT),
                    params![
                        alert.uid,
                        alert.store_id,
                        alert.rule,
                        alert.dedupe_key,
                        at,
                        alert.message,
                        alert.details.to_string()
                    ],
                    |row| row.get(0),
                )
                .optional()?;
            let Some(id) = id else { return Ok(None) };
            insert_deliveries(&tx, Some(id), &deliveries, at)?;
            tx.commit()?;
            Ok(Some(id))
        })
        .await
    }

    async fn alert_list(
        &self,
        stores: Option<Vec<String>>,
        limit: i64,
    ) -> Result<Vec<AlertRecord>, StoreError> {
        self.read(move |conn| {
            let Some(stores) = stores else {
                let mut stmt = conn.prepare_cached(&for_sqlite(&q::list_sql(false)))?;
                let rows = stmt.query_map([limit], alert_of)?;
                return Ok(rows.collect::<rusqlite::Result<_>>()?);
            };
            let mut stmt = conn.prepare_cached(&for_sqlite(&q::list_sql(true)))?;
            let mut all = Vec::new();
            for store in stores {
                for alert in stmt.query_map(params![store, limit], alert_of)? {
                    all.push(alert?);
                }
            }
            Ok(q::newest(all, limit))
        })
        .await
    }

    async fn alert_get(&self, id: i64) -> Result<Option<AlertRecord>, StoreError> {
        self.read(move |conn| {
            let sql = format!("SELECT {} FROM alerts WHERE id = ?1", q::ALERT_COLUMNS);
            Ok(conn.query_row(&sql, [id], alert_of).optional()?)
        })
        .await
    }

    async fn alert_update(
        &self,
        id: i64,
        action: AlertAction,
        who: String,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write(move |conn| {
            let changed = match action {
                AlertAction::Acknowledge(note) => {
                    conn.execute(&for_sqlite(q::ACKNOWLEDGE), params![id, who, now, note])?
                }
                AlertAction::Close => conn.execute(&for_sqlite(q::CLOSE), params![id, who, now])?,
            };
            Ok(changed == 1)
        })
        .await
    }

    async fn delivery_enqueue(
        &self,
        deliveries: Vec<NewDelivery>,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            insert_deliveries(&tx, None, &deliveries, now)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn deliveries_due(&self, now: i64, limit: i64) -> Result<Vec<DueDelivery>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&for_sqlite(q::DUE))?;
            let rows = stmt.query_map(params![now, limit], |row| {
                Ok(DueDelivery {
                    id: row.get(0)?,
                    channel: row.get(1)?,
                    target: row.get(2)?,
                    idempotency_key: row.get(3)?,
                    body: row.get(4)?,
                    attempts: row.get(5)?,
                    created_at: row.get(6)?,
                    next_attempt_at: row.get(7)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn delivery_claim(&self, due: &DueDelivery, until: i64) -> Result<bool, StoreError> {
        let (id, expected) = (due.id, due.next_attempt_at);
        self.write(move |conn| {
            Ok(conn.execute(&for_sqlite(q::CLAIM), params![id, expected, until])? == 1)
        })
        .await
    }

    async fn delivery_record(
        &self,
        id: i64,
        claimed: i64,
        attempt: Attempt,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write(move |conn| {
            match attempt {
                Attempt::Delivered => {
                    conn.execute(&for_sqlite(q::DELIVERED), params![id, now, claimed])?
                }
                Attempt::Failed(error) => {
                    conn.execute(&for_sqlite(q::FAILED), params![id, now, error, claimed])?
                }
                Attempt::Retry(at, error) => {
                    conn.execute(&for_sqlite(q::RETRY), params![id, at, error, claimed])?
                }
            };
            Ok(())
        })
        .await
    }

    async fn delivery_exists(&self, key: String) -> Result<bool, StoreError> {
        self.read(move |conn| {
            let n: i64 =
                conn.query_row(&for_sqlite(q::DELIVERY_EXISTS), [key], |row| row.get(0))?;
            Ok(n > 0)
        })
        .await
    }

    async fn digest_set(
        &self,
        account: String,
        digest: Option<Digest>,
    ) -> Result<bool, StoreError> {
        self.write(move |conn| {
            let id: Option<i64> = conn
                .query_row(&for_sqlite(q::ACCOUNT_ID), [account], |row| row.get(0))
                .optional()?;
            let Some(id) = id else { return Ok(false) };
            match digest {
                Some(d) => conn.execute(
                    &for_sqlite(q::DIGEST_UPSERT),
                    params![
                        id,
                        d.email,
                        d.frequency.as_str(),
                        i64::from(d.hour),
                        d.time_zone
                    ],
                )?,
                None => conn.execute(&for_sqlite(q::DIGEST_DELETE), [id])?,
            };
            Ok(true)
        })
        .await
    }

    async fn digest_list(&self) -> Result<Vec<(String, Digest)>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&for_sqlite(q::DIGEST_LIST))?;
            let rows = stmt.query_map([], |row| {
                let frequency: String = row.get(2)?;
                let digest = q::digest_of(row.get(1)?, &frequency, row.get(3)?, row.get(4)?);
                Ok((row.get::<_, String>(0)?, digest))
            })?;
            let mut list = Vec::new();
            for row in rows {
                if let (name, Some(digest)) = row? {
                    list.push((name, digest));
                }
            }
            Ok(list)
        })
        .await
    }
}
