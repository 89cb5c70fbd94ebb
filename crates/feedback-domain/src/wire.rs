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

/// The JSON body of a [`ResponseBatch`] of `responses` taken under
/// `identity`: the same text `serde_json` writes for it, without its generic
/// code, which the kiosk would otherwise carry (it counts every byte).
pub fn encode_batch(identity: &KioskIdentity, responses: &[Response]) -> String {
    let mut out = String::with_capacity(64 + responses.len() * 180);
    out.push_str("{\"kiosk_id\":");
    push_json_string(&mut out, &identity.kiosk_id);
    out.push_str(",\"responses\":[");
    for (i, response) in responses.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":\"");
        out.push_str(&response.id.to_string());
        out.push_str("\",\"store_id\":");
        push_json_string(&mut out, &identity.store_id);
        out.push_str(",\"created_at\":");
        out.push_str(&response.created_at.millis().to_string());
        out.push_str(",\"ratings\":{");
        // In key order, as a BTreeMap serialises.
        let rated = Factor::BY_KEY
            .into_iter()
            .filter_map(|factor| Some((factor.key(), response.ratings.get(factor)?.value())));
        for (j, (key, value)) in rated.enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(key);
            out.push_str("\":");
            out.push(char::from(b'0' + value));
        }
        out.push('}');
        if let Some(comment) = &response.comment {
            out.push_str(",\"comment\":");
            push_json_string(&mut out, comment.as_str());
        }
        out.push_str(",\"complete\":");
        out.push_str(if response.complete { "true" } else { "false" });
        if let Some(lang) = response.lang {
            out.push_str(",\"lang\":\"");
            out.push_str(lang.as_str());
            out.push('"');
        }
        push_reasons(&mut out, &response.reasons);
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// Appends `,"reasons":{…}` in factor key order, as a `BTreeMap` serialises,
/// unless there are none.
fn push_reasons(out: &mut String, reasons: &Reasons) {
    if reasons.is_empty() {
        return;
    }
    out.push_str(",\"reasons\":{");
    let chosen = Factor::BY_KEY
        .into_iter()
        .map(|factor| (factor, reasons.get(factor)))
        .filter(|(_, codes)| !codes.is_empty());
    for (i, (factor, codes)) in chosen.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(factor.key());
        out.push_str("\":[");
        for (j, code) in codes.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(code.as_str());
            out.push('"');
        }
        out.push(']');
    }
    out.push('}');
}

