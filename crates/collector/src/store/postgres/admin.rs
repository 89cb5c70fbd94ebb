//! Tokens, enrollment codes, stores and the health check in PostgreSQL.
//! Tokens and codes are stored only as hashes ([`crate::tokens`] and
//! [`crate::enrollments`] make them).

use deadpool_postgres::Client;
use tokio_postgres::Row;

use crate::enrollments::{self, ExchangeError, NewCode, CODE_LIFETIME_MS};
use crate::store::{StoreError, StoreInfo, DEFAULT_TIME_ZONE};
use crate::tokens::{self, NewToken, Role, TokenInfo};

type Result<T> = std::result::Result<T, tokio_postgres::Error>;

const TOKEN_COLUMNS: &str = "id, role, store_id, kiosk_id, created_at, revoked_at";

fn token_of(row: &Row) -> Result<TokenInfo> {
    let role: String = row.try_get(1)?;
    Ok(TokenInfo {
        id: row.try_get(0)?,
        role: tokens::role_of(&role, row.try_get(2)?, row.try_get(3)?),
        created_at: row.try_get(4)?,
        revoked_at: row.try_get(5)?,
    })
}

async fn insert_token(
    client: &impl deadpool_postgres::GenericClient,
    role: Role,
    now: i64,
) -> std::result::Result<NewToken, StoreError> {
    let secret = tokens::new_secret(&role)?;
    let (name, store_id, kiosk_id) = tokens::columns(&role);
    let hash = tokens::hash(&secret).to_vec();
    let id: i64 = client
        .query_one(
            "INSERT INTO tokens (role, store_id, kiosk_id, hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&name, &store_id, &kiosk_id, &hash, &now],
        )
        .await?
        .try_get(0)?;
    Ok(NewToken {
        info: TokenInfo {
            id,
            role,
            created_at: now,
            revoked_at: None,
        },
        secret,
    })
}

pub(super) async fn token_create(
    client: &Client,
    role: Role,
    now: i64,
) -> std::result::Result<NewToken, StoreError> {
    insert_token(client, role, now).await
}

/// The live token with this secret; never cached, so a revocation through
/// any collector holds for all from the next request.
pub(super) async fn token_authenticate(client: &Client, secret: &str) -> Result<Option<TokenInfo>> {
    let statement = client
        .prepare_cached(&format!(
            "SELECT {TOKEN_COLUMNS} FROM tokens WHERE hash = $1 AND revoked_at IS NULL"
        ))
        .await?;
    let hash = tokens::hash(secret).to_vec();
    client
        .query_opt(&statement, &[&hash])
        .await?
        .as_ref()
        .map(token_of)
        .transpose()
}

pub(super) async fn token_list(client: &Client) -> Result<Vec<TokenInfo>> {
    client
        .query(
            &format!("SELECT {TOKEN_COLUMNS} FROM tokens ORDER BY id"),
            &[],
        )
        .await?
        .iter()
        .map(token_of)
        .collect()
}

pub(super) async fn token_revoke(client: &Client, id: i64, now: i64) -> Result<bool> {
    let changed = client
        .execute(
            "UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&id, &now],
        )
        .await?;
    Ok(changed == 1)
}

pub(super) async fn enrollment_create(
    client: &Client,
    store_id: &str,
    kiosk_id: &str,
    now: i64,
) -> std::result::Result<NewCode, StoreError> {
    let code = enrollments::new_code()?;
    let expires_at = now.saturating_add(CODE_LIFETIME_MS);
    let hash = tokens::hash(&code).to_vec();
    client
        .execute(
            "INSERT INTO enrollments (store_id, kiosk_id, hash, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[&store_id, &kiosk_id, &hash, &now, &expires_at],
        )
        .await?;
    Ok(NewCode {
        code: enrollments::shown(&code),
        store_id: store_id.to_owned(),
        kiosk_id: kiosk_id.to_owned(),
        expires_at,
    })
}

