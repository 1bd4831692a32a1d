//! Portico's speed targets, measured (not asserted). Run with
//!
//! ```sh
//! cargo bench --bench portal                       # 10 million CDRs in SQLite
//! PORTICO_BENCH_CDRS=1000000 cargo bench --bench portal
//! PORTICO_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench cargo bench --bench portal
//! ```
//!
//! (On PostgreSQL the database must exist and `psql` must be on the PATH.) What it measures, each
//! against the engine's own limit in the same run:
//! 1. bulk ingest with `portico import-cdrs` of a CSV file (`PORTICO_BENCH_IMPORT_ROWS`, default
//!    1 000 000 rows) into a database that already holds the rest of the data set, against a
//!    plain `COPY … FROM` (PostgreSQL) or `sqlite3 .import` (SQLite) of the same file into a bare
//!    table;
//! 2. ingest through the HTTP API (`POST /api/v1/cdrs`, 30 000-row JSON batches); like a switch
//!    pushing its latest calls, each batch covers the next five minutes;
//! 3. the CDR list page of one customer filtered to one day, 16 concurrent clients
//!    (median and p99 latency);
//! 4. the statistics page for a month (median, p99);
//! 5. CSV export of 1 000 000 rows (`PORTICO_BENCH_EXPORT_ROWS`) and the server's peak memory
//!    (VmHWM of the `portico serve` process), against `COPY (SELECT …) TO STDOUT` (PostgreSQL)
//!    or `sqlite3 -csv` (SQLite) of the same rows.

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

/// One generated CDR as the API's JSON object.
fn json_row(p: &portico::traffic::ingest::ParsedCdr) -> serde_json::Value {
    let c = &p.cdr;
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
}

/// Writes generated CDRs as the CSV `import-cdrs` reads.
fn write_csv(path: &std::path::Path, rows: &[portico::traffic::ingest::ParsedCdr]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(portico::traffic::ingest::FIELDS).unwrap();
    let time = |t: Option<i64>| t.map(portico::traffic::time::rfc3339).unwrap_or_default();
    for p in rows {
        let c = &p.cdr;
        w.write_record([
            c.external_id.clone(),
            c.account_id.to_string(),
            String::new(),
            (if c.direction == 0 { "outgoing" } else { "incoming" }).to_string(),
            portico::traffic::time::rfc3339(c.time_start),
            time(c.time_connect),
            time(c.time_end),
            c.duration.to_string(),
            c.billed_duration.to_string(),
            c.success.to_string(),
            c.src_number.clone(),
            c.dst_number.clone(),
            c.destination_prefix.clone(),
            c.destination_name.clone(),
            portico::money::format(c.rate),
            portico::money::format(c.price),
            c.disconnect_code.map(|d| d.to_string()).unwrap_or_default(),
            c.disconnect_reason.clone(),
        ])
        .unwrap();
    }
    w.flush().unwrap();
}

/// The engine's own bulk load of the same CSV into a bare table of the same columns: rows/s.
fn engine_import(url: &str, sqlite_file: Option<&str>, csv: &std::path::Path, rows: usize) -> Option<f64> {
    let create = "CREATE TABLE bare_cdrs (external_id TEXT, account_id BIGINT, customer_id BIGINT, direction TEXT, \
        time_start TEXT, time_connect TEXT, time_end TEXT, duration INTEGER, billed_duration INTEGER, success BOOLEAN, src_number TEXT, dst_number TEXT, \
        destination_prefix TEXT, destination_name TEXT, rate NUMERIC, price NUMERIC, disconnect_code INTEGER, \
        disconnect_reason TEXT)";
    let run = |cmd: &mut Command| cmd.stdout(Stdio::null()).status().ok().filter(|s| s.success()).map(|_| ());
    let secs = if let Some(file) = sqlite_file {
        run(Command::new("sqlite3").args([file, "DROP TABLE IF EXISTS bare_cdrs;", create]))?;
        let t = Instant::now();
        run(Command::new("sqlite3").args([file, &format!(".import --csv --skip 1 {} bare_cdrs", csv.display())]))?;
        let secs = t.elapsed().as_secs_f64();
        run(Command::new("sqlite3").args([file, "DROP TABLE bare_cdrs;"]))?;
        secs
    } else {
        run(Command::new("psql").args([url, "-qc", "DROP TABLE IF EXISTS bare_cdrs", "-c", create]))?;
        let t = Instant::now();
        run(Command::new("psql").args([url, "-qc", &format!("\\copy bare_cdrs FROM '{}' CSV HEADER", csv.display())]))?;
        let secs = t.elapsed().as_secs_f64();
        run(Command::new("psql").args([url, "-qc", "DROP TABLE bare_cdrs"]))?;
        secs
    };
    Some(rows as f64 / secs)
}

