//! SPEC §13 files: recordings and invoice PDFs in an S3 store (a local `moto_server`), served
//! with ranged reads; `portico migrate-storage` moves what older versions kept locally.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use portico::access::Perm;
use portico::storage::{S3Settings, Storage, StorageUrl};
use portico::users::model::Role;
use serde_json::json;

use crate::both;
use crate::support::{Browser, Kind, TestApp, account_of, customer_with, invoice, send, staff_token};

fn all_keys() -> Vec<&'static str> {
    Perm::ALL.iter().map(|p| p.key()).collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A `moto_server` (an S3 look-alike) on a free port; killed when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// Starts one and waits until it answers; `None` (with the reason printed) when it is not
    /// installed and `PORTICO_TEST_REQUIRE_S3` is unset.
    async fn start() -> Option<Moto> {
        let port = free_port();
        let spawned = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(c) => c,
            Err(e) => {
                assert!(
                    std::env::var_os("PORTICO_TEST_REQUIRE_S3").is_none(),
                    "PORTICO_TEST_REQUIRE_S3 is set but moto_server cannot be started: {e}"
                );
                eprintln!("skipped: moto_server is not installed ({e}); pip install 'moto[server]'");
                return None;
            }
        };
        let mut moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
        let client = awc::Client::builder().timeout(Duration::from_secs(2)).finish();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = moto.child.try_wait() {
                // A shim without the package behind it (pyenv) starts and exits at once.
                assert!(std::env::var_os("PORTICO_TEST_REQUIRE_S3").is_none(), "moto_server exited: {status}");
                eprintln!("skipped: moto_server exited at once ({status}); pip install 'moto[server]'");
                return None;
            }
            if client.get(format!("{}/", moto.endpoint)).send().await.is_ok() {
                return Some(moto);
            }
            assert!(Instant::now() < deadline, "moto_server did not answer within 60 s");
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn create_bucket(&self, bucket: &str) {
        let client = awc::Client::default();
        let r = client.put(format!("{}/{bucket}", self.endpoint)).send().await.expect("create bucket");
        assert!(r.status().is_success(), "create bucket: {}", r.status());
    }

    /// The bucket's objects below `prefix`, read with a client of their own (not the app's).
    fn bucket(&self, bucket: &str, prefix: &str) -> Storage {
        let url = StorageUrl::S3 { bucket: bucket.into(), prefix: prefix.into() };
        Storage::open_with(&url, &self.settings()).unwrap()
    }

    fn settings(&self) -> S3Settings {
        S3Settings {
            endpoint: Some(self.endpoint.clone()),
            region: Some("us-east-1".into()),
            access_key_id: Some("testing".into()),
            secret_access_key: Some("testing".into()),
            allow_http: true,
        }
    }
}

fn one_cdr(account: i64, external: &str) -> String {
    json!([{
        "externalId": external, "accountId": account, "direction": "outgoing",
        "timeStart": "2026-03-02T10:00:00Z", "duration": 42, "success": true,
        "srcNumber": "+4420123456", "dstNumber": "4930123456", "destinationPrefix": "49",
        "destinationName": "Germany", "rate": "0.012000", "price": "0.008400",
        "disconnectCode": 16, "disconnectReason": "Normal",
    }])
    .to_string()
}

async fn cdr_id(app: &TestApp, external: &'static str) -> i64 {
    app.db(move |c| {
        use diesel::prelude::*;
        use portico::db::schema::cdrs;
        cdrs::table.filter(cdrs::external_id.eq(external)).select(cdrs::id).first(c).unwrap()
    })
    .await
}

fn local_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

