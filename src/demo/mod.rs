//! `portico demo`: fills an empty database with demonstration data, and gives every demo login
//! a fresh password on each start. This file seeds people, profiles and customers; `traffic`
//! seeds CDRs and billing data, made by the generator in `generator`.

mod generator;
mod traffic;

pub use generator::{DECK, generate_cdrs, generate_cdrs_in, tiny_pdf, wav_tone};
pub use traffic::seed_traffic;

use diesel::prelude::*;

use crate::access::Perm;
use crate::audit::Actor;
use crate::customers::accounts::{AccessCode, AccessCodeInput, Account, AccountInput};
use crate::customers::groups::{CustomerGroup, Tag};
use crate::customers::model::{self as cm, CustomerInput};
use crate::db::DbConnection;
use crate::db::schema::{accounts, customers};
use crate::error::AppResult;
use crate::profiles::model::{RawProfile, validate};
use crate::profiles::{Profile, ProfileInput};
use crate::users::NewUser;
use crate::users::model::Role;

/// One login printed to the terminal.
pub struct DemoLogin {
    pub email: String,
    pub password: String,
    pub what: String,
}

fn ensure_user(
    conn: &mut DbConnection,
    email: &str,
    role: Role,
    customer: Option<i64>,
    first: &str,
    last: &str,
    what: &str,
) -> AppResult<DemoLogin> {
    let password = crate::auth::password::generate();
    let hash = crate::auth::password::hash_blocking(&password)?;
    match crate::users::User::find_by_email(conn, email)? {
        Some(u) => crate::users::User::set_password_hash(conn, u.id, &hash)?,
        None => {
            let mut nu = NewUser::new(email, role, customer);
            nu.first_name = first.into();
            nu.last_name = last.into();
            nu.password_hash = Some(hash);
            nu.time_zone = "Europe/Berlin".into();
            nu.insert(conn)?;
        }
    }
    Ok(DemoLogin { email: email.into(), password, what: what.into() })
}

fn keys(perms: &[Perm]) -> Vec<String> {
    perms.iter().map(|p| p.key().to_string()).collect()
}

fn profile(
    conn: &mut DbConnection,
    name: &str,
    description: &str,
    perms: Vec<String>,
    is_default: bool,
) -> AppResult<Profile> {
    if let Some(p) = Profile::find_by_name(conn, name)? {
        return Ok(p);
    }
    let input: ProfileInput = validate(&RawProfile {
        name: name.into(),
        description: description.into(),
        availability: "all".into(),
        is_default,
        permissions: perms,
        ..Default::default()
    })
    .map_err(|e| crate::error::AppError::Unprocessable(format!("demo profile: {e:?}"), e))?;
    Profile::create(conn, &input)
}

fn customer(
    conn: &mut DbConnection,
    name: &str,
    reference: &str,
    parent: Option<i64>,
    groups: &[&str],
    tags: &[i64],
    company: (&str, &str, &str),
) -> AppResult<i64> {
    if let Some(id) =
        customers::table.filter(customers::reference_id.eq(reference)).select(customers::id).first(conn).optional()?
    {
        return Ok(id);
    }
    let mut input = CustomerInput::named(name);
    input.reference_id = Some(reference.into());
    input.parent_id = parent;
    input.groups = groups.iter().map(|g| g.to_string()).collect();
    input.tag_ids = tags.to_vec();
    input.company_name = company.0.into();
    input.country_code = company.1.into();
    input.phone = company.2.into();
    Ok(cm::create(conn, input, "demo")?.id())
}

fn account(
    conn: &mut DbConnection,
    customer: i64,
    name: &str,
    currency: &str,
    balance: i64,
    postpaid: bool,
) -> AppResult<()> {
    let exists: i64 = accounts::table.filter(accounts::customer_id.eq(customer)).count().get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    let a = Account::create(
        conn,
        customer,
        &AccountInput {
            name: name.into(),
            currency: currency.into(),
            min_balance: if postpaid { -5_000_000_000 } else { 0 },
            max_balance: None,
            is_postpaid: postpaid,
            capacity: 120,
        },
    )?;
    diesel::update(accounts::table.find(a.id)).set(accounts::balance.eq(balance)).execute(conn)?;
    Ok(())
}

