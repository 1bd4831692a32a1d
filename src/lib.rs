//! Portico: a customer self-service portal for telecom and billing operators.
//!
//! `lib.rs` is the app factory: configuration → database pool → actix `App`. The binary
//! (`main.rs`) and the integration tests both build the application through it.

pub mod access;
pub mod api;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod config;
pub mod csv_safe;
pub mod customers;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod i18n;
pub mod mail;
pub mod money;
pub mod numberlists;
pub mod numbers;
pub mod openapi;
pub mod payments;
pub mod profiles;
pub mod rateplans;
pub mod routes;
pub mod storage;
pub mod telemetry;
pub mod traffic;
pub mod users;
pub mod web;

use std::time::Duration;

use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_web::body::MessageBody;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, web as aweb};
use base64::Engine;
use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;

pub use config::Config;
pub use error::{AppError, AppResult};

use crate::db::Pool;

/// Now, in UTC, at the microsecond precision both databases store.
pub fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}

/// Shared by every request.
pub struct AppState {
    pub pool: Pool,
    pub config: Config,
    /// Signs the CSRF tokens of anonymous forms (the same on every node: kept in the database).
    pub csrf_secret: [u8; 32],
    /// Recordings and invoice PDFs.
    pub storage: storage::Storage,
    /// The hot standby for heavy reads, when configured.
    pub replica: Option<std::sync::Arc<db::replica::Replica>>,
    /// The exports running on this node (at most two per person).
    pub exports: http::export::Slots,
    /// The customer contexts this node has read, checked against the access epoch.
    pub contexts: access::resolve::Contexts,
}

impl AppState {
    /// Runs a heavy read (CDR lists, exports, daily reports, statistics) on the read replica
    /// when there is one that answers, else on the primary.
    pub async fn read<F, T>(&self, f: F) -> AppResult<T>
    where
        F: Fn(&mut db::DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        db::replica::run_read(&self.pool, self.replica.as_ref(), f).await
    }
}

/// A ready-to-serve application: pool opened, migrations applied, cookie key loaded.
#[derive(Clone)]
pub struct Prepared {
    pub state: aweb::Data<AppState>,
    pub key: Key,
}

