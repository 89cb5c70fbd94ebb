//! Stores and their time zones in SQLite.

use rusqlite::{params, Connection, OptionalExtension};

use crate::store::{StoreError, StoreInfo, DEFAULT_TIME_ZONE};

/// Every store named by a response (its rollup total), a token, an
/// enrollment code or a setting.
const KNOWN: &str = "SELECT store_id FROM rollup_stores
    UNION SELECT store_id FROM tokens WHERE store_id IS NOT NULL
    UNION SELECT store_id FROM enrollments
    UNION SELECT store_id FROM stores";

pub(super) fn time_zone(conn: &Connection, store_id: &str) -> rusqlite::Result<String> {
    Ok(conn
        .prepare_cached("SELECT time_zone FROM stores WHERE store_id = ?1")?
        .query_row([store_id], |row| row.get(0))
        .optional()?
        .unwrap_or_else(|| DEFAULT_TIME_ZONE.to_owned()))
}

pub(super) fn set_time_zone(
    conn: &Connection,
    store_id: &str,
    time_zone: &str,
    create: bool,
) -> Result<(), StoreError> {
    if !create {
        let known: bool = conn.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM ({KNOWN}) WHERE store_id = ?1)"),
            [store_id],
            |row| row.get(0),
        )?;
        if !known {
            return Err(StoreError::UnknownStore(store_id.to_owned()));
        }
    }
    conn.execute(
        "INSERT INTO stores (store_id, time_zone) VALUES (?1, ?2)
         ON CONFLICT (store_id) DO UPDATE SET time_zone = excluded.time_zone",
        params![store_id, time_zone],
    )?;
    Ok(())
}

pub(super) fn list(conn: &Connection) -> rusqlite::Result<Vec<StoreInfo>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT known.store_id, coalesce(stores.time_zone, ?1),
                coalesce(rollup_stores.complete + rollup_stores.partial, 0)
         FROM ({KNOWN}) AS known
         LEFT JOIN stores ON stores.store_id = known.store_id
         LEFT JOIN rollup_stores ON rollup_stores.store_id = known.store_id
         ORDER BY known.store_id"
    ))?;
    let rows = stmt.query_map([DEFAULT_TIME_ZONE], |row| {
        Ok(StoreInfo {
            store_id: row.get(0)?,
            time_zone: row.get(1)?,
            responses: u64::try_from(row.get::<_, i64>(2)?).unwrap_or(0),
        })
    })?;
    rows.collect()
}
