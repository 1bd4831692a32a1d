//! Traffic statistics from the hourly rollups (never from scanning CDRs), with the metric /
//! value redaction of SPEC §2 applied to the data itself.

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::access::{Grants, Perm};
use crate::db::DbConnection;
use crate::db::schema::{active_calls, cdr_hourly};
use crate::error::{AppError, AppResult};
use crate::traffic::Direction;
use crate::traffic::cdrs::CdrFilter;
use crate::traffic::query::StatsQuery;
use crate::traffic::time::{local_date, local_midnight, rfc3339, utc};

/// The bucket size of a statistics series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum Sampling {
    Hour,
    Day,
}

impl Sampling {
    pub fn parse(s: &str) -> Option<Sampling> {
        match s {
            "hour" => Some(Sampling::Hour),
            "day" => Some(Sampling::Day),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Sampling::Hour => "hour",
            Sampling::Day => "day",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sums {
    pub total: i64,
    pub ok: i64,
    pub duration: i64,
    pub ok_duration: i64,
    pub price: i64,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.total += o.total;
        self.ok += o.ok;
        self.duration += o.duration;
        self.ok_duration += o.ok_duration;
        self.price += o.price;
    }
}

#[derive(Debug, Clone)]
pub struct Bucket {
    pub start: i64,
    pub sums: Sums,
}

pub const MAX_BUCKETS: usize = 800;

/// Per-hour or per-local-day sums of a customer's traffic in `[from, to)` (epoch ms).
pub fn series(
    conn: &mut DbConnection,
    customer: i64,
    dir: Direction,
    from: i64,
    to: i64,
    sampling: Sampling,
    zone: &str,
) -> AppResult<Vec<Bucket>> {
    if to <= from {
        return Err(AppError::field("to", "The end of the period must be after its start."));
    }
    let rows: Vec<(i64, i64, i64, i64, i64, i64)> = cdr_hourly::table
        .filter(cdr_hourly::customer_id.eq(customer))
        .filter(cdr_hourly::direction.eq(dir.code()))
        .filter(cdr_hourly::hour.ge(from.div_euclid(1000)))
        .filter(cdr_hourly::hour.lt(to.div_euclid(1000)))
        .select((
            cdr_hourly::hour,
            cdr_hourly::total_calls,
            cdr_hourly::successful_calls,
            cdr_hourly::total_duration,
            cdr_hourly::success_duration,
            cdr_hourly::total_price,
        ))
        .load(conn)?;
    let mut by_start: BTreeMap<i64, Sums> = BTreeMap::new();
    // Every bucket of the period, empty ones included, so charts have no holes.
    match sampling {
        Sampling::Hour => {
            let mut t = from.div_euclid(3_600_000) * 3_600_000;
            while t < to {
                by_start.insert(t, Sums::default());
                t += 3_600_000;
                if by_start.len() > MAX_BUCKETS {
                    return Err(AppError::field(
                        "sampling",
                        "Too many hours: choose a shorter period or daily sampling.",
                    ));
                }
            }
        }
        Sampling::Day => {
            let mut d = local_date(from, zone);
            loop {
                let start = local_midnight(d, zone);
                if start >= to {
                    break;
                }
                by_start.insert(start.max(from), Sums::default());
                d = d.succ_opt().ok_or_else(|| AppError::field("to", "Date out of range."))?;
                if by_start.len() > MAX_BUCKETS {
                    return Err(AppError::field("from", "The period is too long."));
                }
            }
        }
    }
    for (hour, total, ok, duration, ok_duration, price) in rows {
        let ms = hour * 1000;
        let key = match sampling {
            Sampling::Hour => ms,
            Sampling::Day => local_midnight(local_date(ms, zone), zone).max(from),
        };
        let s = Sums { total, ok, duration, ok_duration, price };
        by_start.entry(key).or_default().add(&s);
    }
    Ok(by_start.into_iter().map(|(start, sums)| Bucket { start, sums }).collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    ActiveCalls,
    TotalCalls,
    SuccessfulCalls,
    FailedCalls,
    Asr,
    Acd,
    TotalDuration,
    TotalPrice,
}

impl Metric {
    pub const ALL: [Metric; 8] = [
        Metric::ActiveCalls,
        Metric::TotalCalls,
        Metric::SuccessfulCalls,
        Metric::FailedCalls,
        Metric::Asr,
        Metric::Acd,
        Metric::TotalDuration,
        Metric::TotalPrice,
    ];
    pub fn slug(self) -> &'static str {
        match self {
            Metric::ActiveCalls => "active_calls",
            Metric::TotalCalls => "total_calls",
            Metric::SuccessfulCalls => "successful_calls",
            Metric::FailedCalls => "failed_calls",
            Metric::Asr => "asr",
            Metric::Acd => "acd",
            Metric::TotalDuration => "total_duration",
            Metric::TotalPrice => "total_price",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Metric::ActiveCalls => "Active calls",
            Metric::TotalCalls => "Total calls",
            Metric::SuccessfulCalls => "Successful calls",
            Metric::FailedCalls => "Failed calls",
            Metric::Asr => "ASR",
            Metric::Acd => "ACD",
            Metric::TotalDuration => "Total duration",
            Metric::TotalPrice => "Total price",
        }
    }
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Asr => "%",
            Metric::Acd | Metric::TotalDuration => "s",
            _ => "",
        }
    }
    /// The catalog key that shows this metric in a direction.
    pub fn key(self, dir: Direction) -> Perm {
        Perm::from_key(&format!("{}_statistics_{}", dir.as_str(), self.slug())).expect("every metric is in the catalog")
    }
    /// The key that shows its absolute numbers (none for active calls: it is a current count).
    pub fn value_key(self, dir: Direction) -> Option<Perm> {
        Perm::from_key(&format!("{}_statistics_{}_value", dir.as_str(), self.slug()))
    }
    /// The metric's value for a set of sums; None where undefined (ACD/ASR without calls).
    pub fn value(self, s: &Sums) -> Option<f64> {
        match self {
            Metric::ActiveCalls => None,
            Metric::TotalCalls => Some(s.total as f64),
            Metric::SuccessfulCalls => Some(s.ok as f64),
            Metric::FailedCalls => Some((s.total - s.ok) as f64),
            Metric::Asr => (s.total > 0).then(|| s.ok as f64 * 100.0 / s.total as f64),
            Metric::Acd => (s.ok > 0).then(|| s.ok_duration as f64 / s.ok as f64),
            Metric::TotalDuration => Some(s.duration as f64),
            Metric::TotalPrice => Some(s.price as f64 / crate::money::SCALE as f64),
        }
    }
    /// The exact display form of an absolute value.
    pub fn format(self, s: &Sums) -> String {
        match self {
            Metric::TotalPrice => crate::money::format(s.price),
            Metric::Asr | Metric::Acd => self.value(s).map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into()),
            _ => self.value(s).map(|v| format!("{v:.0}")).unwrap_or_default(),
        }
    }
}

