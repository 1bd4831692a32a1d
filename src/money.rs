//! Exact money: integer micro-units in storage, decimal strings (`"12.345600"`) on the wire.

pub const SCALE: i64 = 1_000_000;

/// Formats micro-units as a decimal string with six places.
pub fn format(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let a = micros.unsigned_abs();
    format!("{sign}{}.{:06}", a / SCALE as u64, a % SCALE as u64)
}

/// Formats for people: two decimals unless more are needed.
pub fn display(micros: i64) -> String {
    let s = format(micros);
    let trimmed = s.trim_end_matches('0');
    let dot = trimmed.find('.').unwrap_or(trimmed.len());
    let decimals = trimmed.len() - dot - 1;
    if decimals < 2 { format!("{}{}", trimmed, "0".repeat(2 - decimals)) } else { trimmed.to_string() }
}

/// Parses a decimal string (up to six fractional digits, optional sign) into micro-units.
pub fn parse(s: &str) -> Result<i64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("enter an amount".into());
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() && frac.is_empty() {
        return Err(format!("`{s}` is not a decimal number"));
    }
    if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("`{s}` is not a decimal number"));
    }
    if frac.len() > 6 {
        return Err(format!("`{s}` has more than six decimal places"));
    }
    let int_v: i64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| format!("`{s}` is too large"))? };
    let frac_v: i64 = format!("{frac:0<6}").parse().unwrap_or(0);
    let v =
        int_v.checked_mul(SCALE).and_then(|x| x.checked_add(frac_v)).ok_or_else(|| format!("`{s}` is too large"))?;
    Ok(if neg { -v } else { v })
}

/// Accepts a JSON string or number as a decimal.
pub fn from_json(v: &serde_json::Value) -> Result<i64, String> {
    match v {
        serde_json::Value::String(s) => parse(s),
        serde_json::Value::Number(n) => parse(&n.to_string()),
        _ => Err("expected a decimal string".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(format(12_345_600), "12.345600");
        assert_eq!(format(-1), "-0.000001");
        assert_eq!(parse("12.3456").unwrap(), 12_345_600);
        assert_eq!(parse("-0.5").unwrap(), -500_000);
        assert_eq!(parse("7").unwrap(), 7_000_000);
        assert!(parse("1.0000001").is_err());
        assert!(parse("1e5").is_err());
        assert!(parse("").is_err());
        assert_eq!(display(12_345_600), "12.3456");
        assert_eq!(display(12_000_000), "12.00");
    }
}
