//! Where the dashboard is: every view's state lives in the page's URL
//! (`?view=store&store=store-1&period=7d&by=week`), so a view can be shared
//! and survives a reload.

/// The period a view covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Period {
    /// Since local midnight.
    Today,
    /// Today and the six days before.
    Last7,
    /// Today and the 29 days before.
    Last30,
    /// From one local date to another, both included (`YYYY-MM-DD`).
    Dates(String, String),
}

/// Which screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    /// Every store.
    Overview,
    /// One store.
    Store(String),
    /// Fleet health.
    Kiosks,
    /// Alerts raised, to acknowledge and close.
    Alerts,
}

/// A whole view's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The screen.
    pub view: View,
    /// The period.
    pub period: Period,
    /// Overview: the column sorted by (`store`, `responses`, a factor key,
    /// `weakest`, `change`); `None`: worst first.
    pub sort: Option<String>,
    /// Sorted descending.
    pub descending: bool,
    /// Store page: trend by `hour`, `day` or `week`.
    pub by: Option<String>,
    /// Store page: the trend's one factor.
    pub factor: Option<String>,
    /// Store page: only comments of customers who rated this factor 1–2.
    pub low: Option<String>,
    /// Store page: only comments containing this.
    pub q: Option<String>,
}

impl Default for Route {
    fn default() -> Route {
        Route {
            view: View::Overview,
            period: Period::Last7,
            sort: None,
            descending: false,
            by: None,
            factor: None,
            low: None,
            q: None,
        }
    }
}

/// `text` as it goes in a query string.
pub fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

/// `YYYY-MM-DD` with a month 1–12 and a day 1–31.
fn is_date(text: &str) -> bool {
    let number =
        |range: std::ops::Range<usize>| text.get(range).and_then(|t| t.parse::<u32>().ok());
    text.len() == 10
        && number(0..4).is_some()
        && number(5..7).is_some_and(|m| (1..=12).contains(&m))
        && number(8..10).is_some_and(|d| (1..=31).contains(&d))
}

impl Route {
    /// The route a query string (`a=1&b=2`, without `?`) describes;
    /// anything unreadable falls back to the default.
    pub fn parse(query: &str) -> Route {
        let mut route = Route::default();
        let (mut from, mut to) = (None, None);
        let mut store = None;
        for pair in query.trim_start_matches('?').split('&') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            let value = js_sys::decode_uri_component(value)
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            match key {
                "view" if value == "kiosks" => route.view = View::Kiosks,
                "view" if value == "alerts" => route.view = View::Alerts,
                "store" if !value.is_empty() => store = Some(value),
                "period" if value == "today" => route.period = Period::Today,
                "period" if value == "30d" => route.period = Period::Last30,
                "from" if is_date(&value) => from = Some(value),
                "to" if is_date(&value) => to = Some(value),
                "sort" if !value.is_empty() => route.sort = Some(value),
                "desc" => route.descending = value == "1",
                "by" if matches!(value.as_str(), "hour" | "day" | "week") => route.by = Some(value),
                "factor" if !value.is_empty() => route.factor = Some(value),
                "low" if !value.is_empty() => route.low = Some(value),
                "q" if !value.is_empty() => route.q = Some(value),
                _ => {}
            }
        }
        if query.contains("view=store") {
            if let Some(store) = store {
                route.view = View::Store(store);
            }
        }
        if let (Some(from), Some(to)) = (from, to) {
            if from <= to {
                route.period = Period::Dates(from, to);
            }
        }
        route
    }

    /// The query string (with `?`) of this route.
    pub fn query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let enc = encode;
        match &self.view {
            View::Overview => parts.push("view=overview".into()),
            View::Kiosks => parts.push("view=kiosks".into()),
            View::Alerts => parts.push("view=alerts".into()),
            View::Store(store) => {
                parts.push("view=store".into());
                parts.push(format!("store={}", enc(store)));
            }
        }
        match &self.period {
            Period::Today => parts.push("period=today".into()),
            Period::Last7 => parts.push("period=7d".into()),
            Period::Last30 => parts.push("period=30d".into()),
            Period::Dates(from, to) => {
                parts.push(format!("from={from}"));
                parts.push(format!("to={to}"));
            }
        }
        if let Some(sort) = &self.sort {
            parts.push(format!("sort={}", enc(sort)));
            if self.descending {
                parts.push("desc=1".into());
            }
        }
        if let Some(by) = &self.by {
            parts.push(format!("by={by}"));
        }
        if let Some(factor) = &self.factor {
            parts.push(format!("factor={}", enc(factor)));
        }
        if let Some(low) = &self.low {
            parts.push(format!("low={}", enc(low)));
        }
        if let Some(q) = &self.q {
            parts.push(format!("q={}", enc(q)));
        }
        format!("?{}", parts.join("&"))
    }

    /// The period as RFC 3339 instants `[from, to)`, cut at the browser's
    /// local midnights.
    pub fn window(&self) -> (String, String) {
        // Local midnights built from year, month and day, which JavaScript
        // carries over (day 0, day 32), so a date is always valid.
        let midnight = |year: u32, month: i32, day: i32| {
            js_sys::Date::new_with_year_month_day(year, month, day)
        };
        let today = js_sys::Date::new_0();
        let (year, month, day) = (
            today.get_full_year(),
            today.get_month() as i32,
            today.get_date() as i32,
        );
        let days_from_today = |days: i32| midnight(year, month, day + days);
        let date_midnight = |text: &str, days_after: i32| {
            let part = |range: std::ops::Range<usize>| {
                text.get(range)
                    .and_then(|t| t.parse::<i32>().ok())
                    .unwrap_or(1)
            };
            midnight(part(0..4) as u32, part(5..7) - 1, part(8..10) + days_after)
        };
        let (from, to) = match &self.period {
            Period::Today => (days_from_today(0), days_from_today(1)),
            Period::Last7 => (days_from_today(-6), days_from_today(1)),
            Period::Last30 => (days_from_today(-29), days_from_today(1)),
            Period::Dates(from, to) => (date_midnight(from, 0), date_midnight(to, 1)),
        };
        (
            String::from(from.to_iso_string()),
            String::from(to.to_iso_string()),
        )
    }
}