/// One metric as the viewer may see it.
#[derive(Debug, Clone)]
pub struct MetricView {
    pub metric: Metric,
    /// True when the value key is granted: numbers are included.
    pub absolute: bool,
    /// Per bucket: the absolute value, or the value scaled to 0..1 of the period's maximum.
    pub points: Vec<Option<f64>>,
    /// The period's figure (absolute only).
    pub total: Option<String>,
    /// Active calls right now (only for the active-calls metric).
    pub current: Option<i64>,
}

/// What one viewer may see of a direction's traffic over a period.
#[derive(Debug, Clone)]
pub struct StatsView {
    pub direction: Direction,
    pub sampling: Sampling,
    /// The period, `[from, to)` in epoch ms.
    pub from: i64,
    pub to: i64,
    /// The start of each bucket (epoch ms); every metric has a point per bucket.
    pub buckets: Vec<i64>,
    /// The granted metrics, in catalog order.
    pub metrics: Vec<MetricView>,
}

/// Builds what the viewer may see. Absolute numbers of a metric whose value key is off never
/// leave this function.
pub fn view(
    buckets: &[Bucket],
    dir: Direction,
    sampling: Sampling,
    from: i64,
    to: i64,
    grants: &Grants,
    active_now: i64,
) -> StatsView {
    let mut total = Sums::default();
    for b in buckets {
        total.add(&b.sums);
    }
    let metrics = Metric::ALL
        .iter()
        .filter(|m| grants.has(m.key(dir)))
        .map(|&m| {
            if m == Metric::ActiveCalls {
                return MetricView {
                    metric: m,
                    absolute: true,
                    points: vec![],
                    total: None,
                    current: Some(active_now),
                };
            }
            let absolute = m.value_key(dir).is_some_and(|k| grants.has(k));
            let raw: Vec<Option<f64>> = buckets.iter().map(|b| m.value(&b.sums)).collect();
            let points = if absolute {
                raw
            } else {
                let max = raw.iter().flatten().cloned().fold(0.0_f64, f64::max);
                raw.into_iter()
                    .map(|v| v.map(|x| if max > 0.0 { (x / max * 1000.0).round() / 1000.0 } else { 0.0 }))
                    .collect()
            };
            MetricView { metric: m, absolute, points, total: absolute.then(|| m.format(&total)), current: None }
        })
        .collect();
    StatsView { direction: dir, sampling, from, to, buckets: buckets.iter().map(|b| b.start).collect(), metrics }
}

