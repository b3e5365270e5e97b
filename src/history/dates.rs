//! `--since`/`--until` values, for the forms whose meaning under git's `approxidate` is certain.
//! Anything else returns `None` and the command passes through to git.

/// Seconds since the epoch for `value`, or `None` when git's reading of it is not reproduced here.
pub fn parse_approxidate(value: &str) -> Option<i64> {
    let value = value.trim();
    if let Some(seconds) = value.strip_prefix('@') {
        return seconds.parse().ok();
    }
    if let Some(relative) = value.strip_suffix(" ago") {
        return relative_ago(relative);
    }
    absolute(value)
}

fn relative_ago(relative: &str) -> Option<i64> {
    let mut words = relative.split_whitespace();
    let count: i64 = words.next()?.parse().ok()?;
    let unit = words.next()?;
    if words.next().is_some() {
        return None;
    }
    let seconds = match unit.trim_end_matches('s') {
        "second" => 1,
        "minute" => 60,
        "hour" => 3600,
        "day" => 86_400,
        "week" => 7 * 86_400,
        // Months and years are calendar arithmetic in git; not reproduced.
        _ => return None,
    };
    Some(jiff::Timestamp::now().as_second() - count.checked_mul(seconds)?)
}

/// `YYYY-MM-DD` (git keeps the current time of day), `YYYY-MM-DD HH:MM[:SS]` or the same with `T`,
/// all in the local time zone.
fn absolute(value: &str) -> Option<i64> {
    let now = jiff::Zoned::now();
    let (date_part, time_part) = match value.split_once([' ', 'T']) {
        Some((date, time)) => (date, Some(time)),
        None => (value, None),
    };
    let mut fields = date_part.split('-');
    let year: i16 = fields.next()?.parse().ok()?;
    let month: i8 = fields.next()?.parse().ok()?;
    let day: i8 = fields.next()?.parse().ok()?;
    if fields.next().is_some() || year < 1970 {
        return None;
    }
    let date = jiff::civil::Date::new(year, month, day).ok()?;
    let time = match time_part {
        None => now.time(),
        Some(time) => {
            let mut parts = time.split(':');
            let hour: i8 = parts.next()?.parse().ok()?;
            let minute: i8 = parts.next()?.parse().ok()?;
            let second: i8 = match parts.next() {
                Some(s) => s.parse().ok()?,
                None => 0,
            };
            if parts.next().is_some() {
                return None;
            }
            jiff::civil::Time::new(hour, minute, second, 0).ok()?
        }
    };
    let zoned = date
        .to_datetime(time)
        .to_zoned(now.time_zone().clone())
        .ok()?;
    Some(zoned.timestamp().as_second())
}
