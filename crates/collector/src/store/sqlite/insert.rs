//! Inserting a batch in SQLite: each response if its id is absent, and the
//! rollups for exactly those inserted, in one transaction.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::rollups;
use crate::ingest::{Content, Poster};
use crate::store::additions::Additions;
use crate::store::{NewResponse, Outcome};

fn read_content(row: &rusqlite::Row<'_>) -> rusqlite::Result<Content> {
    Ok(Content {
        store_id: row.get(0)?,
        kiosk_id: row.get(1)?,
        created_at: row.get(2)?,
        ratings: [
            row.get(3)?,
            row.get(4)?,
            row.get(5)?,
            row.get(6)?,
            row.get(7)?,
        ],
        comment: row.get(8)?,
        complete: row.get(9)?,
        lang: row.get(10)?,
        reasons: row.get(11)?,
    })
}

/// Inserts `items` posted by `poster` in its own transaction; one outcome
/// per item.
pub(super) fn insert_batch(
    conn: &mut Connection,
    poster: &Poster,
    items: &[NewResponse],
    received_at: i64,
) -> rusqlite::Result<Vec<Outcome>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let outcomes = insert_items(&tx, poster, items, received_at)?;
    tx.commit()?;
    Ok(outcomes)
}

/// Inserts `items` posted by `poster`, and their rollups, inside the
/// transaction (or savepoint) `tx` is in; one outcome per item.
pub(super) fn insert_items(
    tx: &Connection,
    poster: &Poster,
    items: &[NewResponse],
    received_at: i64,
) -> rusqlite::Result<Vec<Outcome>> {
    let mut outcomes = Vec::with_capacity(items.len());
    let mut added = Additions::default();
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO responses (id, store_id, kiosk_id, created_at, received_at, clock_suspect,
                 friendliness, speed, comfort, hygiene, security, comment, complete, token_id,
                 lang, reasons)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
             ON CONFLICT (id) DO NOTHING",
        )?;
        let mut existing = tx.prepare_cached(
            "SELECT store_id, kiosk_id, created_at, friendliness, speed, comfort, hygiene,
                    security, comment, complete, lang, reasons
             FROM responses WHERE id = ?1",
        )?;
        for NewResponse { id, content } in items {
            let suspect = feedback_domain::wire::clock_suspect(content.created_at, received_at);
            let [friendliness, speed, comfort, hygiene, security] = content.ratings;
            let inserted = insert.execute(params![
                id,
                content.store_id,
                content.kiosk_id,
                content.created_at,
                received_at,
                suspect,
                friendliness,
                speed,
                comfort,
                hygiene,
                security,
                content.comment,
                content.complete,
                poster.token_id,
                content.lang,
                content.reasons,
            ])?;
            if inserted == 1 {
                added.add(content);
                outcomes.push(Outcome::Inserted);
                continue;
            }
            let stored = existing.query_row([id], read_content).optional()?;
            outcomes.push(if stored.as_ref() == Some(content) {
                Outcome::Duplicate
            } else {
                Outcome::IdInUse
            });
        }
    }
    rollups::apply(tx, &added, &poster.store_id, &poster.kiosk_id)?;
    Ok(outcomes)
}
