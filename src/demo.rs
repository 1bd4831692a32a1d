//! `portico demo`: fills an empty database with demonstration data, and gives every demo login
//! a fresh password on each start.

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

// ---------------------------------------------------------------------------------------------
// Traffic and billing demo data

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, LogNormal};

use crate::traffic::ingest::{NewCdr, ParsedCdr};

/// A realistic rate deck: (prefix, destination, rate per minute, answer rate).
pub const DECK: [(&str, &str, &str, f64); 40] = [
    ("1", "USA/Canada", "0.004000", 0.62),
    ("31", "Netherlands", "0.007500", 0.58),
    ("316", "Netherlands mobile", "0.028000", 0.55),
    ("33", "France", "0.007000", 0.57),
    ("336", "France mobile", "0.030000", 0.54),
    ("337", "France mobile", "0.030000", 0.54),
    ("34", "Spain", "0.006500", 0.56),
    ("346", "Spain mobile", "0.021000", 0.53),
    ("39", "Italy", "0.007000", 0.55),
    ("393", "Italy mobile", "0.024000", 0.52),
    ("41", "Switzerland", "0.012000", 0.60),
    ("43", "Austria", "0.009000", 0.58),
    ("44", "United Kingdom", "0.006000", 0.60),
    ("447", "United Kingdom mobile", "0.025000", 0.55),
    ("48", "Poland", "0.008000", 0.52),
    ("485", "Poland mobile", "0.018000", 0.50),
    ("49", "Germany", "0.008000", 0.61),
    ("4915", "Germany mobile", "0.035000", 0.56),
    ("4916", "Germany mobile", "0.035000", 0.56),
    ("4917", "Germany mobile", "0.035000", 0.56),
    ("52", "Mexico", "0.015000", 0.45),
    ("55", "Brazil", "0.014000", 0.43),
    ("61", "Australia", "0.011000", 0.57),
    ("62", "Indonesia", "0.040000", 0.38),
    ("63", "Philippines", "0.120000", 0.36),
    ("7", "Russia", "0.045000", 0.44),
    ("79", "Russia mobile", "0.060000", 0.42),
    ("81", "Japan", "0.020000", 0.59),
    ("86", "China", "0.012000", 0.47),
    ("90", "Turkey", "0.030000", 0.46),
    ("91", "India", "0.018000", 0.40),
    ("971", "United Arab Emirates", "0.110000", 0.41),
    ("972", "Israel", "0.016000", 0.55),
    ("234", "Nigeria", "0.150000", 0.33),
    ("254", "Kenya", "0.130000", 0.35),
    ("27", "South Africa", "0.045000", 0.45),
    ("353", "Ireland", "0.009000", 0.58),
    ("358", "Finland", "0.014000", 0.60),
    ("420", "Czech Republic", "0.009000", 0.57),
    ("46", "Sweden", "0.008000", 0.60),
];

const FAILURES: [(i32, &str); 6] = [
    (17, "User busy"),
    (18, "No user responding"),
    (19, "No answer from user"),
    (21, "Call rejected"),
    (34, "No circuit/channel available"),
    (127, "Interworking, unspecified"),
];

fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

/// Builds `n` CDRs over the last 30 days for the demo customers (weighted), with the rates of
/// [`DECK`], answer rates and durations like real traffic; incoming calls hit the customers'
/// own numbers.
pub fn generate_cdrs(customers: &[(i64, i64, f64, Vec<String>)], n: usize, seed: u64, now_ms: i64) -> Vec<ParsedCdr> {
    generate_cdrs_in(customers, n, seed, now_ms - 30 * 86_400_000, 30 * 86_400_000)
}

