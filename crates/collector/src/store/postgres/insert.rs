//! Inserting a batch in PostgreSQL: one statement inserts every new id
//! (`ON CONFLICT (id) DO NOTHING … RETURNING id`), one reads what is held
//! for the others, and the rollups get exactly what was inserted, all in
//! one transaction.

use std::collections::{HashMap, HashSet};

use deadpool_postgres::Client;
use deadpool_postgres::Transaction;
use feedback_domain::wire::clock_suspect;
use futures_util::future::try_join_all;
use tokio_postgres::types::ToSql;

use crate::ingest::{Content, Poster};
use crate::store::additions::Additions;
use crate::store::sql::{self, Dialect};
use crate::store::{NewResponse, Outcome};

const INSERT: &str = "INSERT INTO responses (id, store_id, kiosk_id, created_at, received_at,
        clock_suspect, friendliness, speed, comfort, hygiene, security, comment, complete,
        token_id)
    SELECT id, store_id, kiosk_id, created_at, $5::bigint, clock_suspect, friendliness, speed,
        comfort, hygiene, security, comment, complete, $14::bigint
    FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $6::bool[], $7::int2[],
        $8::int2[], $9::int2[], $10::int2[], $11::int2[], $12::text[], $13::bool[])
        AS item (id, store_id, kiosk_id, created_at, clock_suspect, friendliness, speed,
            comfort, hygiene, security, comment, complete)
    ORDER BY id
    ON CONFLICT (id) DO NOTHING
    RETURNING id";

const HELD: &str = "SELECT id, store_id, kiosk_id, created_at, friendliness, speed, comfort,
        hygiene, security, comment, complete
    FROM responses WHERE id = ANY($1::text[])";

fn content_of(row: &tokio_postgres::Row) -> Result<(String, Content), tokio_postgres::Error> {
    let rating = |i: usize| -> Result<Option<u8>, tokio_postgres::Error> {
        Ok(row
            .try_get::<_, Option<i16>>(i)?
            .and_then(|v| u8::try_from(v).ok()))
    };
    Ok((
        row.try_get(0)?,
        Content {
            store_id: row.try_get(1)?,
            kiosk_id: row.try_get(2)?,
            created_at: row.try_get(3)?,
            ratings: [rating(4)?, rating(5)?, rating(6)?, rating(7)?, rating(8)?],
            comment: row.try_get(9)?,
            complete: row.try_get(10)?,
        },
    ))
}

/// Inserts `items` posted by `poster` in one transaction; one outcome per
/// item, in order.
pub(super) async fn insert_batch(
    client: &mut Client,
    poster: &Poster,
    items: &[NewResponse],
    received_at: i64,
) -> Result<Vec<Outcome>, tokio_postgres::Error> {
    // The first item with each id is the one inserted; ids in order, so
    // concurrent batches lock index entries in one order.
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        first.entry(item.id.as_str()).or_insert(index);
    }
    let mut unique: Vec<&NewResponse> = first.values().map(|&index| &items[index]).collect();
    unique.sort_by(|a, b| a.id.cmp(&b.id));

    let tx = client.transaction().await?;
    let inserted: HashSet<String> = if unique.is_empty() {
        HashSet::new()
    } else {
        insert_new(&tx, poster, &unique, received_at).await?
    };
    let others: Vec<&str> = unique
        .iter()
        .map(|item| item.id.as_str())
        .filter(|id| !inserted.contains(*id))
        .collect();
    let mut held: HashMap<String, Content> = HashMap::new();
    if !others.is_empty() {
        let statement = tx.prepare_cached(HELD).await?;
        for row in tx.query(&statement, &[&others]).await? {
            let (id, content) = content_of(&row)?;
            held.insert(id, content);
        }
    }
    let mut added = Additions::default();
    let mut outcomes = Vec::with_capacity(items.len());
    for (index, NewResponse { id, content }) in items.iter().enumerate() {
        let is_first = first.get(id.as_str()) == Some(&index);
        if is_first && inserted.contains(id) {
            added.add(content);
            outcomes.push(Outcome::Inserted);
            continue;
        }
        let stored = if inserted.contains(id) {
            first.get(id.as_str()).map(|&i| &items[i].content)
        } else {
            held.get(id)
        };
        outcomes.push(if stored == Some(content) {
            Outcome::Duplicate
        } else {
            Outcome::IdInUse
        });
    }
    apply(&tx, &added, &poster.store_id, &poster.kiosk_id).await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// Inserts the items whose id is absent; the ids inserted.