/// What the viewer may see of a customer's traffic in a direction over the period of `q`
/// (SPEC §2: metric keys choose the metrics, value keys their absolute numbers).
pub fn statistics(
    conn: &mut DbConnection,
    customer: i64,
    dir: Direction,
    q: &StatsQuery,
    zone: &str,
    grants: &Grants,
) -> AppResult<StatsView> {
    let p = q.resolve(zone)?;
    // A period the series cannot hold (too many hours) is a rule across two well-formed
    // parameters: 422, like such rules in bodies.
    let buckets = series(conn, customer, dir, p.from, p.to, p.sampling, zone)?;
    let now = active_now(conn, customer, dir)?;
    Ok(view(&buckets, dir, p.sampling, p.from, p.to, grants, now))
}

/// How many rows a CDR export of `f` holds, from the rollups: only for a filter that is a
/// time range on whole hours (anything finer needs the CDRs themselves).
pub fn rows_of(conn: &mut DbConnection, f: &CdrFilter) -> AppResult<Option<i64>> {
    if !f.whole_hours() {
        return Ok(None);
    }
    count_calls(conn, f.customer_id, f.direction, f.from, f.to).map(Some)
}

/// Calls per local day since `since` (epoch ms), newest day first, counted for the directions
/// given: `(day, outgoing, incoming)`.
pub fn daily_calls(
    conn: &mut DbConnection,
    customer: i64,
    since: i64,
    zone: &str,
    dirs: &[Direction],
) -> AppResult<Vec<(chrono::NaiveDate, i64, i64)>> {
    let codes: Vec<i16> = dirs.iter().map(|d| d.code()).collect();
    let rows: Vec<(i64, i16, i64)> = cdr_hourly::table
        .filter(cdr_hourly::customer_id.eq(customer))
        .filter(cdr_hourly::direction.eq_any(codes))
        .filter(cdr_hourly::hour.ge(since.div_euclid(1000)))
        .select((cdr_hourly::hour, cdr_hourly::direction, cdr_hourly::total_calls))
        .load(conn)?;
    let mut by_day: BTreeMap<chrono::NaiveDate, (i64, i64)> = BTreeMap::new();
    for (hour, dir, n) in rows {
        let e = by_day.entry(local_date(hour * 1000, zone)).or_default();
        match Direction::from_code(dir) {
            Direction::Outgoing => e.0 += n,
            Direction::Incoming => e.1 += n,
        }
    }
    Ok(by_day.into_iter().rev().map(|(d, (o, i))| (d, o, i)).collect())
}

