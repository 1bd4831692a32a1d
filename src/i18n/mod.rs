//! The interface in English, German and Russian. Messages live in `locales/{en,de,ru}/portico.ftl`
//! (Fluent), compiled into the binary. Pages get their `Lang` from the person's setting, else
//! from the browser's `Accept-Language`, else English; templates translate through the layout
//! (`l.t("id")`) or, for fragments rendered without one, through a `tr: Lang` field.
//!
//! The JSON API, CSV files and the audit log stay English: they are read by machines.

pub mod format;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| {
            // No Unicode isolation marks around arguments: they would end up in HTML and in
            // attribute values.
            bundle.set_use_isolating(false);
            let formatter: fn(&FluentValue, &_) -> Option<String> =
                match bundle.locales.first().map(|l| l.language.as_str()) {
                    Some("de") => |v, _| format_number(Lang::De, v),
                    Some("ru") => |v, _| format_number(Lang::Ru, v),
                    _ => |v, _| format_number(Lang::En, v),
                };
            bundle.set_formatter(Some(formatter));
        },
    };
}

/// Whole numbers passed to messages (counts) are grouped the way the language writes them.
fn format_number(lang: Lang, v: &FluentValue) -> Option<String> {
    match v {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some(format::int(lang, n.value as i64))
        }
        _ => None,
    }
}

static EN: LanguageIdentifier = langid!("en");
static DE: LanguageIdentifier = langid!("de");
static RU: LanguageIdentifier = langid!("ru");

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    De,
    Ru,
}

/// A value for a message argument.
pub enum Arg {
    Text(String),
    Number(i64),
}

/// A whole number however a template or handler holds it (`i64`, `usize`, a reference…).
pub trait AsCount {
    fn as_count(&self) -> i64;
}
macro_rules! as_count {
    ($($t:ty),*) => { $(impl AsCount for $t { fn as_count(&self) -> i64 { i64::try_from(*self).unwrap_or(i64::MAX) } })* };
}
as_count!(i64, i32, i16, u32, usize);
impl<T: AsCount + ?Sized> AsCount for &T {
    fn as_count(&self) -> i64 {
        (**self).as_count()
    }
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::De, Lang::Ru];

    /// The stored and `<html lang>` code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Ru => "ru",
        }
    }

    /// An exact setting value (`en`, `de`, `ru`).
    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language's own name, as a language chooser shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
            Lang::Ru => "Русский",
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::En => &EN,
            Lang::De => &DE,
            Lang::Ru => &RU,
        }
    }

    /// The message `id`; a missing id shows itself (and is caught by the tests).
    pub fn t(self, id: &str) -> String {
        LOCALES.try_lookup(self.id(), id).unwrap_or_else(|| missing(id))
    }

    /// The message `id` with arguments.
    pub fn t_args(self, id: &str, args: Vec<(&'static str, Arg)>) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    Arg::Text(s) => FluentValue::from(s),
                    Arg::Number(n) => FluentValue::from(n),
                };
                (Cow::Borrowed(k), v)
            })
            .collect();
        LOCALES.try_lookup_with_args(self.id(), id, &map).unwrap_or_else(|| missing(id))
    }

    /// One text argument.
    pub fn t1(self, id: &str, name: &'static str, value: impl fmt::Display) -> String {
        self.t_args(id, vec![(name, Arg::Text(value.to_string()))])
    }

    /// Two text arguments.
    pub fn t2(
        self,
        id: &str,
        name: &'static str,
        value: impl fmt::Display,
        name2: &'static str,
        value2: impl fmt::Display,
    ) -> String {
        self.t_args(id, vec![(name, Arg::Text(value.to_string())), (name2, Arg::Text(value2.to_string()))])
    }

    /// A count (`$count`: plural forms, grouped digits).
    pub fn tn(self, id: &str, count: impl AsCount) -> String {
        self.t_args(id, vec![("count", Arg::Number(count.as_count()))])
    }

    /// The message when it exists (ids built from data, e.g. a status word).
    pub fn try_t(self, id: &str) -> Option<String> {
        LOCALES.try_lookup(self.id(), id)
    }

    /// Whether the language's own file (not the fallback) has the message.
    pub fn has(self, id: &str) -> bool {
        message_ids(self).iter().any(|m| m == id)
    }

    /// A message produced in English by model code (validation, refusals): shown translated
    /// when the English file knows it (see [`translate_message`]), else as it is.
    pub fn msg(self, english: &str) -> String {
        translate_message(self, english)
    }

    // Locale formatting, see `format`.
    pub fn int(self, n: impl AsCount) -> String {
        format::int(self, n.as_count())
    }
    pub fn dec(self, s: &str) -> String {
        format::decimal(self, s)
    }
    pub fn money(self, micros: impl AsCount) -> String {
        format::money(self, micros.as_count())
    }
    pub fn money_exact(self, micros: impl AsCount) -> String {
        format::money_exact(self, micros.as_count())
    }
    pub fn date(self, d: &chrono::NaiveDate) -> String {
        format::date(self, *d)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

fn missing(id: &str) -> String {
    tracing::warn!(id, "missing translation");
    id.to_string()
}

/// The message id of a catalog key's label (`-help` appended: its help text). The metric and
/// value keys of both directions share their texts.
pub fn perm_id(p: crate::access::Perm) -> String {
    let key = p.key();
    let stat = ["outgoing_statistics_", "incoming_statistics_"].iter().find_map(|pre| key.strip_prefix(pre));
    match stat {
        Some(rest) => format!("perm-stat-{rest}"),
        None => format!("perm-{key}"),
    }
}

/// A catalog key's label as the admin form shows it.
pub fn perm_label(lang: Lang, p: crate::access::Perm) -> String {
    lang.t(&perm_id(p))
}

/// A catalog key's help text.
pub fn perm_help(lang: Lang, p: crate::access::Perm) -> String {
    lang.t(&format!("{}-help", perm_id(p)))
}

/// A catalog group's label.
pub fn group_label(lang: Lang, g: crate::access::Group) -> String {
    lang.t(&format!("group-{}", g.slug()))
}

/// The best of en/de/ru by an `Accept-Language` header (q-values respected; ties keep the
/// header's order); `None` when it names none of them.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, Lang)> = None;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let mut q = 1.0_f32;
        for p in pieces {
            if let Some(v) = p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")) {
                q = v.trim().parse().unwrap_or(0.0);
            }
        }
        if !(q > 0.0 && q <= 1.0) {
            continue;
        }
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        let Some(lang) = Lang::parse(&primary) else { continue };
        if best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l)
}

