use std::fmt;
use std::str::FromStr;

/// One aspect of the service a customer can rate.
///
/// The order of [`Factor::ALL`] is the order the kiosk asks in, and the order
/// ratings are kept in everywhere (stored records, summaries, CSV columns).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Factor {
    /// How friendly the staff were.
    Friendliness,
    /// How quickly the customer was served.
    Speed,
    /// How comfortable the store was.
    Comfort,
    /// How clean the store was.
    Hygiene,
    /// How safe the customer felt.
    Security,
}

impl Factor {
    /// Every factor, in the order the kiosk asks about them.
    pub const ALL: [Factor; 5] = [
        Factor::Friendliness,
        Factor::Speed,
        Factor::Comfort,
        Factor::Hygiene,
        Factor::Security,
    ];

    /// Every factor in the order of its [`Factor::key`], as JSON maps with
    /// sorted keys list them (the wire format), so nothing has to sort.
    pub const BY_KEY: [Factor; 5] = [
        Factor::Comfort,
        Factor::Friendliness,
        Factor::Hygiene,
        Factor::Security,
        Factor::Speed,
    ];

    /// The factor's stable machine name, used on the wire and in exports.
    pub const fn key(self) -> &'static str {
        match self {
            Factor::Friendliness => "friendliness",
            Factor::Speed => "speed",
            Factor::Comfort => "comfort",
            Factor::Hygiene => "hygiene",
            Factor::Security => "security",
        }
    }

    /// The factor's position in [`Factor::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A factor name that is not one of the five.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown factor \"{0}\"")]
pub struct UnknownFactor(pub String);

impl FromStr for Factor {
    type Err = UnknownFactor;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Factor::ALL
            .into_iter()
            .find(|factor| factor.key() == s)
            .ok_or_else(|| UnknownFactor(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_key_lists_every_factor_in_key_order() {
        let keys: Vec<&str> = Factor::BY_KEY.iter().map(|f| f.key()).collect();
        let mut sorted: Vec<&str> = Factor::ALL.iter().map(|f| f.key()).collect();
        sorted.sort_unstable();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn every_factor_round_trips_through_its_key() {
        for factor in Factor::ALL {
            assert_eq!(factor.key().parse::<Factor>(), Ok(factor));
            assert_eq!(Factor::ALL[factor.index()], factor);
        }
    }

    #[test]
    fn an_unknown_factor_name_is_an_error() {
        assert_eq!(
            "parking".parse::<Factor>(),
            Err(UnknownFactor("parking".into()))
        );
        assert!("Speed".parse::<Factor>().is_err(), "keys are lower case");
    }
}
