//! When a schedule runs next: the first occurrence of its recurrence, at or after its start,
//! later than a given instant. Days, weeks and months are counted on the schedule's wall clock
//! (a daily run at 22:00 stays at 22:00 across daylight saving changes); hours are counted in
//! elapsed time.

use std::ops::RangeInclusive;

use super::civil::{days_in_month, weekday, WallTime};
use super::zone::Zone;
use crate::error::{Error, Result};

/// When a schedule runs. Times of day come from the schedule's start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recurrence {
    /// Once, at the start.
    Once,
    /// Every N hours from the start.
    Hours(u32),
    /// Every N days at the start's time of day.
    Days(u32),
    /// Every week on these days (0 = Sunday … 6 = Saturday).
    Weekly(Vec<u8>),
    /// Every month on this day (1–31; a month without it runs on its last day).
    MonthlyOnDay(u8),
    /// Every month on the Nth (1–4, or 5 for the last) weekday (0 = Sunday), plus
    /// `offset_days`: "second Tuesday + 7 days" follows Patch Tuesday by a week.
    MonthlyOnWeekday {
        week: u8,
        weekday: u8,
        offset_days: u8,
    },
}

/// The numbers each kind of recurrence may take; front ends name the same bounds.
pub(crate) const HOURS: RangeInclusive<u32> = 1..=8760;
pub(crate) const DAYS: RangeInclusive<u32> = 1..=365;
pub(crate) const DAYS_OF_MONTH: RangeInclusive<u8> = 1..=31;
pub(crate) const WEEKS: RangeInclusive<u8> = 1..=5;
pub(crate) const OFFSET_DAYS: RangeInclusive<u8> = 0..=27;

/// Monthly recurrences look this many months ahead before deciding there is no next run.
const MONTHS_AHEAD: i64 = 24;

/// Checks a recurrence's numbers, naming the one that is out of range.
pub(crate) fn validate(recurrence: &Recurrence) -> Result<()> {
    let refuse = |what: String| Err(Error::invalid_argument("recurrence", what));
    match recurrence {
        Recurrence::Once => Ok(()),
        Recurrence::Hours(n) if !HOURS.contains(n) => {
            refuse(format!("every {n} hours: hours go from 1 to 8760"))
        }
        Recurrence::Days(n) if !DAYS.contains(n) => {
            refuse(format!("every {n} days: days go from 1 to 365"))
        }
        Recurrence::Weekly(days) if days.is_empty() || days.iter().any(|d| *d > 6) => refuse(
            "weekly needs one or more days, 0 (Sunday) to 6 (Saturday)".into(),
        ),
        Recurrence::MonthlyOnDay(day) if !DAYS_OF_MONTH.contains(day) => {
            refuse(format!("day {day} of the month: days go from 1 to 31"))
        }
        Recurrence::MonthlyOnWeekday {
            week,
            weekday,
            offset_days,
        } if !WEEKS.contains(week) || *weekday > 6 || !OFFSET_DAYS.contains(offset_days) => refuse(format!(
            "week {week}, weekday {weekday}, offset {offset_days}: weeks go from 1 to 5 (5 = last), weekdays from 0 (Sunday) to 6, offsets from 0 to 27 days"
        )),
        _ => Ok(()),
    }
}

/// The first run at or after `start` (a wall time in `zone`) that is later than `after` (UTC
/// seconds); `None` when there is none.
pub(crate) fn next_run(
    recurrence: &Recurrence,
    start: &WallTime,
    zone: &dyn Zone,
    after: i64,
) -> Option<i64> {
    let first = zone.instant(start);
    let fits = |instant: i64| instant >= first && instant > after;
    match recurrence {
        Recurrence::Once => fits(first).then_some(first),
        Recurrence::Hours(n) => {
            let step = i64::from(*n) * 3600;
            if after < first {
                return Some(first);
            }
            Some(first + ((after - first) / step + 1) * step)
        }
        Recurrence::Days(n) => {
            let step = i64::from(*n);
            let behind = (zone.wall_time(after).day_number() - start.day_number()) / step - 1;
            (behind.max(0)..)
                .map(|k| zone.instant(&start.on_day(start.day_number() + k * step)))
                .find(|&instant| fits(instant))
        }
        Recurrence::Weekly(days) => {
            let from = start
                .day_number()
                .max(zone.wall_time(after).day_number() - 1);
            (from..from + 15)
                .filter(|day| days.contains(&weekday(*day)))
                .map(|day| zone.instant(&start.on_day(day)))
                .find(|&instant| fits(instant))
        }
        Recurrence::MonthlyOnDay(_) | Recurrence::MonthlyOnWeekday { .. } => {
            let month_of = |wall: &WallTime| i64::from(wall.year) * 12 + i64::from(wall.month) - 1;
            // From the month before: its run day plus an offset can fall after the start.
            let from = month_of(start).max(month_of(&zone.wall_time(after))) - 1;
            (from..from + MONTHS_AHEAD)
                .map(|month| day_in_month(recurrence, month))
                .map(|day| zone.instant(&start.on_day(day)))
                .find(|&instant| fits(instant))
        }
    }
}