/// Creates the demo data when missing and gives every demo login a fresh password.
pub fn seed(conn: &mut DbConnection) -> AppResult<Vec<DemoLogin>> {
    conn.transaction(|conn| {
        let all: Vec<String> = Perm::ALL.iter().map(|p| p.key().to_string()).collect();
        let wholesale = profile(
            conn,
            "Wholesale full",
            "Everything: traffic, statistics with figures, billing, numbers and reports.",
            all,
            false,
        )?;
        let retail = profile(
            conn,
            "Retail basic",
            "Account, invoices, payments and own CDRs; statistics as shapes only.",
            keys(&[
                Perm::Account,
                Perm::OutgoingCdrs,
                Perm::OutgoingCdrExports,
                Perm::OutgoingStatistics,
                Perm::OutgoingStatisticsTotalCalls,
                Perm::OutgoingStatisticsAsr,
                Perm::OutgoingStatisticsAcd,
                Perm::Invoices,
                Perm::Payments,
                Perm::PaymentsCryptomus,
                Perm::Transactions,
                Perm::MyNumbers,
            ]),
            true,
        )?;
        let stats = profile(
            conn,
            "Statistics only",
            "Traffic statistics of both directions with all figures.",
            {
                let mut v: Vec<String> =
                    Perm::ALL.iter().filter(|p| p.key().contains("statistics")).map(|p| p.key().to_string()).collect();
                v.sort();
                v
            },
            false,
        )?;

        let groups: Vec<String> = CustomerGroup::list(conn)?.into_iter().map(|g| g.0.name).collect();
        for g in ["Wholesale", "Retail", "Resellers"] {
            if !groups.iter().any(|x| x == g) {
                crate::customers::groups::create_group(conn, &Actor::system(), g)?;
            }
        }
        let tags = Tag::list(conn)?;
        let tag = |conn: &mut DbConnection, name: &str, color: &str| -> AppResult<i64> {
            match tags.iter().find(|t| t.0.name == name) {
                Some(t) => Ok(t.0.id),
                None => Ok(crate::customers::groups::create_tag(conn, &Actor::system(), name, color)?.id),
            }
        };
        let vip = tag(conn, "VIP", "Gold")?;
        let eu = tag(conn, "EU", "Blue")?;
        let trial = tag(conn, "Trial", "Green")?;

        let acme = customer(
            conn,
            "Acme Telecom",
            "ACME",
            None,
            &["Wholesale"],
            &[vip, eu],
            ("Acme Telecom GmbH", "DE", "+49 30 1234567"),
        )?;
        let acme_retail = customer(
            conn,
            "Acme Retail",
            "ACME-R",
            Some(acme),
            &["Retail"],
            &[eu],
            ("Acme Retail GmbH", "DE", "+49 30 7654321"),
        )?;
        let acme_berlin = customer(
            conn,
            "Acme Retail Berlin",
            "ACME-R-BER",
            Some(acme_retail),
            &["Retail"],
            &[],
            ("Acme Retail Berlin", "DE", ""),
        )?;
        let globex = customer(
            conn,
            "Globex Communications",
            "GLOBEX",
            None,
            &["Resellers"],
            &[trial],
            ("Globex Ltd", "GB", "+44 20 7946 0000"),
        )?;
        let initech =
            customer(conn, "Initech Voice", "INITECH", None, &[], &[], ("Initech Inc.", "US", "+1 555 0100"))?;

        let own: Option<i64> = customers::table.find(acme).select(customers::access_profile_id).first(conn)?;
        if own.is_none() {
            crate::access::assignments::assign_profile(conn, &Actor::system(), acme, Some(wholesale.id))?;
            crate::access::assignments::assign_profile(conn, &Actor::system(), globex, Some(stats.id))?;
        }
        let _ = (retail.id, acme_berlin, initech);

        account(conn, acme, "Wholesale EUR", "EUR", 12_450_250_000, true)?;
        account(conn, acme_retail, "Retail EUR", "EUR", 845_120_000, false)?;
        account(conn, acme_berlin, "Berlin EUR", "EUR", 120_500_000, false)?;
        account(conn, globex, "Main GBP", "GBP", 3_200_000_000, false)?;
        account(conn, initech, "Main USD", "USD", 75_000_000, false)?;

        if AccessCode::for_customer(conn, acme)?.is_empty() {
            AccessCode::create(
                conn,
                acme,
                &AccessCodeInput {
                    label: "SIP trunk".into(),
                    public_text: "Trunk ID".into(),
                    public_value: "acme-trunk-01".into(),
                    private_master: "m-7f3a-91c2".into(),
                    private_read: "r-2b8d-44e0".into(),
                    private_write: "w-c1e9-0a57".into(),
                },
            )?;
        }

        let mut logins = vec![
            ensure_user(conn, "admin@portico.example", Role::Admin, None, "Ada", "Admin", "staff, admin")?,
            ensure_user(conn, "manager@portico.example", Role::Manager, None, "Max", "Manager", "staff, manager")?,
        ];
        logins.push(ensure_user(
            conn,
            "alice@acme.example",
            Role::Administrator,
            Some(acme),
            "Alice",
            "Anders",
            "Acme Telecom, administrator (Wholesale full)",
        )?);
        logins.push(ensure_user(
            conn,
            "dev@acme.example",
            Role::Developer,
            Some(acme),
            "Dev",
            "Eloper",
            "Acme Telecom, developer",
        )?);
        logins.push(ensure_user(
            conn,
            "bob@acme-retail.example",
            Role::User,
            Some(acme_retail),
            "Bob",
            "Berger",
            "Acme Retail, user (inherits Wholesale full)",
        )?);
        logins.push(ensure_user(
            conn,
            "carol@globex.example",
            Role::Administrator,
            Some(globex),
            "Carol",
            "Cole",
            "Globex, administrator (Statistics only)",
        )?);
        logins.push(ensure_user(
            conn,
            "ivan@initech.example",
            Role::User,
            Some(initech),
            "Ivan",
            "Ito",
            "Initech, user (default: Retail basic)",
        )?);
        Ok(logins)
    })
}