/// Claims the code (one `UPDATE`, so two collectors exchanging it at once
/// cannot both win) and makes the token in the same transaction.
pub(super) async fn enrollment_exchange(
    client: &mut Client,
    typed: &str,
    now: i64,
) -> std::result::Result<NewToken, ExchangeError> {
    let code = enrollments::normalise(typed).ok_or(ExchangeError::Invalid)?;
    let hash = tokens::hash(&code).to_vec();
    let tx = client.transaction().await.map_err(StoreError::from)?;
    let claimed = tx
        .query_opt(
            "UPDATE enrollments SET used_at = $2
             WHERE hash = $1 AND used_at IS NULL AND expires_at > $2
             RETURNING id, store_id, kiosk_id",
            &[&hash, &now],
        )
        .await
        .map_err(StoreError::from)?
        .ok_or(ExchangeError::Invalid)?;
    let read = |row: &Row| -> Result<(i64, String, String)> {
        Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
    };
    let (id, store_id, kiosk_id) = read(&claimed).map_err(StoreError::from)?;
    let token = insert_token(&tx, Role::Kiosk { store_id, kiosk_id }, now).await?;
    tx.execute(
        "UPDATE enrollments SET token_id = $2 WHERE id = $1",
        &[&id, &token.info.id],
    )
    .await
    .map_err(StoreError::from)?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(token)
}

/// Every store named by a response (its rollup total), a token, an
/// enrollment code or a setting.
const KNOWN: &str = "SELECT store_id FROM rollup_stores
    UNION SELECT store_id FROM tokens WHERE store_id IS NOT NULL
    UNION SELECT store_id FROM enrollments
    UNION SELECT store_id FROM stores";

pub(super) async fn time_zone(client: &Client, store_id: &str) -> Result<String> {
    let statement = client
        .prepare_cached("SELECT time_zone FROM stores WHERE store_id = $1")
        .await?;
    Ok(match client.query_opt(&statement, &[&store_id]).await? {
        Some(row) => row.try_get(0)?,
        None => DEFAULT_TIME_ZONE.to_owned(),
    })
}

pub(super) async fn set_time_zone(
    client: &Client,
    store_id: &str,
    time_zone: &str,
    create: bool,
) -> std::result::Result<(), StoreError> {
    if !create {
        let known: bool = client
            .query_one(
                &format!("SELECT EXISTS (SELECT 1 FROM ({KNOWN}) AS known WHERE store_id = $1)"),
                &[&store_id],
            )
            .await?
            .try_get(0)?;
        if !known {
            return Err(StoreError::UnknownStore(store_id.to_owned()));
        }
    }
    client
        .execute(
            "INSERT INTO stores (store_id, time_zone) VALUES ($1, $2)
             ON CONFLICT (store_id) DO UPDATE SET time_zone = excluded.time_zone",
            &[&store_id, &time_zone],
        )
        .await?;
    Ok(())
}

pub(super) async fn store_list(client: &Client) -> Result<Vec<StoreInfo>> {
    client
        .query(
            &format!(
                "SELECT known.store_id, coalesce(stores.time_zone, $1),
                        coalesce(rollup_stores.complete + rollup_stores.partial, 0)
                 FROM ({KNOWN}) AS known
                 LEFT JOIN stores ON stores.store_id = known.store_id
                 LEFT JOIN rollup_stores ON rollup_stores.store_id = known.store_id
                 ORDER BY known.store_id"
            ),
            &[&DEFAULT_TIME_ZONE],
        )
        .await?
        .iter()
        .map(|row| {
            Ok(StoreInfo {
                store_id: row.try_get(0)?,
                time_zone: row.try_get(1)?,
                responses: u64::try_from(row.try_get::<_, i64>(2)?).unwrap_or(0),
            })
        })
        .collect()
}

/// Commits a one-row update, giving up after 2 seconds (a locked or
/// read-only database is not healthy).
pub(super) async fn check_writable(client: &mut Client, now: i64) -> Result<()> {
    let tx = client.transaction().await?;
    tx.batch_execute("SET LOCAL statement_timeout = '2s'")
        .await?;
    tx.execute("UPDATE health SET checked_at = $1 WHERE id = 1", &[&now])
        .await?;
    tx.commit().await
}