/// Opens the database, applies migrations and loads the session cookie key.
pub fn prepare(config: Config) -> anyhow::Result<Prepared> {
    telemetry::install();
    auth::hasher::Hasher::init(config.hash_concurrency);
    auth::login::init(config.db_pool_size, config.db_timeout);
    let pool = db::build_pool(&config.database, config.db_pool_size, config.db_timeout)?;
    let mut conn = pool.get().map_err(|e| anyhow::anyhow!("cannot get a database connection: {e}"))?;
    let applied = db::run_migrations(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    traffic::partitions::ensure(&mut conn, traffic::partitions::ahead(traffic::time::now_ms()))?;
    let key = Key::try_from(server_secret(&mut conn, "session_cookie_key", 64)?.as_slice())
        .map_err(|e| anyhow::anyhow!("stored session key is invalid: {e}"))?;
    let csrf: [u8; 32] = server_secret(&mut conn, "csrf_secret", 32)?
        .try_into()
        .map_err(|_| anyhow::anyhow!("stored CSRF secret has the wrong length"))?;
    drop(conn);
    let storage = storage::Storage::open_with(&config.storage_url()?, &config.s3)?;
    let replica =
        config.read_database.as_ref().map(|u| std::sync::Arc::new(db::replica::Replica::open(u, config.db_pool_size)));
    Ok(Prepared {
        state: aweb::Data::new(AppState {
            pool,
            config,
            csrf_secret: csrf,
            storage,
            replica,
            exports: Default::default(),
            contexts: Default::default(),
        }),
        key,
    })
}

/// One migrated connection, without a pool, for the one-shot commands: no pool threads are
/// left opening connections while the process exits.
pub fn migrated_connection(config: &Config) -> anyhow::Result<db::DbConnection> {
    let mut conn = db::connect(&config.database)?;
    let applied = db::run_migrations(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    traffic::partitions::ensure(&mut conn, traffic::partitions::ahead(traffic::time::now_ms()))?;
    Ok(conn)
}

/// A server secret of `len` random bytes, generated once and shared by every node through the
/// database (the session cookie key, the CSRF signing key).
fn server_secret(conn: &mut db::DbConnection, name: &str, len: usize) -> anyhow::Result<Vec<u8>> {
    use db::schema::settings;
    let existing: Option<String> = settings::table.find(name).select(settings::value).first(conn).optional()?;
    let encoded = match existing {
        Some(v) => v,
        None => {
            let mut fresh = vec![0u8; len];
            rand::RngCore::fill_bytes(&mut rand::rng(), &mut fresh);
            let v = base64::engine::general_purpose::STANDARD.encode(&fresh);
            // Two nodes starting at once: the first insert wins, both read it back.
            let _ = diesel::insert_into(settings::table)
                .values((settings::key.eq(name), settings::value.eq(&v)))
                .execute(conn);
            settings::table.find(name).select(settings::value).first(conn)?
        }
    };
    Ok(base64::engine::general_purpose::STANDARD.decode(encoded)?)
}

/// Builds the actix application. Middleware, outermost first: request log, security headers,
/// error pages, then (for everything but probes and static files) sessions and CSRF; then the
/// route table of [`routes`].
pub fn build_app(
    p: Prepared,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let cfg = &p.state.config;
    let idle = actix_web::cookie::time::Duration::seconds(cfg.session_idle.as_secs() as i64);
    let sessions = SessionMiddleware::builder(
        http::session_store::DbSessionStore::new(p.state.pool.clone(), cfg.session_max),
        p.key.clone(),
    )
    .cookie_name(cfg.cookie_name().to_string())
    .cookie_secure(cfg.https)
    .cookie_http_only(true)
    .cookie_same_site(SameSite::Lax)
    .cookie_path("/".into())
    .cookie_content_security(CookieContentSecurity::Private)
    .session_lifecycle(
        BrowserSession::default().state_ttl(idle).state_ttl_extension_policy(TtlExtensionPolicy::OnEveryRequest),
    )
    .build();

    App::new()
        .app_data(p.state.clone())
        .configure(routes::configure_sessionless)
        .service(aweb::scope("").configure(routes::configure).wrap(from_fn(http::csrf::guard)).wrap(sessions))
        .wrap(from_fn(web::errors::render))
        .wrap(from_fn(web::headers::security))
        .wrap(from_fn(web::logging::log_requests))
}

/// The daily CDR work (partitions ahead, retention), looked at every hour; see
/// [`traffic::retention::daily`]. Recordings of pruned CDRs are deleted after the commit.
async fn cdr_upkeep(state: aweb::Data<AppState>) {
    let months = state.config.cdr_retention_months;
    let run = db::run(&state.pool, move |c| {
        traffic::retention::daily(c, &audit::Actor::system(), months, traffic::time::now_ms())
    });
    match run.await {
        Ok(Some(r)) => {
            let files = traffic::retention::delete_recordings(&state.storage, &r.recordings).await;
            if !r.is_empty() {
                tracing::info!(recordings_not_deleted = files.failed, "CDR retention: {}", r.summary());
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "CDR retention failed; trying again in an hour"),
    }
}

/// Serves until stopped. Also purges expired sessions every ten minutes, and applies CDR
/// retention once a day.
pub async fn serve(p: Prepared) -> anyhow::Result<()> {
    let upkeep = p.state.clone();
    actix_web::rt::spawn(async move {
        let mut hourly = tokio::time::interval(Duration::from_secs(3600));
        hourly.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            hourly.tick().await;
            cdr_upkeep(upkeep.clone()).await;
        }
    });
    let bind = p.state.config.bind.clone();
    let purge_pool = p.state.pool.clone();
    let max = p.state.config.session_max;
    std::thread::spawn(move || {
        for minute in 0u64.. {
            if let Ok(mut conn) = purge_pool.get() {
                if minute % 10 == 0 {
                    match auth::sessions::purge_expired(&mut conn, max) {
                        Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions purged"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "session purge failed"),
                    }
                }
                if let Err(e) = payments::cryptomus::flush_rejections(&mut conn) {
                    tracing::warn!(error = %e, "writing counted webhook refusals failed");
                }
                // Records of mail sent long ago.
                if let Err(e) = mail::outbox::purge(&mut conn) {
                    tracing::warn!(error = %e, "outbox purge failed");
                }
            }
            std::thread::sleep(Duration::from_secs(60));
        }
    });
    // E-mail goes out from its own thread, off every request's path.
    let _mail = match &p.state.config.mail {
        Some(m) => Some(mail::sender::spawn(p.state.pool.clone(), m.clone(), p.state.config.portal_url())?),
        None => None,
    };
    let app = p.clone();
    let server = actix_web::HttpServer::new(move || build_app(app.clone()))
        .bind(&bind)
        .map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
    for addr in server.addrs() {
        tracing::info!("Portico listening on http://{addr}");
    }
    server.run().await?;
    Ok(())
}

/// Sets up tracing with the configured filter and format.
pub fn init_logging(filter: &str, format: config::LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        config::LogFormat::Json => builder.json().flatten_event(true).try_init(),
        config::LogFormat::Text => builder.compact().try_init(),
    };
}
