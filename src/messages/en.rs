//! The English catalogue: the customer kiosk's texts and the manager page's.

use super::*;

/// English, customer kiosk.
pub const KIOSK: Messages = Messages {
    lang: "en",
    name: "English",
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
    languages: "Language",
    larger_text: "Larger text",
    why: "What went wrong?",
    reasons: [
        ["Unfriendly staff", "Nobody to help", "Not greeted", "Felt rushed"],
        ["Long queue", "Slow checkout", "Not enough staff", "Hard to find things"],
        ["Crowded", "Too hot or cold", "Noisy", "Nowhere to sit"],
        ["Dirty floor", "Toilets", "Trolleys and baskets", "Smell"],
        ["Felt unsafe", "Poor lighting", "Car park", "Blocked aisles"],
    ],
};

/// English, manager page.
pub const MANAGER: ManagerTexts = ManagerTexts {
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
        language: "Language of the responses",
        all_languages: "All languages",
        summary: "Summary",
        no_responses: "No responses yet",
        counts: en_counts,
        weakest: en_weakest,
        reasons: "Why customers were unhappy",
        reason_count: en_reason_count,
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
        faults: "Recent faults",
        settings: "Settings",
        idle_timeout: "Idle timeout (seconds)",
        cooldown: "Thank-you time (seconds)",
        languages: "Languages offered",
        default_language: "Default language",
        token_set: "A token is set. Leave empty to keep it.",
        token_unset: "No token: responses stay on this kiosk.",
        save: "Save settings",
        saved: "Settings saved",
        bad_seconds: "Enter whole seconds: idle timeout 1 to 3600, thank-you time 0 to 60.",
        no_language: "Offer at least one language, the default language among them.",
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
    decimal_comma: false,
    day_first: false,
};

fn en_wrong_pin(left: u32) -> String {
    match left {
        1 => "Wrong PIN. 1 try left before the pad locks.".into(),
        n => format!("Wrong PIN. {n} tries left before the pad locks."),
    }
}

fn en_locked(ms: i64) -> String {
    format!("Too many wrong PINs. Try again in {}.", minutes_seconds(ms))
}

fn en_counts(total: u32, complete: u32, partial: u32) -> String {
    let noun = if total == 1 { "response" } else { "responses" };
    format!("{total} {noun} ({complete} complete, {partial} partial)")
}

fn en_weakest(factor: &str, percent: u32, top: Option<(&str, u32)>) -> String {
    match top {
        Some((reason, share)) => format!(
            "{factor} needs attention: {percent}% satisfied. Most named: {reason} ({share}%)"
        ),
        None => format!("{factor} needs attention: {percent}% satisfied"),
    }
}

fn en_reason_count(reason: &str, count: u32, share: Option<u32>) -> String {
    match share {
        Some(share) => format!("{reason} {count} ({share}%)"),
        None => format!("{reason} {count}"),
    }
}

fn en_distribution_alt(factor: &str, counts: &[(&str, u32)]) -> String {
    format!("{factor}: {}", list(counts, |(label, n)| format!("{label} {n}"), ", "))
}

fn en_trend_alt(points: &[TrendEntry]) -> String {
    let text = list(
        points,
        |(label, n, average)| match average {
            Some(a) => format!("{label}: {n}, average {}", decimal(*a, false)),
            None => format!("{label}: {n}"),
        },
        "; ",
    );
    format!("Responses and average rating. {text}")
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
