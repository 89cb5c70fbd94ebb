//! Alerts and deliveries in PostgreSQL (the SQL is shared:
//! [`crate::store::alerts`]).

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::PostgresStore;
use crate::alerts::rules::RecentResponse;
use crate::store::alerts::{
    self as q, AlertAction, AlertRecord, Alerts, Attempt, Digest, DueDelivery, NewAlert,
    NewDelivery,
};
use crate::store::StoreError;

type Result<T> = std::result::Result<T, StoreError>;

fn alert_of(row: &Row) -> Result<AlertRecord> {
    Ok(AlertRecord {
        id: row.try_get(0)?,
        uid: row.try_get(1)?,
        store_id: row.try_get(2)?,
        rule: row.try_get(3)?,
        fired_at: row.try_get(4)?,
        message: row.try_get(5)?,
        state: row.try_get(6)?,
        acknowledged_by: row.try_get(7)?,
        acknowledged_at: row.try_get(8)?,
        note: row.try_get(9)?,
        closed_by: row.try_get(10)?,
        closed_at: row.try_get(11)?,
    })
}

async fn insert_deliveries(
    client: &impl GenericClient,
    alert_id: Option<i64>,
    deliveries: &[NewDelivery],
    now: i64,
) -> Result<()> {
    let insert = client.prepare_cached(q::DELIVERY_INSERT).await?;
    for d in deliveries {
        client
            .execute(
                &insert,
                &[
                    &alert_id,
                    &d.channel,
                    &d.target,
                    &d.idempotency_key,
                    &d.body,
                    &now,
                ],
            )
            .await?;
    }
    Ok(())
}

