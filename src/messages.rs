//! Every text a person reads on the kiosk, in one catalogue per language.
//!
//! Components never hold literal text; they ask the [`Messages`] in context.
//! A Spanish catalogue is a second `const` of the same type.

use feedback_domain::sync::SyncProblem;
use feedback_domain::{Factor, Rating};

/// The texts of one language.
#[derive(Debug)]
pub struct Messages {
    /// BCP 47 tag, for the page's `lang` attribute.
    pub lang: &'static str,
    /// The page title.
    pub page_title: &'static str,
    /// The question at the top of the customer screen.
    pub question: &'static str,
    /// The line under the question.
    pub hint: &'static str,
    /// Factor names, in [`Factor::ALL`] order.
    pub factors: [&'static str; 5],
    /// Face labels, rating 1 first.
    pub ratings: [&'static str; 5],
    /// Label of the comment field.
    pub comment_label: &'static str,
    /// The button that sends a response.
    pub send: &'static str,
    /// Heading of the thank-you screen.
    pub thank_you: &'static str,
    /// Line under the thank-you heading.
    pub thank_you_detail: &'static str,
    /// Out-of-service screen when storage is full.
    pub storage_full: &'static str,
    /// Out-of-service screen when storage cannot be used at all.
    pub out_of_service: &'static str,
    /// Line under either out-of-service heading.
    pub out_of_service_detail: &'static str,
    /// The small corner control that opens the PIN pad.
    pub manager: &'static str,
}

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
    /// The periods, in [`feedback_domain::report::Period::ALL`] order.
    pub periods: [&'static str; 4],
    /// Summary heading.
    pub summary: &'static str,
    /// No responses in the period.
    pub no_responses: &'static str,
    /// Responses in the period: total, complete, partial.
    pub counts: fn(u32, u32, u32) -> String,
    /// The weakest factor and its share satisfied in percent.
    pub weakest: fn(&str, u32) -> String,
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
    /// Settings heading.
    pub settings: &'static str,
    /// Idle timeout field, in seconds.
    pub idle_timeout: &'static str,
    /// Cool-down field, in seconds.
    pub cooldown: &'static str,
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

impl Messages {
    /// The name of a factor.
    pub fn factor(&self, factor: Factor) -> &'static str {
        self.factors[factor.index()]
    }

    /// The label of a face.
    pub fn rating(&self, rating: Rating) -> &'static str {
        self.ratings[usize::from(rating.value() - 1)]
    }
}

/// English, customer kiosk.
pub const EN: Messages = Messages {
    lang: "en",
    page_title: "Customer feedback",
    question: "How was your visit today?",
    hint: "Tap a face for any of these. It only takes a moment.",
    factors: ["Friendliness", "Speed", "Comfort", "Hygiene", "Security"],
    ratings: [
        "Very dissatisfied",
        "Dissatisfied",
        "Neutral",
        "Satisfied",
        "Very satisfied",
    ],
    comment_label: "Anything to add?",
    send: "Send",
    thank_you: "Thank you!",
    thank_you_detail: "Your feedback helps us do better.",
    storage_full: "Storage full: please call the manager",
    out_of_service: "Out of service: please call the manager",
    out_of_service_detail: "This kiosk cannot take feedback right now.",
    manager: "Manager",
};

/// English, manager page.
pub const EN_MANAGER: ManagerTexts = ManagerTexts {
    setup: SetupMessages {
        title: "Set up this kiosk",
        intro: "Fill this in once. Customers can give feedback as soon as it is done.",
        store_id: "Store id",
        kiosk_id: "Kiosk id",
        endpoint: "Sync endpoint",
        endpoint_hint: "Leave empty to send to the server this page comes from.",
        token: "Kiosk token",
        enrollment_code: "Enrollment code",
        enrollment_hint: "The one-time code from \"feedback-collector kiosk enroll\". The kiosk exchanges it for its token.",
        damaged: "This kiosk's settings are damaged. Ask whoever runs the stores' IT to provision it again (kiosk.json).",
        new_pin: "New manager PIN",
        repeat_pin: "Repeat the PIN",
        pin_hint: "4 to 8 digits. You need it to open the manager view.",
        start: "Start kiosk",
        ids_required: "Enter a store id and a kiosk id.",
        pin_format: "The PIN must be 4 to 8 digits.",
        pin_mismatch: "The two PINs are not the same.",
        save_failed: "The settings could not be saved. Check the browser's storage.",
    },
    pin: PinMessages {
        title: "Manager",
        label: "PIN",
        open: "Open",
        delete: "Delete",
        cancel: "Cancel",
        wrong: en_wrong_pin,
        locked: en_locked,
    },
    view: ManagerMessages {
        title: "Manager view",
        close: "Close",
        period: "Period",
        periods: ["Today", "Last 7 days", "Last 30 days", "All"],
        summary: "Summary",
        no_responses: "No responses yet",
        counts: en_counts,
        weakest: en_weakest,
        table_caption: "Ratings by factor",
        columns: ["Factor", "Ratings", "Average", "Satisfied", "Index"],
        not_rated: "–",
        distribution: "How each factor was rated",
        distribution_alt: en_distribution_alt,
        trend: "Trend",
        trend_alt: en_trend_alt,
        trend_bars: "Bars: responses",
        trend_line: "Line: average rating (1 to 5)",
        comments: "Latest comments",
        no_comments: "No comments yet",
        sync: "Sync",
        online: "Online",
        offline: "Offline",
        waiting: en_waiting,
        all_synced: "All synced",
        other_identity: en_other_identity,
        last_sync: en_last_sync,
        never_synced: "Not synced yet",
        last_problem: en_last_problem,
        set_aside: en_set_aside,
        nothing_set_aside: "Nothing set aside",
        sync_now: "Sync now",
        export: "Export",
        download_csv: "Download CSV",
        settings: "Settings",
        idle_timeout: "Idle timeout (seconds)",
        cooldown: "Thank-you time (seconds)",
        token_set: "A token is set. Leave empty to keep it.",
        token_unset: "No token: responses stay on this kiosk.",
        save: "Save settings",
        saved: "Settings saved",
        bad_seconds: "Enter whole seconds: idle timeout 1 to 3600, thank-you time 0 to 60.",
        change_pin: "Change PIN",
        current_pin: "Current PIN",
        current_pin_wrong: "The current PIN is wrong.",
        pin_changed: "PIN changed",
        storage_persistent: "Storage is persistent: the browser will not clear it",
        storage_not_persistent:
            "Storage is not persistent: the browser may clear it when space runs low",
        problems: SyncProblemMessages {
            offline: "No network connection",
            unreachable: "The server could not be reached",
            timeout: "The server did not answer in time",
            server: en_server_problem,
            token_rejected: "The server refused the kiosk token. Trying again every 15 minutes, and at once on Sync now; if it persists, enroll the kiosk again in Settings",
            no_token: "Not enrolled: enter an enrollment code in Settings",
            enrollment_refused:
                "The server refused the enrollment code (unknown, used or expired): enter a new one in Settings",
            bad_reply: "The server's answer could not be understood",
            too_large: "The server refuses even a single response as too large",
            storage: "This kiosk's storage failed",
        },
    },
    months: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    weekdays: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
};

fn en_wrong_pin(left: u32) -> String {
    match left {
        1 => "Wrong PIN. 1 try left before the pad locks.".into(),
        n => format!("Wrong PIN. {n} tries left before the pad locks."),
    }
}

fn en_locked(ms: i64) -> String {
    let seconds = (ms + 999) / 1000;
    format!(
        "Too many wrong PINs. Try again in {}:{:02}.",
        seconds / 60,
        seconds % 60
    )
}

fn en_counts(total: u32, complete: u32, partial: u32) -> String {
    let noun = if total == 1 { "response" } else { "responses" };
    format!("{total} {noun} ({complete} complete, {partial} partial)")
}

fn en_weakest(factor: &str, percent: u32) -> String {
    format!("{factor} needs attention: {percent}% satisfied")
}

fn en_distribution_alt(factor: &str, counts: &[(&str, u32)]) -> String {
    let parts: Vec<String> = counts
        .iter()
        .map(|(label, n)| format!("{label} {n}"))
        .collect();
    format!("{factor}: {}", parts.join(", "))
}

fn en_trend_alt(points: &[TrendEntry]) -> String {
    let parts: Vec<String> = points
        .iter()
        .map(|(label, n, average)| match average {
            Some(a) => format!("{label}: {n}, average {a:.1}"),
            None => format!("{label}: {n}"),
        })
        .collect();
    format!("Responses and average rating. {}", parts.join("; "))
}

fn en_waiting(n: usize) -> String {
    format!("{n} waiting to sync")
}

fn en_other_identity(n: usize) -> String {
    format!("{n} taken under an earlier store or kiosk id are not sent with this kiosk's token")
}

fn en_last_sync(at: &str) -> String {
    format!("Last sync: {at}")
}

fn en_last_problem(problem: &str, since: &str) -> String {
    format!("Last problem: {problem} (since {since})")
}

fn en_set_aside(corrupt: usize, rejected: usize) -> String {
    format!(
        "{} set aside: {corrupt} unreadable in storage, {rejected} refused by the server",
        corrupt + rejected
    )
}

fn en_server_problem(status: u16) -> String {
    format!("The server had a problem (HTTP {status})")
}