async fn insert_new(
    tx: &Transaction<'_>,
    poster: &Poster,
    items: &[&NewResponse],
    received_at: i64,
) -> Result<HashSet<String>, tokio_postgres::Error> {
    let column = |get: fn(&Content) -> Option<u8>| -> Vec<Option<i16>> {
        items
            .iter()
            .map(|item| get(&item.content).map(i16::from))
            .collect()
    };
    let ids: Vec<&str> = items.iter().map(|item| item.id.as_str()).collect();
    let stores: Vec<&str> = items.iter().map(|i| i.content.store_id.as_str()).collect();
    let kiosks: Vec<&str> = items.iter().map(|i| i.content.kiosk_id.as_str()).collect();
    let created: Vec<i64> = items.iter().map(|i| i.content.created_at).collect();
    let suspect: Vec<bool> = created
        .iter()
        .map(|&at| clock_suspect(at, received_at))
        .collect();
    let ratings: [Vec<Option<i16>>; 5] = [
        column(|c| c.ratings[0]),
        column(|c| c.ratings[1]),
        column(|c| c.ratings[2]),
        column(|c| c.ratings[3]),
        column(|c| c.ratings[4]),
    ];
    let comments: Vec<Option<&str>> = items.iter().map(|i| i.content.comment.as_deref()).collect();
    let complete: Vec<bool> = items.iter().map(|i| i.content.complete).collect();
    let params: [&(dyn ToSql + Sync); 14] = [
        &ids,
        &stores,
        &kiosks,
        &created,
        &received_at,
        &suspect,
        &ratings[0],
        &ratings[1],
        &ratings[2],
        &ratings[3],
        &ratings[4],
        &comments,
        &complete,
        &poster.token_id,
    ];
    let statement = tx.prepare_cached(INSERT).await?;
    tx.query(&statement, &params)
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect()
}

/// Adds the counts to the rollup tables, in key order, statements
/// pipelined on the transaction's connection.
async fn apply(
    tx: &Transaction<'_>,
    added: &Additions,
    store_id: &str,
    kiosk_id: &str,
) -> Result<(), tokio_postgres::Error> {
    if added.is_empty() {
        return Ok(());
    }
    let half_hour = tx
        .prepare_cached(&sql::upsert(
            Dialect::Postgres,
            "rollup_half_hours",
            &["bucket", "kiosk_id"],
        ))
        .await?;
    let day = tx
        .prepare_cached(&sql::upsert(Dialect::Postgres, "rollup_days", &["day"]))
        .await?;
    let total = tx
        .prepare_cached(&sql::upsert(Dialect::Postgres, "rollup_stores", &[]))
        .await?;
    let store_id = store_id.to_owned();
    let kiosk_id = kiosk_id.to_owned();
    let mut rows: Vec<(
        &tokio_postgres::Statement,
        Vec<Box<dyn ToSql + Sync + Send>>,
    )> = Vec::new();
    for (bucket, summary) in &added.half_hours {
        let mut row: Vec<Box<dyn ToSql + Sync + Send>> = vec![
            Box::new(store_id.clone()),
            Box::new(*bucket),
            Box::new(kiosk_id.clone()),
        ];
        row.extend(counts(summary));
        rows.push((&half_hour, row));
    }
    for (number, summary) in &added.days {
        let mut row: Vec<Box<dyn ToSql + Sync + Send>> =
            vec![Box::new(store_id.clone()), Box::new(*number)];
        row.extend(counts(summary));
        rows.push((&day, row));
    }
    let mut row: Vec<Box<dyn ToSql + Sync + Send>> = vec![Box::new(store_id.clone())];
    row.extend(counts(&added.total));
    rows.push((&total, row));
    try_join_all(rows.iter().map(|(statement, row)| {
        let params: Vec<&(dyn ToSql + Sync)> = row
            .iter()
            .map(|value| value.as_ref() as &(dyn ToSql + Sync))
            .collect();
        async move { tx.execute(*statement, &params).await }
    }))
    .await?;
    Ok(())
}

fn counts(
    summary: &feedback_domain::Summary,
) -> impl Iterator<Item = Box<dyn ToSql + Sync + Send>> {
    sql::counts(summary)
        .into_iter()
        .map(|n| Box::new(n) as Box<dyn ToSql + Sync + Send>)
}
