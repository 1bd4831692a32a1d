//! SVG charts drawn on the server (no JavaScript, no inline styles: classes only).

use crate::i18n::Lang;

pub struct Chart {
    pub width: u32,
    pub height: u32,
    /// One polyline per unbroken run of points.
    pub lines: Vec<String>,
    /// Bars: (x, y, width, height).
    pub bars: Vec<(f64, f64, f64, f64)>,
    /// The top of the scale, when absolute numbers may be shown.
    pub y_max: Option<String>,
    pub x_labels: Vec<(f64, String)>,
    pub empty: bool,
}

const W: f64 = 640.0;
const H: f64 = 170.0;
const LEFT: f64 = 46.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 8.0;

fn fmt_axis(v: f64, unit: &str, lang: Lang) -> String {
    let s = if v >= 1_000_000.0 {
        format!("{}M", lang.dec(&format!("{:.1}", v / 1_000_000.0)))
    } else if v >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if v >= 100.0 || v.fract() == 0.0 {
        lang.dec(&format!("{v:.0}"))
    } else {
        lang.dec(&format!("{v:.1}"))
    };
    format!("{s}{unit}")
}

/// A chart of `points` (absolute values, or shapes scaled to 0..1 when `absolute` is false).
/// `bars` draws counts as columns; otherwise a line with gaps where a value is undefined.
pub fn draw(points: &[Option<f64>], labels: &[String], absolute: bool, unit: &str, bars: bool, lang: Lang) -> Chart {
    let n = points.len().max(1);
    let max = points.iter().flatten().cloned().fold(0.0_f64, f64::max);
    let scale = if absolute { if max > 0.0 { max * 1.1 } else { 1.0 } } else { 1.05 };
    let plot_w = W - LEFT - 6.0;
    let plot_h = H - TOP - BOTTOM;
    let step = plot_w / n as f64;
    let x_of = |i: usize| LEFT + step * (i as f64 + 0.5);
    let y_of = |v: f64| TOP + plot_h - (v / scale) * plot_h;
    let mut lines = Vec::new();
    let mut bar_rects = Vec::new();
    if bars {
        for (i, p) in points.iter().enumerate() {
            if let Some(v) = p {
                let y = y_of(*v);
                bar_rects.push((x_of(i) - step * 0.38, y, step * 0.76, (TOP + plot_h - y).max(0.0)));
            }
        }
    } else {
        let mut cur = Vec::new();
        for (i, p) in points.iter().enumerate() {
            match p {
                Some(v) => cur.push(format!("{:.1},{:.1}", x_of(i), y_of(*v))),
                None => {
                    if !cur.is_empty() {
                        lines.push(cur.join(" "));
                        cur.clear();
                    }
                }
            }
        }
        if !cur.is_empty() {
            lines.push(cur.join(" "));
        }
    }
    let every = (n / 6).max(1);
    let x_labels =
        labels.iter().enumerate().filter(|(i, _)| i % every == 0).map(|(i, l)| (x_of(i), l.clone())).collect();
    Chart {
        width: W as u32,
        height: H as u32,
        lines,
        bars: bar_rects,
        y_max: absolute.then(|| fmt_axis(max, unit, lang)),
        x_labels,
        empty: points.iter().all(|p| p.is_none_or(|v| v == 0.0)),
    }
}

impl Chart {
    pub fn baseline_y(&self) -> f64 {
        H - BOTTOM
    }
    pub fn top_y(&self) -> f64 {
        TOP + 10.0
    }
    pub fn left(&self) -> f64 {
        LEFT
    }
    pub fn label_y(&self) -> f64 {
        H - 6.0
    }
}
