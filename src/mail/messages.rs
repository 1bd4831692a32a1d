//! The messages Portico sends, each rendered in its recipient's language (the Fluent files) as
//! plain text and HTML and put into the outbox in the caller's transaction.
//!
//! Links are written relative to [`PORTAL`], which the sender replaces by the portal's public
//! URL (`PORTICO_PUBLIC_URL`) when it sends: a link in an e-mail never comes from the Host
//! header of the request that caused it (no "reset link poisoning").

use askama::Template;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{accounts, users};
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Lang};
use crate::mail::{Message, outbox};
use crate::users::User;
use crate::users::model::UserRow;

/// Stands for the portal's base URL in a queued message; see the module documentation.
pub const PORTAL: &str = "%PORTICO_URL%";

#[derive(Template)]
#[template(path = "mail/message.html")]
struct Html<'a> {
    lang: &'a str,
    subject: &'a str,
    greeting: &'a str,
    paragraphs: &'a [String],
    link: Option<(String, String)>,
    footer: &'a str,
}

/// The language a person reads mail in: their setting, else English.
pub fn lang_of(user: &User) -> Lang {
    i18n::resolve(&user.lang, None)
}

fn render(
    kind: &'static str,
    to: &User,
    subject: String,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
) -> AppResult<Message> {
    let lang = lang_of(to);
    let greeting = lang.t1("mail-greeting", "name", to.display_name());
    let footer = lang.t("mail-footer");
    let mut text = format!("{greeting}\n\n");
    for p in &paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    if let Some((label, url)) = &link {
        text.push_str(&format!("{label}:\n{url}\n\n"));
    }
    text.push_str(&format!("-- \n{footer}\n"));
    let html = Html {
        lang: lang.code(),
        subject: &subject,
        greeting: &greeting,
        paragraphs: &paragraphs,
        link,
        footer: &footer,
    }
    .render()
    .map_err(|e| AppError::internal(anyhow::anyhow!("mail template: {e}")))?;
    Ok(Message { kind, to: to.email.clone(), subject, text, html })
}

/// The invitation to choose a password (`/invitation/{token}`), valid 7 days.
pub fn invitation(c: &mut DbConnection, user: &User, token: &str) -> AppResult<()> {
    let lang = lang_of(user);
    let link = (lang.t("mail-invitation-link"), format!("{PORTAL}/invitation/{token}"));
    let m = render(
        "invitation",
        user,
        lang.t("mail-invitation-subject"),
        vec![lang.t("mail-invitation-body")],
        Some(link),
    )?;
    outbox::enqueue(c, &m)
}

/// The single-use password reset link (`/password/reset/{token}`), valid one hour.
pub fn password_reset(c: &mut DbConnection, user: &User, token: &str) -> AppResult<()> {
    let lang = lang_of(user);
    let link = (lang.t("mail-reset-link"), format!("{PORTAL}/password/reset/{token}"));
    let m = render("password_reset", user, lang.t("mail-reset-subject"), vec![lang.t("mail-reset-body")], Some(link))?;
    outbox::enqueue(c, &m)
}

/// "Your second factor was reset" (by a staff admin).
pub fn second_factor_reset(c: &mut DbConnection, user: &User) -> AppResult<()> {
    let lang = lang_of(user);
    let link = (lang.t("mail-2fa-reset-link"), format!("{PORTAL}/login"));
    let m = render(
        "second_factor_reset",
        user,
        lang.t("mail-2fa-reset-subject"),
        vec![lang.t("mail-2fa-reset-body")],
        Some(link),
    )?;
    outbox::enqueue(c, &m)
}

/// A booking moved an account's balance from `before` to `after`: when that crosses below the
/// account's minimum (`before >= min > after`), every enabled administrator of the customer is
/// told, once for this crossing. Part of the booking's transaction: concurrent bookings each
/// see their own exact before/after, so exactly one of them crosses.
pub fn low_balance_if_crossed(c: &mut DbConnection, account: i64, before: i64, after: i64) -> AppResult<()> {
    if after >= before {
        return Ok(());
    }
    let (name, currency, min, customer): (String, String, i64, i64) = accounts::table
        .find(account)
        .select((accounts::name, accounts::currency, accounts::min_balance, accounts::customer_id))
        .first(c)?;
    if !(before >= min && after < min) {
        return Ok(());
    }
    let admins: Vec<UserRow> = users::table
        .filter(users::customer_id.eq(customer))
        .filter(users::role.eq("administrator"))
        .filter(users::disabled.eq(false))
        .select(UserRow::as_select())
        .load(c)?;
    for row in admins {
        let user = User::try_from(row)?;
        let lang = lang_of(&user);
        let args = |id: &str| {
            lang.t_args(
                id,
                vec![
                    ("account", i18n::Arg::Text(name.clone())),
                    ("balance", i18n::Arg::Text(lang.money(after))),
                    ("min", i18n::Arg::Text(lang.money(min))),
                    ("currency", i18n::Arg::Text(currency.clone())),
                ],
            )
        };
        let link = (lang.t("mail-low-balance-link"), format!("{PORTAL}/portal/account"));
        let m = render(
            "low_balance",
            &user,
            args("mail-low-balance-subject"),
            vec![args("mail-low-balance-body")],
            Some(link),
        )?;
        outbox::enqueue(c, &m)?;
    }
    metrics::counter!("portico_low_balance_notices_total").increment(1);
    Ok(())
}