/// The day (days since 1970-01-01) a monthly recurrence falls on in month number `month`
/// (year * 12 + month - 1).
fn day_in_month(recurrence: &Recurrence, month: i64) -> i64 {
    let year = month.div_euclid(12) as i32;
    let month = (month.rem_euclid(12) + 1) as u32;
    let first = super::civil::days_from_civil(year, month, 1);
    let length = i64::from(days_in_month(year, month));
    match *recurrence {
        Recurrence::MonthlyOnDay(day) => first + i64::from(day).min(length) - 1,
        Recurrence::MonthlyOnWeekday {
            week,
            weekday: wanted,
            offset_days,
        } => {
            let first_match = first + (i64::from(wanted) - i64::from(weekday(first))).rem_euclid(7);
            let mut day = first_match + 7 * (i64::from(week) - 1);
            if day >= first + length {
                day -= 7; // "week 5" is the last one
            }
            day + i64::from(offset_days)
        }
        _ => first,
    }
}

#[cfg(test)]
mod tests {
    use super::super::civil::{days_from_civil, utc_text};
    use super::super::zone::Utc;
    use super::*;

    /// A local zone with the European Union's rules (Central European Time): UTC+1, and UTC+2
    /// from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
    struct CentralEurope;
    /// The United States' Eastern time: UTC-5, UTC-4 from 07:00 UTC on the second Sunday of
    /// March to 06:00 UTC on the first Sunday of November.
    struct UsEastern;

    fn nth_sunday(year: i32, month: u32, week: u8) -> i64 {
        day_in_month(
            &Recurrence::MonthlyOnWeekday {
                week,
                weekday: 0,
                offset_days: 0,
            },
            i64::from(year) * 12 + i64::from(month) - 1,
        )
    }

    impl Zone for CentralEurope {
        fn offset_at(&self, utc: i64) -> i64 {
            let year = WallTime::from_seconds(utc).year;
            let begins = nth_sunday(year, 3, 5) * 86_400 + 3600;
            let ends = nth_sunday(year, 10, 5) * 86_400 + 3600;
            if (begins..ends).contains(&utc) {
                7200
            } else {
                3600
            }
        }
    }

    impl Zone for UsEastern {
        fn offset_at(&self, utc: i64) -> i64 {
            let year = WallTime::from_seconds(utc).year;
            let begins = nth_sunday(year, 3, 2) * 86_400 + 7 * 3600;
            let ends = nth_sunday(year, 11, 1) * 86_400 + 6 * 3600;
            if (begins..ends).contains(&utc) {
                -4 * 3600
            } else {
                -5 * 3600
            }
        }
    }

    fn wall(text: &str) -> WallTime {
        WallTime::parse(text, "start").unwrap()
    }

    fn instant(text: &str) -> i64 {
        wall(text).seconds()
    }

    /// The next `count` runs after `after` (UTC), as UTC text.
    fn runs(
        recurrence: Recurrence,
        start: &str,
        zone: &dyn Zone,
        after: &str,
        count: usize,
    ) -> Vec<String> {
        let mut now = instant(after);
        let mut found = Vec::new();
        for _ in 0..count {
            match next_run(&recurrence, &wall(start), zone, now) {
                Some(next) => {
                    found.push(utc_text(next).trim_end_matches(".000Z").to_string());
                    now = next;
                }
                None => break,
            }
        }
        found
    }

    /// Whether `day` is a run day of the Nth (5: last) `weekday` + `offset` recurrence, told
    /// from the day alone: the day `offset` days before it is that weekday, in that week of its
    /// month.
    fn is_monthly_weekday_run(day: i64, week: u8, wanted: u8, offset: u8) -> bool {
        let anchor = day - i64::from(offset);
        let (year, month, day_of_month) = super::super::civil::civil_from_days(anchor);
        let in_week = if week == 5 {
            day_of_month + 7 > days_in_month(year, month)
        } else {
            (day_of_month - 1) / 7 + 1 == u32::from(week)
        };
        weekday(anchor) == wanted && in_week
    }