/// The language of a page: the person's setting (`en`, `de`, `ru`); for the browser default
/// (empty setting) or nobody signed in, the browser's `Accept-Language`; else English.
pub fn resolve(setting: &str, accept_language: Option<&str>) -> Lang {
    Lang::parse(setting).or_else(|| accept_language.and_then(from_accept_language)).unwrap_or_default()
}

/// The language setting values a person may choose: the browser default is the empty string.
pub fn is_valid_setting(v: &str) -> bool {
    v.is_empty() || Lang::parse(v).is_some()
}

const SOURCES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("../../locales/en/portico.ftl")),
    (Lang::De, include_str!("../../locales/de/portico.ftl")),
    (Lang::Ru, include_str!("../../locales/ru/portico.ftl")),
];

/// The Fluent source of a language (for tests and tools).
pub fn source(lang: Lang) -> &'static str {
    SOURCES.iter().find(|(l, _)| *l == lang).map(|(_, s)| *s).unwrap_or("")
}

/// The message ids defined in a language's file, in file order.
pub fn message_ids(lang: Lang) -> &'static [String] {
    static IDS: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    let all = IDS.get_or_init(|| {
        Lang::ALL.iter().map(|l| parse_entries(source(*l)).into_iter().map(|(id, _)| id).collect()).collect()
    });
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    &all[i]
}

/// `id = value` entries of a Fluent file (single-line values and indented continuations),
/// terms and comments skipped.
pub fn parse_entries(src: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in src.lines() {
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(last) = out.last_mut() {
                let cont = line.trim();
                if !cont.is_empty() {
                    if !last.1.is_empty() {
                        last.1.push('\n');
                    }
                    last.1.push_str(cont);
                }
            }
            continue;
        }
        let l = line.trim_end();
        if l.is_empty() || l.starts_with('#') || l.starts_with('-') {
            continue;
        }
        if let Some((id, value)) = l.split_once('=') {
            let id = id.trim();
            if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                out.push((id.to_string(), value.trim().to_string()));
            }
        }
    }
    out
}

/// A message of model code, recognised by its English text: literal parts and `{ $name }`
/// placeables.
struct Known {
    id: String,
    parts: Vec<Part>,
}

enum Part {
    Lit(String),
    Var(String),
}

fn split_pattern(value: &str) -> Option<Vec<Part>> {
    let mut parts = Vec::new();
    let mut rest = value;
    while let Some(i) = rest.find('{') {
        if i > 0 {
            match parts.last_mut() {
                Some(Part::Lit(prev)) => prev.push_str(&rest[..i]),
                _ => parts.push(Part::Lit(rest[..i].to_string())),
            }
        }
        // A literal `{ "}" }` closes at its second brace.
        let j = if rest[i..].starts_with("{ \"}\" }") { i + 6 } else { rest[i..].find('}')? + i };
        let inner = rest[i + 1..j].trim();
        if let Some(lit) = inner.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
            // A string literal placeable: `{ "{" }`.
            match parts.last_mut() {
                Some(Part::Lit(prev)) => prev.push_str(lit),
                _ => parts.push(Part::Lit(lit.to_string())),
            }
            rest = &rest[j + 1..];
            continue;
        }
        let name = inner.strip_prefix('$')?;
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return None;
        }
        parts.push(Part::Var(name.to_string()));
        rest = &rest[j + 1..];
    }
    if !rest.is_empty() {
        match parts.last_mut() {
            Some(Part::Lit(prev)) => prev.push_str(rest),
            _ => parts.push(Part::Lit(rest.to_string())),
        }
    }
    Some(parts)
}

