//! The reasons a kiosk offers after a low rating: the defaults
//! ([`crate::reason::DEFAULT_REASONS`], with words in each language
//! catalogue), or, per factor, its own from `kiosk.json`, each a stable code
//! and its words per language.

use crate::reason::{ReasonCode, DEFAULT_REASONS, MAX_REASONS_PER_FACTOR};
use crate::{Factor, Lang};

/// Longest words of a reason, in characters: a button a customer reads at
/// a glance.
pub const MAX_REASON_TEXT_CHARS: usize = 40;

/// A reason a kiosk offers in place of the defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonChoice {
    /// What is stored and counted.
    pub code: ReasonCode,
    /// Its words, per language.
    pub texts: Vec<(Lang, String)>,
}

impl ReasonChoice {
    /// Its words in `lang`, else in English, else the code's own.
    pub fn text(&self, lang: Lang) -> String {
        let find = |wanted: Lang| self.texts.iter().find(|(l, _)| *l == wanted);
        find(lang)
            .or_else(|| find(Lang::EN))
            .map_or_else(|| self.code.label(), |(_, text)| text.clone())
    }
}

/// Why a kiosk's own reasons cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReasonChoiceError {
    /// More than [`MAX_REASONS_PER_FACTOR`] for one factor.
    #[error("{factor} offers {count} reasons, more than the {MAX_REASONS_PER_FACTOR} allowed")]
    TooMany {
        /// The factor.
        factor: Factor,
        /// How many were given.
        count: usize,
    },
    /// One code twice for one factor.
    #[error("{factor} offers reason \"{code}\" twice")]
    Repeated {
        /// The factor.
        factor: Factor,
        /// The code.
        code: ReasonCode,
    },
    /// Words that are blank or too long.
    #[error(
        "reason \"{0}\" needs words of 1 to {MAX_REASON_TEXT_CHARS} characters in each language"
    )]
    BadText(ReasonCode),
}

/// Per factor, the reasons a kiosk offers instead of the defaults; a factor
/// with none offers the defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReasonChoices([Vec<ReasonChoice>; 5]);

impl ReasonChoices {
    /// The kiosk's own reasons for `factor`; empty: the defaults.
    pub fn get(&self, factor: Factor) -> &[ReasonChoice] {
        &self.0[factor.index()]
    }

    /// Replaces the reasons offered for `factor` (empty: the defaults
    /// again), if they are at most six different codes, each with words.
    pub fn set(
        &mut self,
        factor: Factor,
        choices: Vec<ReasonChoice>,
    ) -> Result<(), ReasonChoiceError> {
        if choices.len() > MAX_REASONS_PER_FACTOR {
            return Err(ReasonChoiceError::TooMany {
                factor,
                count: choices.len(),
            });
        }
        for (i, choice) in choices.iter().enumerate() {
            if choices[..i].iter().any(|c| c.code == choice.code) {
                return Err(ReasonChoiceError::Repeated {
                    factor,
                    code: choice.code.clone(),
                });
            }
            let fits = |text: &String| {
                let chars = text.trim().chars().count();
                (1..=MAX_REASON_TEXT_CHARS).contains(&chars)
            };
            if !choice.texts.iter().all(|(_, text)| fits(text)) {
                return Err(ReasonChoiceError::BadText(choice.code.clone()));
            }
        }
        self.0[factor.index()] = choices;
        Ok(())
    }

    /// The codes offered for `factor`, in order: its own, or the defaults.
    pub fn codes(&self, factor: Factor) -> Vec<&str> {
        match self.get(factor) {
            [] => DEFAULT_REASONS[factor.index()].to_vec(),
            own => own.iter().map(|c| c.code.as_str()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(code: &str, texts: &[(&str, &str)]) -> ReasonChoice {
        ReasonChoice {
            code: ReasonCode::parse(code).expect("a code"),
            texts: texts
                .iter()
                .map(|(l, t)| (Lang::parse(l).expect("a tag"), (*t).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn a_kiosk_may_replace_one_factors_reasons_and_keep_the_defaults_elsewhere() {
        let mut choices = ReasonChoices::default();
        let own = vec![
            choice(
                "no_parking",
                &[("en", "No parking"), ("es", "Sin aparcamiento")],
            ),
            choice("long_queue", &[("en", "Long queue")]),
        ];
        choices.set(Factor::Speed, own).expect("valid");
        assert_eq!(choices.codes(Factor::Speed), ["no_parking", "long_queue"]);
        assert_eq!(choices.codes(Factor::Hygiene), DEFAULT_REASONS[3]);
        let spanish = Lang::parse("es").expect("a tag");
        let offered = choices.get(Factor::Speed);
        assert_eq!(offered[0].text(spanish), "Sin aparcamiento");
        assert_eq!(
            offered[1].text(spanish),
            "Long queue",
            "English when missing"
        );
        assert_eq!(choice("car_wash", &[]).text(spanish), "car wash");
    }

    #[test]
    fn too_many_repeated_or_wordless_reasons_are_refused() {
        let mut choices = ReasonChoices::default();
        let seven = (0..7).map(|i| choice(&format!("r{i}"), &[])).collect();
        assert!(matches!(
            choices.set(Factor::Comfort, seven),
            Err(ReasonChoiceError::TooMany { count: 7, .. })
        ));
        let twice = vec![choice("smell", &[]), choice("smell", &[])];
        assert!(matches!(
            choices.set(Factor::Hygiene, twice),
            Err(ReasonChoiceError::Repeated { .. })
        ));
        for text in ["  ", &"x".repeat(41)] {
            let bad = vec![choice("smell", &[("en", text)])];
            assert!(matches!(
                choices.set(Factor::Hygiene, bad),
                Err(ReasonChoiceError::BadText(_))
            ));
        }
        assert_eq!(choices, ReasonChoices::default(), "nothing half applied");
    }
}
