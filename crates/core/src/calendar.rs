//! The organisation's calendar: days, weeks from Monday to Sunday, and the clock of the UK
//! (Europe/London), which turns a moment into the day it was where the organising happens.
//!
//! Written out rather than taken from a time-zone crate: the UK's rule has been one sentence
//! since 1996 (British Summer Time, UTC+1, from 01:00 UTC on the last Sunday of March to
//! 01:00 UTC on the last Sunday of October; GMT otherwise), and a zone database would add its
//! tables to the client's WebAssembly for the one zone used. Dates before 1996 follow the same
//! rule, which is not what the clocks did then; nothing the app records is that old.
//!
//! Nothing here reads a clock: a moment is passed in as a [`Timestamp`].

use crate::id::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const MILLIS_PER_HOUR: i64 = 60 * 60 * 1000;
const MILLIS_PER_DAY: i64 = 24 * MILLIS_PER_HOUR;

/// A calendar date, as the days since 1970-01-01 (negative before it). Written
/// `"YYYY-MM-DD"` everywhere: on the wire, in records and on screen. Only the years 1 to 9999
/// are held, so that every day has that spelling; arithmetic stops at their ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i32);

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    /// The first day of the organisation's week.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// The last day of the organisation's week.
    Sunday,
}

impl Weekday {
    /// Every day of the week, from Monday.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// How many days it comes after Monday (Monday 0, Sunday 6).
    pub fn days_from_monday(self) -> i32 {
        self as i32
    }
}

impl Day {
    /// 0001-01-01, the first day held.
    pub const MIN: Day = Day(-719_162);
    /// 9999-12-31, the last day held.
    pub const MAX: Day = Day(2_932_896);
    /// 1970-01-01.
    pub const EPOCH: Day = Day(0);

    /// The day `days` after 1970-01-01, kept within [`Day::MIN`] and [`Day::MAX`].
    pub fn from_days_since_epoch(days: i32) -> Day {
        Day(days.clamp(Self::MIN.0, Self::MAX.0))
    }

    /// The days since 1970-01-01.
    pub fn days_since_epoch(self) -> i32 {
        self.0
    }

