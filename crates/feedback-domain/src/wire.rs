//! The versioned format responses travel in from a kiosk to the collector.
//!
//! Version 1 is served under `/v1/`. A request body is a [`ResponseBatch`];
//! each item in it is a [`WireResponse`], validated on its own with
//! [`WireResponse::validate`] so that one bad item never blocks the rest.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    BadLang, Comment, Factor, KioskIdentity, Lang, Rating, Ratings, ReasonCode, Reasons,
    ReasonsError, Response, ResponseError, ResponseId, Timestamp,
};

/// Most responses one request may carry.
pub const MAX_BATCH_RESPONSES: usize = 1_000;

/// Largest request body the collector reads, in bytes (1 MiB).
pub const MAX_BATCH_BYTES: usize = 1024 * 1024;

/// 2020-01-01T00:00:00Z in milliseconds since the epoch: no kiosk saved a
/// response before it, so an earlier `created_at` means a clock that is off.
pub const EARLIEST_PLAUSIBLE_MS: i64 = 1_577_836_800_000;

/// How far ahead of the collector's clock a `created_at` may be before it is
/// flagged (a day: time zones and drift, not a wrong clock).
pub const FUTURE_TOLERANCE_MS: i64 = 24 * 60 * 60 * 1000;

/// Whether a response created at `created_at` and received at `received_at`
/// (both ms since the epoch) comes from a kiosk whose clock is off: before
/// 2020 (including times no calendar can show), or more than
/// [`FUTURE_TOLERANCE_MS`] ahead. Such responses are stored and flagged,
/// never dropped.
pub fn clock_suspect(created_at: i64, received_at: i64) -> bool {
    created_at < EARLIEST_PLAUSIBLE_MS
        || created_at > received_at.saturating_add(FUTURE_TOLERANCE_MS)
}

/// One request from a kiosk: responses it has saved and not yet seen confirmed.
///
/// `POST /v1/responses` with `Authorization: Bearer <kiosk token>`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResponseBatch {
    /// The kiosk sending; must match the kiosk its token was made for.
    pub kiosk_id: String,
    /// The responses, oldest first; at most [`MAX_BATCH_RESPONSES`].
    pub responses: Vec<WireResponse>,
}

/// The collector's answer to a [`ResponseBatch`] it read.
///
/// A kiosk marks as synced exactly the ids in `stored`, and sets aside the
/// ones in `rejected`; anything else stays pending and is sent again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BatchReply {
    /// Every id the collector now has from this batch: new ones and duplicates.
    pub stored: Vec<String>,
    /// The ids in `stored` it already had before this request.
    pub duplicates: Vec<String>,
    /// Ids stored whose `created_at` is far in the future or before 2020
    /// (a device clock that is off, see [`clock_suspect`]); stored all the same.
    pub flagged: Vec<String>,
    /// Items refused, each with its reason; they are not stored.
    pub rejected: Vec<RejectedItem>,
}

/// One item of a batch the collector refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RejectedItem {
    /// Position of the item in the batch's `responses`, from 0.
    pub index: usize,
    /// The item's `id` as sent, when it had a string one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Why, in words.
    pub reason: String,
}

/// A response as sent over the wire.
///
/// ```json
/// {"id": "0f8e…", "store_id": "store-12", "created_at": 1795000000123,
///  "ratings": {"speed": 1, "hygiene": 5}, "comment": "Queue!", "complete": true,
///  "lang": "en", "reasons": {"speed": ["long_queue"]}}
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WireResponse {
    /// The response's UUID, hyphenated.
    pub id: String,
    /// The store the kiosk stands in.
    pub store_id: String,
    /// When the kiosk saved it: milliseconds since the Unix epoch, UTC.
    pub created_at: i64,
    /// Factor key (see [`Factor::key`]) to rating, 1 to 5; at least one.
    #[cfg_attr(feature = "openapi", schema(example = json!({"speed": 4, "hygiene": 5})))]
    pub ratings: BTreeMap<String, i64>,
    /// The customer's comment, at most 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Whether the customer pressed Send (`false`: saved when they walked away).
    pub complete: bool,
    /// The language the customer answered in, a tag such as `es` or `es-MX`;
    /// left out by kiosks that do not record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "es"))]
    pub lang: Option<String>,
    /// Factor key to the codes of the reasons chosen for it (only factors
    /// rated 1 or 2, at most six each, see [`crate::reason`]); left out when
    /// there are none and by kiosks that do not ask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = json!({"speed": ["long_queue"]})))]
    pub reasons: Option<BTreeMap<String, Vec<String>>>,
}