/// Waits until the server answers `/readyz`.
async fn ready(client: &awc::Client, base: &str) {
    for _ in 0..600 {
        if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not become ready");
}

/// Signs in through the form (the anonymous CSRF cookie, then the session cookie).
async fn login(client: &awc::Client, base: &str, email: &str, password: &str) -> String {
    let mut page = client.get(format!("{base}/login")).send().await.unwrap();
    let csrf_cookie = page
        .cookies()
        .unwrap()
        .iter()
        .find(|c| c.name().ends_with("portico-csrf"))
        .map(|c| format!("{}={}", c.name(), c.value()))
        .expect("the sign-in page sets its CSRF cookie");
    let html = String::from_utf8(page.body().await.unwrap().to_vec()).unwrap();
    let csrf = html.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = client
        .post(format!("{base}/login"))
        .insert_header(("Cookie", csrf_cookie))
        .send_form(&[("email", email), ("password", password), ("csrf_token", csrf.as_str())])
        .await
        .unwrap();
    let session = r.cookies().unwrap().iter().find(|c| c.name() == "portico" || c.name() == "__Host-portico").cloned();
    let session = session.expect("signed in");
    format!("{}={}", session.name(), session.value())
}

fn ratio(what: &str, ours: f64, engine: Option<f64>, engine_name: &str) {
    match engine {
        Some(e) => println!("  {engine_name}: {e:.0} rows/s; {what} reaches {:.2} of it", ours / e),
        None => println!("  ({engine_name} not available: no comparison)"),
    }
}

fn main() {
    let total = env_usize("PORTICO_BENCH_CDRS", 10_000_000);
    let api_rows = env_usize("PORTICO_BENCH_API_ROWS", 300_000).min(total);
    let import_rows = env_usize("PORTICO_BENCH_IMPORT_ROWS", 1_000_000).min(total - api_rows);
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("PORTICO_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let sqlite_file = url.strip_prefix("sqlite://").map(str::to_string);
    println!("Portico benchmark: {total} CDRs in {}", if sqlite_file.is_some() { "SQLite" } else { "PostgreSQL" });

    // Data set: the demo customers, then CDRs generated straight into the database (the same
    // store path as ingest, without HTTP), leaving the rows of the ingest measurements.
    let mut config = portico::Config::for_database(&url).unwrap();
    config.recordings_dir = dir.path().join("recordings");
    let prepared = portico::prepare(config).unwrap();
    let mut conn = prepared.state.pool.get().unwrap();
    let logins = portico::demo::seed(&mut conn).unwrap();
    let plan: Vec<(i64, i64, f64, Vec<String>)> = ["ACME", "ACME-R", "ACME-R-BER", "GLOBEX", "INITECH"]
        .iter()
        .zip([0.45, 0.2, 0.1, 0.15, 0.1])
        .map(|(r, w)| {
            let c: i64 = customers::table
                .filter(customers::reference_id.eq(*r))
                .select(customers::id)
                .first(&mut **conn)
                .unwrap();
            let a: i64 =
                accounts::table.filter(accounts::customer_id.eq(c)).select(accounts::id).first(&mut **conn).unwrap();
            (c, a, w, vec![format!("4930{c:07}")])
        })
        .collect();
    let now = portico::traffic::time::now_ms();
    let direct = total - api_rows - import_rows;
    let t = Instant::now();
    let mut done = 0;
    let mut seed = 1_000;
    while done < direct {
        let k = 100_000.min(direct - done);
        conn.transaction::<_, portico::AppError, _>(|c| {
            portico::traffic::ingest::store(c, portico::demo::generate_cdrs(&plan, k, seed, now))?;
            Ok(())
        })
        .unwrap();
        done += k;
        seed += 1;
    }
    println!("  prepared {direct} CDRs directly in {:.1} s", t.elapsed().as_secs_f64());
    let admin = portico::users::User::find_by_email(&mut conn, "admin@portico.example").unwrap().unwrap();
    let (_, token) = portico::auth::tokens::ApiToken::create(&mut conn, admin.id, "bench").unwrap();
    drop(conn);
    drop(prepared);

    // 1. Bulk ingest: `portico import-cdrs` against the engine's own bulk load of the same file.
    let csv_file = dir.path().join("import.csv");
    write_csv(&csv_file, &portico::demo::generate_cdrs_in(&plan, import_rows, 77, now - 3_600_000, 3_600_000));
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_portico"))
        .args(["import-cdrs", csv_file.to_str().unwrap()])
        .env("DATABASE_URL", &url)
        .env("PORTICO_LOG", "warn")
        .stderr(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "import-cdrs failed: {}", String::from_utf8_lossy(&out.stdout));
    let secs = t.elapsed().as_secs_f64();
    let ours = import_rows as f64 / secs;
    println!("  ingest via portico import-cdrs: {import_rows} CDRs in {secs:.2} s = {ours:.0} CDRs/s");
    let engine = engine_import(&url, sqlite_file.as_deref(), &csv_file, import_rows);
    ratio("import-cdrs", ours, engine, if sqlite_file.is_some() { "sqlite3 .import" } else { "plain COPY FROM" });

    // The server under test: the release binary, in its own process.
    let port = free_port();
    let mut server = Server::start(&url, port);
    let base = format!("http://127.0.0.1:{port}");
    let rt = actix_web::rt::System::new();
    rt.block_on(async {
        let client = awc::Client::builder().timeout(Duration::from_secs(600)).disable_redirects().finish();
        ready(&client, &base).await;

        // 2. Ingest through the API.
        const API_BATCH: usize = 30_000;
        let batches: Vec<String> = (0..api_rows.div_ceil(API_BATCH))
            .map(|b| {
                let k = API_BATCH.min(api_rows - b * API_BATCH);
                // Like a switch pushing its latest calls: each batch is the next 5 minutes.
                let start = now + b as i64 * 300_000;
                let rows: Vec<serde_json::Value> =
                    portico::demo::generate_cdrs_in(&plan, k, 9_000 + b as u64, start, 300_000).iter().map(json_row).collect();
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

        // The planner's statistics, as autovacuum gathers them after a bulk load (a PostgreSQL
        // with autovacuum off, as on the build machine, would plan the reads blind).
        if sqlite_file.is_none() {
            let t = Instant::now();
            let ok = Command::new("psql").args([url.as_str(), "-qc", "ANALYZE"]).status().is_ok_and(|s| s.success());
            assert!(ok, "psql ANALYZE failed");
            println!("  ANALYZE after the loads: {:.1} s", t.elapsed().as_secs_f64());
        }

        // A fresh server process (on a fresh port) for the read side, so its peak memory is the
        // read side's.
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        drop(std::mem::replace(&mut server, Server::start(&url, port)));
        ready(&client, &base).await;
        let pw = logins.iter().find(|l| l.email == "alice@acme.example").unwrap().password.clone();
        let cookie = login(&client, &base, "alice@acme.example", &pw).await;

        // 3. CDR list, one day, 16 clients.
        let day = portico::traffic::time::local_date(now - 3 * 86_400_000, "Europe/Berlin");
        let next = day.succ_opt().unwrap();
        let list_url = format!("{base}/portal/cdrs/outgoing?from={day}&to={next}");
        let per_client = env_usize("PORTICO_BENCH_REQUESTS", 200);
        // A warm-up round first (20 requests a client, not counted): the first requests of a
        // fresh server open the database connections and prepare the statements on each.
        list_round(&client, &list_url, &cookie, 20).await;
        let t = Instant::now();
        let mut all = list_round(&client, &list_url, &cookie, per_client).await;
        all.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let secs = t.elapsed().as_secs_f64();
        println!(
            "  CDR list, one day, 16 concurrent clients: {} requests in {secs:.1} s = {:.0} requests/s, median {:.1} ms, p99 {:.1} ms",
            all.len(),
            all.len() as f64 / secs,
            percentile(&all, 0.5),
            percentile(&all, 0.99)
        );

        // 4. Statistics for a month.
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

        // 5. Export of the newest 1 000 000 outgoing rows of Acme.
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
                .first(&mut **c)
                .unwrap_or(0)
        };
        let from = portico::traffic::time::rfc3339(cutoff);
        // The export on a server process of its own: its peak memory is the export's.
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        drop(std::mem::replace(&mut server, Server::start(&url, port)));
        ready(&client, &base).await;
        let cookie = login(&client, &base, "alice@acme.example", &pw).await;
        let before = vm_hwm_kib(server.0.id());
        let s = Instant::now();
        let mut r = client
            .get(format!("{base}/portal/cdrs/outgoing/export?from={}", from.replace(':', "%3A")))
            .insert_header(("Cookie", cookie.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let mut rows = 0usize;
        let mut bytes = 0usize;
        while let Some(chunk) = futures_util::StreamExt::next(&mut r).await {
            let chunk = chunk.unwrap();
            bytes += chunk.len();
            rows += chunk.iter().filter(|b| **b == b'\n').count();
        }
        let rows = rows - 1;
        let secs = s.elapsed().as_secs_f64();
        let after = vm_hwm_kib(server.0.id());
        let ours = rows as f64 / secs;
        println!(
            "  CSV export: {rows} rows, {:.1} MiB in {secs:.2} s = {ours:.0} rows/s; server peak memory {:.1} MiB (before export {:.1} MiB)",
            bytes as f64 / 1048576.0,
            after as f64 / 1024.0,
            before as f64 / 1024.0
        );
        let sql = format!(
            "SELECT id, direction, time_start, time_connect, time_end, duration, billed_duration, success, src_number, dst_number, \
             destination_prefix, destination_name, rate, price, disconnect_code, disconnect_reason FROM cdrs \
             WHERE customer_id = {acme} AND direction = 0 AND time_start >= {cutoff} ORDER BY time_start DESC, id DESC"
        );
        let (cmd, args, name): (&str, Vec<String>, &str) = match &sqlite_file {
            Some(file) => ("sqlite3", vec!["-csv".into(), file.clone(), format!("{sql};")], "sqlite3 -csv, same SELECT"),
            None => ("psql", vec![url.clone(), "-qc".into(), format!("COPY ({sql}) TO STDOUT CSV")], "COPY (same SELECT) TO STDOUT"),
        };
        let s = Instant::now();
        let engine = Command::new(cmd).args(&args).stderr(Stdio::null()).output().ok().filter(|o| o.status.success()).map(|o| {
            let n = o.stdout.iter().filter(|b| **b == b'\n').count();
            n as f64 / s.elapsed().as_secs_f64()
        });
        ratio("the export", ours, engine, name);
    });
    drop(server);
}

/// 16 clients at once, `n` list requests each: every request's latency in milliseconds.
async fn list_round(client: &awc::Client, url: &str, cookie: &str, n: usize) -> Vec<f64> {
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (client, url, cookie) = (client.clone(), url.to_string(), cookie.to_string());
        tasks.push(actix_web::rt::spawn(async move {
            let mut lat = Vec::new();
            for _ in 0..n {
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
    all
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
