//! The schema, one migration at a time.

/// Schema migrations, applied in order; `PRAGMA user_version` records how
/// many have run. Never edit one that has shipped: add a new one.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: tokens and responses.
    "CREATE TABLE tokens (
        id          INTEGER PRIMARY KEY,
        role        TEXT    NOT NULL CHECK (role IN ('kiosk', 'manager')),
        store_id    TEXT,
        kiosk_id    TEXT,
        hash        BLOB    NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL,
        revoked_at  INTEGER,
        CHECK (role = 'manager' OR (store_id IS NOT NULL AND kiosk_id IS NOT NULL))
    );
    CREATE TABLE responses (
        id            TEXT    NOT NULL PRIMARY KEY,
        store_id      TEXT    NOT NULL,
        kiosk_id      TEXT    NOT NULL,
        created_at    INTEGER NOT NULL,
        received_at   INTEGER NOT NULL,
        clock_suspect INTEGER NOT NULL DEFAULT 0 CHECK (clock_suspect IN (0, 1)),
        friendliness  INTEGER CHECK (friendliness BETWEEN 1 AND 5),
        speed         INTEGER CHECK (speed BETWEEN 1 AND 5),
        comfort       INTEGER CHECK (comfort BETWEEN 1 AND 5),
        hygiene       INTEGER CHECK (hygiene BETWEEN 1 AND 5),
        security      INTEGER CHECK (security BETWEEN 1 AND 5),
        comment       TEXT,
        complete      INTEGER NOT NULL CHECK (complete IN (0, 1)),
        token_id      INTEGER NOT NULL REFERENCES tokens (id)
    ) WITHOUT ROWID;
    CREATE INDEX responses_by_store_time ON responses (store_id, created_at);
    CREATE INDEX responses_by_time ON responses (created_at);",
    // 2: one-time enrollment codes (only their hashes), and the row the
    // health check writes to prove the database takes writes.
    "CREATE TABLE enrollments (
        id          INTEGER PRIMARY KEY,
        store_id    TEXT    NOT NULL,
        kiosk_id    TEXT    NOT NULL,
        hash        BLOB    NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        used_at     INTEGER,
        token_id    INTEGER REFERENCES tokens (id)
    );
    CREATE TABLE health (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        checked_at  INTEGER NOT NULL
    );
    INSERT INTO health (id, checked_at) VALUES (1, 0);",
    // 3: store time zones; rollups per store, kiosk and half-hour, per
    // store and UTC day, and per store in all (built here from what is
    // stored); and how far retention has deleted raw rows. Days are kept in
    // day order and half-hours have a covering index in bucket order, so a
    // report of every store reads one contiguous range, not a lookup per row.
    "CREATE TABLE stores (
        store_id    TEXT NOT NULL PRIMARY KEY,
        time_zone   TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE rollup_half_hours (
        store_id        TEXT    NOT NULL,
        bucket          INTEGER NOT NULL,
        kiosk_id        TEXT    NOT NULL,
        complete        INTEGER NOT NULL DEFAULT 0,
        partial         INTEGER NOT NULL DEFAULT 0,
        friendliness_1  INTEGER NOT NULL DEFAULT 0,
        friendliness_2  INTEGER NOT NULL DEFAULT 0,
        friendliness_3  INTEGER NOT NULL DEFAULT 0,
        friendliness_4  INTEGER NOT NULL DEFAULT 0,
        friendliness_5  INTEGER NOT NULL DEFAULT 0,
        speed_1         INTEGER NOT NULL DEFAULT 0,
        speed_2         INTEGER NOT NULL DEFAULT 0,
        speed_3         INTEGER NOT NULL DEFAULT 0,
        speed_4         INTEGER NOT NULL DEFAULT 0,
        speed_5         INTEGER NOT NULL DEFAULT 0,
        comfort_1       INTEGER NOT NULL DEFAULT 0,
        comfort_2       INTEGER NOT NULL DEFAULT 0,
        comfort_3       INTEGER NOT NULL DEFAULT 0,
        comfort_4       INTEGER NOT NULL DEFAULT 0,
        comfort_5       INTEGER NOT NULL DEFAULT 0,
        hygiene_1       INTEGER NOT NULL DEFAULT 0,
        hygiene_2       INTEGER NOT NULL DEFAULT 0,
        hygiene_3       INTEGER NOT NULL DEFAULT 0,
        hygiene_4       INTEGER NOT NULL DEFAULT 0,
        hygiene_5       INTEGER NOT NULL DEFAULT 0,
        security_1      INTEGER NOT NULL DEFAULT 0,
        security_2      INTEGER NOT NULL DEFAULT 0,
        security_3      INTEGER NOT NULL DEFAULT 0,
        security_4      INTEGER NOT NULL DEFAULT 0,
        security_5      INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (store_id, bucket, kiosk_id)
    ) WITHOUT ROWID;
    CREATE INDEX rollup_half_hours_by_bucket ON rollup_half_hours (
        bucket, store_id, kiosk_id, complete, partial, friendliness_1,
        friendliness_2, friendliness_3, friendliness_4, friendliness_5,
        speed_1, speed_2, speed_3, speed_4, speed_5, comfort_1, comfort_2,
        comfort_3, comfort_4, comfort_5, hygiene_1, hygiene_2, hygiene_3,
        hygiene_4, hygiene_5, security_1, security_2, security_3, security_4,
        security_5
    );
    CREATE TABLE rollup_days (
        store_id        TEXT    NOT NULL,
        day             INTEGER NOT NULL,
        complete        INTEGER NOT NULL DEFAULT 0,
        partial         INTEGER NOT NULL DEFAULT 0,
        friendliness_1  INTEGER NOT NULL DEFAULT 0,
        friendliness_2  INTEGER NOT NULL DEFAULT 0,
        friendliness_3  INTEGER NOT NULL DEFAULT 0,
        friendliness_4  INTEGER NOT NULL DEFAULT 0,
        friendliness_5  INTEGER NOT NULL DEFAULT 0,
        speed_1         INTEGER NOT NULL DEFAULT 0,
        speed_2         INTEGER NOT NULL DEFAULT 0,
        speed_3         INTEGER NOT NULL DEFAULT 0,
        speed_4         INTEGER NOT NULL DEFAULT 0,
        speed_5         INTEGER NOT NULL DEFAULT 0,
        comfort_1       INTEGER NOT NULL DEFAULT 0,
        comfort_2       INTEGER NOT NULL DEFAULT 0,
        comfort_3       INTEGER NOT NULL DEFAULT 0,
        comfort_4       INTEGER NOT NULL DEFAULT 0,
        comfort_5       INTEGER NOT NULL DEFAULT 0,
        hygiene_1       INTEGER NOT NULL DEFAULT 0,
        hygiene_2       INTEGER NOT NULL DEFAULT 0,
        hygiene_3       INTEGER NOT NULL DEFAULT 0,
        hygiene_4       INTEGER NOT NULL DEFAULT 0,
        hygiene_5       INTEGER NOT NULL DEFAULT 0,
        security_1      INTEGER NOT NULL DEFAULT 0,
        security_2      INTEGER NOT NULL DEFAULT 0,
        security_3      INTEGER NOT NULL DEFAULT 0,
        security_4      INTEGER NOT NULL DEFAULT 0,
        security_5      INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, store_id)
    ) WITHOUT ROWID;
    CREATE INDEX rollup_days_by_store ON rollup_days (store_id, day);
    CREATE TABLE rollup_stores (
        store_id        TEXT    NOT NULL,
        complete        INTEGER NOT NULL DEFAULT 0,
        partial         INTEGER NOT NULL DEFAULT 0,
        friendliness_1  INTEGER NOT NULL DEFAULT 0,
        friendliness_2  INTEGER NOT NULL DEFAULT 0,
        friendliness_3  INTEGER NOT NULL DEFAULT 0,
        friendliness_4  INTEGER NOT NULL DEFAULT 0,
        friendliness_5  INTEGER NOT NULL DEFAULT 0,
        speed_1         INTEGER NOT NULL DEFAULT 0,
        speed_2         INTEGER NOT NULL DEFAULT 0,
        speed_3         INTEGER NOT NULL DEFAULT 0,
        speed_4         INTEGER NOT NULL DEFAULT 0,
        speed_5         INTEGER NOT NULL DEFAULT 0,
        comfort_1       INTEGER NOT NULL DEFAULT 0,
        comfort_2       INTEGER NOT NULL DEFAULT 0,
        comfort_3       INTEGER NOT NULL DEFAULT 0,
        comfort_4       INTEGER NOT NULL DEFAULT 0,
        comfort_5       INTEGER NOT NULL DEFAULT 0,
        hygiene_1       INTEGER NOT NULL DEFAULT 0,
        hygiene_2       INTEGER NOT NULL DEFAULT 0,
        hygiene_3       INTEGER NOT NULL DEFAULT 0,
        hygiene_4       INTEGER NOT NULL DEFAULT 0,
        hygiene_5       INTEGER NOT NULL DEFAULT 0,
        security_1      INTEGER NOT NULL DEFAULT 0,
        security_2      INTEGER NOT NULL DEFAULT 0,
        security_3      INTEGER NOT NULL DEFAULT 0,
        security_4      INTEGER NOT NULL DEFAULT 0,
        security_5      INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (store_id)
    ) WITHOUT ROWID;
    CREATE TABLE retention (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        raw_since   INTEGER NOT NULL
    );
    INSERT INTO retention (id, raw_since) VALUES (1, -9223372036854775808);
    INSERT INTO rollup_half_hours (store_id, bucket, kiosk_id, complete, partial, friendliness_1, friendliness_2, friendliness_3, friendliness_4, friendliness_5, speed_1, speed_2, speed_3, speed_4, speed_5, comfort_1, comfort_2, comfort_3, comfort_4, comfort_5, hygiene_1, hygiene_2, hygiene_3, hygiene_4, hygiene_5, security_1, security_2, security_3, security_4, security_5)
        SELECT store_id, (created_at - ((created_at % 1800000) + 1800000) % 1800000) / 1800000, kiosk_id, sum(complete), sum(1 - complete), sum(coalesce(friendliness = 1, 0)), sum(coalesce(friendliness = 2, 0)), sum(coalesce(friendliness = 3, 0)), sum(coalesce(friendliness = 4, 0)), sum(coalesce(friendliness = 5, 0)), sum(coalesce(speed = 1, 0)), sum(coalesce(speed = 2, 0)), sum(coalesce(speed = 3, 0)), sum(coalesce(speed = 4, 0)), sum(coalesce(speed = 5, 0)), sum(coalesce(comfort = 1, 0)), sum(coalesce(comfort = 2, 0)), sum(coalesce(comfort = 3, 0)), sum(coalesce(comfort = 4, 0)), sum(coalesce(comfort = 5, 0)), sum(coalesce(hygiene = 1, 0)), sum(coalesce(hygiene = 2, 0)), sum(coalesce(hygiene = 3, 0)), sum(coalesce(hygiene = 4, 0)), sum(coalesce(hygiene = 5, 0)), sum(coalesce(security = 1, 0)), sum(coalesce(security = 2, 0)), sum(coalesce(security = 3, 0)), sum(coalesce(security = 4, 0)), sum(coalesce(security = 5, 0))
        FROM responses GROUP BY 1, 2, 3;
    INSERT INTO rollup_days (store_id, day, complete, partial, friendliness_1, friendliness_2, friendliness_3, friendliness_4, friendliness_5, speed_1, speed_2, speed_3, speed_4, speed_5, comfort_1, comfort_2, comfort_3, comfort_4, comfort_5, hygiene_1, hygiene_2, hygiene_3, hygiene_4, hygiene_5, security_1, security_2, security_3, security_4, security_5)
        SELECT store_id, (created_at - ((created_at % 86400000) + 86400000) % 86400000) / 86400000, sum(complete), sum(1 - complete), sum(coalesce(friendliness = 1, 0)), sum(coalesce(friendliness = 2, 0)), sum(coalesce(friendliness = 3, 0)), sum(coalesce(friendliness = 4, 0)), sum(coalesce(friendliness = 5, 0)), sum(coalesce(speed = 1, 0)), sum(coalesce(speed = 2, 0)), sum(coalesce(speed = 3, 0)), sum(coalesce(speed = 4, 0)), sum(coalesce(speed = 5, 0)), sum(coalesce(comfort = 1, 0)), sum(coalesce(comfort = 2, 0)), sum(coalesce(comfort = 3, 0)), sum(coalesce(comfort = 4, 0)), sum(coalesce(comfort = 5, 0)), sum(coalesce(hygiene = 1, 0)), sum(coalesce(hygiene = 2, 0)), sum(coalesce(hygiene = 3, 0)), sum(coalesce(hygiene = 4, 0)), sum(coalesce(hygiene = 5, 0)), sum(coalesce(security = 1, 0)), sum(coalesce(security = 2, 0)), sum(coalesce(security = 3, 0)), sum(coalesce(security = 4, 0)), sum(coalesce(security = 5, 0))
        FROM responses GROUP BY 1, 2;
    INSERT INTO rollup_stores (store_id, complete, partial, friendliness_1, friendliness_2, friendliness_3, friendliness_4, friendliness_5, speed_1, speed_2, speed_3, speed_4, speed_5, comfort_1, comfort_2, comfort_3, comfort_4, comfort_5, hygiene_1, hygiene_2, hygiene_3, hygiene_4, hygiene_5, security_1, security_2, security_3, security_4, security_5)
        SELECT store_id, sum(complete), sum(1 - complete), sum(coalesce(friendliness = 1, 0)), sum(coalesce(friendliness = 2, 0)), sum(coalesce(friendliness = 3, 0)), sum(coalesce(friendliness = 4, 0)), sum(coalesce(friendliness = 5, 0)), sum(coalesce(speed = 1, 0)), sum(coalesce(speed = 2, 0)), sum(coalesce(speed = 3, 0)), sum(coalesce(speed = 4, 0)), sum(coalesce(speed = 5, 0)), sum(coalesce(comfort = 1, 0)), sum(coalesce(comfort = 2, 0)), sum(coalesce(comfort = 3, 0)), sum(coalesce(comfort = 4, 0)), sum(coalesce(comfort = 5, 0)), sum(coalesce(hygiene = 1, 0)), sum(coalesce(hygiene = 2, 0)), sum(coalesce(hygiene = 3, 0)), sum(coalesce(hygiene = 4, 0)), sum(coalesce(hygiene = 5, 0)), sum(coalesce(security = 1, 0)), sum(coalesce(security = 2, 0)), sum(coalesce(security = 3, 0)), sum(coalesce(security = 4, 0)), sum(coalesce(security = 5, 0))
        FROM responses GROUP BY 1;",
    // 4: manager accounts (Argon2id hashes only), the stores each may read,
    // dashboard sessions (SHA-256 of the cookie only), and each kiosk's last
    // heartbeat.
    "CREATE TABLE accounts (
        id            INTEGER PRIMARY KEY,
        name          TEXT    NOT NULL UNIQUE,
        password_hash TEXT    NOT NULL,
        all_stores    INTEGER NOT NULL CHECK (all_stores IN (0, 1)),
        created_at    INTEGER NOT NULL,
        disabled_at   INTEGER
    );
    CREATE TABLE account_stores (
        account_id  INTEGER NOT NULL REFERENCES accounts (id),
        store_id    TEXT    NOT NULL,
        PRIMARY KEY (account_id, store_id)
    ) WITHOUT ROWID;
    CREATE TABLE sessions (
        hash          BLOB    NOT NULL PRIMARY KEY,
        account_id    INTEGER NOT NULL REFERENCES accounts (id),
        created_at    INTEGER NOT NULL,
        last_seen_at  INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_by_account ON sessions (account_id);
    CREATE TABLE kiosk_health (
        store_id      TEXT    NOT NULL,
        kiosk_id      TEXT    NOT NULL,
        last_seen_at  INTEGER NOT NULL,
        app_version   TEXT    NOT NULL,
        waiting       INTEGER NOT NULL,
        last_sync_at  INTEGER,
        storage_used  INTEGER,
        storage_quota INTEGER,
        persistent    INTEGER CHECK (persistent IN (0, 1)),
        PRIMARY KEY (store_id, kiosk_id)
    ) WITHOUT ROWID;",
    // 5: the language each response was given in (NULL from older kiosks).
    "ALTER TABLE responses ADD COLUMN lang TEXT;",
    // 6: the reasons chosen after low ratings (wire JSON, NULL when none),
    // and how often each was named per store, half hour and factor.
    "ALTER TABLE responses ADD COLUMN reasons TEXT;
    CREATE TABLE rollup_reasons (
        store_id  TEXT    NOT NULL,
        bucket    INTEGER NOT NULL,
        factor    TEXT    NOT NULL,
        code      TEXT    NOT NULL,
        named     INTEGER NOT NULL,
        PRIMARY KEY (store_id, bucket, factor, code)
    ) WITHOUT ROWID;",
    // 7: the same counts per store and UTC day, and per store in all, so a
    // long period reads days or totals rather than every half hour.
    "CREATE TABLE rollup_reason_days (
        store_id  TEXT    NOT NULL,
        day       INTEGER NOT NULL,
        factor    TEXT    NOT NULL,
        code      TEXT    NOT NULL,
        named     INTEGER NOT NULL,
        PRIMARY KEY (store_id, day, factor, code)
    ) WITHOUT ROWID;
    CREATE TABLE rollup_reason_stores (
        store_id  TEXT    NOT NULL,
        factor    TEXT    NOT NULL,
        code      TEXT    NOT NULL,
        named     INTEGER NOT NULL,
        PRIMARY KEY (store_id, factor, code)
    ) WITHOUT ROWID;
    INSERT INTO rollup_reason_days (store_id, day, factor, code, named)
        SELECT store_id, bucket / 48 - (bucket % 48 < 0), factor, code, sum(named)
        FROM rollup_reasons GROUP BY 1, 2, 3, 4;
    INSERT INTO rollup_reason_stores (store_id, factor, code, named)
        SELECT store_id, factor, code, sum(named) FROM rollup_reasons GROUP BY 1, 2, 3;",
    // 8: alerts, when each rule last fired per store (its cooldown), and
    // the webhooks and mails waiting to be sent, kept until they are.
    "CREATE TABLE alerts (
        id              INTEGER PRIMARY KEY,
        uid             TEXT    NOT NULL UNIQUE,
        store_id        TEXT    NOT NULL,
        rule            TEXT    NOT NULL,
        dedupe_key      TEXT    UNIQUE,
        fired_at        INTEGER NOT NULL,
        message         TEXT    NOT NULL,
        details         TEXT    NOT NULL,
        state           TEXT    NOT NULL CHECK (state IN ('new', 'acknowledged', 'closed')),
        acknowledged_by TEXT,
        acknowledged_at INTEGER,
        note            TEXT,
        closed_by       TEXT,
        closed_at       INTEGER
    );
    CREATE INDEX alerts_by_store ON alerts (store_id, fired_at);
    CREATE INDEX alerts_by_time ON alerts (fired_at);
    CREATE TABLE alert_cooldowns (
        store_id  TEXT    NOT NULL,
        rule      TEXT    NOT NULL,
        fired_at  INTEGER NOT NULL,
        PRIMARY KEY (store_id, rule)
    ) WITHOUT ROWID;
    CREATE TABLE deliveries (
        id              INTEGER PRIMARY KEY,
        alert_id        INTEGER REFERENCES alerts (id),
        channel         TEXT    NOT NULL CHECK (channel IN ('webhook', 'email')),
        target          TEXT    NOT NULL,
        idempotency_key TEXT    NOT NULL UNIQUE,
        body            TEXT    NOT NULL,
        created_at      INTEGER NOT NULL,
        attempts        INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        done_at         INTEGER,
        outcome         TEXT    CHECK (outcome IN ('delivered', 'failed')),
        last_error      TEXT
    );
    CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE done_at IS NULL;",
    // 9: which accounts get a digest by mail, how often, at what local hour.
    "CREATE TABLE digests (
        account_id  INTEGER NOT NULL PRIMARY KEY REFERENCES accounts (id),
        email       TEXT    NOT NULL,
        frequency   TEXT    NOT NULL CHECK (frequency IN ('daily', 'weekly')),
        hour        INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
        time_zone   TEXT    NOT NULL
    );",
];
