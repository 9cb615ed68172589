//! The time zone a schedule's times are in: UTC, or the local time of the machine that runs it,
//! with its daylight saving rules as the operating system knows them (the C library's zone on
//! Unix, the Windows time zone on Windows).

use super::civil::WallTime;

/// A time zone as schedules need it: the offset from UTC in force at an instant.
pub(crate) trait Zone {
    /// Seconds east of UTC at the UTC instant `utc`.
    fn offset_at(&self, utc: i64) -> i64;

    /// The wall time at the UTC instant.
    fn wall_time(&self, utc: i64) -> WallTime {
        WallTime::from_seconds(utc + self.offset_at(utc))
    }

    /// The UTC instant a wall time stands for. A time the clocks skip (spring forward) runs as
    /// late as the skip (02:30 becomes 03:30); a time they pass twice (fall back) runs the first
    /// time.
    fn instant(&self, wall: &WallTime) -> i64 {
        let local = wall.seconds();
        const HALF_DAY: i64 = 43_200;
        let before = self.offset_at(local - HALF_DAY);
        let after = self.offset_at(local + HALF_DAY);
        let fits = |offset: i64| self.offset_at(local - offset) == offset;
        match (fits(before), fits(after)) {
            (true, true) => (local - before).min(local - after),
            (true, false) => local - before,
            (false, true) => local - after,
            (false, false) => local - before,
        }
    }
}

pub(crate) struct Utc;

impl Zone for Utc {
    fn offset_at(&self, _utc: i64) -> i64 {
        0
    }
}

/// The machine's local time.
pub(crate) struct Local;

#[cfg(unix)]
impl Zone for Local {
    fn offset_at(&self, utc: i64) -> i64 {
        extern "C" {
            fn tzset();
        }
        let time = utc as libc::time_t;
        // SAFETY: tm is plain data that localtime_r fills; both pointers live for the call.
        unsafe {
            tzset();
            let mut tm: libc::tm = std::mem::zeroed();
            if libc::localtime_r(&time, &mut tm).is_null() {
                return 0;
            }
            tm.tm_gmtoff
        }
    }
}

#[cfg(windows)]
impl Zone for Local {
    fn offset_at(&self, utc: i64) -> i64 {
        #[repr(C)]
        #[derive(Default)]
        struct SystemTime {
            year: u16,
            month: u16,
            day_of_week: u16,
            day: u16,
            hour: u16,
            minute: u16,
            second: u16,
            milliseconds: u16,
        }
        #[link(name = "kernel32")]
        extern "system" {
            fn SystemTimeToTzSpecificLocalTime(
                zone: *const std::ffi::c_void,
                universal: *const SystemTime,
                local: *mut SystemTime,
            ) -> i32;
        }
        let wall = WallTime::from_seconds(utc);
        let s = wall.second_of_day;
        let universal = SystemTime {
            year: wall.year as u16,
            month: wall.month as u16,
            day: wall.day as u16,
            hour: (s / 3600) as u16,
            minute: (s / 60 % 60) as u16,
            second: (s % 60) as u16,
            ..Default::default()
        };
        let mut local = SystemTime::default();
        // SAFETY: both structures live for the call; a null zone is the current time zone.
        let ok =
            unsafe { SystemTimeToTzSpecificLocalTime(std::ptr::null(), &universal, &mut local) };
        if ok == 0 {
            return 0;
        }
        let local = WallTime {
            year: i32::from(local.year),
            month: u32::from(local.month),
            day: u32::from(local.day),
            second_of_day: u32::from(local.hour) * 3600
                + u32::from(local.minute) * 60
                + u32::from(local.second),
        };
        local.seconds() - wall.seconds()
    }
}
