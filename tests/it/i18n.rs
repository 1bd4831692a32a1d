//! Languages: the message files agree, every id the code uses exists, people see their
//! language (setting, else the browser's) with the matching dates, numbers and money.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use portico::access::{Group, Perm};
use portico::i18n::Lang;
use portico::users::model::Role;
use serde_json::json;

use crate::both;
use crate::support::TestApp;
use crate::support::customer_with;
use crate::support::{account_of, send, staff_token};

const LANGS: [&str; 3] = ["en", "de", "ru"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `id -> value` of a Fluent file (continuation lines appended), read independently of the
/// application's own parser; duplicates are reported.
fn entries(lang: &str) -> BTreeMap<String, String> {
    let path = root().join("locales").join(lang).join("portico.ftl");
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in src.lines() {
        if line.starts_with(' ') {
            if let Some(id) = &last {
                let v = out.get_mut(id).unwrap();
                v.push_str(line.trim());
            }
            continue;
        }
        last = None;
        let Some((id, value)) = line.split_once('=') else { continue };
        let id = id.trim();
        if line.starts_with('#') || !is_id(id) {
            continue;
        }
        assert!(!out.contains_key(id), "{lang}: {id} is defined twice");
        out.insert(id.to_string(), value.trim().to_string());
        last = Some(id.to_string());
    }
    out
}

#[test]
fn every_message_exists_in_every_language_and_none_is_empty() {
    let all: Vec<(&str, BTreeMap<String, String>)> = LANGS.iter().map(|l| (*l, entries(l))).collect();
    assert!(all[0].1.len() > 300, "the English file looks truncated");
    let mut problems = Vec::new();
    for (lang, map) in &all {
        for (other, other_map) in &all {
            for id in other_map.keys() {
                if !map.contains_key(id) {
                    problems.push(format!("{id} is in {other} but missing in {lang}"));
                }
            }
        }
        for (id, value) in map {
            if value.trim().is_empty() {
                problems.push(format!("{lang}: {id} is empty"));
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every message resolves through the loader, in its own language.
    for lang in Lang::ALL {
        for id in all[0].1.keys() {
            assert!(lang.has(id), "{lang}: {id} not loaded");
            // Plural messages select on `$count`.
            let text = lang.t_args(id, vec![("count", portico::i18n::Arg::Number(3))]);
            assert!(!text.trim().is_empty(), "{lang}: {id} renders empty");
        }
    }
}

/// Translations are real: a German or Russian text equal to the English one is allowed only
/// for names, abbreviations and words the languages share.
#[test]
fn translations_are_not_english_copies() {
    let same_ok: BTreeSet<&str> = [
        "common-name",
        "common-status",
        "common-filters",
        "list-pdf",
        "metric-asr",
        "metric-acd",
        "perm-stat-acd",
        "perm-stat-asr",
        "invoice-status",
        "profile-field-name",
        "profiles-version",
        "account-token",
        "rates-seconds",
        "color-Magenta",
        "color-Orange",
        "color-Gold",
        "color-Cyan",
        "customer-effective-line",
        "role-administrator",
    ]
    .into_iter()
    .collect();
    let en = entries("en");
    for lang in ["de", "ru"] {
        let other = entries(lang);
        let copies: Vec<&String> = en
            .iter()
            .filter(|(id, v)| other.get(*id) == Some(*v) && !same_ok.contains(id.as_str()))
            .map(|(id, _)| id)
            .collect();
        assert!(copies.is_empty(), "{lang} keeps the English text of: {copies:?}");
    }
}

fn is_id(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A message id as code writes it: `area-thing`, lowercase.
fn looks_like_id(s: &str) -> bool {
    s.contains('-')
        && !s.ends_with('-')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The first string literal after each call of a translator method (`.t("id")` …).
fn ids_in_calls(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for call in [".t(", ".t1(", ".t2(", ".tn(", ".try_t("] {
        for (i, _) in text.match_indices(call) {
            let rest = text[i + call.len()..].trim_start();
            if let Some(lit) = rest.strip_prefix('"')
                && let Some(end) = lit.find('"')
                && looks_like_id(&lit[..end])
            {
                out.push(lit[..end].to_string());
            }
        }
    }
    out
}

/// Every short string literal of Rust code that looks like a message id.
fn id_literals(text: &str) -> Vec<String> {
    text.split('"').skip(1).step_by(2).filter(|s| looks_like_id(s)).map(str::to_string).collect()
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

#[test]
fn every_message_id_used_by_the_code_exists_in_english() {
    let en = entries("en");
    let mut used: BTreeMap<String, String> = BTreeMap::new();
    // Calls of the translator in templates and code: t("id"), t1("id", …), t2, tn.
    // Ids written as plain literals in code (navigation sections, table headers, empty texts).
    let prefixes = [
        "app",
        "common",
        "role",
        "login",
        "invitation",
        "error",
        "msg",
        "nav",
        "admin",
        "dashboard",
        "card",
        "account",
        "list",
        "invoice",
        "rates",
        "numberlist",
        "numberlists",
        "numbers",
        "campaigns",
        "daily",
        "cdrs",
        "stats",
        "metric",
        "active",
        "direction",
        "topup",
        "users",
        "flash",
        "audit",
        "groups",
        "tags",
        "staff",
        "profiles",
        "profile",
        "customers",
        "customer",
    ];
    let mut files = Vec::new();
    files_under(&root().join("templates"), "html", &mut files);
    files_under(&root().join("src"), "rs", &mut files);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let name = f.strip_prefix(root()).unwrap().display().to_string();
        for id in ids_in_calls(&text) {
            used.insert(id, name.clone());
        }
        // The JSON API speaks English only; its literals (file names such as "customer-groups")
        // are not message ids.
        if f.extension().is_some_and(|x| x == "rs") && !name.starts_with("src/api/") {
            for id in id_literals(&text) {
                if prefixes.iter().any(|p| id.split('-').next() == Some(*p)) {
                    used.insert(id, name.clone());
                }
            }
        }
    }
    assert!(used.len() > 300, "the scan found too few ids ({}): is the scan still right?", used.len());
    let missing: Vec<String> =
        used.iter().filter(|(id, _)| !en.contains_key(*id)).map(|(id, f)| format!("{id} (in {f})")).collect();
    assert!(missing.is_empty(), "ids used but not in locales/en/portico.ftl:\n{}", missing.join("\n"));
    // Ids the code builds from data.
    let mut built: Vec<String> = Vec::new();
    for p in Perm::ALL {
        let id = portico::i18n::perm_id(*p);
        built.push(format!("{id}-help"));
        built.push(id);
    }
    for g in Group::ALL {
        built.push(format!("group-{}", g.slug()));
    }
    for r in [Role::Admin, Role::Manager, Role::Administrator, Role::Developer, Role::User] {
        built.push(format!("role-{}", r.as_str()));
    }
    for a in portico::profiles::Availability::ALL {
        built.push(format!("availability-{}", a.as_str()));
    }
    for c in portico::customers::groups::TAG_COLORS {
        built.push(format!("color-{c}"));
    }
    for m in portico::traffic::stats::Metric::ALL {
        built.push(format!("metric-{}", m.slug().replace('_', "-")));
    }
    for t in ["auto", "light", "dark"] {
        built.push(format!("customer-theme-{t}"));
    }
    for k in ["staff", "customer", "system", "anonymous"] {
        built.push(format!("audit-kind-{k}"));
    }
    let missing: Vec<&String> = built.iter().filter(|id| !en.contains_key(*id)).collect();
    assert!(missing.is_empty(), "built ids missing: {missing:?}");
}

/// Model code writes English messages (the API's language); the pages know them.
#[test]
fn validation_messages_of_forms_are_translated() {
    for english in [
        "This field is required.",
        "Enter at most 200 characters.",
        "Give the customer a name of 1 to 200 characters.",
        "Use a two-letter ISO 3166 country code such as DE.",
        "The password needs at least 12 characters.",
        "Choose one of the offered languages.",
        "Unknown permission key(s): acount, nope.",
        "The profile is assigned to 2 customer(s); assign them another profile first.",
        "This section is not part of your portal.",
        "Expected a JSON object of text labels, e.g. {\"nav.invoices\": \"Bills\"}.",
    ] {
        assert!(portico::i18n::is_known_message(english), "no translation for: {english}");
        assert_ne!(Lang::De.msg(english), english, "{english}");
        assert_ne!(Lang::Ru.msg(english), english, "{english}");
    }
    assert_eq!(Lang::De.msg("Enter at most 200 characters."), "Höchstens 200 Zeichen.");
    assert_eq!(
        Lang::Ru.msg("The profile is assigned to 2 customer(s); assign them another profile first."),
        "Профиль назначен 2 клиентам; сначала назначьте им другой профиль."
    );
    assert_eq!(Lang::En.msg("Enter at most 200 characters."), "Enter at most 200 characters.");
}

/// The text of the navigation link of a section.
fn nav_label(body: &str, section: &str) -> String {
    let marker = format!("data-section=\"{section}\"");
    let i = body.find(&marker).unwrap_or_else(|| panic!("no nav link for {section}")) + marker.len();
    let start = body[i..].find('>').unwrap() + i + 1;
    let end = body[start..].find('<').unwrap() + start;
    body[start..end].to_string()
}

async fn people_see_their_language_with_local_dates_and_money(app: TestApp) {
    let keys = ["account", "payments", "invoices", "outgoing_cdrs"];
    let (b, c, _) = customer_with(&app, "lang@acme.example", Role::Administrator, &keys).await;
    let a = account_of(&app, c).await;
    let token = staff_token(&app).await;
    let pay = json!({"accountId": a, "amount": "1234.56", "method": "bank transfer", "reference": "R-1", "paidAt": "2026-11-22T13:05:00Z"});
    let r = send(&app, &token, "POST", "/api/v1/payments", "application/json", &pay.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);

    // English by default (no setting, no Accept-Language).
    let en = b.get("/portal/payments").await;
    assert!(en.body.contains("<html lang=\"en\""));
    assert_eq!(nav_label(&en.body, "payments"), "Payments");
    assert!(en.body.contains("1,234.56 EUR") && en.body.contains("2026-11-22 13:05"), "English formats");

    // German, in Berlin time.
    b.get("/portal/profile").await;
    let r = b.post_form("/portal/profile/settings", &[("lang", "de"), ("time_zone", "Europe/Berlin")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let profile = b.get(r.location()).await;
    assert!(profile.body.contains("Ihre Einstellungen wurden gespeichert."), "the confirmation in the new language");
    assert!(profile.body.contains("<option value=\"de\" selected>Deutsch</option>"));
    let de = b.get("/portal/payments").await;
    assert!(de.body.contains("<html lang=\"de\""));
    assert_eq!(nav_label(&de.body, "payments"), "Zahlungen");
    assert_eq!(nav_label(&de.body, "invoices"), "Rechnungen");
    assert_eq!(nav_label(&de.body, "outgoing_cdrs"), "Ausgehende Verbindungsdatensätze");
    assert!(de.body.contains("<th>Datum</th>") && de.body.contains("Abmelden"), "headers and frame in German");
    assert!(de.body.contains("1.234,56 EUR"), "German money");
    assert!(de.body.contains("22.11.2026 14:05"), "German date in Berlin time");
    assert!(!de.body.contains("2026-11-22"));
    assert!(b.get("/portal").await.body.contains("Übersicht"));

    // Russian.
    b.post_form("/portal/profile/settings", &[("lang", "ru"), ("time_zone", "Europe/Berlin")]).await;
    let ru = b.get("/portal/payments").await;
    assert!(ru.body.contains("<html lang=\"ru\""));
    assert_eq!(nav_label(&ru.body, "payments"), "Платежи");
    assert_eq!(nav_label(&ru.body, "account"), "Лицевые счета");
    assert!(ru.body.contains("1\u{a0}234,56 EUR"), "Russian money with a non-breaking space");
    assert!(ru.body.contains("22.11.2026 14:05"));
    let account = b.get("/portal/account").await;
    assert!(account.body.contains("Минимальный баланс") && account.body.contains("0,00"));

    // A customer's relabelling wins over the translation.
    app.db(move |conn| {
        let mut i = portico::customers::Customer::get(conn, c).unwrap().input();
        i.override_app_settings = true;
        i.app_settings.string_mappings.insert("nav.invoices".into(), "Квитанции".into());
        portico::customers::model::update(conn, c, i, "t").unwrap();
    })
    .await;
    let relabelled = b.get("/portal").await;
    assert_eq!(nav_label(&relabelled.body, "invoices"), "Квитанции");
    assert_eq!(nav_label(&relabelled.body, "payments"), "Платежи");

    // The setting wins over the browser.
    let r = b.get_with("/portal/payments", &[("Accept-Language", "de-DE,de;q=0.9")]).await;
    assert_eq!(nav_label(&r.body, "payments"), "Платежи");
    // Friendly error pages of a signed-in person follow the setting too.
    let denied = b.get("/portal/numbers").await;
    assert_eq!(denied.status, 403);
    assert!(denied.body.contains("Нет доступа") && denied.body.contains("Этот раздел не входит в ваш портал."));
}
both!(people_see_their_language_with_local_dates_and_money);

async fn the_browser_language_is_the_default(app: TestApp) {
    let de = [("Accept-Language", "de-DE,de;q=0.9")];
    let login = app.browser().get_with("/login", &de).await;
    assert_eq!(login.status, 200);
    assert!(login.body.contains("<html lang=\"de\""));
    assert!(login.body.contains("<h1>Anmelden</h1>") && login.body.contains("E-Mail-Adresse"));
    let ru = app.browser().get_with("/login", &[("Accept-Language", "fr-CH, fr;q=0.9, ru;q=0.8, de;q=0.7")]).await;
    assert!(ru.body.contains("<html lang=\"ru\"") && ru.body.contains("<h1>Вход</h1>"), "best supported q-value");
    let other = app.browser().get_with("/login", &[("Accept-Language", "fr-CH, ja;q=0.5")]).await;
    assert!(other.body.contains("<html lang=\"en\"") && other.body.contains("<h1>Sign in</h1>"));
    let missing = app.browser().get_with("/nowhere", &de).await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Nicht gefunden"), "public error pages follow the browser");

    let (b, _, _) = customer_with(&app, "browser@acme.example", Role::User, &["payments"]).await;
    let stored: String = app
        .db(|c| {
            use diesel::prelude::*;
            use portico::db::schema::users;
            users::table.filter(users::email.eq("browser@acme.example")).select(users::lang).first(c).unwrap()
        })
        .await;
    assert_eq!(stored, "", "new users follow their browser");
    let page = b.get_with("/portal", &de).await;
    assert!(page.body.contains("<html lang=\"de\""));
    assert_eq!(nav_label(&page.body, "payments"), "Zahlungen");
    assert!(page.body.contains(">Übersicht<"));
    let english = b.get("/portal").await;
    assert_eq!(nav_label(&english.body, "payments"), "Payments");
    let profile = b.get_with("/portal/profile", &de).await;
    assert!(profile.body.contains("<option value=\"\" selected>Wie im Browser eingestellt</option>"));
    // A failed form shows the model's message in the page's language.
    let r = b.post_form("/portal/profile/personal", &[("first_name", &"x".repeat(101)), ("last_name", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Enter at most 100 characters."), "English without Accept-Language");
}
both!(the_browser_language_is_the_default);

async fn an_unknown_language_is_refused(app: TestApp) {
    let (b, _, _) = customer_with(&app, "refuse@acme.example", Role::User, &[]).await;
    b.get("/portal/profile").await;
    let r = b.post_form("/portal/profile/settings", &[("lang", "de"), ("time_zone", "Europe/Berlin")]).await;
    assert_eq!(r.status, 303);
    b.get("/portal/profile").await;
    for bad in ["fr", "DE", "de-DE", "english"] {
        let r = b.post_form("/portal/profile/settings", &[("lang", bad), ("time_zone", "Asia/Tokyo")]).await;
        assert_eq!(r.status, 422, "{bad}");
        assert!(r.body.contains("Wählen Sie eine der angebotenen Sprachen."), "the refusal, in German");
    }
    let (lang, tz): (String, String) = app
        .db(|c| {
            use diesel::prelude::*;
            use portico::db::schema::users;
            users::table
                .filter(users::email.eq("refuse@acme.example"))
                .select((users::lang, users::time_zone))
                .first(c)
                .unwrap()
        })
        .await;
    assert_eq!((lang.as_str(), tz.as_str()), ("de", "Europe/Berlin"), "nothing changed");
    // The browser default is a valid choice.
    let r = b.post_form("/portal/profile/settings", &[("lang", ""), ("time_zone", "Europe/Berlin")]).await;
    assert_eq!(r.status, 303);
    // Staff choose the same way on their own page.
    let admin = app.admin().await;
    admin.get("/admin/me").await;
    let r = admin.post_form("/admin/me/settings", &[("lang", "xx"), ("time_zone", "UTC")]).await;
    assert_eq!(r.status, 422);
    let r = admin.post_form("/admin/me/settings", &[("lang", "ru"), ("time_zone", "UTC")]).await;
    assert_eq!(r.status, 303);
    let dash = admin.get("/admin").await;
    assert!(dash.body.contains("<html lang=\"ru\"") && dash.body.contains("Профили доступа"));
}
both!(an_unknown_language_is_refused);
