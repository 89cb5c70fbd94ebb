//! A real PostgreSQL server for the tests: a throwaway cluster in a
//! temporary directory, started on first use by each test binary (or the
//! server `FEEDBACK_TEST_POSTGRES` names, for example
//! `postgres://postgres@127.0.0.1:5432/postgres`), with a fresh database per
//! test. The cluster is stopped and its directory removed when the test
//! binary exits.
//!
//! It needs Debian's `postgresql` package (`make setup` installs it). As
//! root, the cluster runs as the `postgres` user, since PostgreSQL refuses
//! to run as root. The cluster skips syncing to disk (`fsync=off`: the
//! tests check answers, not disks) unless `FEEDBACK_PG_FSYNC=on`, which the
//! benchmarks set so that acknowledgements are as durable as in production;
//! `FEEDBACK_PG_OPTIONS` adds server options (the benchmarks give it the
//! shared buffers a production server would have).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

struct Server {
    /// A URL of the server's `postgres` database, to create others from.
    admin: String,
    /// The cluster this binary started, to stop at exit.
    cluster: Option<Cluster>,
}

struct Cluster {
    bin: PathBuf,
    root: PathBuf,
    as_postgres: bool,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);

/// The URL of a new, empty database on the test server.
pub fn fresh_database() -> String {
    let server = SERVER.get_or_init(start);
    let name = format!(
        "test_{}_{}",
        std::process::id(),
        DATABASES.fetch_add(1, Ordering::Relaxed)
    );
    let out = psql(&server.admin, &format!("CREATE DATABASE {name}"));
    assert!(out.status.success(), "CREATE DATABASE: {out:?}");
    let (base, _) = server
        .admin
        .rsplit_once('/')
        .expect("a URL with a database");
    format!("{base}/{name}")
}

/// Runs one SQL command with `psql`; rows unaligned, fields separated by
/// U+001F, NULL as `\N`.
pub fn psql(url: &str, sql: &str) -> Output {
    Command::new(bin_dir().join("psql"))
        .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
        .args(["-F", "\u{1f}", "-P", "null=\\N", "-d", url, "-c", sql])
        .output()
        .expect("run psql")
}

/// `psql` reading commands from a pipe: a session that lasts until its
/// standard input is closed.
pub fn psql_session(url: &str) -> std::process::Child {
    Command::new(bin_dir().join("psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("run psql")
}

/// Where Debian's PostgreSQL binaries are: `PG_BIN`, or the newest
/// `/usr/lib/postgresql/*/bin`.
fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, bin)| bin)
        .expect("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run make setup")
}

fn start() -> Server {
    if let Ok(admin) = std::env::var("FEEDBACK_TEST_POSTGRES") {
        return Server {
            admin,
            cluster: None,
        };
    }
    let bin = bin_dir();
    let root = tempfile::Builder::new()
        .prefix("feedback-pg-")
        .tempdir()
        .expect("temp dir")
        .keep();
    // SAFETY: geteuid has no preconditions.
    let as_postgres = unsafe { libc::geteuid() } == 0;
    if as_postgres {
        let out = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&root)
            .output()
            .expect("chown");
        assert!(out.status.success(), "chown: {out:?}");
    }
    let cluster = Cluster {
        bin,
        root,
        as_postgres,
    };
    let data = cluster.root.join("data");
    let out = cluster.run("initdb", |c| {
        c.arg("-D").arg(&data);
        c.args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-N",
            "-E",
            "UTF8",
            "--locale=C",
        ]);
    });
    assert!(out.status.success(), "initdb: {out:?}");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let fsync = std::env::var("FEEDBACK_PG_FSYNC").unwrap_or_else(|_| "off".into());
    let extra = std::env::var("FEEDBACK_PG_OPTIONS").unwrap_or_default();
    let options = format!(
        "-k {} -p {port} -c listen_addresses=127.0.0.1 -c fsync={fsync} -c max_connections=300 {extra}",
        cluster.root.display()
    );
    let out = cluster.run("pg_ctl", |c| {
        c.arg("-D").arg(&data).args(["-w", "-o", &options, "-l"]);
        c.arg(cluster.root.join("log")).arg("start");
    });
    assert!(
        out.status.success(),
        "pg_ctl start: {out:?}\n{}",
        std::fs::read_to_string(cluster.root.join("log")).unwrap_or_default()
    );
    // SAFETY: `stop_at_exit` is a plain function that only reads a static.
    unsafe { libc::atexit(stop_at_exit) };
    Server {
        admin: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        cluster: Some(cluster),
    }
}

impl Cluster {
    /// Runs one of the server's programs, as `postgres` when we are root.
    fn run(&self, program: &str, args: impl FnOnce(&mut Command)) -> Output {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        args(&mut command);
        command.output().expect("run a PostgreSQL program")
    }

    fn stop(&self) {
        let data: &Path = &self.root.join("data");
        let _ = self.run("pg_ctl", |c| {
            c.arg("-D")
                .arg(data)
                .args(["-m", "immediate", "-w", "stop"]);
        });
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

extern "C" fn stop_at_exit() {
    if let Some(cluster) = SERVER.get().and_then(|server| server.cluster.as_ref()) {
        cluster.stop();
    }
}
