//! The language a response was given in.
//!
//! Kiosks record it with every response and the collector keeps it, so a
//! chain can tell how customers who chose Spanish rated a store. Any
//! well-formed tag is accepted, not only the languages today's kiosks speak:
//! adding a language to the kiosk needs no change to the collector.

use std::fmt;

/// A language tag: a BCP 47 primary language subtag (two or three lowercase
/// letters, `es`), optionally with a region (`es-MX`). Small and `Copy`, so
/// a kiosk can hold it in every response and signal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang {
    bytes: [u8; Lang::MAX_LEN],
    len: u8,
}

/// Why a text is not a [`Lang`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a language tag such as \"en\" or \"es-MX\"")]
pub struct BadLang(pub String);

impl Lang {
    /// The longest tag: three letters, a hyphen, a two-letter region.
    pub const MAX_LEN: usize = 6;

    /// English, the language a response without a recorded one is read in.
    pub const EN: Lang = Lang {
        bytes: *b"en\0\0\0\0",
        len: 2,
    };

    /// The tag `text` spells, if it is well formed.
    pub fn parse(text: &str) -> Result<Lang, BadLang> {
        let bad = || BadLang(text.chars().take(40).collect());
        let (language, region) = match text.split_once('-') {
            Some((language, region)) => (language, Some(region)),
            None => (text, None),
        };
        let language_ok =
            (2..=3).contains(&language.len()) && language.bytes().all(|b| b.is_ascii_lowercase());
        let region_ok =
            region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()));
        if !language_ok || !region_ok {
            return Err(bad());
        }
        let mut bytes = [0; Lang::MAX_LEN];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Ok(Lang {
            bytes,
            len: text.len() as u8,
        })
    }

    /// Spanish.
    pub const ES: Lang = Lang {
        bytes: *b"es\0\0\0\0",
        len: 2,
    };

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored (see `parse`).
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("en")
    }

    /// The primary language alone: `es` for `es-MX`.
    pub fn primary(&self) -> &str {
        let tag = self.as_str();
        tag.split_once('-').map_or(tag, |(language, _)| language)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.as_str())
    }
}

impl std::str::FromStr for Lang {
    type Err = BadLang;

    fn from_str(text: &str) -> Result<Lang, BadLang> {
        Lang::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_and_regions_are_tags() {
        for tag in ["en", "es", "ast", "es-MX", "pt-BR"] {
            assert_eq!(Lang::parse(tag).map(|l| l.to_string()), Ok(tag.to_owned()));
        }
        assert_eq!(
            Lang::parse("es-MX").map(|l| l.primary().to_owned()),
            Ok("es".into())
        );
        assert_eq!(Lang::EN, Lang::parse("en").expect("a tag"));
    }

    #[test]
    fn anything_else_is_refused_with_what_was_sent() {
        for bad in [
            "", "e", "EN", "engl", "es-", "es-mx", "es-MEX", "es_MX", "é", "<b>", "en-US-x",
        ] {
            assert!(Lang::parse(bad).is_err(), "{bad:?} accepted");
        }
        let long = "x".repeat(100);
        let err = Lang::parse(&long).expect_err("too long");
        assert_eq!(err.0.len(), 40, "the error quotes at most 40 characters");
    }
}