    #[test]
    fn monthly_weekday_runs_match_a_day_by_day_count_for_ten_years() {
        let start = wall("2026-12-01T22:00:00");
        let zones: [&dyn Zone; 3] = [&Utc, &CentralEurope, &UsEastern];
        for zone in zones {
            let first = zone.instant(&start);
            for week in 1..=5 {
                for wanted in 0..=6 {
                    for offset in 0..=27 {
                        let recurrence = Recurrence::MonthlyOnWeekday {
                            week,
                            weekday: wanted,
                            offset_days: offset,
                        };
                        let days = start.day_number()..start.day_number() + 3653;
                        let expected: Vec<i64> = days
                            .filter(|&day| is_monthly_weekday_run(day, week, wanted, offset))
                            .map(|day| zone.instant(&start.on_day(day)))
                            .filter(|&at| at >= first)
                            .collect();
                        let mut after = first - 1;
                        for (n, &want) in expected.iter().enumerate() {
                            let got = next_run(&recurrence, &start, zone, after);
                            assert_eq!(
                                got.map(utc_text),
                                Some(utc_text(want)),
                                "run {n} of week {week}, weekday {wanted}, offset {offset}"
                            );
                            after = want;
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn once_runs_at_its_start_and_never_again() {
        let r = runs(
            Recurrence::Once,
            "2026-12-01T22:00",
            &Utc,
            "2026-11-26T00:00",
            3,
        );
        assert_eq!(r, ["2026-12-01T22:00:00"]);
        assert!(runs(
            Recurrence::Once,
            "2026-12-01T22:00",
            &Utc,
            "2026-12-01T22:00",
            1
        )
        .is_empty());
    }

    #[test]
    fn monthly_on_the_31st_runs_on_the_last_day_of_shorter_months() {
        let r = runs(
            Recurrence::MonthlyOnDay(31),
            "2027-01-31T03:00",
            &Utc,
            "2027-01-01T00:00",
            5,
        );
        assert_eq!(
            r,
            [
                "2027-01-31T03:00:00",
                "2027-02-28T03:00:00",
                "2027-03-31T03:00:00",
                "2027-04-30T03:00:00",
                "2027-05-31T03:00:00"
            ]
        );
        let r = runs(
            Recurrence::MonthlyOnDay(30),
            "2027-12-30T03:00",
            &Utc,
            "2027-12-31T00:00",
            3,
        );
        assert_eq!(
            r,
            [
                "2028-01-30T03:00:00",
                "2028-02-29T03:00:00",
                "2028-03-30T03:00:00"
            ]
        );
    }

    #[test]
    fn leap_days_come_every_four_years_but_not_in_2100() {
        let r = runs(
            Recurrence::MonthlyOnDay(29),
            "2027-01-29T00:00",
            &Utc,
            "2028-01-30T00:00",
            2,
        );
        assert_eq!(r, ["2028-02-29T00:00:00", "2028-03-29T00:00:00"]);
        let r = runs(
            Recurrence::MonthlyOnDay(29),
            "2099-01-29T00:00",
            &Utc,
            "2100-01-30T00:00",
            1,
        );
        assert_eq!(r, ["2100-02-28T00:00:00"]);
        let r = runs(
            Recurrence::Days(1),
            "2028-02-28T12:00",
            &Utc,
            "2028-02-28T12:00",
            2,
        );
        assert_eq!(r, ["2028-02-29T12:00:00", "2028-03-01T12:00:00"]);
    }

    #[test]
    fn patch_tuesday_plus_a_week() {
        // Second Tuesday + 7 days: Dec 2026's Patch Tuesday is the 8th, Jan 2027's the 12th,
        // Feb's the 9th; with the offset the run crosses into the next month when it must.
        let rule = Recurrence::MonthlyOnWeekday {
            week: 2,
            weekday: 2,
            offset_days: 7,
        };
        let r = runs(rule, "2026-12-01T22:00", &Utc, "2026-11-26T00:00", 3);
        assert_eq!(
            r,
            [
                "2026-12-15T22:00:00",
                "2027-01-19T22:00:00",
                "2027-02-16T22:00:00"
            ]
        );
        let last_friday = Recurrence::MonthlyOnWeekday {
            week: 5,
            weekday: 5,
            offset_days: 3,
        };
        let r = runs(last_friday, "2027-01-01T06:00", &Utc, "2027-01-01T00:00", 2);
        assert_eq!(r, ["2027-02-01T06:00:00", "2027-03-01T06:00:00"]);
    }

    #[test]
    fn weekly_runs_on_the_chosen_days_only() {
        let r = runs(
            Recurrence::Weekly(vec![2, 4]),
            "2026-11-26T21:00",
            &Utc,
            "2026-11-01T00:00",
            4,
        );
        assert_eq!(
            r,
            [
                "2026-11-26T21:00:00",
                "2026-12-01T21:00:00",
                "2026-12-03T21:00:00",
                "2026-12-08T21:00:00"
            ]
        );
    }

    #[test]
    fn daily_local_runs_keep_their_wall_time_across_both_dst_changes() {
        // Central Europe springs forward on 2027-03-28, falls back on 2027-10-31.
        let r = runs(
            Recurrence::Days(1),
            "2027-03-27T22:00",
            &CentralEurope,
            "2027-03-27T00:00",
            3,
        );
        assert_eq!(
            r,
            [
                "2027-03-27T21:00:00",
                "2027-03-28T20:00:00",
                "2027-03-29T20:00:00"
            ]
        );
        let r = runs(
            Recurrence::Days(1),
            "2027-10-30T22:00",
            &CentralEurope,
            "2027-10-30T00:00",
            2,
        );
        assert_eq!(r, ["2027-10-30T20:00:00", "2027-10-31T21:00:00"]);
    }

    #[test]
    fn skipped_local_times_run_late_and_repeated_ones_run_once() {
        // 02:30 does not exist in Central Europe on 2027-03-28: it runs at 03:30 local.
        let r = runs(
            Recurrence::Days(1),
            "2027-03-27T02:30",
            &CentralEurope,
            "2027-03-27T00:00",
            3,
        );
        assert_eq!(
            r,
            [
                "2027-03-27T01:30:00",
                "2027-03-28T01:30:00",
                "2027-03-29T00:30:00"
            ]
        );
        // 01:30 happens twice in US Eastern on 2026-11-01: it runs the first time only.
        let r = runs(
            Recurrence::Days(1),
            "2026-10-31T01:30",
            &UsEastern,
            "2026-10-31T00:00",
            3,
        );
        assert_eq!(
            r,
            [
                "2026-10-31T05:30:00",
                "2026-11-01T05:30:00",
                "2026-11-02T06:30:00"
            ]
        );
    }

    #[test]
    fn hourly_runs_count_elapsed_hours_across_dst() {
        // From local midnight (23:00 UTC): 00:00, 01:00, then 03:00 local, one hour apart.
        let r = runs(
            Recurrence::Hours(1),
            "2027-03-28T00:00",
            &CentralEurope,
            "2027-03-27T00:00",
            4,
        );
        assert_eq!(
            r,
            [
                "2027-03-27T23:00:00",
                "2027-03-28T00:00:00",
                "2027-03-28T01:00:00",
                "2027-03-28T02:00:00"
            ]
        );
        // A run long after the start steps to the next whole interval.
        let r = runs(
            Recurrence::Hours(6),
            "2026-01-01T00:00",
            &Utc,
            "2026-11-26T13:00",
            1,
        );
        assert_eq!(r, ["2026-11-26T18:00:00"]);
    }

    #[test]
    fn monthly_local_runs_across_dst_and_year_ends() {
        let rule = Recurrence::MonthlyOnWeekday {
            week: 2,
            weekday: 2,
            offset_days: 0,
        };
        let r = runs(rule, "2026-10-01T23:30", &UsEastern, "2026-10-01T00:00", 3);
        // 2026-10-13 23:30 EDT, 2026-11-10 23:30 EST, 2026-12-08 23:30 EST.
        assert_eq!(
            r,
            [
                "2026-10-14T03:30:00",
                "2026-11-11T04:30:00",
                "2026-12-09T04:30:00"
            ]
        );
        assert_eq!(
            days_from_civil(2026, 12, 8) - days_from_civil(2026, 11, 10),
            28
        );
    }

    #[test]
    fn refuses_out_of_range_recurrences() {
        for bad in [
            Recurrence::Hours(0),
            Recurrence::Days(366),
            Recurrence::Weekly(vec![]),
            Recurrence::Weekly(vec![7]),
            Recurrence::MonthlyOnDay(32),
            Recurrence::MonthlyOnWeekday {
                week: 6,
                weekday: 2,
                offset_days: 0,
            },
            Recurrence::MonthlyOnWeekday {
                week: 2,
                weekday: 2,
                offset_days: 28,
            },
        ] {
            assert!(validate(&bad)
                .unwrap_err()
                .to_string()
                .starts_with("recurrence: "));
        }
    }
}
