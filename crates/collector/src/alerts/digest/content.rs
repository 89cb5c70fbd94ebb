//! What a digest says, per store the account may read: responses, each
//! factor's index with its change on the period before, the weakest factor
//! and its most named reasons, silent kiosks, and up to five comments of
//! customers who rated something 1 or 2. As plain text, and as simple HTML
//! in which everything a customer or a manager wrote is escaped.

use feedback_domain::heartbeat::is_silent;
use feedback_domain::reason::asks_why;
use feedback_domain::report::percent;
use feedback_domain::Factor;

use crate::report::{self, rfc3339, Filter};
use crate::store::comments::CommentQuery;
use crate::store::{Store, StoreError};

/// Comments with a low score listed per store.
const COMMENTS: usize = 5;

/// One store's part of a digest.
#[derive(Debug, Default, PartialEq)]
pub struct StorePart {
    /// The store.
    pub store_id: String,
    /// Responses in the period.
    pub responses: u32,
    /// Per factor: its name, index (0–100) and change in points.
    pub factors: Vec<(String, Option<u32>, Option<i32>)>,
    /// "Speed, 41% satisfied. Most named: long queue (58%)".
    pub weakest: Option<String>,
    /// Silent kiosks and when each was last heard from.
    pub silent: Vec<String>,
    /// Low-score comments, newest first.
    pub comments: Vec<String>,
}

fn title(factor: Factor) -> String {
    let key = factor.key();
    let mut chars = key.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The part of `store_id` for `[from, to)`, compared with `[before, from)`.
pub async fn store_part(
    store: &dyn Store,
    store_id: &str,
    (before, from, to): (i64, i64, i64),
    kiosks: &[crate::store::accounts::KioskHealth],
    silent_after_ms: i64,
    now: i64,
) -> Result<StorePart, StoreError> {
    let filter = |from, to| Filter {
        store_id: Some(store_id.to_owned()),
        from: Some(from),
        to: Some(to),
    };
    let summary = report::summary(store, &filter(from, to)).await?;
    let earlier = report::tally(store, Some(store_id.to_owned()), Some(before), Some(from)).await?;
    let factors = Factor::ALL
        .into_iter()
        .zip(&summary.factors)
        .map(|(factor, figures)| {
            let index = figures.index.map(|i| i.round() as u32);
            let change = earlier
                .factor(factor)
                .index()
                .zip(figures.index)
                .map(|(was, now)| (now.round() - was.round()) as i32);
            (title(factor), index, change)
        })
        .collect();
    let weakest = summary.weakest.as_deref().and_then(|key| {
        let (factor, figures) = Factor::ALL
            .into_iter()
            .zip(&summary.factors)
            .find(|(f, _)| f.key() == key)?;
        let mut words = format!(
            "{}, {}% satisfied",
            title(factor),
            percent(figures.share_satisfied?)
        );
        let named: Vec<String> = figures
            .reasons
            .iter()
            .take(3)
            .map(|r| format!("{} ({}%)", r.label, percent(r.share_of_low.unwrap_or(0.0))))
            .collect();
        if !named.is_empty() {
            words.push_str(&format!(". Most named: {}", named.join(", ")));
        }
        Some(words)
    });
    let silent = kiosks
        .iter()
        .filter(|k| k.store_id == store_id && is_silent(k.last_seen_at, now, silent_after_ms))
        .map(|k| match k.last_seen_at {
            Some(at) => format!("{} (last heard from {})", k.kiosk_id, rfc3339(at)),
            None => format!("{} (never heard from)", k.kiosk_id),
        })
        .collect();
    let query = CommentQuery {
        store_id: Some(store_id.to_owned()),
        from: Some(from),
        to: Some(to),
        limit: 200,
        ..CommentQuery::default()
    };
    let comments = store
        .comments(query)
        .await?
        .into_iter()
        .filter_map(|row| {
            let low: Vec<String> = row
                .ratings
                .iter()
                .filter(|(_, rating)| asks_why(*rating))
                .map(|(factor, rating)| format!("{} {}", factor.key(), rating.value()))
                .collect();
            let comment = row.comment?;
            (!low.is_empty()).then(|| format!("\"{comment}\" ({})", low.join(", ")))
        })
        .take(COMMENTS)
        .collect();
    Ok(StorePart {
        store_id: store_id.to_owned(),
        responses: summary.responses,
        factors,
        weakest,
        silent,
        comments,
    })
}

fn change_words(change: Option<i32>) -> String {
    match change {
        None => String::new(),
        Some(0) => " (no change)".into(),
        Some(c) if c > 0 => format!(" (up {c})"),
        Some(c) => format!(" (down {})", -c),
    }
}

/// The digest as plain text.
pub fn text(heading: &str, parts: &[StorePart]) -> String {
    let mut out = format!("{heading}\n");
    for part in parts {
        out.push_str(&format!(
            "\n{}: {} responses\n",
            part.store_id, part.responses
        ));
        for (name, index, change) in &part.factors {
            let index = index.map_or("no ratings".to_owned(), |i| i.to_string());
            out.push_str(&format!("  {name}: {index}{}\n", change_words(*change)));
        }
        if let Some(weakest) = &part.weakest {
            out.push_str(&format!("  Weakest: {weakest}\n"));
        }
        if !part.silent.is_empty() {
            out.push_str(&format!("  Silent kiosks: {}\n", part.silent.join("; ")));
        }
        if !part.comments.is_empty() {
            out.push_str("  Comments with a low score:\n");
            for comment in &part.comments {
                out.push_str(&format!("  - {comment}\n"));
            }
        }
    }
    out
}

/// `text` with `&`, `<`, `>`, `"` and `'` as HTML entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The digest as simple HTML (a heading, and per store a table and lists).
pub fn html(heading: &str, parts: &[StorePart]) -> String {
    let mut out = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title></head>\
         <body><h1>{0}</h1>",
        escape(heading)
    );
    for part in parts {
        out.push_str(&format!(
            "<h2>{}: {} responses</h2><table><tr><th scope=\"col\">Factor</th><th scope=\"col\">Index</th></tr>",
            escape(&part.store_id),
            part.responses
        ));
        for (name, index, change) in &part.factors {
            let index = index.map_or("no ratings".to_owned(), |i| i.to_string());
            out.push_str(&format!(
                "<tr><th scope=\"row\">{name}</th><td>{index}{}</td></tr>",
                change_words(*change)
            ));
        }
        out.push_str("</table>");
        if let Some(weakest) = &part.weakest {
            out.push_str(&format!(
                "<p><strong>Weakest:</strong> {}</p>",
                escape(weakest)
            ));
        }
        if !part.silent.is_empty() {
            out.push_str(&format!(
                "<p><strong>Silent kiosks:</strong> {}</p>",
                escape(&part.silent.join("; "))
            ));
        }
        if !part.comments.is_empty() {
            out.push_str("<h3>Comments with a low score</h3><ul>");
            for comment in &part.comments {
                out.push_str(&format!("<li>{}</li>", escape(comment)));
            }
            out.push_str("</ul>");
        }
    }
    out.push_str("</body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_customers_wrote_is_text_in_the_html() {
        let part = StorePart {
            store_id: "store-1".into(),
            responses: 3,
            factors: vec![("Speed".into(), Some(41), Some(-7))],
            weakest: Some("Speed, 41% satisfied".into()),
            comments: vec!["\"<script>alert(1)</script> & queue\" (speed 1)".into()],
            ..StorePart::default()
        };
        let html = html("Daily digest", &[part]);
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; queue"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
        assert!(html.contains("41 (down 7)"));
    }
}