/// Like [`generate_cdrs`], with calls starting within `[start, start + span_ms)`.
pub fn generate_cdrs_in(
    customers: &[(i64, i64, f64, Vec<String>)],
    n: usize,
    seed: u64,
    start: i64,
    span_ms: i64,
) -> Vec<ParsedCdr> {
    let mut rng = StdRng::seed_from_u64(seed);
    let talk = LogNormal::new(4.6, 0.9).expect("valid log-normal");
    let total_weight: f64 = customers.iter().map(|c| c.2).sum();
    let month_ms = span_ms.max(1);
    let rates: Vec<i64> = DECK.iter().map(|d| crate::money::parse(d.2).unwrap_or(0)).collect();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        // Customer by weight.
        let mut pick = rng.random::<f64>() * total_weight;
        let mut ci = 0;
        for (k, c) in customers.iter().enumerate() {
            if pick < c.2 {
                ci = k;
                break;
            }
            pick -= c.2;
            ci = k;
        }
        let (customer, account, _, own_numbers) = &customers[ci];
        // Time: busier during the day (local business hours around 08-20 UTC).
        let mut t = start + rng.random_range(0..month_ms);
        let hour = (t / 3_600_000) % 24;
        if !(7..=20).contains(&hour) && rng.random::<f64>() < 0.6 {
            t = start + rng.random_range(0..month_ms);
        }
        let incoming = !own_numbers.is_empty() && rng.random::<f64>() < 0.25;
        let d = rng.random_range(0..DECK.len());
        let (prefix, name, _, asr) = DECK[d];
        let success = rng.random::<f64>() < asr;
        let duration: i32 = if success { (talk.sample(&mut rng) as i32).clamp(1, 7200) } else { 0 };
        let ring_ms = rng.random_range(2_000..25_000i64);
        let rate = rates[d];
        let billed = if success { ((duration + 5) / 6 * 6).max(6) } else { 0 };
        let price = rate * i64::from(billed) / 60;
        let (src, dst) = if incoming {
            (
                format!("{prefix}{}", digits(&mut rng, 11 - prefix.len().min(9))),
                own_numbers[rng.random_range(0..own_numbers.len())].clone(),
            )
        } else {
            let src = if own_numbers.is_empty() {
                format!("4930{}", digits(&mut rng, 7))
            } else {
                own_numbers[rng.random_range(0..own_numbers.len())].clone()
            };
            (src, format!("{prefix}{}", digits(&mut rng, 11 - prefix.len().min(9))))
        };
        let (code, reason) =
            if success { (16, "Normal call clearing") } else { FAILURES[rng.random_range(0..FAILURES.len())] };
        out.push(ParsedCdr {
            row: i + 1,
            account_id: Some(*account),
            customer_id: Some(*customer),
            cdr: NewCdr {
                external_id: format!("demo-{seed}-{i}"),
                customer_id: *customer,
                account_id: *account,
                direction: if incoming { crate::traffic::INCOMING } else { crate::traffic::OUTGOING },
                time_start: t,
                time_connect: success.then_some(t + ring_ms),
                time_end: Some(t + ring_ms + i64::from(duration) * 1000),
                duration,
                billed_duration: billed,
                success,
                src_number: src,
                dst_number: dst,
                destination_prefix: if incoming { String::new() } else { prefix.to_string() },
                destination_name: if incoming { "Inbound".to_string() } else { name.to_string() },
                rate: if incoming { 0 } else { rate },
                price: if incoming { 0 } else { price },
                disconnect_code: Some(code),
                disconnect_reason: reason.to_string(),
            },
        });
    }
    out
}

/// A short WAV tone (8 kHz, mono, 16-bit) for demo recordings.
pub fn wav_tone(seconds: u32, freq: f64) -> Vec<u8> {
    let rate = 8000u32;
    let samples = rate * seconds;
    let mut v = Vec::with_capacity(44 + samples as usize * 2);
    let data_len = samples * 2;
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&rate.to_le_bytes());
    v.extend_from_slice(&(rate * 2).to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..samples {
        let t = f64::from(i) / f64::from(rate);
        let envelope = (t * 2.0).sin().abs().min(1.0);
        let s = ((t * freq * std::f64::consts::TAU).sin() * 9000.0 * envelope) as i16;
        v.extend_from_slice(&s.to_le_bytes());
    }
    v
}

