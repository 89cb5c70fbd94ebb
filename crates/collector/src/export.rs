//! `GET /v1/responses.csv` in constant memory: read in pages keyed by
//! `(created_at, id)`, each on a pooled connection held only while the page
//! is read, written with the domain crate's CSV writer, and handed to the
//! client through a small channel so a slow reader holds nothing but its
//! place in the export.

use axum::body::Bytes;
use feedback_domain::export::{
    push_collected, push_record, CollectedResponse, COLLECTED_CSV_HEADER,
};
use rusqlite::{params, Connection};
use tokio::sync::{mpsc, OwnedSemaphorePermit};

use crate::db::Pool;
use crate::report::{ratings, Filter, WHERE};

/// Rows read per page: about 200 KB of CSV.
pub const PAGE_ROWS: usize = 1_000;

/// Pages written ahead of a slow reader.
const PAGES_AHEAD: usize = 2;

/// Where an export has got to: the `(created_at, id)` of the last row sent.
pub type Cursor = (i64, String);

/// One page of the export after `after`, as CSV records, and the cursor of
/// its last row (`None` when the page is empty).
pub fn page(
    conn: &Connection,
    filter: &Filter,
    after: Option<&Cursor>,
    rows: usize,
) -> rusqlite::Result<(String, Option<Cursor>)> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT friendliness, speed, comfort, hygiene, security, complete,
                id, store_id, kiosk_id, created_at, received_at, comment, clock_suspect
         FROM responses {WHERE}
           AND (?4 IS NULL OR (created_at, id) > (?4, ?5))
         ORDER BY created_at, id LIMIT ?6"
    ))?;
    let (after_time, after_id) = after.cloned().unzip();
    let limit = i64::try_from(rows).unwrap_or(i64::MAX);
    let mut found = stmt.query(params![
        filter.store_id,
        filter.from,
        filter.to,
        after_time,
        after_id,
        limit
    ])?;
    let mut out = String::with_capacity(rows * 160);
    let mut last = None;
    while let Some(row) = found.next()? {
        let id: String = row.get(6)?;
        let created_at: i64 = row.get(9)?;
        push_collected(
            &mut out,
            &CollectedResponse {
                id: &id,
                store_id: &row.get::<_, String>(7)?,
                kiosk_id: &row.get::<_, String>(8)?,
                created_at,
                received_at: row.get(10)?,
                ratings: &ratings(row, 0)?,
                comment: row.get::<_, Option<String>>(11)?.as_deref(),
                complete: row.get(5)?,
                clock_suspect: row.get(12)?,
            },
        );
        last = Some((created_at, id));
    }
    Ok((out, last))
}

/// The header row.
pub fn header() -> String {
    let mut out = String::new();
    push_record(&mut out, COLLECTED_CSV_HEADER);
    out
}

/// Starts exporting what `filter` selects; the receiver yields the CSV in
/// pieces, header first. A database failure ends it with an error (the
/// client sees a cut-off body, never a short file that looks whole); a
/// client that goes away stops it.
/// `permit` is held until the export ends.
pub fn start(
    pool: Pool,
    filter: Filter,
    permit: OwnedSemaphorePermit,
) -> mpsc::Receiver<Result<Bytes, std::io::Error>> {
    let (tx, rx) = mpsc::channel(PAGES_AHEAD);
    tokio::spawn(async move {
        let _exporting = permit;
        if tx.send(Ok(Bytes::from(header()))).await.is_err() {
            return;
        }
        let mut after: Option<Cursor> = None;
        loop {
            let (pool, filter, cursor) = (pool.clone(), filter.clone(), after.clone());
            let read = tokio::task::spawn_blocking(move || {
                let conn = pool.get().map_err(std::io::Error::other)?;
                page(&conn, &filter, cursor.as_ref(), PAGE_ROWS).map_err(std::io::Error::other)
            })
            .await
            .map_err(std::io::Error::other)
            .and_then(|read| read);
            match read {
                Ok((_, None)) => return,
                Ok((text, last)) => {
                    after = last;
                    if tx.send(Ok(Bytes::from(text))).await.is_err() {
                        return; // The client went away.
                    }
                }
                Err(err) => {
                    tracing::error!(error = %err, "export failed part way");
                    let _ = tx.send(Err(err)).await;
                    return;
                }
            }
        }
    });
    rx
}
