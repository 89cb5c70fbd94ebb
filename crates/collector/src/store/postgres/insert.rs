//! Inserting a batch in PostgreSQL: one statement inserts every new id
//! (`ON CONFLICT (id) DO NOTHING … RETURNING id`), one reads what is held
//! for the others, and the rollups get exactly what was inserted, all in
//! one transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use deadpool_postgres::Client;
use deadpool_postgres::Transaction;
use feedback_domain::wire::clock_suspect;
use feedback_domain::Summary;
use tokio_postgres::types::ToSql;

use crate::ingest::{Content, Poster};
use crate::store::additions::Additions;
use crate::store::sql::{self, Dialect};
use crate::store::{NewResponse, Outcome};

const INSERT: &str = "INSERT INTO responses (id, store_id, kiosk_id, created_at, received_at,
        clock_suspect, friendliness, speed, comfort, hygiene, security, comment, complete,
        token_id, lang, reasons)
    SELECT id, store_id, kiosk_id, created_at, $5::bigint, clock_suspect, friendliness, speed,
        comfort, hygiene, security, comment, complete, $14::bigint, lang, reasons
    FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $6::bool[], $7::int2[],
        $8::int2[], $9::int2[], $10::int2[], $11::int2[], $12::text[], $13::bool[], $15::text[],
        $16::text[])
        AS item (id, store_id, kiosk_id, created_at, clock_suspect, friendliness, speed,
            comfort, hygiene, security, comment, complete, lang, reasons)
    ORDER BY id
    ON CONFLICT (id) DO NOTHING
    RETURNING id";

const HELD: &str = "SELECT id, store_id, kiosk_id, created_at, friendliness, speed, comfort,
        hygiene, security, comment, complete, lang, reasons
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
            lang: row.try_get(11)?,
            reasons: row.try_get(12)?,
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
    let langs: Vec<Option<&str>> = items.iter().map(|i| i.content.lang.as_deref()).collect();
    let reasons: Vec<Option<&str>> = items.iter().map(|i| i.content.reasons.as_deref()).collect();
    let params: [&(dyn ToSql + Sync); 16] = [
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
        &langs,
        &reasons,
    ];
    let statement = tx.prepare_cached(INSERT).await?;
    tx.query(&statement, &params)
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect()
}

/// Adds the counts to the rollup tables: one statement per table, rows in
/// key order (so concurrent batches take row locks in one order).
async fn apply(
    tx: &Transaction<'_>,
    added: &Additions,
    store_id: &str,
    kiosk_id: &str,
) -> Result<(), tokio_postgres::Error> {
    if added.is_empty() {
        return Ok(());
    }
    let half_hours = tx
        .prepare_cached(&bulk_upsert("rollup_half_hours", "bucket", true))
        .await?;
    let (keys, counts) = columns(&added.half_hours);
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&store_id, &kiosk_id, &keys];
    params.extend(counts.iter().map(|c| c as &(dyn ToSql + Sync)));
    tx.execute(&half_hours, &params).await?;

    let days = tx
        .prepare_cached(&bulk_upsert("rollup_days", "day", false))
        .await?;
    let (keys, counts) = columns(&added.days);
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&store_id, &keys];
    params.extend(counts.iter().map(|c| c as &(dyn ToSql + Sync)));
    tx.execute(&days, &params).await?;

    let total = tx
        .prepare_cached(&sql::upsert(Dialect::Postgres, "rollup_stores", &[]))
        .await?;
    let counts = sql::counts(&added.total);
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&store_id];
    params.extend(counts.iter().map(|c| c as &(dyn ToSql + Sync)));
    tx.execute(&total, &params).await?;
    super::reasons::apply(tx, added, store_id).await
}

/// The keys of `rows`, and for each count column its values, in key order.
fn columns(rows: &BTreeMap<i64, Summary>) -> (Vec<i64>, Vec<Vec<i64>>) {
    let mut counts = vec![Vec::with_capacity(rows.len()); sql::COUNT_COLUMNS.len()];
    for summary in rows.values() {
        for (column, count) in counts.iter_mut().zip(sql::counts(summary)) {
            column.push(count);
        }
    }
    (rows.keys().copied().collect(), counts)
}

/// Adds many rows of counts to `table` at once: `$1` the store, `$2` the
/// kiosk (when `with_kiosk`), then an array of `key` values and one array
/// per count column.
fn bulk_upsert(table: &str, key: &str, with_kiosk: bool) -> String {
    let first_array = if with_kiosk { 3 } else { 2 };
    let mut columns = vec!["store_id".to_owned(), key.to_owned()];
    let mut values = vec!["$1".to_owned(), format!("item.{key}")];
    let mut conflict = vec!["store_id", key];
    if with_kiosk {
        columns.push("kiosk_id".into());
        values.push("$2".into());
        conflict.push("kiosk_id");
    }
    let mut arrays = vec![format!("${first_array}::bigint[]")];
    let mut names = vec![key.to_owned()];
    for (i, column) in sql::COUNT_COLUMNS.iter().enumerate() {
        columns.push(column.clone());
        values.push(format!("item.{column}"));
        arrays.push(format!("${}::bigint[]", first_array + 1 + i));
        names.push(column.clone());
    }
    let adds = sql::COUNT_COLUMNS
        .iter()
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO {table} ({}) SELECT {} FROM unnest({}) AS item ({}) ORDER BY item.{key}
         ON CONFLICT ({}) DO UPDATE SET {adds}",
        columns.join(", "),
        values.join(", "),
        arrays.join(", "),
        names.join(", "),
        conflict.join(", ")
    )
}