/// Calls of a customer in a direction within whole hours `[from, to)`, from the rollups.
pub fn count_calls(
    conn: &mut DbConnection,
    customer: i64,
    dir: Direction,
    from: Option<i64>,
    to: Option<i64>,
) -> AppResult<i64> {
    let mut q = cdr_hourly::table
        .filter(cdr_hourly::customer_id.eq(customer))
        .filter(cdr_hourly::direction.eq(dir.code()))
        .select(cdr_hourly::total_calls)
        .into_boxed();
    if let Some(f) = from {
        q = q.filter(cdr_hourly::hour.ge(f / 1000));
    }
    if let Some(t) = to {
        q = q.filter(cdr_hourly::hour.lt(t / 1000));
    }
    Ok(q.load::<i64>(conn)?.iter().sum())
}

pub fn active_now(conn: &mut DbConnection, customer: i64, dir: Direction) -> AppResult<i64> {
    Ok(active_calls::table
        .filter(active_calls::customer_id.eq(customer))
        .filter(active_calls::direction.eq(dir.code()))
        .count()
        .get_result(conn)?)
}

impl StatsView {
    /// The API shape: absolute numbers only where the value key is granted.
    pub fn to_json(&self) -> Value {
        let metrics: Vec<Value> = self
            .metrics
            .iter()
            .map(|m| {
                let mut v = json!({ "metric": m.metric.slug(), "label": m.metric.label(), "absolute": m.absolute });
                if let Some(c) = m.current {
                    v["current"] = json!(c);
                    return v;
                }
                if let Some(t) = &m.total {
                    v["total"] = json!(t);
                    v["unit"] = json!(m.metric.unit());
                }
                let field = if m.absolute { "value" } else { "relative" };
                v["points"] = Value::Array(
                    self.buckets.iter().zip(&m.points).map(|(t, p)| json!({ "time": rfc3339(*t), field: p })).collect(),
                );
                v
            })
            .collect();
        json!({
            "direction": self.direction.as_str(),
            "sampling": self.sampling.as_str(),
            "from": rfc3339(self.from),
            "to": rfc3339(self.to),
            "metrics": metrics,
        })
    }

    pub fn bucket_label(&self, start: i64, zone: &str) -> String {
        let t = utc(start).with_timezone(&crate::traffic::time::tz(zone));
        match self.sampling {
            Sampling::Hour => t.format("%m-%d %H:00").to_string(),
            Sampling::Day => t.format("%Y-%m-%d").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_scales_and_hides() {
        let b = |t: i64, total: i64, ok: i64| Bucket {
            start: t,
            sums: Sums { total, ok, duration: ok * 60, ok_duration: ok * 60, price: ok * 1_000_000 },
        };
        let buckets = vec![b(0, 10, 5), b(3_600_000, 20, 10), b(7_200_000, 0, 0)];
        let g = Grants::effective(&[
            Perm::OutgoingStatistics,
            Perm::OutgoingStatisticsTotalCalls,
            Perm::OutgoingStatisticsAcd,
            Perm::OutgoingStatisticsAcdValue,
        ]);
        let v = view(&buckets, Direction::Outgoing, Sampling::Hour, 0, 10_800_000, &g, 3);
        assert_eq!(v.metrics.len(), 2);
        let tc = &v.metrics[0];
        assert_eq!(tc.metric, Metric::TotalCalls);
        assert!(!tc.absolute && tc.total.is_none());
        assert_eq!(tc.points, vec![Some(0.5), Some(1.0), Some(0.0)]);
        let acd = &v.metrics[1];
        assert!(acd.absolute);
        assert_eq!(acd.total.as_deref(), Some("60.0"));
        assert_eq!(acd.points[2], None, "no ACD without successful calls");
        let j = v.to_json().to_string();
        assert!(!j.contains("\"total\":\"30\"") && !j.contains("\"value\":20"));
    }
}
