//! CSV output of the API lists: the same rows as the JSON, one column per dotted path
//! (`appSettings.theme`), arrays and free-form objects as JSON text, and the formula-injection
//! guard of SPEC §11.

use serde_json::Value;

/// Looks up a dotted path (`appSettings.theme`) in a JSON object.
pub fn lookup<'a>(item: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = item;
    for part in path.split('.') {
        cur = cur.as_object()?.get(part)?;
    }
    Some(cur)
}

/// True when the whole cell is a plain number (`42`, `-0.500000`, `+4420123456`).
fn plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let digits = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    match body.split_once('.') {
        None => digits(body),
        Some((int, frac)) => digits(int) && digits(frac),
    }
}

/// SPEC §11: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, unless the
/// whole cell is a plain number.
pub fn guard(cell: String) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !plain_number(&cell) { format!("'{cell}") } else { cell }
}

/// The text of one cell.
pub fn cell(v: Option<&Value>) -> String {
    let raw = match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
    };
    guard(raw)
}

/// Writes CSV records into a buffer.
pub struct Writer {
    inner: ::csv::Writer<Vec<u8>>,
}

impl Default for Writer {
    fn default() -> Self {
        Writer { inner: ::csv::WriterBuilder::new().from_writer(Vec::new()) }
    }
}

impl Writer {
    pub fn header(&mut self, columns: &[String]) -> std::io::Result<()> {
        self.inner.write_record(columns.iter().map(|c| guard(c.clone()))).map_err(std::io::Error::other)
    }

    pub fn row(&mut self, item: &Value, columns: &[String]) -> std::io::Result<()> {
        self.inner.write_record(columns.iter().map(|c| cell(lookup(item, c)))).map_err(std::io::Error::other)
    }

    /// Takes what has been written so far.
    pub fn take(&mut self) -> std::io::Result<Vec<u8>> {
        let done = std::mem::replace(&mut self.inner, ::csv::WriterBuilder::new().from_writer(Vec::new()));
        done.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(guard("=1+2".into()), "'=1+2");
        assert_eq!(guard("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(guard("-cmd|' /C calc'!A0".into()), "'-cmd|' /C calc'!A0");
        assert_eq!(guard("\tx".into()), "'\tx");
        assert_eq!(guard("\rx".into()), "'\rx");
        assert_eq!(guard("+".into()), "'+");
        assert_eq!(guard("-".into()), "'-");
        assert_eq!(guard("-1.".into()), "'-1.");
        assert_eq!(guard("+4420123456".into()), "+4420123456");
        assert_eq!(guard("-12.500000".into()), "-12.500000");
        assert_eq!(guard("+1 555".into()), "'+1 555");
        assert_eq!(guard("plain".into()), "plain");
        assert_eq!(guard("a=b".into()), "a=b");
    }

    #[test]
    fn cells_flatten_and_quote() {
        let item = json!({"a": {"b": "x", "n": 3}, "l": [1, 2], "t": true, "z": null});
        assert_eq!(cell(lookup(&item, "a.b")), "x");
        assert_eq!(cell(lookup(&item, "a.n")), "3");
        assert_eq!(cell(lookup(&item, "l")), "[1,2]");
        assert_eq!(cell(lookup(&item, "t")), "true");
        assert_eq!(cell(lookup(&item, "z")), "");
        assert_eq!(cell(lookup(&item, "a.missing")), "");
        let mut w = Writer::default();
        let cols = vec!["a.b".to_string(), "l".to_string()];
        w.header(&cols).unwrap();
        w.row(&item, &cols).unwrap();
        assert_eq!(String::from_utf8(w.take().unwrap()).unwrap(), "a.b,l\nx,\"[1,2]\"\n");
    }
}
