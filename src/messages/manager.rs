//! The manager page's texts: setup, the PIN pad and the manager view, and
//! how numbers and dates are written in each language.

use feedback_domain::sync::SyncProblem;

/// The texts of the manager page, in one language. Kept apart from
/// [`Messages`] so the customer kiosk does not carry them.
#[derive(Debug)]
pub struct ManagerTexts {
    /// The first-start setup screen.
    pub setup: SetupMessages,
    /// The PIN pad.
    pub pin: PinMessages,
    /// The manager view.
    pub view: ManagerMessages,
    /// Short month names, January first.
    pub months: [&'static str; 12],
    /// Short weekday names, Sunday first.
    pub weekdays: [&'static str; 7],
    /// Decimals are written with a comma (`4,2`), not a point.
    pub decimal_comma: bool,
    /// Dates are written day first (`23/11/2026`), not year first.
    pub day_first: bool,
}

impl ManagerTexts {
    /// `value` with one decimal, as this language writes it.
    pub fn decimal(&self, value: f64) -> String {
        decimal(value, self.decimal_comma)
    }

    /// The kiosk's local date and time of `utc_ms`, as this language writes it.
    pub fn date_time_of(&self, utc_ms: i64) -> String {
        let (day, minutes) = crate::local_time::local_day_and_minute(utc_ms);
        self.date_time(day, minutes)
    }

    /// A date and time, `2026-11-23 14:05` or `23/11/2026 14:05`.
    pub fn date_time(&self, (y, m, d): (i64, u32, u32), minutes: i64) -> String {
        let time = format!("{:02}:{:02}", minutes / 60, minutes % 60);
        if self.day_first {
            format!("{d:02}/{m:02}/{y:04} {time}")
        } else {
            format!("{y:04}-{m:02}-{d:02} {time}")
        }
    }
}

/// `value` rounded to one decimal, with a comma or a point.
pub fn decimal(value: f64, comma: bool) -> String {
    let text = format!("{:.1}", (value * 10.0).round() / 10.0);
    if comma {
        text.replace('.', ",")
    } else {
        text
    }
}

/// Milliseconds as `m:ss`, rounded up.
pub(super) fn minutes_seconds(ms: i64) -> String {
    let seconds = (ms + 999) / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The items of `items`, each written by `item`, joined by `separator`.
pub(super) fn list<T>(items: &[T], item: impl Fn(&T) -> String, separator: &str) -> String {
    items.iter().map(item).collect::<Vec<_>>().join(separator)
}

/// One point of a trend as its text alternative reads it: label, responses,
/// average rating.
pub type TrendEntry = (String, u32, Option<f64>);

/// Texts of the first-start setup screen.
#[derive(Debug)]
pub struct SetupMessages {
    /// Heading.
    pub title: &'static str,
    /// Line under the heading.
    pub intro: &'static str,
    /// Store id field.
    pub store_id: &'static str,
    /// Kiosk id field.
    pub kiosk_id: &'static str,
    /// Sync endpoint field.
    pub endpoint: &'static str,
    /// Hint under the endpoint field.
    pub endpoint_hint: &'static str,
    /// Kiosk token field.
    pub token: &'static str,
    /// Enrollment code field.
    pub enrollment_code: &'static str,
    /// Hint under the enrollment code field.
    pub enrollment_hint: &'static str,
    /// Damaged settings with no PIN left to check.
    pub damaged: &'static str,
    /// New PIN field.
    pub new_pin: &'static str,
    /// Repeat PIN field.
    pub repeat_pin: &'static str,
    /// Hint under the PIN fields.
    pub pin_hint: &'static str,
    /// The button that finishes setup.
    pub start: &'static str,
    /// A store or kiosk id left empty.
    pub ids_required: &'static str,
    /// A PIN that is not 4 to 8 digits.
    pub pin_format: &'static str,
    /// The two PINs differ.
    pub pin_mismatch: &'static str,
    /// Storage refused the settings.
    pub save_failed: &'static str,
}

/// Texts of the PIN pad.
#[derive(Debug)]
pub struct PinMessages {
    /// Heading.
    pub title: &'static str,
    /// The PIN field's label.
    pub label: &'static str,
    /// The button that checks the PIN.
    pub open: &'static str,
    /// Deletes the last digit.
    pub delete: &'static str,
    /// Back to the customer screen.
    pub cancel: &'static str,
    /// A wrong PIN, and how many tries are left.
    pub wrong: fn(u32) -> String,
    /// The pad is locked, for minutes and seconds more.
    pub locked: fn(i64) -> String,
}

/// Texts of the manager view.
#[derive(Debug)]
pub struct ManagerMessages {
    /// Heading.
    pub title: &'static str,
    /// Back to the customer screen.
    pub close: &'static str,
    /// Name of the period choice group.
    pub period: &'static str,
    /// Name of the choice of which language's responses to summarise.
    pub language: &'static str,
    /// The choice that summarises every language together.
    pub all_languages: &'static str,
    /// The periods, in [`feedback_domain::report::Period::ALL`] order.
    pub periods: [&'static str; 4],
    /// Summary heading.
    pub summary: &'static str,
    /// No responses in the period.
    pub no_responses: &'static str,
    /// Responses in the period: total, complete, partial.
    pub counts: fn(u32, u32, u32) -> String,
    /// The weakest factor, its share satisfied in percent, and its most
    /// named reason with that reason's share of its low ratings.
    pub weakest: fn(&str, u32, Option<(&str, u32)>) -> String,
    /// Heading of the reasons named after low ratings.
    pub reasons: &'static str,
    /// One reason: its words, how often named, its share of the low ratings.
    pub reason_count: fn(&str, u32, Option<u32>) -> String,
    /// The factor table's caption.
    pub table_caption: &'static str,
    /// The factor table's column headings.
    pub columns: [&'static str; 5],
    /// A figure that cannot be computed (nobody rated the factor).
    pub not_rated: &'static str,
    /// Heading of the distribution pictures.
    pub distribution: &'static str,
    /// Text alternative of one factor's distribution bar.
    pub distribution_alt: fn(&str, &[(&str, u32)]) -> String,
    /// Heading of the trend picture.
    pub trend: &'static str,
    /// Text alternative of the trend: one entry per point.
    pub trend_alt: fn(&[TrendEntry]) -> String,
    /// Legend of the trend's bars.
    pub trend_bars: &'static str,
    /// Legend of the trend's line.
    pub trend_line: &'static str,
    /// Comments heading.
    pub comments: &'static str,
    /// No comments in the period.
    pub no_comments: &'static str,
    /// Sync heading.
    pub sync: &'static str,
    /// The browser reports a network.
    pub online: &'static str,
    /// The browser reports no network.
    pub offline: &'static str,
    /// Responses not yet sent.
    pub waiting: fn(usize) -> String,
    /// Nothing left to send.
    pub all_synced: &'static str,
    /// Responses taken under another store or kiosk id.
    pub other_identity: fn(usize) -> String,
    /// Last successful sync, with its time.
    pub last_sync: fn(&str) -> String,
    /// No sync has succeeded yet.
    pub never_synced: &'static str,
    /// The last problem, in words, with when it started.
    pub last_problem: fn(&str, &str) -> String,
    /// Responses set aside: corrupt in storage, refused by the collector.
    pub set_aside: fn(usize, usize) -> String,
    /// Nothing set aside.
    pub nothing_set_aside: &'static str,
    /// The button that syncs now.
    pub sync_now: &'static str,
    /// Export heading.
    pub export: &'static str,
    /// The CSV download button.
    pub download_csv: &'static str,
    /// Heading of the storage faults the kiosk recorded.
    pub faults: &'static str,
    /// Settings heading.
    pub settings: &'static str,
    /// Idle timeout field, in seconds.
    pub idle_timeout: &'static str,
    /// Cool-down field, in seconds.
    pub cooldown: &'static str,
    /// The group of languages offered to customers.
    pub languages: &'static str,
    /// The language customers and this page start in.
    pub default_language: &'static str,
    /// Hint under the token field when a token is set.
    pub token_set: &'static str,
    /// Hint under the token field when none is set.
    pub token_unset: &'static str,
    /// Saves the settings.
    pub save: &'static str,
    /// Settings saved.
    pub saved: &'static str,
    /// A number field that is not a whole number of seconds in range.
    pub bad_seconds: &'static str,
    /// No language offered, or the default one not among them.
    pub no_language: &'static str,
    /// Change-PIN heading.
    pub change_pin: &'static str,
    /// Current PIN field.
    pub current_pin: &'static str,
    /// The current PIN given is wrong.
    pub current_pin_wrong: &'static str,
    /// PIN changed.
    pub pin_changed: &'static str,
    /// The browser promised not to clear this kiosk's storage.
    pub storage_persistent: &'static str,
    /// The browser may clear storage when space runs low.
    pub storage_not_persistent: &'static str,
    /// Sync problems in plain words.
    pub problems: SyncProblemMessages,
}

/// A sync problem in plain words.
#[derive(Debug)]
pub struct SyncProblemMessages {
    /// [`SyncProblem::Offline`].
    pub offline: &'static str,
    /// [`SyncProblem::Unreachable`].
    pub unreachable: &'static str,
    /// [`SyncProblem::Timeout`].
    pub timeout: &'static str,
    /// [`SyncProblem::Server`], with the status.
    pub server: fn(u16) -> String,
    /// [`SyncProblem::TokenRejected`].
    pub token_rejected: &'static str,
    /// [`SyncProblem::NoToken`].
    pub no_token: &'static str,
    /// [`SyncProblem::EnrollmentRefused`].
    pub enrollment_refused: &'static str,
    /// [`SyncProblem::BadReply`].
    pub bad_reply: &'static str,
    /// [`SyncProblem::TooLarge`].
    pub too_large: &'static str,
    /// [`SyncProblem::Storage`].
    pub storage: &'static str,
}

impl SyncProblemMessages {
    /// The words for `problem`.
    pub fn describe(&self, problem: &SyncProblem) -> String {
        match problem {
            SyncProblem::Offline => self.offline.into(),
            SyncProblem::Unreachable => self.unreachable.into(),
            SyncProblem::Timeout => self.timeout.into(),
            SyncProblem::Server { status } => (self.server)(*status),
            SyncProblem::TokenRejected { .. } => self.token_rejected.into(),
            SyncProblem::NoToken => self.no_token.into(),
            SyncProblem::EnrollmentRefused => self.enrollment_refused.into(),
            SyncProblem::BadReply => self.bad_reply.into(),
            SyncProblem::TooLarge => self.too_large.into(),
            SyncProblem::Storage => self.storage.into(),
        }
    }
}
