//! Portico's speed targets, measured (not asserted). Run with
//!
//! ```sh
//! cargo bench --bench portal                       # 10 million CDRs in SQLite
//! PORTICO_BENCH_CDRS=1000000 cargo bench --bench portal
//! PORTICO_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench cargo bench --bench portal
//! ```
//!
//! What it measures:
//! 1. ingest through the HTTP API (`POST /api/v1/cdrs`, 30 000-row JSON batches, ~12 MiB) into a
//!    database that already holds the rest of the data set; like a switch pushing its latest
//!    calls, each batch covers the next five minutes;
//! 2. the CDR list page of one customer filtered to one day, 16 concurrent clients
//!    (median and p99 latency);
//! 3. the statistics page for a month (median);
//! 4. CSV export of 1 000 000 rows: throughput against the `sqlite3` command line running the
//!    same SELECT, and the server's peak memory (VmHWM of the `portico serve` process).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use portico::db::schema::{accounts, customers};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn vm_hwm_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

fn main() {
    let total = env_usize("PORTICO_BENCH_CDRS", 10_000_000);
    let api_rows = env_usize("PORTICO_BENCH_API_ROWS", 1_000_000).min(total);
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("PORTICO_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let sqlite_file = url.strip_prefix("sqlite://").map(str::to_string);
    println!("Portico benchmark: {total} CDRs in {}", if sqlite_file.is_some() { "SQLite" } else { "PostgreSQL" });

    // Data set: the demo customers, then CDRs generated straight into the database (the same
    // store path as ingest, without HTTP), leaving `api_rows` for the API measurement.
    let mut config = portico::Config::for_database(&url).unwrap();
    config.recordings_dir = dir.path().join("recordings");
    let prepared = portico::prepare(config).unwrap();
    let mut conn = prepared.state.pool.get().unwrap();
    let logins = portico::demo::seed(&mut conn).unwrap();
    let plan: Vec<(i64, i64, f64, Vec<String>)> = ["ACME", "ACME-R", "ACME-R-BER", "GLOBEX", "INITECH"]
        .iter()
        .zip([0.45, 0.2, 0.1, 0.15, 0.1])
        .map(|(r, w)| {
            let c: i64 =
                customers::table.filter(customers::reference_id.eq(*r)).select(customers::id).first(&mut conn).unwrap();
            let a: i64 =
                accounts::table.filter(accounts::customer_id.eq(c)).select(accounts::id).first(&mut conn).unwrap();
            (c, a, w, vec![format!("4930{c:07}")])
        })
        .collect();
    let now = portico::traffic::time::now_ms();
    let direct = total - api_rows;
    let t = Instant::now();
    let mut done = 0;
    let mut seed = 1_000;
    conn.transaction::<_, portico::AppError, _>(|c| {
        while done < direct {
            let k = 100_000.min(direct - done);
            portico::traffic::ingest::store(c, portico::demo::generate_cdrs(&plan, k, seed, now))?;
            done += k;
            seed += 1;
        }
        Ok(())
    })
    .unwrap();
    println!("  prepared {direct} CDRs directly in {:.1} s", t.elapsed().as_secs_f64());
    let admin = portico::users::User::find_by_email(&mut conn, "admin@portico.example").unwrap().unwrap();
    let (_, token) = portico::auth::tokens::ApiToken::create(&mut conn, admin.id, "bench").unwrap();
    drop(conn);
    drop(prepared);

    // The server under test: the release binary, in its own process.
    let port = free_port();
    let mut server = Server::start(&url, port);
    let base = format!("http://127.0.0.1:{port}");
    let rt = actix_web::rt::System::new();
    rt.block_on(async {
        let client = awc::Client::builder().timeout(Duration::from_secs(600)).disable_redirects().finish();
        for _ in 0..100 {
            if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }

        // 1. Ingest through the API.
        const API_BATCH: usize = 30_000;
        let batches: Vec<String> = (0..api_rows.div_ceil(API_BATCH))
            .map(|b| {
                let k = API_BATCH.min(api_rows - b * API_BATCH);
                // Like a switch pushing its latest calls: each batch is the next 5 minutes.
                let start = now + b as i64 * 300_000;
                let rows: Vec<serde_json::Value> = portico::demo::generate_cdrs_in(&plan, k, 9_000 + b as u64, start, 300_000)
                    .into_iter()
                    .map(|p| {
                        let c = p.cdr;
                        serde_json::json!({
                            "externalId": c.external_id, "accountId": c.account_id,
                            "direction": if c.direction == 0 { "outgoing" } else { "incoming" },
                            "timeStart": portico::traffic::time::rfc3339(c.time_start), "duration": c.duration,
                            "billedDuration": c.billed_duration, "success": c.success, "srcNumber": c.src_number,
                            "dstNumber": c.dst_number, "destinationPrefix": c.destination_prefix,
                            "destinationName": c.destination_name, "rate": portico::money::format(c.rate),
                            "price": portico::money::format(c.price), "disconnectCode": c.disconnect_code,
                            "disconnectReason": c.disconnect_reason,
                        })
                    })
                    .collect();
                serde_json::to_string(&rows).unwrap()
            })
            .collect();
        let t = Instant::now();
        for body in &batches {
            let mut r = client
                .post(format!("{base}/api/v1/cdrs"))
                .insert_header(("Authorization", format!("Bearer {token}")))
                .insert_header(("Content-Type", "application/json"))
                .send_body(body.clone())
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{:?}", r.body().await);
        }
        let secs = t.elapsed().as_secs_f64();
        println!("  ingest via POST /api/v1/cdrs: {api_rows} CDRs in {secs:.2} s = {:.0} CDRs/s", api_rows as f64 / secs);

        // A fresh server process (on a fresh port) for the read side, so its peak memory is the
        // read side's.
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        drop(std::mem::replace(&mut server, Server::start(&url, port)));
        for _ in 0..100 {
            if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }

        // Sign in as Acme's administrator.
        let pw = logins.iter().find(|l| l.email == "alice@acme.example").unwrap().password.clone();
        let mut page = client.get(format!("{base}/login")).send().await.unwrap();
        let cookie = page.cookie("portico").unwrap().value().to_string();
        let html = String::from_utf8(page.body().await.unwrap().to_vec()).unwrap();
        let csrf = html.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let r = client
            .post(format!("{base}/login"))
            .insert_header(("Cookie", format!("portico={cookie}")))
            .send_form(&[("email", "alice@acme.example"), ("password", pw.as_str()), ("csrf_token", csrf.as_str())])
            .await
            .unwrap();
        let cookie = format!("portico={}", r.cookie("portico").unwrap().value());

        // 2. CDR list, one day, 16 clients.
        let day = portico::traffic::time::local_date(now - 3 * 86_400_000, "Europe/Berlin");
        let next = day.succ_opt().unwrap();
        let list_url = format!("{base}/portal/cdrs/outgoing?from={day}&to={next}");
        let per_client = env_usize("PORTICO_BENCH_REQUESTS", 200);
        let t = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (client, url, cookie) = (client.clone(), list_url.clone(), cookie.clone());
            tasks.push(actix_web::rt::spawn(async move {
                let mut lat = Vec::new();
                for _ in 0..per_client {
                    let s = Instant::now();
                    let mut r = client.get(&url).insert_header(("Cookie", cookie.clone())).send().await.unwrap();
                    let _ = r.body().limit(10 << 20).await.unwrap();
                    assert_eq!(r.status(), 200);
                    lat.push(s.elapsed().as_secs_f64() * 1000.0);
                }
                lat
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "  CDR list, one day, 16 concurrent clients: {} requests in {:.1} s, median {:.1} ms, p99 {:.1} ms",
            all.len(),
            t.elapsed().as_secs_f64(),
            percentile(&all, 0.5),
            percentile(&all, 0.99)
        );

        // 3. Statistics for a month.
        let stats_url = format!("{base}/portal/statistics/outgoing?sampling=day");
        let mut lat = Vec::new();
        for _ in 0..100 {
            let s = Instant::now();
            let mut r = client.get(&stats_url).insert_header(("Cookie", cookie.clone())).send().await.unwrap();
            let _ = r.body().limit(10 << 20).await.unwrap();
            assert_eq!(r.status(), 200);
            lat.push(s.elapsed().as_secs_f64() * 1000.0);
        }
        lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("  statistics page, a month per day: median {:.1} ms, p99 {:.1} ms", percentile(&lat, 0.5), percentile(&lat, 0.99));

        // 4. Export of the newest 1 000 000 outgoing rows of Acme.
        let export_rows = env_usize("PORTICO_BENCH_EXPORT_ROWS", 1_000_000);
        let acme = plan[0].0;
        let cutoff: i64 = {
            let p = portico::prepare(portico::Config::for_database(&url).unwrap()).unwrap();
            let mut c = p.state.pool.get().unwrap();
            use portico::db::schema::cdrs;
            cdrs::table
                .filter(cdrs::customer_id.eq(acme))
                .filter(cdrs::direction.eq(0i16))
                .order((cdrs::time_start.desc(), cdrs::id.desc()))
                .offset(export_rows as i64 - 1)
                .select(cdrs::time_start)
                .first(&mut c)
                .unwrap_or(0)
        };
        let from = portico::traffic::time::rfc3339(cutoff);
        // The export on a server process of its own: its peak memory is the export's.
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        drop(std::mem::replace(&mut server, Server::start(&url, port)));
        for _ in 0..100 {
            if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        let mut page = client.get(format!("{base}/login")).send().await.unwrap();
        let c0 = page.cookie("portico").unwrap().value().to_string();
        let html = String::from_utf8(page.body().await.unwrap().to_vec()).unwrap();
        let csrf = html.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let r = client
            .post(format!("{base}/login"))
            .insert_header(("Cookie", format!("portico={c0}")))
            .send_form(&[("email", "alice@acme.example"), ("password", pw.as_str()), ("csrf_token", csrf.as_str())])
            .await
            .unwrap();
        let cookie = format!("portico={}", r.cookie("portico").unwrap().value());
        let before = vm_hwm_kib(server.0.id());
        let s = Instant::now();
        let mut r = client
            .get(format!("{base}/portal/cdrs/outgoing/export?from={}", from.replace(':', "%3A")))
            .insert_header(("Cookie", cookie.clone()))
            .send()
            .await
            .unwrap();
        let body = r.body().limit(2 << 30).await.unwrap();
        let secs = s.elapsed().as_secs_f64();
        let rows = body.iter().filter(|b| **b == b'\n').count() - 1;
        let after = vm_hwm_kib(server.0.id());
        println!(
            "  CSV export: {rows} rows, {:.1} MiB in {secs:.2} s = {:.0} rows/s; server peak memory {:.1} MiB (before export {:.1} MiB)",
            body.len() as f64 / 1048576.0,
            rows as f64 / secs,
            after as f64 / 1024.0,
            before as f64 / 1024.0
        );
        if let Some(file) = &sqlite_file {
            let sql = format!(
                "SELECT id, direction, time_start, time_connect, time_end, duration, billed_duration, success, src_number, dst_number, \
                 destination_prefix, destination_name, rate, price, disconnect_code, disconnect_reason FROM cdrs \
                 WHERE customer_id = {acme} AND direction = 0 AND time_start >= {cutoff} ORDER BY time_start DESC, id DESC;"
            );
            let s = Instant::now();
            let out = Command::new("sqlite3").args(["-csv", file, &sql]).output();
            match out {
                Ok(o) if o.status.success() => {
                    let secs2 = s.elapsed().as_secs_f64();
                    let n = o.stdout.iter().filter(|b| **b == b'\n').count();
                    println!("  sqlite3 -csv, same SELECT: {n} rows in {secs2:.2} s = {:.0} rows/s; Portico reaches {:.0}% of it", n as f64 / secs2, 100.0 * secs2 / secs);
                }
                _ => println!("  (sqlite3 command line not available: no comparison)"),
            }
        }
    });
    drop(server);
}

/// Stops the server however the benchmark ends.
struct Server(std::process::Child);

impl Server {
    fn start(url: &str, port: u16) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_portico"))
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("PORTICO_BIND", format!("127.0.0.1:{port}"))
            .env("PORTICO_LOG", "warn")
            .env("PORTICO_DB_POOL_SIZE", "16")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start portico serve");
        Server(child)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