/// Appends `text` as a JSON string literal, escaped as `serde_json` does.
pub fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kiosk() -> KioskIdentity {
        KioskIdentity {
            store_id: "store-12".into(),
            kiosk_id: "exit-north".into(),
        }
    }

    fn sample() -> Response {
        Response::new(
            ResponseId(Uuid::from_u128(42)),
            Timestamp(1_795_000_000_123),
            Ratings::none()
                .with(Factor::Speed, Rating::new(4).expect("on scale"))
                .with(Factor::Hygiene, Rating::MAX),
            Comment::parse("Quick, \"clean\"").expect("short"),
            true,
        )
        .expect("rated")
    }

    #[test]
    fn a_response_survives_the_wire() {
        let wire = WireResponse::from_response(&sample(), &kiosk());
        let json = serde_json::to_string(&wire).expect("serialises");
        assert_eq!(
            json,
            r#"{"id":"00000000-0000-0000-0000-00000000002a","store_id":"store-12","created_at":1795000000123,"ratings":{"hygiene":5,"speed":4},"comment":"Quick, \"clean\"","complete":true}"#
        );
        let back: WireResponse = serde_json::from_str(&json).expect("parses");
        assert_eq!(back.validate(), Ok(sample()));
    }

    #[test]
    fn the_hand_written_batch_is_exactly_what_serde_writes() {
        let mut tricky = sample();
        tricky.comment =
            Comment::parse("Quote \" slash \\ tab\t bell\u{7} line\nnext é 😀").expect("short");
        tricky.lang = Lang::parse("es-MX").ok();
        tricky.ratings = tricky
            .ratings
            .with(Factor::Security, Rating::MIN)
            .with(Factor::Speed, Rating::new(2).expect("on scale"));
        let mut why = Reasons::none();
        let code = |c: &str| ReasonCode::parse(c).expect("a code");
        why.set(Factor::Security, vec![code("car_park")])
            .expect("one");
        why.set(
            Factor::Speed,
            vec![code("long_queue"), code("slow_checkout")],
        )
        .expect("two");
        let tricky = tricky.with_reasons(why).expect("rated low");
        let mut bare = sample();
        bare.comment = None;
        bare.complete = false;
        bare.ratings = Ratings::none()
            .with(Factor::Security, Rating::MIN)
            .with(Factor::Comfort, Rating::new(3).expect("on scale"))
            .with(Factor::Friendliness, Rating::MAX);
        let identity = KioskIdentity {
            store_id: "store \"12\"".into(),
            kiosk_id: "exit\\north".into(),
        };
        let responses = vec![sample(), tricky, bare];
        let expected = serde_json::to_string(&ResponseBatch {
            kiosk_id: identity.kiosk_id.clone(),
            responses: responses
                .iter()
                .map(|r| WireResponse::from_response(r, &identity))
                .collect(),
        })
        .expect("serialises");
        assert_eq!(encode_batch(&identity, &responses), expected);
        assert_eq!(
            encode_batch(&identity, &[]),
            r#"{"kiosk_id":"exit\\north","responses":[]}"#
        );
    }

    #[test]
    fn clocks_before_2020_or_a_day_ahead_are_suspect() {
        let now = 1_795_000_000_000;
        assert!(!clock_suspect(now, now));
        assert!(!clock_suspect(now + FUTURE_TOLERANCE_MS, now));
        assert!(clock_suspect(now + FUTURE_TOLERANCE_MS + 1, now));
        assert!(!clock_suspect(EARLIEST_PLAUSIBLE_MS, now));
        assert!(clock_suspect(EARLIEST_PLAUSIBLE_MS - 1, now));
        assert!(clock_suspect(i64::MIN, now));
        assert!(clock_suspect(i64::MAX, now));
    }

    #[test]
    fn reasons_of_another_shape_are_not_a_response() {
        let item = |reasons: &str| {
            format!(
                r#"{{"id":"00000000-0000-0000-0000-00000000002a","store_id":"s","created_at":1,"ratings":{{"speed":1}},"complete":true,"reasons":{reasons}}}"#
            )
        };
        for shape in [
            r#"["long_queue"]"#,
            r#"{"speed":"long_queue"}"#,
            r#"{"speed":[1]}"#,
        ] {
            assert!(
                serde_json::from_str::<WireResponse>(&item(shape)).is_err(),
                "{shape}"
            );
        }
        let fine: WireResponse =
            serde_json::from_str(&item(r#"{"speed":["long_queue"]}"#)).expect("parses");
        assert!(fine.validate().is_ok());
    }

    #[test]
    fn unknown_fields_are_refused() {
        let json = r#"{"id":"00000000-0000-0000-0000-00000000002a","store_id":"s","created_at":1,"ratings":{"speed":4},"complete":true,"extra":1}"#;
        assert!(serde_json::from_str::<WireResponse>(json).is_err());
    }

    #[test]
    fn each_invalid_item_says_why() {
        let good = WireResponse::from_response(&sample(), &kiosk());
        let mut bad_id = good.clone();
        bad_id.id = "not-a-uuid".into();
        assert_eq!(
            bad_id.validate(),
            Err(ItemRejection::BadId("not-a-uuid".into()))
        );

        let mut unknown = good.clone();
        unknown.ratings.insert("parking".into(), 3);
        assert_eq!(
            unknown.validate(),
            Err(ItemRejection::UnknownFactor("parking".into()))
        );

        let mut out_of_range = good.clone();
        out_of_range.ratings.insert("speed".into(), 6);
        assert_eq!(
            out_of_range.validate(),
            Err(ItemRejection::RatingOutOfRange {
                factor: Factor::Speed,
                value: 6
            })
        );

        let mut none = good.clone();
        none.ratings.clear();
        assert_eq!(none.validate(), Err(ResponseError::NoRating.into()));

        let mut not_a_tag = good.clone();
        not_a_tag.lang = Some("<b>spanish</b>".into());
        assert_eq!(
            not_a_tag.validate(),
            Err(ItemRejection::BadLang(BadLang("<b>spanish</b>".into())))
        );
        assert_eq!(
            not_a_tag.validate().map_err(|e| e.to_string()),
            Err("\"<b>spanish</b>\" is not a language tag such as \"en\" or \"es-MX\"".into())
        );
        let mut spanish = good.clone();
        spanish.lang = Some("es".into());
        assert_eq!(
            spanish.validate().map(|r| r.lang),
            Ok(Lang::parse("es").ok())
        );

        let mut low = good.clone();
        low.ratings.insert("speed".into(), 1);
        let reasons = |pairs: &[(&str, &[&str])]| {
            Some(
                pairs
                    .iter()
                    .map(|(f, codes)| {
                        (f.to_string(), codes.iter().map(|c| c.to_string()).collect())
                    })
                    .collect(),
            )
        };
        let mut why = low.clone();
        why.reasons = reasons(&[("speed", &["long_queue"])]);
        let kept = why.validate().map(|r| r.reasons.get(Factor::Speed).len());
        assert_eq!(kept, Ok(1));
        why.reasons = reasons(&[("parking", &["long_queue"])]);
        assert_eq!(
            why.validate(),
            Err(ItemRejection::UnknownFactor("parking".into()))
        );
        why.reasons = reasons(&[("speed", &["Long queue"])]);
        assert_eq!(
            why.validate().map_err(|e| e.to_string()),
            Err("reasons: \"Long queue\" is not a reason code (1 to 32 of a-z, 0-9 and _)".into())
        );
        why.reasons = reasons(&[("speed", &["a", "b", "c", "d", "e", "f", "g"])]);
        assert!(matches!(
            why.validate(),
            Err(ItemRejection::Reasons(ReasonsError::TooMany {
                count: 7,
                ..
            }))
        ));
        why.reasons = reasons(&[("hygiene", &["smell"])]);
        assert_eq!(
            why.validate(),
            Err(ItemRejection::Reasons(ReasonsError::NotLow(
                Factor::Hygiene
            )))
        );

        let mut long = good;
        long.comment = Some("x".repeat(501));
        assert!(matches!(
            long.validate(),
            Err(ItemRejection::Invalid(ResponseError::CommentTooLong(_)))
        ));
    }
}
