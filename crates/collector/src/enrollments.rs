//! Enrollment: a short one-time code an operator gives a kiosk, which the
//! kiosk exchanges once for its token, so no token ever sits in a file.
//!
//! A code is 12 Crockford base32 characters (60 random bits), shown as
//! `XXXX-XXXX-XXXX`, valid [`CODE_LIFETIME_MS`], usable once. Only its
//! SHA-256 is stored. The kiosk token is made at the exchange, in the same
//! transaction that marks the code used, and exists in clear only in that
//! reply.

use serde::Serialize;

use crate::store::StoreError;

/// How long a code can be exchanged: 24 hours.
pub const CODE_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

/// Crockford's base32 alphabet: no I, L, O or U to misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in a code.
pub const CODE_CHARS: usize = 12;

/// A code just made: the only time it exists in clear.
#[derive(Debug, Serialize)]
pub struct NewCode {
    /// The code, as `XXXX-XXXX-XXXX`.
    pub code: String,
    /// The store the kiosk will post for.
    pub store_id: String,
    /// The kiosk.
    pub kiosk_id: String,
    /// When it stops working, ms since the epoch.
    pub expires_at: i64,
}

/// Why a code was not exchanged: deliberately one case, so an answer never
/// tells an unknown code from a used or an expired one.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// Unknown, used or expired.
    #[error("this enrollment code is not valid")]
    Invalid,
    /// The database failed, or no token could be made.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<anyhow::Error> for ExchangeError {
    fn from(err: anyhow::Error) -> ExchangeError {
        ExchangeError::Store(err.into())
    }
}

/// A new code, in its stored form: [`CODE_CHARS`] characters of the
/// alphabet.
pub fn new_code() -> anyhow::Result<String> {
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|err| anyhow::anyhow!("no randomness: {err}"))?;
    let bits = u64::from_le_bytes(random);
    Ok((0..CODE_CHARS)
        .map(|i| char::from(ALPHABET[((bits >> (5 * i)) & 31) as usize]))
        .collect())
}

/// A code as shown to people: `XXXX-XXXX-XXXX`.
pub fn shown(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed, in its stored form: upper case, dashes and spaces
/// dropped, and the letters Crockford reads as digits (I, L, O) read so;
/// `None` when it cannot be a code.
pub fn normalise(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        })
        .collect();
    let valid = code.chars().count() == CODE_CHARS && code.bytes().all(|b| ALPHABET.contains(&b));
    valid.then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_however_they_are_typed() {
        assert_eq!(normalise("abcd-efgh-jk01").as_deref(), Some("ABCDEFGHJK01"));
        assert_eq!(
            normalise(" ABCD EFGH JKOL ").as_deref(),
            Some("ABCDEFGHJK01")
        );
        assert_eq!(normalise("ABCD-EFGH-JK0"), None, "too short");
        assert_eq!(normalise("ABCD-EFGH-JK0U"), None, "U is not Crockford");
    }

    #[test]
    fn new_codes_read_back_as_themselves() {
        let code = new_code().expect("code");
        let typed = shown(&code);
        assert_eq!(typed.len(), 14);
        assert_eq!(normalise(&typed.to_lowercase()), Some(code));
    }
}