#[async_trait]
impl Alerts for PostgresStore {
    async fn recent_responses(
        &self,
        store_id: String,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<RecentResponse>> {
        let client = self.client().await?;
        let rows = client
            .query(q::RECENT, &[&store_id, &from, &to, &limit])
            .await?;
        let mut recent = Vec::with_capacity(rows.len());
        for row in rows {
            let mut ratings = [None; 5];
            for (i, rating) in ratings.iter_mut().enumerate() {
                let value: Option<i16> = row.try_get(i)?;
                *rating = value.and_then(|v| u8::try_from(v).ok());
            }
            recent.push(RecentResponse {
                ratings,
                reasons: row.try_get(5)?,
            });
        }
        Ok(recent)
    }

    async fn alert_fire(
        &self,
        alert: NewAlert,
        deliveries: Vec<NewDelivery>,
        cooldown_ms: i64,
    ) -> Result<Option<i64>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let at = alert.fired_at;
        let cutoff = at - cooldown_ms;
        let rule = alert.rule;
        let details = alert.details.to_string();
        if tx
            .query_opt(q::COOLDOWN_CLAIM, &[&alert.store_id, &rule, &at, &cutoff])
            .await?
            .is_none()
        {
            return Ok(None);
        }
        let Some(row) = tx
            .query_opt(
                q::ALERT_INSERT,
                &[
                    &alert.uid,
                    &alert.store_id,
                    &rule,
                    &alert.dedupe_key,
                    &at,
                    &alert.message,
                    &details,
                ],
            )
            .await?
        else {
            return Ok(None);
        };
        let id: i64 = row.try_get(0)?;
        insert_deliveries(&tx, Some(id), &deliveries, at).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    async fn alert_list(
        &self,
        stores: Option<Vec<String>>,
        limit: i64,
    ) -> Result<Vec<AlertRecord>> {
        let client = self.client().await?;
        let Some(stores) = stores else {
            let rows = client.query(&q::list_sql(false), &[&limit]).await?;
            return rows.iter().map(alert_of).collect();
        };
        let mut all = Vec::new();
        for store in stores {
            for row in client.query(&q::list_sql(true), &[&store, &limit]).await? {
                all.push(alert_of(&row)?);
            }
        }
        Ok(q::newest(all, limit))
    }

    async fn alert_get(&self, id: i64) -> Result<Option<AlertRecord>> {
        let client = self.client().await?;
        let sql = format!("SELECT {} FROM alerts WHERE id = $1", q::ALERT_COLUMNS);
        client
            .query_opt(&sql, &[&id])
            .await?
            .as_ref()
            .map(alert_of)
            .transpose()
    }

    async fn alert_update(
        &self,
        id: i64,
        action: AlertAction,
        who: String,
        now: i64,
    ) -> Result<bool> {
        let client = self.client().await?;
        let changed = match action {
            AlertAction::Acknowledge(note) => {
                client
                    .execute(q::ACKNOWLEDGE, &[&id, &who, &now, &note])
                    .await?
            }
            AlertAction::Close => client.execute(q::CLOSE, &[&id, &who, &now]).await?,
        };
        Ok(changed == 1)
    }

    async fn delivery_enqueue(&self, deliveries: Vec<NewDelivery>, now: i64) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        insert_deliveries(&tx, None, &deliveries, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn deliveries_due(&self, now: i64, limit: i64) -> Result<Vec<DueDelivery>> {
        let client = self.client().await?;
        let rows = client.query(q::DUE, &[&now, &limit]).await?;
        rows.iter()
            .map(|row| {
                Ok(DueDelivery {
                    id: row.try_get(0)?,
                    channel: row.try_get(1)?,
                    target: row.try_get(2)?,
                    idempotency_key: row.try_get(3)?,
                    body: row.try_get(4)?,
                    attempts: row.try_get(5)?,
                    created_at: row.try_get(6)?,
                    next_attempt_at: row.try_get(7)?,
                })
            })
            .collect()
    }

    async fn delivery_claim(&self, due: &DueDelivery, until: i64) -> Result<bool> {
        let client = self.client().await?;
        let claimed = client
            .execute(q::CLAIM, &[&due.id, &due.next_attempt_at, &until])
            .await?;
        Ok(claimed == 1)
    }

    async fn delivery_record(
        &self,
        id: i64,
        claimed: i64,
        attempt: Attempt,
        now: i64,
    ) -> Result<()> {
        let client = self.client().await?;
        match attempt {
            Attempt::Delivered => client.execute(q::DELIVERED, &[&id, &now, &claimed]).await?,
            Attempt::Failed(error) => {
                client
                    .execute(q::FAILED, &[&id, &now, &error, &claimed])
                    .await?
            }
            Attempt::Retry(at, error) => {
                client
                    .execute(q::RETRY, &[&id, &at, &error, &claimed])
                    .await?
            }
        };
        Ok(())
    }

    async fn delivery_exists(&self, key: String) -> Result<bool> {
        let client = self.client().await?;
        let n: i64 = client
            .query_one(q::DELIVERY_EXISTS, &[&key])
            .await?
            .try_get(0)?;
        Ok(n > 0)
    }

    async fn digest_set(&self, account: String, digest: Option<Digest>) -> Result<bool> {
        let client = self.client().await?;
        let Some(row) = client.query_opt(q::ACCOUNT_ID, &[&account]).await? else {
            return Ok(false);
        };
        let id: i64 = row.try_get(0)?;
        match digest {
            Some(d) => {
                let hour = i64::from(d.hour);
                client
                    .execute(
                        q::DIGEST_UPSERT,
                        &[&id, &d.email, &d.frequency.as_str(), &hour, &d.time_zone],
                    )
                    .await?
            }
            None => client.execute(q::DIGEST_DELETE, &[&id]).await?,
        };
        Ok(true)
    }

    async fn digest_list(&self) -> Result<Vec<(String, Digest)>> {
        let client = self.client().await?;
        let mut list = Vec::new();
        for row in client.query(q::DIGEST_LIST, &[]).await? {
            let frequency: String = row.try_get(2)?;
            let digest = q::digest_of(
                row.try_get(1)?,
                &frequency,
                row.try_get(3)?,
                row.try_get(4)?,
            );
            if let Some(digest) = digest {
                list.push((row.try_get(0)?, digest));
            }
        }
        Ok(list)
    }
}