/// A one-page PDF with a line of text, for the demo invoices.
pub fn tiny_pdf(text: &str) -> Vec<u8> {
    let safe: String = text.chars().filter(|c| c.is_ascii_alphanumeric() || " .,-:".contains(*c)).collect();
    let stream = format!("BT /F1 18 Tf 72 720 Td ({safe}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

/// Fills rateplans, numbers, campaigns, `n_cdrs` CDRs with rollups, active calls, invoices,
/// payments, transactions, services, numberlists and a few recordings. Skipped when CDRs exist.
pub fn seed_traffic(
    conn: &mut DbConnection,
    recordings: &std::path::Path,
    n_cdrs: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> AppResult<bool> {
    use crate::db::schema::cdrs;
    let existing: i64 = cdrs::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(false);
    }
    let id_of = |conn: &mut DbConnection, reference: &str| -> AppResult<i64> {
        Ok(customers::table.filter(customers::reference_id.eq(reference)).select(customers::id).first(conn)?)
    };
    let refs = ["ACME", "ACME-R", "ACME-R-BER", "GLOBEX", "INITECH"];
    let weights = [0.45, 0.2, 0.1, 0.15, 0.1];
    let mut rng = StdRng::seed_from_u64(7);
    let mut plan: Vec<(i64, i64, f64, Vec<String>)> = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        let c = id_of(conn, r)?;
        let a: i64 = accounts::table
            .filter(accounts::customer_id.eq(c))
            .order(accounts::id.asc())
            .select(accounts::id)
            .first(conn)?;
        let base = if i < 3 { "4930" } else { "4420" };
        let nums: Vec<String> = (0..8).map(|_| format!("{base}{}", digits(&mut rng, 7))).collect();
        plan.push((c, a, weights[i], nums));
    }
    // Rateplans.
    let deck = |factor: i64| -> Vec<crate::rateplans::RateIn> {
        DECK.iter()
            .map(|(p, n, r, _)| crate::rateplans::RateIn {
                prefix: (*p).into(),
                destination_name: (*n).into(),
                rate: crate::money::format(crate::money::parse(r).unwrap_or(0) * factor / 100),
                connect_fee: None,
                billing_increment: 6,
            })
            .collect()
    };
    crate::rateplans::rateplan_in(
        conn,
        crate::rateplans::RateplanIn {
            name: "Wholesale EUR".into(),
            currency: "EUR".into(),
            description: "Wholesale termination, 6-second billing".into(),
            customer_ids: plan[..3].iter().map(|p| p.0).collect(),
            rates: deck(100),
        },
    )?;
    crate::rateplans::rateplan_in(
        conn,
        crate::rateplans::RateplanIn {
            name: "Retail Standard".into(),
            currency: "EUR".into(),
            description: "Retail termination".into(),
            customer_ids: plan[3..].iter().map(|p| p.0).collect(),
            rates: deck(140),
        },
    )?;
    // Numbers and campaigns.
    let backend = [
        "Main line",
        "Sales hotline",
        "Support",
        "Fax gateway",
        "Billing desk",
        "Reception",
        "Night service",
        "Conference bridge",
    ];
    let mut rows = Vec::new();
    for (c, _, _, nums) in &plan {
        for (k, n) in nums.iter().enumerate() {
            rows.push(crate::numbers::NumberIn {
                customer_id: *c,
                number: n.clone(),
                backend_description: backend[k % backend.len()].into(),
                customer_description: (k % 3 == 0).then(|| format!("Line {}", k + 1)),
            });
        }
    }
    crate::numbers::numbers_in(conn, rows)?;
    crate::numbers::campaigns_in(
        conn,
        vec![
            crate::numbers::CampaignIn {
                customer_id: plan[0].0,
                name: "Radio spring".into(),
                description: "Numbers read out in the radio spots".into(),
                numbers: plan[0].3[..2].to_vec(),
            },
            crate::numbers::CampaignIn {
                customer_id: plan[0].0,
                name: "Search ads".into(),
                description: "Numbers on the landing pages".into(),
                numbers: plan[0].3[2..4].to_vec(),
            },
        ],
    )?;
    // CDRs with rollups, in batches within the caller's transaction.
    let now = crate::traffic::time::now_ms();
    let batch = 50_000;
    let mut done = 0;
    let mut seed = 1u64;
    while done < n_cdrs {
        let k = batch.min(n_cdrs - done);
        let rows = generate_cdrs(&plan, k, seed, now);
        crate::traffic::ingest::store(conn, rows)?;
        done += k;
        seed += 1;
        progress(done, n_cdrs);
    }
    // Active calls right now.
    let mut calls = Vec::new();
    for (i, (_, a, w, nums)) in plan.iter().enumerate() {
        for j in 0..((w * 60.0) as usize) {
            let d = DECK[(i * 7 + j * 3) % DECK.len()];
            calls.push(crate::traffic::active::ActiveIn {
                external_id: format!("live-{i}-{j}"),
                account_id: *a,
                direction: if j % 4 == 0 { "incoming".into() } else { "outgoing".into() },
                time_start: crate::traffic::time::rfc3339(now - rng.random_range(5_000..900_000)),
                time_connect: None,
                src_number: nums[j % nums.len()].clone(),
                dst_number: format!("{}{}", d.0, digits(&mut rng, 8)),
                destination_name: d.1.into(),
                rate: Some(d.2.into()),
            });
        }
    }
    crate::traffic::active::replace_snapshot(conn, calls)?;
    // Billing: three monthly invoices per account, payments, transactions, services.
    let today = chrono::Utc::now().date_naive();
    for (ci, (_, a, w, _)) in plan.iter().enumerate() {
        let mut invoices = Vec::new();
        for m in (1..=3).rev() {
            let end = today
                - chrono::Duration::days(
                    30 * (m - 1) as i64 + i64::from(today.format("%d").to_string().parse::<u32>().unwrap_or(1)),
                );
            let start = end - chrono::Duration::days(29);
            let usage = (w * 40_000.0 * (1.0 + m as f64 * 0.1)) as i64 * 1_000_000 / 10;
            let tax = usage * 19 / 100;
            invoices.push(crate::billing::ingest::InvoiceIn {
                external_id: Some(format!("inv-{ci}-{m}")),
                account_id: *a,
                number: format!("INV-{}-{:03}", start.format("%Y%m"), ci + 1),
                issued_on: end + chrono::Duration::days(1),
                period_start: start,
                period_end: end,
                due_on: end + chrono::Duration::days(15),
                amount: crate::money::format(usage),
                tax: Some(crate::money::format(tax)),
                total: None,
                status: if m == 1 { "open".into() } else { "paid".into() },
                lines: vec![
                    crate::billing::InvoiceLine {
                        description: "Voice termination".into(),
                        quantity: "1.000000".into(),
                        unit_price: crate::money::format(usage - 50_000_000),
                        amount: crate::money::format(usage - 50_000_000),
                    },
                    crate::billing::InvoiceLine {
                        description: "SIP trunk monthly fee".into(),
                        quantity: "1.000000".into(),
                        unit_price: "50.000000".into(),
                        amount: "50.000000".into(),
                    },
                ],
            });
            if m > 1 {
                crate::billing::ingest::payments_in(
                    conn,
                    vec![crate::billing::ingest::PaymentIn {
                        external_id: Some(format!("pay-{ci}-{m}")),
                        account_id: *a,
                        amount: crate::money::format(usage + tax),
                        method: "bank transfer".into(),
                        reference: format!("INV-{}-{:03}", start.format("%Y%m"), ci + 1),
                        status: "completed".into(),
                        paid_at: crate::traffic::time::rfc3339(
                            (end + chrono::Duration::days(10))
                                .and_hms_opt(9, 30, 0)
                                .unwrap_or_default()
                                .and_utc()
                                .timestamp_millis(),
                        ),
                    }],
                )?;
                crate::billing::ingest::transactions_in(
                    conn,
                    vec![
                        crate::billing::ingest::TransactionIn {
                            external_id: Some(format!("tx-pay-{ci}-{m}")),
                            account_id: *a,
                            amount: crate::money::format(usage + tax),
                            kind: "payment".into(),
                            description: "Payment received, thank you".into(),
                            occurred_at: crate::traffic::time::rfc3339(
                                (end + chrono::Duration::days(10))
                                    .and_hms_opt(9, 30, 0)
                                    .unwrap_or_default()
                                    .and_utc()
                                    .timestamp_millis(),
                            ),
                        },
                        crate::billing::ingest::TransactionIn {
                            external_id: Some(format!("tx-usage-{ci}-{m}")),
                            account_id: *a,
                            amount: crate::money::format(-(usage + tax)),
                            kind: "usage".into(),
                            description: format!("Usage {} – {}", start, end),
                            occurred_at: crate::traffic::time::rfc3339(
                                (end + chrono::Duration::days(1))
                                    .and_hms_opt(0, 5, 0)
                                    .unwrap_or_default()
                                    .and_utc()
                                    .timestamp_millis(),
                            ),
                        },
                    ],
                )?;
            }
        }
        let ids = crate::billing::ingest::invoices_in(conn, invoices)?;
        if let Some(last) = ids.last() {
            crate::billing::Invoice::set_pdf(conn, *last, &tiny_pdf("Portico demo invoice"))?;
        }
        crate::billing::ingest::services_in(
            conn,
            vec![
                crate::billing::ingest::ServiceIn {
                    external_id: Some(format!("svc-trunk-{ci}")),
                    account_id: *a,
                    name: "SIP trunk".into(),
                    description: "30 channels".into(),
                    price: "50.000000".into(),
                    period: "monthly".into(),
                    quantity: 1,
                    started_on: today - chrono::Duration::days(400),
                    renews_on: Some(today + chrono::Duration::days(12)),
                    status: "active".into(),
                },
                crate::billing::ingest::ServiceIn {
                    external_id: Some(format!("svc-did-{ci}")),
                    account_id: *a,
                    name: "Geographic numbers".into(),
                    description: "DID rental".into(),
                    price: "1.500000".into(),
                    period: "monthly".into(),
                    quantity: 8,
                    started_on: today - chrono::Duration::days(200),
                    renews_on: Some(today + chrono::Duration::days(12)),
                    status: "active".into(),
                },
            ],
        )?;
    }
    // A numberlist Acme may manage.
    crate::numberlists::numberlist_in(
        conn,
        crate::numberlists::NumberlistIn {
            name: "Blocked destinations".into(),
            kind: "blocklist".into(),
            description: "Numbers and prefixes your calls will not reach".into(),
            customer_ids: vec![plan[0].0, plan[1].0],
            items: vec![
                crate::numberlists::ItemIn { number: "882".into(), note: "International networks".into() },
                crate::numberlists::ItemIn { number: "4990".into(), note: "Premium rate".into() },
            ],
        },
    )?;
    // Recordings for a few recent answered calls of Acme.
    let recent: Vec<(i64, i32)> = cdrs::table
        .filter(cdrs::customer_id.eq(plan[0].0))
        .filter(cdrs::success.eq(true))
        .order((cdrs::time_start.desc(), cdrs::id.desc()))
        .limit(5)
        .select((cdrs::id, cdrs::duration))
        .load(conn)?;
    for (k, (id, duration)) in recent.into_iter().enumerate() {
        let secs = duration.clamp(3, 20) as u32;
        crate::traffic::cdrs::attach_recording(conn, recordings, id, &wav_tone(secs, 330.0 + 55.0 * k as f64))?;
    }
    Ok(true)
}
