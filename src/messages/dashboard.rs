//! The texts of the chain dashboard (`/dashboard/`), in one language.

/// The dashboard's texts.
#[derive(Debug)]
pub struct DashboardTexts {
    /// Page title and main heading.
    pub title: &'static str,
    /// Sign-in heading.
    pub sign_in_title: &'static str,
    /// Field.
    pub username: &'static str,
    /// Field.
    pub password: &'static str,
    /// Button.
    pub sign_in: &'static str,
    /// Button.
    pub sign_out: &'static str,
    /// Who is signed in.
    pub signed_in_as: fn(&str) -> String,
    /// Navigation.
    pub nav_label: &'static str,
    /// Navigation: the overview.
    pub overview: &'static str,
    /// Navigation: fleet health.
    pub kiosks: &'static str,
    /// The period picker's group name.
    pub period: &'static str,
    /// Period buttons: today, last 7 days, last 30 days.
    pub periods: [&'static str; 3],
    /// From–to fields and their button.
    pub from: &'static str,
    /// See `from`.
    pub to: &'static str,
    /// See `from`.
    pub show_range: &'static str,
    /// While loading.
    pub loading: &'static str,
    /// No answer.
    pub unreachable: &'static str,
    /// Session ended.
    pub session_ended: &'static str,
    /// Overview table caption.
    pub overview_caption: &'static str,
    /// Column headings of the overview: store, responses, (factors), weakest, change.
    pub store: &'static str,
    /// See `store`.
    pub responses: &'static str,
    /// See `store`.
    pub weakest: &'static str,
    /// See `store`.
    pub change: &'static str,
    /// A sort button's name: "Sort by …".
    pub sort_by: fn(&str) -> String,
    /// A change of the index, in words, for screen readers.
    pub change_words: fn(i32) -> String,
    /// No change figure.
    pub no_change: &'static str,
    /// Not rated.
    pub not_rated: &'static str,
    /// How many kiosks are silent, in the overview.
    pub silent_summary: fn(usize, usize) -> String,
    /// Fleet table caption.
    pub kiosks_caption: &'static str,
    /// Fleet columns: kiosk, store, last seen, last sync, waiting, version,
    /// storage, persistent, state.
    pub kiosk_columns: [&'static str; 9],
    /// A silent kiosk.
    pub silent: &'static str,
    /// A kiosk heard from in time.
    pub ok: &'static str,
    /// Never heard from.
    pub never: &'static str,
    /// Yes / no.
    pub yes_no: [&'static str; 2],
    /// Unknown value.
    pub unknown: &'static str,
    /// Store page: the trend grouping group and its buttons.
    pub trend_by: &'static str,
    /// Buttons: by hour, by day, by week.
    pub by: [&'static str; 3],
    /// The factor filter of the trend.
    pub trend_factor: &'static str,
    /// The "all factors" choice.
    pub all_factors: &'static str,
    /// Store page: the kiosks heading.
    pub store_kiosks: &'static str,
    /// Store page: download link.
    pub download_csv: &'static str,
    /// Store page heading.
    pub store_title: fn(&str) -> String,
    /// Store page: the heat map's heading and caption.
    pub heat_map: &'static str,
    /// See `heat_map`.
    pub heat_map_caption: &'static str,
    /// Store page: the comments heading.
    pub comments: &'static str,
    /// The low-rating filter, and its "any" choice.
    pub low_filter: &'static str,
    /// See `low_filter`.
    pub any_rating: &'static str,
    /// The text filter, and its button.
    pub search_comments: &'static str,
    /// See `search_comments`.
    pub search: &'static str,
    /// No comment matches.
    pub no_comments: &'static str,
    /// Navigation and heading: alerts.
    pub alerts: &'static str,
    /// The collector raises no alerts.
    pub alerts_off: &'static str,
    /// None raised.
    pub no_alerts: &'static str,
    /// How many alerts are new.
    pub new_alerts: fn(usize) -> String,
    /// The rules' names.
    pub unhappy_run: &'static str,
    /// See `unhappy_run`.
    pub silent_kiosk: &'static str,
    /// State of an alert nobody acknowledged.
    pub alert_new: &'static str,
    /// Acknowledged: by whom, when.
    pub acknowledged_by: fn(&str, &str) -> String,
    /// Closed: by whom, when.
    pub closed_by: fn(&str, &str) -> String,
    /// The acknowledgement's note field.
    pub note: &'static str,
    /// Buttons.
    pub acknowledge: &'static str,
    /// See `acknowledge`.
    pub close_alert: &'static str,
    /// The digest form's heading.
    pub digest: &'static str,
    /// Its frequency field.
    pub digest_how_often: &'static str,
    /// Off, daily, weekly.
    pub digest_frequencies: [&'static str; 3],
    /// Fields.
    pub digest_email: &'static str,
    /// See `digest_email`.
    pub digest_hour: &'static str,
    /// See `digest_email`.
    pub digest_time_zone: &'static str,
    /// Button.
    pub digest_save: &'static str,
    /// Saved.
    pub digest_saved: &'static str,
}

/// English.
pub const EN_DASHBOARD: DashboardTexts = DashboardTexts {
    title: "Feedback dashboard",
    sign_in_title: "Sign in",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    sign_out: "Sign out",
    signed_in_as: |name| format!("Signed in as {name}"),
    nav_label: "Dashboard",
    overview: "Overview",
    kiosks: "Kiosks",
    period: "Period",
    periods: ["Today", "Last 7 days", "Last 30 days"],
    from: "From",
    to: "To",
    show_range: "Show these dates",
    loading: "Loading…",
    unreachable: "The collector cannot be reached",
    session_ended: "Your session has ended: sign in again",
    overview_caption: "Stores, worst first unless sorted otherwise",
    store: "Store",
    responses: "Responses",
    weakest: "Weakest",
    change: "Change",
    sort_by: |column| format!("Sort by {column}"),
    change_words: |points| match points {
        0 => "no change on the previous period".into(),
        p if p > 0 => format!("up {p} points on the previous period"),
        p => format!("down {} points on the previous period", -p),
    },
    no_change: "no earlier figures",
    not_rated: "—",
    silent_summary: |silent, all| match silent {
        0 => format!("All {all} kiosks have been heard from."),
        1 => format!("1 of {all} kiosks is silent."),
        n => format!("{n} of {all} kiosks are silent."),
    },
    kiosks_caption: "Kiosks and how they are doing",
    kiosk_columns: [
        "Kiosk",
        "Store",
        "Last seen",
        "Last sync",
        "Waiting",
        "Version",
        "Storage used",
        "Persistent",
        "State",
    ],
    silent: "Silent",
    ok: "OK",
    never: "never",
    yes_no: ["yes", "no"],
    unknown: "unknown",
    trend_by: "Trend by",
    by: ["Hour", "Day", "Week"],
    trend_factor: "Factor",
    all_factors: "All factors",
    store_kiosks: "Kiosks in this store",
    download_csv: "Download CSV",
    store_title: |store| format!("Store {store}"),
    heat_map: "When customers are satisfied",
    heat_map_caption: "Share of ratings that were satisfied or very satisfied, by weekday and hour (store's local time)",
    comments: "Comments",
    low_filter: "Rated 1–2 for",
    any_rating: "Any factor, any rating",
    search_comments: "Search comments",
    search: "Search",
    no_comments: "No comments match.",
    alerts: "Alerts",
    alerts_off: "Alerts are off: the collector runs without an alerts file.",
    no_alerts: "No alerts.",
    new_alerts: |n| match n {
        0 => "No new alerts.".into(),
        1 => "1 new alert.".into(),
        n => format!("{n} new alerts."),
    },
    unhappy_run: "Unhappy customers",
    silent_kiosk: "Silent kiosk",
    alert_new: "New: nobody has acknowledged it yet.",
    acknowledged_by: |who, when| format!("Acknowledged by {who}, {when}"),
    closed_by: |who, when| format!("Closed by {who}, {when}"),
    note: "Note",
    acknowledge: "Acknowledge",
    close_alert: "Close",
    digest: "Your digest by email",
    digest_how_often: "How often",
    digest_frequencies: ["Off", "Daily, about the day before", "Weekly on Monday, about the week before"],
    digest_email: "Email address",
    digest_hour: "Hour it is sent at (0–23, local time)",
    digest_time_zone: "Time zone",
    digest_save: "Save digest",
    digest_saved: "Saved.",
};
