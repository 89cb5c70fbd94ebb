//! The PostgreSQL schema, one migration at a time: the same tables as the
//! SQLite engine's (see `crate::db`), with PostgreSQL's types (booleans,
//! `BIGINT` times in ms since the epoch, `BYTEA` hashes) and byte-order
//! (`"C"`) collation on ids, so exports page through rows in the same order
//! on both engines.

/// Migrations, applied in order; `schema_migrations` records which have
/// run. Never edit one that has shipped: add a new one.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: everything the SQLite engine had after its third migration.
    r#"CREATE TABLE tokens (
        id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        role        TEXT    NOT NULL CHECK (role IN ('kiosk', 'manager')),
        store_id    TEXT    COLLATE "C",
        kiosk_id    TEXT    COLLATE "C",
        hash        BYTEA   NOT NULL UNIQUE,
        created_at  BIGINT  NOT NULL,
        revoked_at  BIGINT,
        CHECK (role = 'manager' OR (store_id IS NOT NULL AND kiosk_id IS NOT NULL))
    );
    CREATE TABLE responses (
        id            TEXT     COLLATE "C" NOT NULL PRIMARY KEY,
        store_id      TEXT     COLLATE "C" NOT NULL,
        kiosk_id      TEXT     COLLATE "C" NOT NULL,
        created_at    BIGINT   NOT NULL,
        received_at   BIGINT   NOT NULL,
        clock_suspect BOOLEAN  NOT NULL DEFAULT false,
        friendliness  SMALLINT CHECK (friendliness BETWEEN 1 AND 5),
        speed         SMALLINT CHECK (speed BETWEEN 1 AND 5),
        comfort       SMALLINT CHECK (comfort BETWEEN 1 AND 5),
        hygiene       SMALLINT CHECK (hygiene BETWEEN 1 AND 5),
        security      SMALLINT CHECK (security BETWEEN 1 AND 5),
        comment       TEXT,
        complete      BOOLEAN  NOT NULL,
        token_id      BIGINT   NOT NULL REFERENCES tokens (id)
    );
    CREATE INDEX responses_by_store_time ON responses (store_id, created_at);
    CREATE INDEX responses_by_time ON responses (created_at);
    CREATE TABLE enrollments (
        id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        store_id    TEXT    COLLATE "C" NOT NULL,
        kiosk_id    TEXT    COLLATE "C" NOT NULL,
        hash        BYTEA   NOT NULL UNIQUE,
        created_at  BIGINT  NOT NULL,
        expires_at  BIGINT  NOT NULL,
        used_at     BIGINT,
        token_id    BIGINT  REFERENCES tokens (id)
    );
    CREATE TABLE health (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        checked_at  BIGINT  NOT NULL
    );
    INSERT INTO health (id, checked_at) VALUES (1, 0);
    CREATE TABLE stores (
        store_id    TEXT COLLATE "C" NOT NULL PRIMARY KEY,
        time_zone   TEXT NOT NULL
    );
    CREATE TABLE rollup_half_hours (
        store_id        TEXT   COLLATE "C" NOT NULL,
        bucket          BIGINT NOT NULL,
        kiosk_id        TEXT   COLLATE "C" NOT NULL,
        complete        BIGINT NOT NULL DEFAULT 0,
        partial         BIGINT NOT NULL DEFAULT 0,
        friendliness_1  BIGINT NOT NULL DEFAULT 0,
        friendliness_2  BIGINT NOT NULL DEFAULT 0,
        friendliness_3  BIGINT NOT NULL DEFAULT 0,
        friendliness_4  BIGINT NOT NULL DEFAULT 0,
        friendliness_5  BIGINT NOT NULL DEFAULT 0,
        speed_1         BIGINT NOT NULL DEFAULT 0,
        speed_2         BIGINT NOT NULL DEFAULT 0,
        speed_3         BIGINT NOT NULL DEFAULT 0,
        speed_4         BIGINT NOT NULL DEFAULT 0,
        speed_5         BIGINT NOT NULL DEFAULT 0,
        comfort_1       BIGINT NOT NULL DEFAULT 0,
        comfort_2       BIGINT NOT NULL DEFAULT 0,
        comfort_3       BIGINT NOT NULL DEFAULT 0,
        comfort_4       BIGINT NOT NULL DEFAULT 0,
        comfort_5       BIGINT NOT NULL DEFAULT 0,
        hygiene_1       BIGINT NOT NULL DEFAULT 0,
        hygiene_2       BIGINT NOT NULL DEFAULT 0,
        hygiene_3       BIGINT NOT NULL DEFAULT 0,
        hygiene_4       BIGINT NOT NULL DEFAULT 0,
        hygiene_5       BIGINT NOT NULL DEFAULT 0,
        security_1      BIGINT NOT NULL DEFAULT 0,
        security_2      BIGINT NOT NULL DEFAULT 0,
        security_3      BIGINT NOT NULL DEFAULT 0,
        security_4      BIGINT NOT NULL DEFAULT 0,
        security_5      BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (store_id, bucket, kiosk_id)
    );
    CREATE INDEX rollup_half_hours_by_bucket ON rollup_half_hours (bucket);
    CREATE TABLE rollup_days (
        store_id        TEXT   COLLATE "C" NOT NULL,
        day             BIGINT NOT NULL,
        complete        BIGINT NOT NULL DEFAULT 0,
        partial         BIGINT NOT NULL DEFAULT 0,
        friendliness_1  BIGINT NOT NULL DEFAULT 0,
        friendliness_2  BIGINT NOT NULL DEFAULT 0,
        friendliness_3  BIGINT NOT NULL DEFAULT 0,
        friendliness_4  BIGINT NOT NULL DEFAULT 0,
        friendliness_5  BIGINT NOT NULL DEFAULT 0,
        speed_1         BIGINT NOT NULL DEFAULT 0,
        speed_2         BIGINT NOT NULL DEFAULT 0,
        speed_3         BIGINT NOT NULL DEFAULT 0,
        speed_4         BIGINT NOT NULL DEFAULT 0,
        speed_5         BIGINT NOT NULL DEFAULT 0,
        comfort_1       BIGINT NOT NULL DEFAULT 0,
        comfort_2       BIGINT NOT NULL DEFAULT 0,
        comfort_3       BIGINT NOT NULL DEFAULT 0,
        comfort_4       BIGINT NOT NULL DEFAULT 0,
        comfort_5       BIGINT NOT NULL DEFAULT 0,
        hygiene_1       BIGINT NOT NULL DEFAULT 0,
        hygiene_2       BIGINT NOT NULL DEFAULT 0,
        hygiene_3       BIGINT NOT NULL DEFAULT 0,
        hygiene_4       BIGINT NOT NULL DEFAULT 0,
        hygiene_5       BIGINT NOT NULL DEFAULT 0,
        security_1      BIGINT NOT NULL DEFAULT 0,
        security_2      BIGINT NOT NULL DEFAULT 0,
        security_3      BIGINT NOT NULL DEFAULT 0,
        security_4      BIGINT NOT NULL DEFAULT 0,
        security_5      BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (day, store_id)
    );
    CREATE INDEX rollup_days_by_store ON rollup_days (store_id, day);
    CREATE TABLE rollup_stores (
        store_id        TEXT   COLLATE "C" NOT NULL PRIMARY KEY,
        complete        BIGINT NOT NULL DEFAULT 0,
        partial         BIGINT NOT NULL DEFAULT 0,
        friendliness_1  BIGINT NOT NULL DEFAULT 0,
        friendliness_2  BIGINT NOT NULL DEFAULT 0,
        friendliness_3  BIGINT NOT NULL DEFAULT 0,
        friendliness_4  BIGINT NOT NULL DEFAULT 0,
        friendliness_5  BIGINT NOT NULL DEFAULT 0,
        speed_1         BIGINT NOT NULL DEFAULT 0,
        speed_2         BIGINT NOT NULL DEFAULT 0,
        speed_3         BIGINT NOT NULL DEFAULT 0,
        speed_4         BIGINT NOT NULL DEFAULT 0,
        speed_5         BIGINT NOT NULL DEFAULT 0,
        comfort_1       BIGINT NOT NULL DEFAULT 0,
        comfort_2       BIGINT NOT NULL DEFAULT 0,
        comfort_3       BIGINT NOT NULL DEFAULT 0,
        comfort_4       BIGINT NOT NULL DEFAULT 0,
        comfort_5       BIGINT NOT NULL DEFAULT 0,
        hygiene_1       BIGINT NOT NULL DEFAULT 0,
        hygiene_2       BIGINT NOT NULL DEFAULT 0,
        hygiene_3       BIGINT NOT NULL DEFAULT 0,
        hygiene_4       BIGINT NOT NULL DEFAULT 0,
        hygiene_5       BIGINT NOT NULL DEFAULT 0,
        security_1      BIGINT NOT NULL DEFAULT 0,
        security_2      BIGINT NOT NULL DEFAULT 0,
        security_3      BIGINT NOT NULL DEFAULT 0,
        security_4      BIGINT NOT NULL DEFAULT 0,
        security_5      BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE retention (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        raw_since   BIGINT  NOT NULL
    );
    INSERT INTO retention (id, raw_since) VALUES (1, -9223372036854775808);"#,
    // 2: manager accounts (Argon2id hashes only), the stores each may read,
    // dashboard sessions (SHA-256 of the cookie only), and each kiosk's last
    // heartbeat.
    r#"CREATE TABLE accounts (
        id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name          TEXT    COLLATE "C" NOT NULL UNIQUE,
        password_hash TEXT    NOT NULL,
        all_stores    BOOLEAN NOT NULL,
        created_at    BIGINT  NOT NULL,
        disabled_at   BIGINT
    );
    CREATE TABLE account_stores (
        account_id  BIGINT NOT NULL REFERENCES accounts (id),
        store_id    TEXT   COLLATE "C" NOT NULL,
        PRIMARY KEY (account_id, store_id)
    );
    CREATE TABLE sessions (
        hash          BYTEA  NOT NULL PRIMARY KEY,
        account_id    BIGINT NOT NULL REFERENCES accounts (id),
        created_at    BIGINT NOT NULL,
        last_seen_at  BIGINT NOT NULL
    );
    CREATE INDEX sessions_by_account ON sessions (account_id);
    CREATE TABLE kiosk_health (
        store_id      TEXT    COLLATE "C" NOT NULL,
        kiosk_id      TEXT    COLLATE "C" NOT NULL,
        last_seen_at  BIGINT  NOT NULL,
        app_version   TEXT    NOT NULL,
        waiting       BIGINT  NOT NULL,
        last_sync_at  BIGINT,
        storage_used  BIGINT,
        storage_quota BIGINT,
        persistent    BOOLEAN,
        PRIMARY KEY (store_id, kiosk_id)
    );"#,
    // 3: the language each response was given in (NULL from older kiosks).
    "ALTER TABLE responses ADD COLUMN lang TEXT;",
    // 4: the reasons chosen after low ratings (wire JSON, NULL when none),
    // and how often each was named per store, half hour and factor.
    r#"ALTER TABLE responses ADD COLUMN reasons TEXT;
    CREATE TABLE rollup_reasons (
        store_id  TEXT    COLLATE "C" NOT NULL,
        bucket    BIGINT  NOT NULL,
        factor    TEXT    COLLATE "C" NOT NULL,
        code      TEXT    COLLATE "C" NOT NULL,
        named     BIGINT  NOT NULL,
        PRIMARY KEY (store_id, bucket, factor, code)
    );"#,
    // 5: the same counts per store and UTC day, and per store in all, so a
    // long period reads days or totals rather than every half hour.
    r#"CREATE TABLE rollup_reason_days (
        store_id  TEXT    COLLATE "C" NOT NULL,
        day       BIGINT  NOT NULL,
        factor    TEXT    COLLATE "C" NOT NULL,
        code      TEXT    COLLATE "C" NOT NULL,
        named     BIGINT  NOT NULL,
        PRIMARY KEY (store_id, day, factor, code)
    );
    CREATE TABLE rollup_reason_stores (
        store_id  TEXT    COLLATE "C" NOT NULL,
        factor    TEXT    COLLATE "C" NOT NULL,
        code      TEXT    COLLATE "C" NOT NULL,
        named     BIGINT  NOT NULL,
        PRIMARY KEY (store_id, factor, code)
    );
    INSERT INTO rollup_reason_days (store_id, day, factor, code, named)
        SELECT store_id, floor(bucket / 48.0)::bigint, factor, code, sum(named)
        FROM rollup_reasons GROUP BY 1, 2, 3, 4;
    INSERT INTO rollup_reason_stores (store_id, factor, code, named)
        SELECT store_id, factor, code, sum(named) FROM rollup_reasons GROUP BY 1, 2, 3;"#,
    // 6: alerts, when each rule last fired per store (its cooldown), and
    // the webhooks and mails waiting to be sent, kept until they are.
    r#"CREATE TABLE alerts (
        id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        uid             TEXT    NOT NULL UNIQUE,
        store_id        TEXT    COLLATE "C" NOT NULL,
        rule            TEXT    NOT NULL,
        dedupe_key      TEXT    UNIQUE,
        fired_at        BIGINT  NOT NULL,
        message         TEXT    NOT NULL,
        details         TEXT    NOT NULL,
        state           TEXT    NOT NULL CHECK (state IN ('new', 'acknowledged', 'closed')),
        acknowledged_by TEXT,
        acknowledged_at BIGINT,
        note            TEXT,
        closed_by       TEXT,
        closed_at       BIGINT
    );
    CREATE INDEX alerts_by_store ON alerts (store_id, fired_at);
    CREATE INDEX alerts_by_time ON alerts (fired_at);
    CREATE TABLE alert_cooldowns (
        store_id  TEXT    COLLATE "C" NOT NULL,
        rule      TEXT    NOT NULL,
        fired_at  BIGINT  NOT NULL,
        PRIMARY KEY (store_id, rule)
    );
    CREATE TABLE deliveries (
        id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alert_id        BIGINT  REFERENCES alerts (id),
        channel         TEXT    NOT NULL CHECK (channel IN ('webhook', 'email')),
        target          TEXT    NOT NULL,
        idempotency_key TEXT    NOT NULL UNIQUE,
        body            TEXT    NOT NULL,
        created_at      BIGINT  NOT NULL,
        attempts        BIGINT  NOT NULL,
        next_attempt_at BIGINT  NOT NULL,
        done_at         BIGINT,
        outcome         TEXT    CHECK (outcome IN ('delivered', 'failed')),
        last_error      TEXT
    );
    CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE done_at IS NULL;"#,
    // 7: which accounts get a digest by mail, how often, at what local hour.
    r#"CREATE TABLE digests (
        account_id  BIGINT  NOT NULL PRIMARY KEY REFERENCES accounts (id),
        email       TEXT    NOT NULL,
        frequency   TEXT    NOT NULL CHECK (frequency IN ('daily', 'weekly')),
        hour        BIGINT  NOT NULL CHECK (hour BETWEEN 0 AND 23),
        time_zone   TEXT    NOT NULL
    );"#,
];

/// The advisory lock collectors take while migrating, so two starting at
/// once never apply a migration twice ("feedback" in ASCII).
const MIGRATION_LOCK: i64 = 0x6665_6564_6261_636b;

/// Applies the migrations not yet applied, all in one transaction (DDL is
/// transactional in PostgreSQL).
pub(super) async fn migrate(client: &mut deadpool_postgres::Client) -> anyhow::Result<()> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version     INTEGER PRIMARY KEY,
             applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let applied: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            &[],
        )
        .await?
        .try_get(0)?;
    let applied = usize::try_from(applied).unwrap_or(0);
    anyhow::ensure!(
        applied <= MIGRATIONS.len(),
        "the database has schema version {applied}, newer than this collector knows \
         ({}); run a newer collector",
        MIGRATIONS.len()
    );
    for (number, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let version = i32::try_from(number + 1)?;
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[&version],
        )
        .await?;
        tracing::info!(migration = version, "applied database migration");
    }
    tx.commit().await?;
    Ok(())
}
