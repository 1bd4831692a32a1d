//! Demo traffic and billing: rateplans, numbers, campaigns, CDRs with rollups, active calls,
//! invoices, payments, transactions, services, numberlists and a few recordings.

use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::generator::{DECK, digits, generate_cdrs, tiny_pdf, wav_tone};
use crate::db::DbConnection;
use crate::db::schema::{accounts, customers};
use crate::error::AppResult;

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
        crate::traffic::recordings::attach_local(conn, recordings, id, &wav_tone(secs, 330.0 + 55.0 * k as f64))?;
    }
    Ok(true)
}