/// Why the collector refuses one item of a batch.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ItemRejection {
    /// `id` is not a UUID.
    #[error("id \"{0}\" is not a UUID")]
    BadId(String),
    /// A rating names a factor that does not exist.
    #[error("unknown factor \"{0}\"")]
    UnknownFactor(String),
    /// A rating is outside 1 to 5.
    #[error("rating {value} for {factor} is outside 1 to 5")]
    RatingOutOfRange {
        /// The factor rated.
        factor: Factor,
        /// The number sent.
        value: i64,
    },
    /// `lang` is not a language tag.
    #[error(transparent)]
    BadLang(#[from] BadLang),
    /// Reasons for an unknown factor, a bad code, too many or repeated, or
    /// for a factor not rated 1 or 2.
    #[error("reasons: {0}")]
    Reasons(#[from] ReasonsError),
    /// Nothing rated, or a comment too long.
    #[error(transparent)]
    Invalid(#[from] ResponseError),
}

impl WireResponse {
    /// The wire form of a response saved by `kiosk`.
    pub fn from_response(response: &Response, kiosk: &KioskIdentity) -> WireResponse {
        WireResponse {
            id: response.id.to_string(),
            store_id: kiosk.store_id.clone(),
            created_at: response.created_at.millis(),
            ratings: response
                .ratings
                .iter()
                .map(|(factor, rating)| (factor.key().to_owned(), i64::from(rating.value())))
                .collect(),
            comment: response.comment.as_ref().map(|c| c.as_str().to_owned()),
            complete: response.complete,
            lang: response.lang.map(|l| l.as_str().to_owned()),
            reasons: reasons_to_wire(&response.reasons),
        }
    }

    /// The response this item describes, if it is valid.
    pub fn validate(&self) -> Result<Response, ItemRejection> {
        let id = Uuid::try_parse(&self.id).map_err(|_| ItemRejection::BadId(self.id.clone()))?;
        let mut ratings = Ratings::none();
        for (key, &value) in &self.ratings {
            let factor: Factor = key
                .parse()
                .map_err(|_| ItemRejection::UnknownFactor(key.clone()))?;
            let rating = Rating::new(value)
                .map_err(|_| ItemRejection::RatingOutOfRange { factor, value })?;
            ratings.set(factor, rating);
        }
        let comment =
            Comment::parse(self.comment.as_deref().unwrap_or("")).map_err(ResponseError::from)?;
        let lang = self.lang.as_deref().map(Lang::parse).transpose()?;
        let reasons = match &self.reasons {
            Some(reasons) => reasons_from_wire(reasons)?,
            None => Reasons::none(),
        };
        let response = Response::new(
            ResponseId(id),
            Timestamp(self.created_at),
            ratings,
            comment,
            self.complete,
        )?
        .in_language(lang);
        response.with_reasons(reasons).map_err(|err| match err {
            ResponseError::Reasons(reasons) => ItemRejection::Reasons(reasons),
            other => ItemRejection::Invalid(other),
        })
    }
}

/// Reasons as they travel (and as the collector keeps them): factor key to
/// codes; `None` when there are none.
pub fn reasons_to_wire(reasons: &Reasons) -> Option<BTreeMap<String, Vec<String>>> {
    (!reasons.is_empty()).then(|| {
        reasons
            .iter()
            .map(|(factor, codes)| {
                let codes = codes.iter().map(|c| c.as_str().to_owned()).collect();
                (factor.key().to_owned(), codes)
            })
            .collect()
    })
}

/// The reasons a wire map names, if every factor and code is valid and no
/// factor has too many or the same twice (whether the factors are rated low
/// is checked with the ratings, by [`Response::with_reasons`]).
pub fn reasons_from_wire(map: &BTreeMap<String, Vec<String>>) -> Result<Reasons, ItemRejection> {
    let mut reasons = Reasons::none();
    for (key, codes) in map {
        let factor: Factor = key
            .parse()
            .map_err(|_| ItemRejection::UnknownFactor(key.clone()))?;
        let codes = codes
            .iter()
            .map(|code| ReasonCode::parse(code).map_err(ReasonsError::from))
            .collect::<Result<Vec<_>, _>>()?;
        reasons.set(factor, codes)?;
    }
    Ok(reasons)
}

mod encode;
pub use encode::{encode_batch, push_json_string};

#[cfg(test)]
mod tests;
