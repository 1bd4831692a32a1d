//! Configuration: one struct, filled from flags or environment variables by the CLI
//! (see `main.rs`) and validated once at start.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::db::DbUrl;

#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Database URL: `sqlite://FILE` (or a bare path) or `postgres://…`; the scheme picks the
    /// backend. Default `sqlite://portico.db` (`sqlite://portico-demo.db` for `demo`).
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "PORTICO_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: String,
    /// Public URL people use to reach the portal; https turns on Secure cookies and HSTS.
    #[arg(long, env = "PORTICO_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "PORTICO_SESSION_IDLE_MINUTES", default_value_t = 30, global = true)]
    pub session_idle_minutes: u32,
    /// Hours after login after which a session ends regardless of activity.
    #[arg(long, env = "PORTICO_SESSION_MAX_HOURS", default_value_t = 12, global = true)]
    pub session_max_hours: u32,
    /// Database connections in the pool.
    #[arg(long, env = "PORTICO_DB_POOL_SIZE", default_value_t = 10, global = true)]
    pub db_pool_size: u32,
    /// Seconds a request waits for a database connection before answering 503.
    #[arg(long, env = "PORTICO_DB_TIMEOUT_SECONDS", default_value_t = 5, global = true)]
    pub db_timeout_seconds: u64,
    /// A PostgreSQL hot standby for the heavy reads (CDR lists, exports, daily reports,
    /// statistics); everything else stays on `DATABASE_URL`. Reads fall back to the primary
    /// while the replica is unreachable.
    #[arg(long, env = "PORTICO_READ_DATABASE_URL", global = true)]
    pub read_database_url: Option<String>,
    /// Where recordings and invoice PDFs are kept: `file:///PATH` or `s3://BUCKET/PREFIX`
    /// (with the standard `AWS_*` variables). Default: the recordings directory.
    #[arg(long, env = "PORTICO_STORAGE_URL", global = true)]
    pub storage_url: Option<String>,
    /// Keep this many whole calendar months of CDRs before the current one; older months are
    /// removed daily (and by `portico prune`). Unset: keep everything.
    #[arg(long, env = "PORTICO_CDR_RETENTION_MONTHS", global = true)]
    pub cdr_retention_months: Option<u32>,
    /// Directory where call recordings are stored.
    #[arg(long, env = "PORTICO_RECORDINGS_DIR", default_value = "recordings", global = true)]
    pub recordings_dir: PathBuf,
    /// Tracing filter, e.g. `info` or `portico=debug,actix_web=info`.
    #[arg(long, env = "PORTICO_LOG", default_value = "info", global = true)]
    pub log: String,
    /// Log format: `text` or `json`.
    #[arg(long, env = "PORTICO_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: String,
    /// Proxies whose `X-Forwarded-For` is believed (comma-separated addresses or CIDR ranges,
    /// e.g. `10.0.0.0/8,127.0.0.1`). Default: none — the client is the socket peer.
    #[arg(long, env = "PORTICO_TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: String,
    /// Password hashes computed at once (default: the number of CPUs); more sign-ins wait briefly,
    /// then get 503 with `Retry-After`.
    #[arg(long, env = "PORTICO_HASH_CONCURRENCY", global = true)]
    pub hash_concurrency: Option<usize>,
    /// Failed sign-ins per client address within 15 minutes before that address is refused.
    #[arg(long, env = "PORTICO_LOGIN_IP_LIMIT", default_value_t = 50, global = true)]
    pub login_ip_limit: u32,
    /// Bearer token that opens `GET /metrics`; without it the route answers 404.
    #[arg(long, env = "PORTICO_METRICS_TOKEN", global = true, hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// SMTP server for e-mail: `smtp://HOST:PORT`, `smtp://USER:PASS@HOST:PORT?tls=required`
    /// (STARTTLS) or `smtps://USER:PASS@HOST`. Unset: nothing is sent and the forgot-password
    /// link is not offered.
    #[arg(long, env = "PORTICO_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of e-mail, e.g. `Portico <portal@example.com>`.
    #[arg(long, env = "PORTICO_MAIL_FROM", default_value = "Portico <portico@localhost>", global = true)]
    pub mail_from: String,
    /// Seconds before the first retry of a message the mail server did not take (then doubling,
    /// at most an hour).
    #[arg(long, env = "PORTICO_MAIL_RETRY_SECONDS", default_value_t = 30, global = true)]
    pub mail_retry_seconds: u64,
    /// Staff without a second factor are sent to set one up before anything else.
    #[arg(long, env = "PORTICO_REQUIRE_STAFF_2FA", default_value_t = false, global = true, action = clap::ArgAction::Set)]
    pub require_staff_2fa: bool,
    /// Cryptomus merchant id (crypto top-ups are hidden without it).
    #[arg(long, env = "PORTICO_CRYPTOMUS_MERCHANT", global = true)]
    pub cryptomus_merchant: Option<String>,
    /// Cryptomus payment API key.
    #[arg(long, env = "PORTICO_CRYPTOMUS_KEY", global = true, hide_env_values = true)]
    pub cryptomus_key: Option<String>,
    /// Cryptomus API base URL.
    #[arg(long, env = "PORTICO_CRYPTOMUS_BASE_URL", default_value = "https://api.cryptomus.com", global = true)]
    pub cryptomus_base_url: String,
    /// Seconds to wait for the payment provider to create an invoice; after that the top-up
    /// stays pending (its webhook may still come).
    #[arg(long, env = "PORTICO_CRYPTOMUS_TIMEOUT_SECONDS", default_value_t = 20, global = true)]
    pub cryptomus_timeout_seconds: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database: DbUrl,
    pub bind: String,
    pub public_url: Option<String>,
    pub https: bool,
    pub session_idle: Duration,
    pub session_max: Duration,
    pub db_pool_size: u32,
    pub db_timeout: Duration,
    pub recordings_dir: PathBuf,
    pub log: String,
    pub log_format: LogFormat,
    pub cryptomus: Option<CryptomusConfig>,
    pub read_database: Option<DbUrl>,
    /// `PORTICO_STORAGE_URL`; `None`: the recordings directory (see [`Config::storage_url`]).
    pub storage: Option<crate::storage::StorageUrl>,
    /// S3 settings that win over the `AWS_*` variables (empty from the command line: the
    /// variables apply).
    pub s3: crate::storage::S3Settings,
    pub cdr_retention_months: Option<u32>,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub hash_concurrency: usize,
    pub login_ip_limit: u32,
    pub metrics_token: Option<String>,
    /// E-mail through SMTP; `None` without `PORTICO_SMTP_URL`.
    pub mail: Option<crate::mail::sender::MailConfig>,
    pub require_staff_2fa: bool,
}

