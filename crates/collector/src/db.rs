//! The SQLite store: opening, pragmas and migrations.

use std::path::Path;
use std::time::Duration;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;

mod location;
mod migrations;
pub use location::Location;
use migrations::MIGRATIONS;

/// A pool of connections to one SQLite file.
pub type Pool = r2d2::Pool<SqliteConnectionManager>;

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the health check waits for another writer before it calls the
/// database unwritable.
const HEALTH_BUSY_TIMEOUT: Duration = Duration::from_secs(2);

/// Opens (creating if needed) the database at `path` and brings its schema
/// up to date. A new file is readable and writable by its owner only (SQLite
/// gives its `-wal` and `-shm` files the same mode).
pub fn open(path: &Path, max_connections: u32) -> anyhow::Result<Pool> {
    create_private(path)?;
    let manager = SqliteConnectionManager::file(path).with_init(configure);
    let pool = r2d2::Pool::builder()
        .max_size(max_connections.max(1))
        .connection_timeout(Duration::from_secs(30))
        .build(manager)?;
    let mut conn = pool.get()?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    migrate(&mut conn)?;
    Ok(pool)
}

/// Creates an empty file at `path` with mode 0600 unless one exists.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(err),
    }
}

fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // A reply of "stored" makes the kiosk forget a response, so a commit
    // must be on disk before it is acknowledged. In WAL mode NORMAL syncs
    // only at checkpoints: a power cut can roll back the last commits, which
    // no kiosk would ever send again. FULL syncs the WAL at every commit.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// Proves the database takes writes now: commits a one-row update, synced
/// to disk like any batch. Fails when the file is read-only, the disk is
/// full, or another process holds the database for longer than
/// [`HEALTH_BUSY_TIMEOUT`].
pub fn check_writable(conn: &Connection, now: i64) -> rusqlite::Result<()> {
    conn.busy_timeout(HEALTH_BUSY_TIMEOUT)?;
    let written = conn.execute("UPDATE health SET checked_at = ?1 WHERE id = 1", [now]);
    conn.busy_timeout(BUSY_TIMEOUT)?;
    match written? {
        1 => Ok(()),
        _ => Err(rusqlite::Error::QueryReturnedNoRows),
    }
}

/// Applies the migrations not yet applied, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let applied: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (number, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", number + 1)?;
        tx.commit()?;
        tracing::info!(migration = number + 1, "applied database migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_set_wal() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("c.sqlite");
        let pool = open(&path, 2).expect("open");
        drop(pool);
        let pool = open(&path, 2).expect("reopen runs no migration twice");
        let conn = pool.get().expect("connection");
        let version: usize = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(version, MIGRATIONS.len());
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .expect("fk");
        assert_eq!(fk, 1);
    }

    #[test]
    fn every_pooled_connection_syncs_each_commit_to_disk() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pool = open(&dir.path().join("c.sqlite"), 3).expect("open");
        // Held at once, so each is a different connection.
        let held: Vec<_> = (0..3).map(|_| pool.get().expect("connection")).collect();
        for conn in &held {
            let synchronous: i64 = conn
                .pragma_query_value(None, "synchronous", |r| r.get(0))
                .expect("synchronous");
            assert_eq!(synchronous, 2, "FULL");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_new_database_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("c.sqlite");
        let pool = open(&path, 1).expect("open");
        pool.get()
            .expect("connection")
            .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .expect("write");
        for file in ["c.sqlite", "c.sqlite-wal", "c.sqlite-shm"] {
            let mode = std::fs::metadata(dir.path().join(file))
                .expect("file exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
    }
}
