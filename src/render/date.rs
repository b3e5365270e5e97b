//! Dates as git's `--date=short` prints them: the calendar day in the signature's own time zone.

pub fn short_date(time: gix::date::Time) -> String {
    let Ok(timestamp) = jiff::Timestamp::from_second(time.seconds) else {
        return time.seconds.to_string();
    };
    let Ok(offset) = jiff::tz::Offset::from_seconds(time.offset) else {
        return time.seconds.to_string();
    };
    timestamp
        .to_zoned(jiff::tz::TimeZone::fixed(offset))
        .strftime("%Y-%m-%d")
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_date_uses_the_signatures_own_offset() {
        // 2005-04-07 22:13:13 UTC is already the 8th at +0200.
        let utc = gix::date::Time::new(1112911993, 0);
        let plus_two = gix::date::Time::new(1112911993, 7200);
        assert_eq!(super::short_date(utc), "2005-04-07");
        assert_eq!(super::short_date(plus_two), "2005-04-08");
    }
}
