//! Calendar arithmetic on the proleptic Gregorian calendar (Howard Hinnant's day algorithms),
//! enough for schedules: dates, times of day, weekdays, month lengths, and the text forms the
//! site database and every front end use.

use crate::error::{Error, Result};

const SECONDS_PER_DAY: i64 = 86_400;

/// A date and time of day on a wall clock, in no particular zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct WallTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// Seconds since midnight.
    pub second_of_day: u32,
}

impl WallTime {
    /// Parses `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` (a space may stand for the `T`).
    pub(crate) fn parse(text: &str, argument: &'static str) -> Result<WallTime> {
        let invalid = || {
            Error::invalid_argument(
                argument,
                format!("'{text}' is not a date and time like 2026-12-08T22:00"),
            )
        };
        let (date, time) = text.trim().split_once(['T', ' ']).ok_or_else(invalid)?;
        let date: Vec<&str> = date.split('-').collect();
        let time: Vec<&str> = time.split(':').collect();
        let number = |part: &str, digits: usize| {
            (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse::<u32>().ok())
                .flatten()
                .ok_or_else(invalid)
        };
        let [year, month, day] = date.as_slice() else {
            return Err(invalid());
        };
        let (hour, minute, second) = match time.as_slice() {
            [h, m] => (number(h, 2)?, number(m, 2)?, 0),
            [h, m, s] => (number(h, 2)?, number(m, 2)?, number(s, 2)?),
            _ => return Err(invalid()),
        };
        let (year, month, day) = (number(year, 4)? as i32, number(month, 2)?, number(day, 2)?);
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return Err(invalid());
        }
        Ok(WallTime {
            year,
            month,
            day,
            second_of_day: hour * 3600 + minute * 60 + second,
        })
    }

    /// Seconds since 1970-01-01T00:00 on this clock.
    pub(crate) fn seconds(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * SECONDS_PER_DAY
            + i64::from(self.second_of_day)
    }

    pub(crate) fn from_seconds(seconds: i64) -> WallTime {
        let days = seconds.div_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        WallTime {
            year,
            month,
            day,
            second_of_day: seconds.rem_euclid(SECONDS_PER_DAY) as u32,
        }
    }

    /// Days since 1970-01-01.
    pub(crate) fn day_number(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The same time of day on another day.
    pub(crate) fn on_day(&self, day_number: i64) -> WallTime {
        let (year, month, day) = civil_from_days(day_number);
        WallTime {
            year,
            month,
            day,
            second_of_day: self.second_of_day,
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS`.
    pub(crate) fn text(&self) -> String {
        let s = self.second_of_day;
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year,
            self.month,
            self.day,
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    }
}

/// A UTC instant in the site database's form, `YYYY-MM-DDTHH:MM:SS.000Z`, which sorts with the
/// times SQLite writes.
pub(crate) fn utc_text(seconds: i64) -> String {
    format!("{}.000Z", WallTime::from_seconds(seconds).text())
}

/// Reads back `utc_text` (and SQLite's own `…:SS.fffZ`).
pub(crate) fn parse_utc_text(text: &str) -> Option<i64> {
    let trimmed = text.trim_end_matches('Z');
    let whole = trimmed.split('.').next()?;
    WallTime::parse(whole, "time").ok().map(|t| t.seconds())
}

/// Now, in seconds since 1970-01-01 UTC.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

pub(crate) fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday.
pub(crate) fn weekday(day_number: i64) -> u8 {
    (day_number + 4).rem_euclid(7) as u8
}

pub(crate) fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(month);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

pub(crate) fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_weekdays_are_right() {
        for days in -800_000..800_000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(weekday(days_from_civil(2026, 11, 26)), 4); // a Thursday
        assert_eq!(weekday(days_from_civil(2024, 2, 29)), 4);
    }

    #[test]
    fn parses_and_refuses_wall_times() {
        let t = WallTime::parse("2028-02-29T23:59:59", "start").unwrap();
        assert_eq!(t.text(), "2028-02-29T23:59:59");
        assert_eq!(
            WallTime::parse("2026-12-08 22:00", "start").unwrap().text(),
            "2026-12-08T22:00:00"
        );
        for bad in [
            "2027-02-29T10:00",
            "2026-13-01T00:00",
            "2026-04-31T00:00",
            "2026-01-01T24:00",
            "tomorrow",
            "2026-1-1T1:00",
        ] {
            let error = WallTime::parse(bad, "start").unwrap_err().to_string();
            assert!(error.starts_with("start: "), "{error}");
        }
        assert_eq!(
            parse_utc_text(&utc_text(1_800_000_000)),
            Some(1_800_000_000)
        );
    }
}
