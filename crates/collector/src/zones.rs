//! Store time zones: IANA names, read from the tz database bundled in the
//! binary (hosts need no `/usr/share/zoneinfo`).

use jiff::tz::TimeZone;

/// The zone named `name` (an IANA name such as `Europe/Madrid`, or `UTC`),
/// with its canonical name; or why not.
pub fn parse(name: &str) -> Result<(String, TimeZone), String> {
    let name = name.trim();
    let unknown = || {
        format!("{name:?} is not an IANA time zone name such as Europe/Madrid, Asia/Kolkata or UTC")
    };
    // Offsets and POSIX rules are not names; only the database's zones are.
    if name.is_empty() || name.starts_with(['+', '-']) {
        return Err(unknown());
    }
    let zone = TimeZone::get(name).map_err(|_| unknown())?;
    let canonical = zone.iana_name().unwrap_or(name).to_owned();
    Ok((canonical, zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_are_read_and_others_refused() {
        assert_eq!(
            parse("Europe/Madrid").map(|z| z.0),
            Ok("Europe/Madrid".into())
        );
        assert_eq!(parse("UTC").map(|z| z.0), Ok("UTC".into()));
        assert!(parse("Asia/Kolkata").is_ok());
        for bad in ["Mars/Olympus", "", "+02:00", "Europe/Madridd"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
