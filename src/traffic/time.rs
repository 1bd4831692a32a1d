//! Times: CDR times are epoch milliseconds (UTC). Filters take RFC 3339 or plain dates, which
//! mean midnight in the viewer's time zone.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub fn tz(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::UTC)
}

/// Parses a timestamp for ingest: RFC 3339, or `YYYY-MM-DD HH:MM:SS[.fff]` taken as UTC.
pub fn parse_instant(s: &str) -> Result<i64, String> {
    let t = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d.timestamp_millis());
    }
    for f in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, f) {
            return Ok(n.and_utc().timestamp_millis());
        }
    }
    Err(format!("`{}` is not an RFC 3339 time (e.g. 2026-11-22T10:15:00Z)", t.chars().take(40).collect::<String>()))
}

/// Parses a filter bound: RFC 3339, or a plain date meaning midnight in `zone`.
pub fn parse_bound(s: &str, zone: &str) -> Result<i64, String> {
    let t = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(local_midnight(d, zone));
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d.timestamp_millis());
    }
    // A datetime-local input (no zone) is local time.
    if let Ok(n) = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M") {
        return Ok(local_to_utc(n, zone));
    }
    Err(format!("`{}` is neither a date (YYYY-MM-DD) nor an RFC 3339 time", t.chars().take(40).collect::<String>()))
}

pub fn local_to_utc(n: NaiveDateTime, zone: &str) -> i64 {
    let z = tz(zone);
    match z.from_local_datetime(&n) {
        chrono::LocalResult::Single(d) => d.timestamp_millis(),
        chrono::LocalResult::Ambiguous(a, _) => a.timestamp_millis(),
        // In a spring-forward gap: the instant an hour later exists.
        chrono::LocalResult::None => z
            .from_local_datetime(&(n + chrono::Duration::hours(1)))
            .earliest()
            .map(|d| d.timestamp_millis())
            .unwrap_or_else(|| n.and_utc().timestamp_millis()),
    }
}

pub fn local_midnight(d: NaiveDate, zone: &str) -> i64 {
    local_to_utc(d.and_hms_opt(0, 0, 0).unwrap_or_default(), zone)
}

/// The local date of an instant.
pub fn local_date(ms: i64, zone: &str) -> NaiveDate {
    utc(ms).with_timezone(&tz(zone)).date_naive()
}

pub fn utc(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// RFC 3339 with `Z`, for the API and CSV.
pub fn rfc3339(ms: i64) -> String {
    utc(ms).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// For people: local time in the viewer's zone.
pub fn local(ms: i64, zone: &str) -> String {
    utc(ms).with_timezone(&tz(zone)).format("%Y-%m-%d %H:%M:%S").to_string()
}

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Seconds as `h:mm:ss` / `m:ss`.
pub fn duration(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

/// Formats many instants of one zone quickly (exports): the zone's offset is looked up once
/// per quarter hour of UTC time, the date text once per local day, and the time of day is
/// written digit by digit.
pub struct LocalClock {
    tz: Tz,
    bucket: i64,
    offset_ms: i64,
    day_start: i64,
    day_prefix: String,
}

impl LocalClock {
    pub fn new(zone: &str) -> LocalClock {
        LocalClock { tz: tz(zone), bucket: i64::MIN, offset_ms: 0, day_start: i64::MIN, day_prefix: String::new() }
    }

    pub fn write(&mut self, ms: i64, out: &mut String) {
        use chrono::Offset;
        let b = ms.div_euclid(900_000);
        if b != self.bucket {
            self.offset_ms =
                i64::from(self.tz.offset_from_utc_datetime(&utc(ms).naive_utc()).fix().local_minus_utc()) * 1000;
            self.bucket = b;
        }
        let local = ms + self.offset_ms;
        if local < self.day_start || local >= self.day_start + 86_400_000 {
            self.day_start = local.div_euclid(86_400_000) * 86_400_000;
            self.day_prefix = utc(self.day_start).format("%Y-%m-%d ").to_string();
        }
        let secs = (local - self.day_start) / 1000;
        let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
        out.push_str(&self.day_prefix);
        for (i, v) in [h, m, s].into_iter().enumerate() {
            if i > 0 {
                out.push(':');
            }
            out.push(char::from(b'0' + (v / 10) as u8));
            out.push(char::from(b'0' + (v % 10) as u8));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        let berlin = parse_bound("2026-07-01", "Europe/Berlin").unwrap();
        assert_eq!(rfc3339(berlin), "2026-06-30T22:00:00Z");
        assert_eq!(parse_bound("2026-07-01T00:00:00Z", "Europe/Berlin").unwrap(), berlin + 2 * 3600 * 1000);
        assert!(parse_bound("yesterday", "UTC").is_err());
        assert_eq!(parse_instant("2026-07-01 10:00:00").unwrap(), parse_instant("2026-07-01T10:00:00Z").unwrap());
        assert_eq!(duration(3725), "1:02:05");
        let mut clock = LocalClock::new("Europe/Berlin");
        let mut out = String::new();
        for t in ["2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z", "2026-12-31T23:05:09Z"] {
            out.clear();
            let ms = parse_instant(t).unwrap();
            clock.write(ms, &mut out);
            assert_eq!(out, local(ms, "Europe/Berlin"), "{t}");
        }
    }
}
