//! CSV output guarded against formula injection (SPEC §11): a cell starting with `=`, `+`, `-`,
//! `@`, tab or CR gets a leading `'`, unless the whole cell is a plain number (`+4420…` stays).

use std::borrow::Cow;

fn plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let mut dot = false;
    !body.is_empty()
        && body.chars().all(|c| {
            if c == '.' && !dot {
                dot = true;
                true
            } else {
                c.is_ascii_digit()
            }
        })
        && body != "."
}

pub fn guard(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !plain_number(cell) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(guard("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("+442071234567"), "+442071234567");
        assert_eq!(guard("-12.5"), "-12.5");
        assert_eq!(guard("-1+2"), "'-1+2");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("plain"), "plain");
    }
}
