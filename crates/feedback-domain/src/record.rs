//! The compact text form a kiosk keeps each response in (storage schema v1).
//!
//! Browsers give an origin about 5 MiB of `localStorage`, counted in UTF-16
//! code units, and a kiosk may be offline for months. So a stored response is
//! one short line of ASCII rather than JSON, and what is the same for every
//! response of a kiosk (store id, kiosk id) is kept once, elsewhere.
//!
//! A record, field by field:
//!
//! | chars | field | values |
//! |---|---|---|
//! | 1 | sync state | `p` pending, `s` synced, `r` rejected |
//! | 1 | completeness | `c` sent by the customer, `i` saved on idle |
//! | 5 | ratings in [`Factor::ALL`] order | `1`–`5`, `0` for not rated |
//! | 22 | id | the UUID's 16 bytes in unpadded base64url |
//! | 1+ | created at | milliseconds since the epoch in base36 (8 chars until 2059) |
//! | 0 or 3+ | language | `;` then the tag (`;es`); absent in records of older kiosks |
//! | 0 or 3+ | reasons | `|` then, per factor with reasons, its index in [`Factor::ALL`] and its codes joined by `,`; factors joined by `/` (`|1long_queue,not_enough_staff/3smell`) |
//! | 0 or 1+ | comment | `:` then the comment, with `\` `\n` `\r` escaped |
//!
//! A typical response (five ratings, a language, no comment) is 40 characters; records
//! are joined by `\n` into chunks (see the kiosk's storage module).

use uuid::Uuid;

use crate::reason::MAX_REASONS_PER_FACTOR;

use crate::{
    Comment, Factor, Lang, OutboxEntry, Rating, Ratings, ReasonCode, Reasons, Response, ResponseId,
    SyncState, Timestamp,
};

/// Separates records inside a chunk.
pub const RECORD_SEPARATOR: char = '\n';

const ID_START: usize = 7;
const ID_LEN: usize = 22;
const TIME_START: usize = ID_START + ID_LEN;
const LANG_MARK: char = ';';
const REASONS_MARK: char = '|';
const COMMENT_MARK: char = ':';
const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Why a stored line is not a valid record. Such a line is set aside, never guessed at.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// Shorter than the fixed-width fields.
    #[error("record is too short")]
    TooShort,
    /// A field holds a character it cannot hold.
    #[error("record field {0} is invalid")]
    BadField(&'static str),
    /// It decodes, but not to a valid response (no rating, or a comment too long).
    #[error("record is not a valid response: {0}")]
    Invalid(String),
}

/// The record for `entry`, one line without the separator.
pub fn encode(entry: &OutboxEntry) -> String {
    let response = &entry.response;
    let mut out = String::with_capacity(40);
    out.push(match entry.state {
        SyncState::Pending => 'p',
        SyncState::Synced => 's',
        SyncState::Rejected => 'r',
    });
    out.push(if response.complete { 'c' } else { 'i' });
    for factor in Factor::ALL {
        let digit = response.ratings.get(factor).map_or(0, Rating::value);
        out.push(char::from(b'0' + digit));
    }
    encode_id(response.id, &mut out);
    encode_time(response.created_at, &mut out);
    if let Some(lang) = response.lang {
        out.push(LANG_MARK);
        out.push_str(lang.as_str());
    }
    for (i, (factor, codes)) in response.reasons.iter().enumerate() {
        out.push(if i == 0 { REASONS_MARK } else { '/' });
        out.push(char::from(b'0' + factor.index() as u8));
        for (j, code) in codes.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(code.as_str());
        }
    }
    if let Some(comment) = &response.comment {
        out.push(COMMENT_MARK);
        for c in comment.as_str().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
    }
    out
}