fn known_messages() -> &'static [Known] {
    static KNOWN: OnceLock<Vec<Known>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut all: Vec<Known> = parse_entries(source(Lang::En))
            .into_iter()
            .filter(|(id, _)| id.starts_with("msg-"))
            .filter_map(|(id, value)| split_pattern(&value).map(|parts| Known { id, parts }))
            .collect();
        // Exact texts first, then patterns with fewer variables.
        all.sort_by_key(|k| k.parts.iter().filter(|p| matches!(p, Part::Var(_))).count());
        all
    })
}

/// Matches `text` against a pattern; the variables' values on success.
fn match_pattern(parts: &[Part], text: &str) -> Option<Vec<(String, String)>> {
    let mut vars = Vec::new();
    let mut rest = text;
    let mut i = 0;
    while i < parts.len() {
        match &parts[i] {
            Part::Lit(l) => rest = rest.strip_prefix(l.as_str())?,
            Part::Var(name) => {
                let value = match parts.get(i + 1) {
                    None => std::mem::take(&mut rest),
                    Some(Part::Lit(next)) => {
                        // The last occurrence when the literal ends the pattern, else the first.
                        let at =
                            if i + 2 == parts.len() { rest.rfind(next.as_str())? } else { rest.find(next.as_str())? };
                        let v = &rest[..at];
                        rest = &rest[at..];
                        v
                    }
                    Some(Part::Var(_)) => return None,
                };
                vars.push((name.clone(), value.to_string()));
            }
        }
        i += 1;
    }
    rest.is_empty().then_some(vars)
}

/// Translates an English message of model code (validation messages, refusals) when the
/// English file has a `msg-…` message with exactly that text; model code and the JSON API keep
/// their English, pages show it in the page's language. Unknown text is returned unchanged.
pub fn translate_message(lang: Lang, english: &str) -> String {
    if lang == Lang::En || english.is_empty() {
        return english.to_string();
    }
    for k in known_messages() {
        if let Some(vars) = match_pattern(&k.parts, english) {
            // Whole numbers become numbers: plural forms can select on them.
            let args: HashMap<Cow<'static, str>, FluentValue> = vars
                .into_iter()
                .map(|(n, v)| {
                    let value = match v.parse::<i64>() {
                        Ok(x) => FluentValue::from(x),
                        Err(_) => FluentValue::from(v),
                    };
                    (Cow::Owned(n), value)
                })
                .collect();
            if let Some(s) = LOCALES.try_lookup_with_args(lang.id(), &k.id, &args) {
                return s;
            }
        }
    }
    english.to_string()
}

/// Whether an English model message has a translation (tests).
pub fn is_known_message(english: &str) -> bool {
    known_messages().iter().any(|k| match_pattern(&k.parts, english).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language() {
        assert_eq!(from_accept_language("de-DE,de;q=0.9"), Some(Lang::De));
        assert_eq!(from_accept_language("fr-FR,ru;q=0.5,de;q=0.4"), Some(Lang::Ru));
        assert_eq!(from_accept_language("en;q=0.2, de;q=0.8"), Some(Lang::De));
        assert_eq!(from_accept_language("ru;q=0,en"), Some(Lang::En));
        assert_eq!(from_accept_language("fr, *;q=0.1"), None);
        assert_eq!(from_accept_language(""), None);
        assert_eq!(resolve("ru", Some("de")), Lang::Ru);
        assert_eq!(resolve("", Some("de-AT")), Lang::De);
        assert_eq!(resolve("", None), Lang::En);
    }

    #[test]
    fn patterns() {
        let parts = split_pattern("Enter at most { $max } characters.").unwrap();
        assert_eq!(
            match_pattern(&parts, "Enter at most 200 characters."),
            Some(vec![("max".to_string(), "200".to_string())])
        );
        assert_eq!(match_pattern(&parts, "Enter at least 2 characters."), None);
        assert_eq!(Lang::De.msg("Enter at most 200 characters."), "Höchstens 200 Zeichen.");
        assert_eq!(Lang::De.msg("Something nobody translated"), "Something nobody translated");
        let braces = split_pattern(r#"e.g. { "{" }"a": 1{ "}" }."#).unwrap();
        assert_eq!(match_pattern(&braces, r#"e.g. {"a": 1}."#), Some(vec![]));
    }
}
