//! Locale formatting for pages: dates and times, whole numbers, decimals and money.
//! en `2026-11-22 14:05`, `1,234.56`; de `22.11.2026 14:05`, `1.234,56`; ru `22.11.2026 14:05`,
//! `1 234,56` (a non-breaking space groups the thousands). Money stays exact: it is formatted
//! from the decimal strings of `crate::money`, never through floating point. Times are shown in
//! the person's time zone. The API and CSV keep their machine formats.

use chrono::{NaiveDate, NaiveDateTime};

use super::Lang;

/// The separator of thousands.
pub fn group_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ",",
        Lang::De => ".",
        Lang::Ru => "\u{a0}",
    }
}

/// The decimal separator.
pub fn decimal_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ".",
        Lang::De | Lang::Ru => ",",
    }
}

fn group(lang: Lang, digits: &str) -> String {
    let sep = group_separator(lang);
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A whole number: `1,234` / `1.234` / `1 234`.
pub fn int(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group(lang, &digits))
}

/// A decimal written with a `.` (as `crate::money` and `format!` write them), in the
/// language's way, digit for digit. Anything that is not a plain decimal comes back unchanged
/// (a dash for "no value", say).
pub fn decimal(lang: Lang, s: &str) -> String {
    let (sign, body) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s),
    };
    let (int_part, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let plain = !int_part.is_empty()
        && int_part.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    if !plain {
        return s.to_string();
    }
    let mut out = format!("{sign}{}", group(lang, int_part));
    if let Some(f) = frac {
        out.push_str(decimal_separator(lang));
        out.push_str(f);
    }
    out
}

/// Money for people: two decimals unless more are needed (`crate::money::display`).
pub fn money(lang: Lang, micros: i64) -> String {
    decimal(lang, &crate::money::display(micros))
}

/// Money with all six decimals (rates, where fractions of a cent matter).
pub fn money_exact(lang: Lang, micros: i64) -> String {
    decimal(lang, &crate::money::format(micros))
}

fn date_pattern(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "%Y-%m-%d",
        Lang::De | Lang::Ru => "%d.%m.%Y",
    }
}

/// A calendar date.
pub fn date(lang: Lang, d: NaiveDate) -> String {
    d.format(date_pattern(lang)).to_string()
}

fn local(ms: i64, zone: &str) -> chrono::DateTime<chrono_tz::Tz> {
    crate::traffic::time::utc(ms).with_timezone(&crate::traffic::time::tz(zone))
}

/// An instant (epoch milliseconds) in the time zone, to the minute.
pub fn datetime(lang: Lang, ms: i64, zone: &str) -> String {
    local(ms, zone).format(&format!("{} %H:%M", date_pattern(lang))).to_string()
}

/// An instant to the second (call start times).
pub fn datetime_secs(lang: Lang, ms: i64, zone: &str) -> String {
    local(ms, zone).format(&format!("{} %H:%M:%S", date_pattern(lang))).to_string()
}

/// A stored UTC time (database rows) in the time zone, to the minute.
pub fn timestamp(lang: Lang, t: NaiveDateTime, zone: &str) -> String {
    datetime(lang, t.and_utc().timestamp_millis(), zone)
}

/// The start of a statistics bucket: an hour (`11-22 14:00` / `22.11. 14:00`) or a day.
pub fn bucket(lang: Lang, ms: i64, zone: &str, hourly: bool) -> String {
    let pattern = match (lang, hourly) {
        (_, false) => date_pattern(lang),
        (Lang::En, true) => "%m-%d %H:00",
        (Lang::De | Lang::Ru, true) => "%d.%m. %H:00",
    };
    local(ms, zone).format(pattern).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(int(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(int(Lang::De, -1234), "-1.234");
        assert_eq!(int(Lang::Ru, 1234), "1\u{a0}234");
        assert_eq!(int(Lang::Ru, 123), "123");
        assert_eq!(money(Lang::En, 1_234_560_000), "1,234.56");
        assert_eq!(money(Lang::De, 1_234_560_000), "1.234,56");
        assert_eq!(money(Lang::Ru, 1_234_560_000), "1\u{a0}234,56");
        assert_eq!(money(Lang::De, -12_500_000), "-12,50");
        assert_eq!(money_exact(Lang::De, 12_345_600), "12,345600");
        assert_eq!(decimal(Lang::De, "99999999999999.123456"), "99.999.999.999.999,123456");
        assert_eq!(decimal(Lang::De, "–"), "–");
        assert_eq!(decimal(Lang::De, "60.0"), "60,0");
    }

    #[test]
    fn times() {
        let ms = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(13, 5, 9)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        assert_eq!(datetime(Lang::En, ms, "Europe/Berlin"), "2026-11-22 14:05");
        assert_eq!(datetime(Lang::De, ms, "Europe/Berlin"), "22.11.2026 14:05");
        assert_eq!(datetime(Lang::Ru, ms, "Europe/Berlin"), "22.11.2026 14:05");
        assert_eq!(datetime_secs(Lang::De, ms, "UTC"), "22.11.2026 13:05:09");
        assert_eq!(bucket(Lang::De, ms, "UTC", true), "22.11. 13:00");
    }
}
