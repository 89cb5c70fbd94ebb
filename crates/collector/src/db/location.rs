//! Where the database is, as `--db` (or `FEEDBACK_DB`) names it: a SQLite
//! file by path or `sqlite:` URL, or a PostgreSQL server by `postgres://`
//! URL.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// A database the collector can be pointed at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file: a plain path, `sqlite:PATH` or `sqlite://PATH`.
    Sqlite(PathBuf),
    /// A PostgreSQL server: `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl FromStr for Location {
    type Err = String;

    fn from_str(text: &str) -> Result<Location, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("the database is empty: give a SQLite file or a postgres:// URL".into());
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Location::Postgres(text.to_owned()));
        }
        let path = text
            .strip_prefix("sqlite://")
            .or_else(|| text.strip_prefix("sqlite:"))
            .unwrap_or(text);
        if path.is_empty() {
            return Err(format!("{text} names no file"));
        }
        Ok(Location::Sqlite(PathBuf::from(path)))
    }
}

/// Shown in messages and logs: a PostgreSQL URL without its password.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&without_password(url)),
        }
    }
}

/// `postgres://user:secret@host/db` as `postgres://user:***@host/db`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_or_a_sqlite_url_is_a_sqlite_file() {
        for text in [
            "feedback.sqlite",
            "sqlite:feedback.sqlite",
            "sqlite://feedback.sqlite",
        ] {
            assert_eq!(
                text.parse(),
                Ok(Location::Sqlite(PathBuf::from("feedback.sqlite"))),
                "{text}"
            );
        }
        assert_eq!(
            "sqlite:///var/lib/feedback/f.sqlite".parse(),
            Ok(Location::Sqlite(PathBuf::from(
                "/var/lib/feedback/f.sqlite"
            )))
        );
        assert!("".parse::<Location>().is_err());
        assert!("sqlite:".parse::<Location>().is_err());
    }

    #[test]
    fn a_postgres_url_never_shows_its_password() {
        let location: Location = "postgres://feedback:s3cret@db.example:5432/feedback"
            .parse()
            .expect("parse");
        assert!(matches!(location, Location::Postgres(_)));
        assert_eq!(
            location.to_string(),
            "postgres://feedback:***@db.example:5432/feedback"
        );
    }
}