#[derive(Debug, Clone)]
pub struct CryptomusConfig {
    pub merchant: String,
    pub key: String,
    pub base_url: String,
    /// How long invoice creation may take.
    pub timeout: Duration,
}

impl Config {
    /// Validates the arguments; `default_db` applies when no database URL was given.
    pub fn from_args(a: &ConfigArgs, default_db: &str) -> anyhow::Result<Config> {
        let database = DbUrl::parse(a.database_url.as_deref().unwrap_or(default_db))?;
        let public_url = a.public_url.as_ref().map(|u| u.trim_end_matches('/').to_string());
        let https = match &public_url {
            Some(u) if u.starts_with("https://") => true,
            Some(u) if u.starts_with("http://") => false,
            Some(u) => {
                anyhow::bail!("PORTICO_PUBLIC_URL must start with http:// or https:// (got {u})")
            }
            None => false,
        };
        if a.session_idle_minutes == 0 || a.session_idle_minutes > 24 * 60 {
            anyhow::bail!("PORTICO_SESSION_IDLE_MINUTES must be between 1 and 1440");
        }
        if a.session_max_hours == 0 || a.session_max_hours > 24 * 30 {
            anyhow::bail!("PORTICO_SESSION_MAX_HOURS must be between 1 and 720");
        }
        if a.db_pool_size == 0 || a.db_pool_size > 512 {
            anyhow::bail!("PORTICO_DB_POOL_SIZE must be between 1 and 512");
        }
        let log_format = match a.log_format.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => anyhow::bail!("PORTICO_LOG_FORMAT must be `text` or `json` (got {other})"),
        };
        let read_database = match a.read_database_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) => {
                let url = DbUrl::parse(u)?;
                if url.backend() != crate::db::Backend::Postgres || database.backend() != crate::db::Backend::Postgres {
                    anyhow::bail!("PORTICO_READ_DATABASE_URL is a PostgreSQL hot standby of a PostgreSQL DATABASE_URL");
                }
                Some(url)
            }
        };
        let storage = match a.storage_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) => Some(crate::storage::StorageUrl::parse(u)?),
            None => None,
        };
        if a.cdr_retention_months == Some(0) {
            anyhow::bail!("PORTICO_CDR_RETENTION_MONTHS must be at least 1 (or unset: keep everything)");
        }
        let mut trusted_proxies = Vec::new();
        for part in a.trusted_proxies.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let net = part
                .parse::<ipnet::IpNet>()
                .or_else(|_| part.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| anyhow::anyhow!("PORTICO_TRUSTED_PROXIES: `{part}` is not an address or CIDR range"))?;
            trusted_proxies.push(net);
        }
        let hash_concurrency =
            a.hash_concurrency.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
        if hash_concurrency == 0 || hash_concurrency > 256 {
            anyhow::bail!("PORTICO_HASH_CONCURRENCY must be between 1 and 256");
        }
        if a.login_ip_limit == 0 {
            anyhow::bail!("PORTICO_LOGIN_IP_LIMIT must be at least 1");
        }
        let metrics_token = a.metrics_token.clone().filter(|t| !t.trim().is_empty());
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            anyhow::bail!("PORTICO_METRICS_TOKEN must have at least 16 characters");
        }
        let mail = match a.smtp_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) => {
                let m = crate::mail::sender::MailConfig {
                    smtp_url: u.to_string(),
                    from: a.mail_from.trim().to_string(),
                    retry: Duration::from_secs(a.mail_retry_seconds.clamp(1, 3600)),
                    poll: Duration::from_secs(1),
                };
                crate::mail::sender::check(&m)?;
                Some(m)
            }
        };
        let cryptomus = match (&a.cryptomus_merchant, &a.cryptomus_key) {
            (Some(m), Some(k)) if !m.is_empty() && !k.is_empty() => Some(CryptomusConfig {
                merchant: m.clone(),
                key: k.clone(),
                base_url: a.cryptomus_base_url.trim_end_matches('/').to_string(),
                timeout: Duration::from_secs(a.cryptomus_timeout_seconds.clamp(1, 120)),
            }),
            _ => None,
        };
        Ok(Config {
            database,
            bind: a.bind.clone(),
            public_url,
            https,
            session_idle: Duration::from_secs(u64::from(a.session_idle_minutes) * 60),
            session_max: Duration::from_secs(u64::from(a.session_max_hours) * 3600),
            db_pool_size: a.db_pool_size,
            db_timeout: Duration::from_secs(a.db_timeout_seconds.clamp(1, 120)),
            recordings_dir: a.recordings_dir.clone(),
            log: a.log.clone(),
            log_format,
            cryptomus,
            read_database,
            storage,
            s3: crate::storage::S3Settings::default(),
            cdr_retention_months: a.cdr_retention_months,
            trusted_proxies,
            hash_concurrency,
            login_ip_limit: a.login_ip_limit,
            metrics_token,
            mail,
            require_staff_2fa: a.require_staff_2fa,
        })
    }

    /// A configuration for the given database with every other value at its default.
    pub fn for_database(url: &str) -> anyhow::Result<Config> {
        use clap::Parser;
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            args: ConfigArgs,
        }
        let mut only = Only::try_parse_from(["portico"])?;
        only.args.database_url = Some(url.to_string());
        Config::from_args(&only.args, url)
    }

    /// Where files are kept: `PORTICO_STORAGE_URL`, else the recordings directory.
    pub fn storage_url(&self) -> anyhow::Result<crate::storage::StorageUrl> {
        match &self.storage {
            Some(u) => Ok(u.clone()),
            None => Ok(crate::storage::StorageUrl::File(
                std::path::absolute(&self.recordings_dir)
                    .map_err(|e| anyhow::anyhow!("PORTICO_RECORDINGS_DIR {}: {e}", self.recordings_dir.display()))?,
            )),
        }
    }

    /// The base of links sent by e-mail: `PORTICO_PUBLIC_URL`, else the listen address.
    pub fn portal_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.bind))
    }

    pub fn cookie_name(&self) -> &'static str {
        if self.https { "__Host-portico" } else { "portico" }
    }
}