    /// The date with this year, month (1–12) and day of the month, if there is one.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then(|| Day(days_from_civil(year, month, day)))
    }

    /// The year, month (1–12) and day of the month.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Reads `"YYYY-MM-DD"`, strictly: four digits, two, two, each zero-padded, and a day
    /// that exists (no 2026-02-30, no 2026-2-3).
    pub fn parse(text: &str) -> Option<Day> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &bytes[range];
            part.iter().all(u8::is_ascii_digit).then(|| {
                part.iter()
                    .fold(0, |n, &digit| n * 10 + u32::from(digit - b'0'))
            })
        };
        let year = i32::try_from(number(0..4)?).ok()?;
        Day::from_ymd(year, number(5..7)?, number(8..10)?)
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday, three days after a Monday.
        Weekday::ALL[(self.0 + 3).rem_euclid(7) as usize]
    }

    /// The day `days` later (earlier, if negative), kept within [`Day::MIN`] and
    /// [`Day::MAX`].
    pub fn add_days(self, days: i32) -> Day {
        Day::from_days_since_epoch(self.0.saturating_add(days))
    }

    /// How many days `earlier` comes before this day (negative if it comes after).
    pub fn days_since(self, earlier: Day) -> i32 {
        self.0 - earlier.0
    }

    /// The day, by the UTC calendar, that a moment falls on.
    pub fn of_utc(at: Timestamp) -> Day {
        let days = at.0.div_euclid(MILLIS_PER_DAY);
        Day::from_days_since_epoch(i32::try_from(days).unwrap_or(if days < 0 {
            i32::MIN
        } else {
            i32::MAX
        }))
    }

    /// The first moment of the day by the UTC calendar.
    pub fn utc_midnight(self) -> Timestamp {
        Timestamp(i64::from(self.0) * MILLIS_PER_DAY)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Day::parse(&text).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&text),
                &"a date written YYYY-MM-DD",
            )
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Day {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Day".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "description": "A calendar date, YYYY-MM-DD."
        })
    }
}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`: years counted from March, so a leap day ends its year).
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = ((153 * month_from_march + 2) / 5 + day - 1) as i32;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a count of days since 1970-01-01: the inverse of [`days_from_civil`].
fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = (if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    }) as u32;
    let year = year_of_era + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> Day {
    let last = Day(days_from_civil(year, month, days_in_month(year, month)));
    last.add_days(-((last.weekday().days_from_monday() + 1) % 7))
}

/// How far London's clocks are ahead of UTC at `at`: an hour in British Summer Time.
fn london_offset(at: Timestamp) -> i64 {
    let (year, _, _) = Day::of_utc(at).ymd();
    let starts = last_sunday(year, 3).utc_midnight().0 + MILLIS_PER_HOUR;
    let ends = last_sunday(year, 10).utc_midnight().0 + MILLIS_PER_HOUR;
    if (starts..ends).contains(&at.0) {
        MILLIS_PER_HOUR
    } else {
        0
    }
}

/// The day it is in London at `at`.
pub fn london_day(at: Timestamp) -> Day {
    Day::of_utc(Timestamp(at.0.saturating_add(london_offset(at))))
}

/// The moment a day starts in London. The clocks change at 01:00 UTC, never at midnight, so
/// every day has exactly one: the offset in force an hour before UTC midnight is the one in
/// force at London's midnight (on the October Sunday, midnight is still summer time).
pub fn london_midnight(day: Day) -> Timestamp {
    let utc = day.utc_midnight().0;
    Timestamp(utc - london_offset(Timestamp(utc - MILLIS_PER_HOUR)))
}

/// A week of the organisation's calendar, Monday to Sunday. Shown as its Monday.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Week {
    monday: Day,
}

impl Week {
    /// The week `day` falls in.
    pub fn of(day: Day) -> Week {
        Week {
            monday: day.add_days(-day.weekday().days_from_monday()),
        }
    }

    /// Its first day.
    pub fn monday(self) -> Day {
        self.monday
    }

    /// Its last day.
    pub fn sunday(self) -> Day {
        self.monday.add_days(6)
    }

    /// The week after.
    pub fn next(self) -> Week {
        Week::of(self.monday.add_days(7))
    }

    /// The week before.
    pub fn previous(self) -> Week {
        Week::of(self.monday.add_days(-7))
    }

    /// Whether `day` falls in it.
    pub fn contains(self, day: Day) -> bool {
        self.monday <= day && day <= self.sunday()
    }
}

impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.monday.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap_or_else(|| panic!("{text} is a day"))
    }

    /// A moment given as UTC date and time.
    fn utc(date: &str, hour: i64, minute: i64) -> Timestamp {
        Timestamp(day(date).utc_midnight().0 + hour * MILLIS_PER_HOUR + minute * 60_000)
    }

    #[test]
    fn known_dates_have_their_day_numbers_and_weekdays() {
        let cases = [
            ("1970-01-01", 0, Weekday::Thursday),
            ("1969-12-31", -1, Weekday::Wednesday),
            ("2000-02-29", 11_016, Weekday::Tuesday),
            ("2000-03-01", 11_017, Weekday::Wednesday),
            ("2024-02-29", 19_782, Weekday::Thursday),
            ("2025-12-31", 20_453, Weekday::Wednesday),
            ("2026-01-01", 20_454, Weekday::Thursday),
            ("2026-03-29", 20_541, Weekday::Sunday),
            ("2026-10-25", 20_751, Weekday::Sunday),
            ("0001-01-01", Day::MIN.0, Weekday::Monday),
            ("9999-12-31", Day::MAX.0, Weekday::Friday),
        ];
        for (text, days, weekday) in cases {
            let parsed = day(text);
            assert_eq!(parsed.days_since_epoch(), days, "{text}");
            assert_eq!(parsed.weekday(), weekday, "{text}");
            assert_eq!(parsed.to_string(), text);
        }
    }

    #[test]
    fn every_day_of_four_centuries_reads_back_as_it_is_written() {
        // 1900 (not leap), 2000 (leap) and 2100 (not leap) are inside, and each day follows
        // the one before.
        let mut previous: Option<(i32, u32, u32)> = None;
        for n in day("1899-12-31").0..=day("2300-01-01").0 {
            let d = Day(n);
            assert_eq!(Day::parse(&d.to_string()), Some(d));
            let (year, month, dom) = d.ymd();
            if let Some((py, pm, pd)) = previous {
                let next_in_month = (year, month, dom) == (py, pm, pd + 1);
                let next_month = dom == 1
                    && pd == days_in_month(py, pm)
                    && ((year, month) == (py, pm + 1) || (year, month, pm) == (py + 1, 1, 12));
                assert!(next_in_month || next_month, "{d} after {py}-{pm}-{pd}");
            }
            previous = Some((year, month, dom));
        }
        assert_eq!(day("1900-03-01").add_days(-1).to_string(), "1900-02-28");
        assert_eq!(day("2100-03-01").add_days(-1).to_string(), "2100-02-28");
        assert_eq!(day("2000-03-01").add_days(-1).to_string(), "2000-02-29");
    }

    #[test]
    fn parsing_is_strict() {
        for bad in [
            "2026-02-29",
            "2026-02-30",
            "2100-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-01-00",
            "2026-1-05",
            "2026-01-5",
            "26-01-05",
            "2026/01/05",
            " 2026-01-05",
            "2026-01-05T00:00",
            "0000-01-01",
            "+026-01-05",
            "2026-01-+5",
            "",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Day::parse("2024-02-29"), Some(day("2024-02-29")));
    }

    #[test]
    fn a_day_travels_as_its_date() {
        let d = day("2026-03-29");
        assert_eq!(serde_json::to_string(&d).unwrap(), r#""2026-03-29""#);
        assert_eq!(serde_json::from_str::<Day>(r#""2026-03-29""#).unwrap(), d);
        assert!(serde_json::from_str::<Day>(r#""2026-02-30""#).is_err());
        assert!(serde_json::from_str::<Day>("20541").is_err());
    }

    #[test]
    fn arithmetic_crosses_year_ends_and_stops_at_the_ends_of_the_calendar() {
        assert_eq!(day("2025-12-31").add_days(1), day("2026-01-01"));
        assert_eq!(day("2026-01-01").add_days(-1), day("2025-12-31"));
        assert_eq!(day("2024-12-31").add_days(-366), day("2023-12-31"));
        assert_eq!(day("2026-01-01").days_since(day("2025-12-18")), 14);
        assert_eq!(Day::MAX.add_days(1), Day::MAX);
        assert_eq!(Day::MIN.add_days(i32::MIN), Day::MIN);
        assert_eq!(Day::of_utc(Timestamp(i64::MAX)), Day::MAX);
        assert_eq!(Day::of_utc(Timestamp(-1)), day("1969-12-31"));
        assert!(day("2025-12-31") < day("2026-01-01"));
    }

    #[test]
    fn the_clocks_go_forward_at_one_in_the_morning_on_the_last_sunday_of_march() {
        // 2026: Sunday 29 March. 2027: Sunday 28 March.
        for (sunday, saturday) in [("2026-03-29", "2026-03-28"), ("2027-03-28", "2027-03-27")] {
            assert_eq!(day(sunday).weekday(), Weekday::Sunday);
            // 00:59 UTC is 00:59 GMT; 01:00 UTC is 02:00 BST: the same day either way.
            assert_eq!(london_day(utc(sunday, 0, 59)), day(sunday));
            assert_eq!(london_day(utc(sunday, 1, 0)), day(sunday));
            assert_eq!(london_offset(utc(sunday, 0, 59)), 0);
            assert_eq!(london_offset(utc(sunday, 1, 0)), MILLIS_PER_HOUR);
            // The Saturday night before is still GMT: 23:30 UTC is 23:30 Saturday.
            assert_eq!(london_day(utc(saturday, 23, 30)), day(saturday));
            // The Sunday night after is summer time: 23:30 UTC is 00:30 on Monday.
            assert_eq!(london_day(utc(sunday, 23, 30)), day(sunday).add_days(1));
            // Sunday began at midnight GMT; Monday begins at 23:00 UTC on Sunday.
            assert_eq!(london_midnight(day(sunday)), utc(sunday, 0, 0));
            assert_eq!(london_midnight(day(sunday).add_days(1)), utc(sunday, 23, 0));
        }
    }

    #[test]
    fn the_clocks_go_back_at_one_in_the_morning_on_the_last_sunday_of_october() {
        // 2026: Sunday 25 October (Saturday the 24th). 2027: Sunday 31 October.
        for (sunday, saturday) in [("2026-10-25", "2026-10-24"), ("2027-10-31", "2027-10-30")] {
            assert_eq!(day(sunday).weekday(), Weekday::Sunday);
            // 23:30 UTC on the Saturday is already 00:30 BST on the Sunday.
            assert_eq!(london_day(utc(saturday, 23, 30)), day(sunday));
            assert_eq!(london_day(utc(saturday, 22, 59)), day(saturday));
            // 00:59 UTC is 01:59 BST; 01:00 UTC is 01:00 GMT, the hour lived twice.
            assert_eq!(london_offset(utc(sunday, 0, 59)), MILLIS_PER_HOUR);
            assert_eq!(london_offset(utc(sunday, 1, 0)), 0);
            assert_eq!(london_day(utc(sunday, 1, 0)), day(sunday));
            // 23:30 UTC on the Sunday is 23:30 GMT, still Sunday.
            assert_eq!(london_day(utc(sunday, 23, 30)), day(sunday));
            // Sunday began at 23:00 UTC on Saturday (midnight BST); Monday at midnight GMT.
            assert_eq!(london_midnight(day(sunday)), utc(saturday, 23, 0));
            let monday = day(sunday).add_days(1);
            assert_eq!(london_midnight(monday), monday.utc_midnight());
        }
    }

    #[test]
    fn winter_and_summer_days_start_at_their_midnights() {
        assert_eq!(london_midnight(day("2026-01-15")), utc("2026-01-15", 0, 0));
        assert_eq!(london_midnight(day("2026-07-15")), utc("2026-07-14", 23, 0));
        assert_eq!(london_day(utc("2026-07-14", 23, 0)), day("2026-07-15"));
        assert_eq!(london_day(utc("2026-07-14", 22, 59)), day("2026-07-14"));
        assert_eq!(london_day(utc("2026-12-31", 23, 59)), day("2026-12-31"));
        assert_eq!(london_day(utc("2027-01-01", 0, 0)), day("2027-01-01"));
    }

    #[test]
    fn every_london_day_of_two_years_starts_at_its_midnight_and_ends_before_the_next() {
        // Each day's first moment is London's, and the moment before it is the day before:
        // the clock changes neither lose nor repeat a day.
        for n in day("2025-12-25").0..=day("2028-01-05").0 {
            let d = Day(n);
            let start = london_midnight(d);
            assert_eq!(london_day(start), d, "{d}");
            assert_eq!(london_day(Timestamp(start.0 - 1)), d.add_days(-1), "{d}");
            let length = london_midnight(d.add_days(1)).0 - start.0;
            let expected = match d.to_string().as_str() {
                "2026-03-29" | "2027-03-28" => 23,
                "2026-10-25" | "2027-10-31" => 25,
                _ => 24,
            };
            assert_eq!(length, expected * MILLIS_PER_HOUR, "{d}");
        }
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        let week = Week::of(day("2026-03-29"));
        assert_eq!(week.monday(), day("2026-03-23"));
        assert_eq!(week.sunday(), day("2026-03-29"));
        assert_eq!(week.to_string(), "2026-03-23");
        assert_eq!(Week::of(day("2026-03-23")), week);
        assert_eq!(Week::of(day("2026-03-30")), week.next());
        assert_eq!(week.next().previous(), week);
        assert!(week.contains(day("2026-03-23")));
        assert!(week.contains(day("2026-03-29")));
        assert!(!week.contains(day("2026-03-22")));
        assert!(!week.contains(day("2026-03-30")));
        for n in 0..7 {
            assert_eq!(Week::of(week.monday().add_days(n)), week);
        }
    }

    #[test]
    fn a_week_spanning_a_clock_change_holds_every_moment_of_its_days() {
        // The week of 23 March 2026 (the clocks go forward on its Sunday, the 29th), then the
        // week of 19 October 2026 (back on its Sunday, the 25th).
        let week = Week::of(day("2026-03-26"));
        let first = london_midnight(week.monday());
        let after = london_midnight(week.next().monday());
        assert_eq!(after.0 - first.0, 7 * MILLIS_PER_DAY - MILLIS_PER_HOUR);
        assert!(week.contains(london_day(Timestamp(after.0 - 1))));
        assert!(!week.contains(london_day(after)));
        // A moment late on the Sunday in summer time falls in the next week.
        assert_eq!(Week::of(london_day(utc("2026-03-29", 23, 30))), week.next());
        let week = Week::of(day("2026-10-21"));
        let first = london_midnight(week.monday());
        let after = london_midnight(week.next().monday());
        assert_eq!(after.0 - first.0, 7 * MILLIS_PER_DAY + MILLIS_PER_HOUR);
        assert_eq!(Week::of(london_day(utc("2026-10-24", 23, 30))), week);
    }

    #[test]
    fn a_week_spanning_a_year_end_is_one_week() {
        let week = Week::of(day("2026-01-01"));
        assert_eq!(week.monday(), day("2025-12-29"));
        assert_eq!(week.sunday(), day("2026-01-04"));
        assert!(week.contains(day("2025-12-31")));
        assert!(week.contains(day("2026-01-04")));
        assert_eq!(week.previous().monday(), day("2025-12-22"));
        assert_eq!(week.next().monday(), day("2026-01-05"));
        // 2020-12-28 to 2021-01-03, across a leap year's end.
        let week = Week::of(day("2020-12-31"));
        assert_eq!(week.to_string(), "2020-12-28");
        assert_eq!(week.sunday().to_string(), "2021-01-03");
    }
}
