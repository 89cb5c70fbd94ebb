use std::borrow::Cow;
use std::fmt;

use uuid::Uuid;

use crate::{Lang, Ratings, Reasons, ReasonsError};

/// The longest comment a customer may leave, in characters (Unicode scalar values).
pub const MAX_COMMENT_CHARS: usize = 500;

/// A response's identity, made on the device when the response is saved.
///
/// The collector deduplicates by it, which is what makes delivery exactly-once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResponseId(pub Uuid);

impl ResponseId {
    /// The id's 16 bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }
}

impl fmt::Display for ResponseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// A moment in UTC, as milliseconds since the Unix epoch (what `Date.now()` gives).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub const fn millis(self) -> i64 {
        self.0
    }
}

/// A customer's free-text comment: not blank, at most [`MAX_COMMENT_CHARS`] characters.
///
/// It is plain text wherever it is shown; nothing ever interprets it as markup.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Comment(String);

/// A comment longer than [`MAX_COMMENT_CHARS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("comment has {0} characters, more than the {MAX_COMMENT_CHARS} allowed")]
pub struct CommentTooLong(pub usize);

impl Comment {
    /// The comment from what the customer typed: `None` when blank.
    ///
    /// Surrounding whitespace is dropped; line breaks inside are kept.
    pub fn parse(text: &str) -> Result<Option<Comment>, CommentTooLong> {
        let text = text.trim();
        let chars = text.chars().count();
        if chars > MAX_COMMENT_CHARS {
            Err(CommentTooLong(chars))
        } else if text.is_empty() {
            Ok(None)
        } else {
            Ok(Some(Comment(text.to_owned())))
        }
    }

    /// The comment's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `c` is a character comments never keep: NUL, and the
/// bidirectional controls that make text display in another order than it
/// is stored (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which
/// can disguise what a comment says in a report or a spreadsheet.
pub fn is_hidden_control(c: char) -> bool {
    matches!(
        c,
        '\0' | '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// `text` without the characters [`is_hidden_control`] names; borrowed when
/// there are none.
pub fn strip_hidden_controls(text: &str) -> Cow<'_, str> {
    if text.contains(is_hidden_control) {
        Cow::Owned(text.chars().filter(|&c| !is_hidden_control(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Which store and which kiosk responses come from.
///
/// Kept once per kiosk rather than in every stored response.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct KioskIdentity {
    /// The store the kiosk stands in.
    pub store_id: String,
    /// This kiosk, unique within the deployment.
    pub kiosk_id: String,
}

/// Why a response cannot be accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    /// Nothing was rated: there is nothing to record.
    #[error("no factor was rated")]
    NoRating,
    /// The comment is too long.
    #[error(transparent)]
    CommentTooLong(#[from] CommentTooLong),
    /// Reasons that cannot go with these ratings.
    #[error(transparent)]
    Reasons(#[from] ReasonsError),
}

/// One customer's feedback: the ratings they gave and an optional comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// Made on the device; the same response always has the same id.
    pub id: ResponseId,
    /// When the response was saved, by the kiosk's clock (which may be off).
    pub created_at: Timestamp,
    /// At least one factor is rated.
    pub ratings: Ratings,
    /// What the customer wrote, if anything.
    pub comment: Option<Comment>,
    /// `true` when the customer pressed Send; `false` when the kiosk saved a
    /// half-finished response because the customer walked away.
    pub complete: bool,
    /// The language the customer answered in; `None` from kiosks that did
    /// not record it.
    pub lang: Option<Lang>,
    /// Why, for factors rated 1 or 2 (see [`crate::reason`]); none from
    /// kiosks that do not ask.
    pub reasons: Reasons,
}

impl Response {
    /// A response, if it rates at least one factor.
    pub fn new(
        id: ResponseId,
        created_at: Timestamp,
        ratings: Ratings,
        comment: Option<Comment>,
        complete: bool,
    ) -> Result<Response, ResponseError> {
        if ratings.is_empty() {
            return Err(ResponseError::NoRating);
        }
        Ok(Response {
            id,
            created_at,
            ratings,
            comment,
            complete,
            lang: None,
            reasons: Reasons::none(),
        })
    }

    /// This response, recorded as given in `lang`.
    pub fn in_language(self, lang: Option<Lang>) -> Response {
        Response { lang, ..self }
    }

    /// This response with `reasons`, if only factors rated 1 or 2 have any.
    pub fn with_reasons(self, reasons: Reasons) -> Result<Response, ResponseError> {
        reasons.check(&self.ratings)?;
        Ok(Response { reasons, ..self })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Factor, Rating};

    #[test]
    fn a_blank_comment_is_no_comment() {
        assert_eq!(Comment::parse(""), Ok(None));
        assert_eq!(Comment::parse("  \n\t "), Ok(None));
    }

    #[test]
    fn a_comment_keeps_its_inner_line_breaks() {
        let comment = Comment::parse("  slow till\nnice staff  ")
            .expect("short")
            .expect("not blank");
        assert_eq!(comment.as_str(), "slow till\nnice staff");
    }

    #[test]
    fn comment_length_counts_characters_not_bytes() {
        let accents = "é".repeat(MAX_COMMENT_CHARS);
        assert!(Comment::parse(&accents).is_ok());
        let too_long = "é".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(
            Comment::parse(&too_long),
            Err(CommentTooLong(MAX_COMMENT_CHARS + 1))
        );
    }

    #[test]
    fn nul_and_bidi_controls_are_stripped_and_nothing_else() {
        let sneaky = "ok\0\u{202E}gnp.exe\u{202C} \u{2066}x\u{2069}\u{200E}\u{200F}\u{061C}!";
        assert_eq!(strip_hidden_controls(sneaky), "okgnp.exe x!");
        let plain = "Très bien, مرحبا\nthanks";
        assert!(matches!(strip_hidden_controls(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn a_response_needs_at_least_one_rating() {
        let id = ResponseId(Uuid::from_u128(1));
        let empty = Response::new(id, Timestamp(0), Ratings::none(), None, true);
        assert_eq!(empty, Err(ResponseError::NoRating));
        let one = Ratings::none().with(Factor::Hygiene, Rating::MIN);
        assert!(Response::new(id, Timestamp(0), one, None, false).is_ok());
    }

    #[test]
    fn ids_display_as_hyphenated_uuids() {
        let id = ResponseId(Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef));
        assert_eq!(id.to_string(), "01234567-89ab-cdef-0123-456789abcdef");
    }
}