/// Recordings and PDFs go to S3 and come back in ranges through the portal; nothing lands in
/// the local recordings folder.
async fn files_live_in_s3(kind: Kind) {
    let Some(moto) = Moto::start().await else { return };
    moto.create_bucket("portico-test").await;
    let settings = moto.settings();
    let url = StorageUrl::S3 { bucket: "portico-test".into(), prefix: "prod".into() };
    let Some(app) = TestApp::start_with(kind, |c| {
        c.storage = Some(url.clone());
        c.s3 = settings;
    })
    .await
    else {
        eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set");
        return;
    };
    let token = staff_token(&app).await;
    let (b, c, _) = customer_with(&app, "s3@acme.example", Role::User, &all_keys()).await;
    let a = account_of(&app, c).await;
    let r = send(&app, &token, "POST", "/api/v1/cdrs", "application/json", &one_cdr(a, "s3-1")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let cdr = cdr_id(&app, "s3-1").await;
    let audio = portico::demo::wav_tone(2, 440.0);
    let put = |bytes: Vec<u8>| {
        let auth = format!("Bearer {token}");
        let base = app.base.clone();
        async move {
            Browser::new(&base)
                .request_bytes(
                    "PUT",
                    &format!("/api/v1/cdrs/{cdr}/recording"),
                    &[("Authorization", &auth), ("Content-Type", "audio/wav")],
                    bytes,
                )
                .await
        }
    };
    assert_eq!(put(audio.clone()).await.status, 204);
    let path = format!("/portal/cdrs/outgoing/{cdr}/recording");
    let part = b.get_with(&path, &[("Range", "bytes=100-199")]).await;
    assert_eq!(part.status, 206, "{}", part.body);
    assert_eq!(part.bytes, audio[100..200].to_vec());
    assert_eq!(part.header("content-range"), Some(format!("bytes 100-199/{}", audio.len()).as_str()));
    assert_eq!(part.header("content-type"), Some("audio/wav"));
    let key: String = app
        .db(move |c| {
            use diesel::prelude::*;
            use portico::db::schema::cdrs;
            cdrs::table.find(cdr).select(cdrs::recording).first::<Option<String>>(c).unwrap().unwrap()
        })
        .await;
    let bucket = moto.bucket("portico-test", "prod");
    assert!(bucket.read_all(&key).await.unwrap() == audio, "S3 holds the uploaded bytes under prod/{key}");
    assert_eq!(local_files(&app.prepared.state.config.recordings_dir), 0, "nothing in the local folder");
    // A second upload replaces the first: the old object is removed.
    let newer = portico::demo::wav_tone(1, 880.0);
    assert_eq!(put(newer.clone()).await.status, 204);
    assert!(bucket.meta(&key).await.unwrap().is_none(), "the replaced file is gone");
    assert_eq!(b.get(&path).await.bytes, newer);
    assert_eq!(bucket.keys("").await.unwrap().len(), 1, "one recording in the bucket");

    // An invoice PDF: stored under invoices/{id}.pdf, served with ranges.
    let inv = invoice(&app, &token, a, "S3-1").await;
    let pdf = "%PDF-1.4 a small invoice";
    let r = send(&app, &token, "PUT", &format!("/api/v1/invoices/{inv}/pdf"), "application/pdf", pdf).await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(&bucket.read_all(&format!("invoices/{inv}.pdf")).await.unwrap()[..], pdf.as_bytes());
    let got = b.get_with(&format!("/portal/invoices/{inv}/pdf"), &[("Range", "bytes=0-4")]).await;
    assert_eq!(got.status, 206);
    assert_eq!(got.body, "%PDF-");
    assert_eq!(got.header("content-disposition"), Some("attachment; filename=\"invoice-S3-1.pdf\""));
    assert_eq!(b.get(&format!("/portal/invoices/{inv}/pdf")).await.body, pdf);
    assert_eq!(local_files(&app.prepared.state.config.recordings_dir), 0);
}

#[actix_web::test]
async fn files_live_in_s3_sqlite() {
    files_live_in_s3(Kind::Sqlite).await;
}

#[actix_web::test]
async fn files_live_in_s3_postgres() {
    files_live_in_s3(Kind::Postgres).await;
}

fn migrate_storage(app: &TestApp, store: &std::path::Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_portico"))
        .arg("migrate-storage")
        .env("DATABASE_URL", &app.db.url)
        .env("PORTICO_RECORDINGS_DIR", &app.prepared.state.config.recordings_dir)
        .env("PORTICO_STORAGE_URL", format!("file://{}", store.display()))
        .env("PORTICO_LOG", "warn")
        .output()
        .expect("run portico");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// `portico migrate-storage` copies the local recordings and moves PDFs kept in the database
/// (by older versions) into the configured store, and finds nothing to do the second time.
async fn migrate_storage_moves_local_files_once(app: TestApp) {
    let token = staff_token(&app).await;
    let (b, c, _) = customer_with(&app, "mig@acme.example", Role::User, &all_keys()).await;
    let a = account_of(&app, c).await;
    send(&app, &token, "POST", "/api/v1/cdrs", "application/json", &one_cdr(a, "mig-1")).await;
    let cdr = cdr_id(&app, "mig-1").await;
    let r = send(&app, &token, "PUT", &format!("/api/v1/cdrs/{cdr}/recording"), "audio/wav", "RIFF....WAVEfmt ").await;
    assert_eq!(r.status, 204);
    assert_eq!(local_files(&app.prepared.state.config.recordings_dir), 1, "the default store is the local folder");
    let inv = invoice(&app, &token, a, "OLD-1").await;
    // A PDF as an older version kept it: in the database. It is served from there.
    app.db(move |c| portico::billing::Invoice::set_pdf(c, inv, b"%PDF-1.3 kept in the database").unwrap()).await;
    assert_eq!(b.get(&format!("/portal/invoices/{inv}/pdf")).await.body, "%PDF-1.3 kept in the database");

    let store = tempfile::tempdir().unwrap();
    let first = migrate_storage(&app, store.path());
    assert!(first.contains("recordings: 1 copied, 0 already"), "{first}");
    assert!(first.contains("invoice PDFs: 1 moved"), "{first}");
    let again = migrate_storage(&app, store.path());
    assert!(again.contains("recordings: 0 copied, 1 already"), "{again}");
    assert!(again.contains("invoice PDFs: 0 moved"), "{again}");
    let target = Storage::open(&StorageUrl::File(store.path().into())).unwrap();
    assert_eq!(&target.read_all(&format!("invoices/{inv}.pdf")).await.unwrap()[..], b"%PDF-1.3 kept in the database");
    let mut keys = target.keys("").await.unwrap();
    keys.sort();
    assert_eq!(keys.len(), 2, "{keys:?}");
    let content: Vec<u8> = app
        .db(move |c| {
            use diesel::prelude::*;
            use portico::db::schema::invoice_pdfs;
            invoice_pdfs::table.find(inv).select(invoice_pdfs::content).first(c).unwrap()
        })
        .await;
    assert!(content.is_empty(), "the database row only says the PDF is in the store");
}
both!(migrate_storage_moves_local_files_once);
