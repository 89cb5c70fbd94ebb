//! `GET /v1/responses.csv` in constant memory: read in pages keyed by
//! `(created_at, id)`, each a separate call to the store (which holds a
//! connection only while the page is read), written with the domain
//! crate's CSV writer, and handed to the client through a small channel
//! so a slow reader holds nothing but its place in the export.

use std::sync::Arc;

use axum::body::Bytes;
use feedback_domain::export::{
    push_collected, push_record, CollectedResponse, COLLECTED_CSV_HEADER,
};
use tokio::sync::{mpsc, OwnedSemaphorePermit};

use crate::store::{Cursor, ExportRow, Filter, Store};

/// Rows read per page: about 200 KB of CSV.
pub const PAGE_ROWS: usize = 1_000;

/// Pages written ahead of a slow reader.
const PAGES_AHEAD: usize = 2;

/// `rows` as CSV records.
pub fn records(rows: &[ExportRow]) -> String {
    let mut out = String::with_capacity(rows.len() * 160);
    for row in rows {
        let reasons = crate::store::reasons_of(row.reasons.as_deref());
        push_collected(
            &mut out,
            &CollectedResponse {
                id: &row.id,
                store_id: &row.store_id,
                kiosk_id: &row.kiosk_id,
                created_at: row.created_at,
                received_at: row.received_at,
                ratings: &row.ratings,
                comment: row.comment.as_deref(),
                complete: row.complete,
                clock_suspect: row.clock_suspect,
                lang: row.lang.as_deref(),
                reasons: &reasons,
            },
        );
    }
    out
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
    store: Arc<dyn Store>,
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
            let read = store
                .export_page(filter.clone(), after.clone(), PAGE_ROWS)
                .await
                .map_err(std::io::Error::other);
            match read {
                Ok(rows) if rows.is_empty() => return,
                Ok(rows) => {
                    after = rows
                        .last()
                        .map(|row| -> Cursor { (row.created_at, row.id.clone()) });
                    if tx.send(Ok(Bytes::from(records(&rows)))).await.is_err() {
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