/// The entry a record holds.
pub fn decode(line: &str) -> Result<OutboxEntry, RecordError> {
    let bytes = line.as_bytes();
    if bytes.len() < TIME_START + 1 || !line.is_char_boundary(TIME_START) {
        return Err(RecordError::TooShort);
    }
    let state = match bytes[0] {
        b'p' => SyncState::Pending,
        b's' => SyncState::Synced,
        b'r' => SyncState::Rejected,
        _ => return Err(RecordError::BadField("state")),
    };
    let complete = match bytes[1] {
        b'c' => true,
        b'i' => false,
        _ => return Err(RecordError::BadField("completeness")),
    };
    let mut ratings = Ratings::none();
    for (factor, &digit) in Factor::ALL.into_iter().zip(&bytes[2..ID_START]) {
        match digit {
            b'0' => {}
            b'1'..=b'5' => ratings.set(
                factor,
                Rating::new(i64::from(digit - b'0'))
                    .map_err(|_| RecordError::BadField("rating"))?,
            ),
            _ => return Err(RecordError::BadField("rating")),
        }
    }
    let id = decode_id(&bytes[ID_START..TIME_START]).ok_or(RecordError::BadField("id"))?;
    // `get`, not indexing: a failed slice would link the panic message's
    // formatting code into the kiosk.
    let rest = line.get(TIME_START..).ok_or(RecordError::TooShort)?;
    let (time, comment) = match rest.split_once(COMMENT_MARK) {
        Some((time, comment)) => (time, Some(unescape(comment)?)),
        None => (rest, None),
    };
    let (time, reasons) = match time.split_once(REASONS_MARK) {
        Some((time, reasons)) => (time, decode_reasons(reasons)?),
        None => (time, Reasons::none()),
    };
    let (time, lang) = match time.split_once(LANG_MARK) {
        Some((time, lang)) => (
            time,
            Some(Lang::parse(lang).map_err(|_| RecordError::BadField("language"))?),
        ),
        None => (time, None),
    };
    let created_at = decode_time(time).ok_or(RecordError::BadField("created at"))?;
    let comment = match comment {
        Some(text) => Comment::parse(&text).map_err(|err| RecordError::Invalid(err.to_string()))?,
        None => None,
    };
    let response = Response::new(id, created_at, ratings, comment, complete)
        .and_then(|response| response.in_language(lang).with_reasons(reasons))
        .map_err(|err| RecordError::Invalid(err.to_string()))?;
    Ok(OutboxEntry { response, state })
}

fn decode_reasons(text: &str) -> Result<Reasons, RecordError> {
    let bad = RecordError::BadField("reasons");
    let mut reasons = Reasons::none();
    for group in text.split('/') {
        let (index, codes) = group.split_at_checked(1).ok_or(bad.clone())?;
        let factor = index
            .parse::<usize>()
            .ok()
            .and_then(|i| Factor::ALL.get(i).copied())
            .ok_or(bad.clone())?;
        if !reasons.get(factor).is_empty() {
            return Err(bad);
        }
        for code in codes.split(',') {
            let code = ReasonCode::parse(code).map_err(|_| bad.clone())?;
            let chosen = reasons.get(factor);
            if chosen.contains(&code) || chosen.len() == MAX_REASONS_PER_FACTOR {
                return Err(bad);
            }
            reasons.toggle(factor, code);
        }
    }
    Ok(reasons)
}

/// Rewrites only the sync-state character of a valid record.
///
/// Marking responses synced then costs no decoding or re-encoding of comments.
pub fn with_state(line: &str, state: SyncState) -> Option<String> {
    let first = line.chars().next()?;
    if !matches!(first, 'p' | 's' | 'r') {
        return None;
    }
    let code = match state {
        SyncState::Pending => 'p',
        SyncState::Synced => 's',
        SyncState::Rejected => 'r',
    };
    let mut out = String::with_capacity(line.len());
    out.push(code);
    out.push_str(line.get(1..)?);
    Some(out)
}

fn encode_id(id: ResponseId, out: &mut String) {
    let bytes = id.as_bytes();
    // 16 bytes = 5 groups of 3 bytes (20 chars) + 1 byte (2 chars).
    for group in bytes.chunks(3) {
        let n =
            group.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)) << (8 * (3 - group.len()));
        let chars = group.len() + 1;
        for i in 0..chars {
            let sextet = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(BASE64URL[sextet as usize]));
        }
    }
}

fn decode_id(chars: &[u8]) -> Option<ResponseId> {
    let mut bytes = [0u8; 16];
    let mut filled = 0;
    for group in chars.chunks(4) {
        let mut n = 0u32;
        for &c in group {
            let sextet = BASE64URL.iter().position(|&b| b == c)? as u32;
            n = (n << 6) | sextet;
        }
        n <<= 6 * (4 - group.len());
        let produce = group.len() - 1;
        for i in 0..produce {
            *bytes.get_mut(filled)? = (n >> (16 - 8 * i)) as u8;
            filled += 1;
        }
    }
    // The last char carries 2 unused bits; a canonical encoding has them zero.
    if filled != 16
        || chars.len() != ID_LEN
        || BASE64URL.iter().position(|&b| b == chars[21])? & 0x0f != 0
    {
        return None;
    }
    Some(ResponseId(Uuid::from_bytes(bytes)))
}

fn encode_time(at: Timestamp, out: &mut String) {
    let millis = at.millis();
    if millis < 0 {
        out.push('-');
    }
    let mut n = millis.unsigned_abs();
    let mut digits = [b'0'; 14];
    let mut i = digits.len();
    while n > 0 || digits.len() - i < 8 {
        i -= 1;
        digits[i] = b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize];
        n /= 36;
    }
    out.extend(digits[i..].iter().map(|&b| char::from(b)));
}

fn decode_time(text: &str) -> Option<Timestamp> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    if digits.is_empty()
        || !digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, 36).ok()?;
    Some(Timestamp(if negative { -magnitude } else { magnitude }))
}

fn unescape(text: &str) -> Result<String, RecordError> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            _ => return Err(RecordError::BadField("comment")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
