//! The `portico` command line: parse, load configuration, call into the library.

use std::io::{BufRead, IsTerminal};

use clap::{Parser, Subcommand};
use portico::config::{Config, ConfigArgs};

#[derive(Parser)]
#[command(name = "portico", version, about = "Customer self-service portal for telecom and billing operators")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply database migrations, then serve the portal.
    Serve,
    /// Open (or create) portico-demo.db, fill it with demo data when empty, print the logins, serve.
    Demo {
        /// How many CDRs to generate (only when the database has none yet).
        #[arg(long, default_value_t = 1_000_000)]
        cdrs: usize,
    },
    /// Bulk-load CDRs from a CSV file (header row with the API's field names), all or nothing.
    ImportCdrs {
        /// The CSV file.
        file: std::path::PathBuf,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Copy the local recordings folder and the invoice PDFs kept in the database into the
    /// configured file store (PORTICO_STORAGE_URL); can be re-run.
    MigrateStorage,
    /// Apply CDR retention (PORTICO_CDR_RETENTION_MONTHS) once: remove older months of CDRs with
    /// their rollups and recordings, and print what was removed.
    Prune,
    /// Create a staff administrator (password from PORTICO_ADMIN_PASSWORD or standard input).
    CreateAdmin {
        /// E-mail address of the new administrator.
        #[arg(long)]
        email: String,
    },
    /// Create a personal API token for a user and print it (on the last line).
    CreateToken {
        /// E-mail address of the user the token acts as.
        #[arg(long)]
        email: String,
        /// A name to recognise the token by.
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

fn main() {
    let cli = Cli::parse();
    let default_db = match cli.command {
        Command::Demo { .. } => "sqlite://portico-demo.db",
        _ => "sqlite://portico.db",
    };
    let config = match Config::from_args(&cli.config, default_db) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    };
    portico::init_logging(&config.log, config.log_format);
    if let Err(e) = run(cli.command, config) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let prepared = portico::prepare(config)?;
            actix_web::rt::System::new().block_on(portico::serve(prepared))
        }
        Command::Demo { cdrs } => {
            let prepared = portico::prepare(config)?;
            let mut conn = prepared.state.pool.get()?;
            let logins = portico::demo::seed(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))?;
            let started = std::time::Instant::now();
            let bar = indicatif::ProgressBar::new(cdrs as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("generating CDRs {bar:40} {pos}/{len} ({per_sec}, {eta} left)")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let dir = prepared.state.config.recordings_dir.clone();
            let generated = {
                use diesel::Connection;
                conn.transaction(|c| {
                    portico::demo::seed_traffic(c, &dir, cdrs, &mut |done, _| bar.set_position(done as u64))
                })
                .map_err(|e| anyhow::anyhow!("{e}"))?
            };
            bar.finish_and_clear();
            if generated {
                println!("generated {cdrs} CDRs with billing data in {:.1} s", started.elapsed().as_secs_f64());
            }
            drop(conn);
            let url = prepared
                .state
                .config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", prepared.state.config.bind));
            println!("\nPortico demo is starting at {url}\n");
            println!("Sign in with one of these (passwords are new on every start):");
            for l in &logins {
                println!("  {:<28} {:<22} {}", l.email, l.password, l.what);
            }
            println!();
            actix_web::rt::System::new().block_on(portico::serve(prepared))
        }
        Command::ImportCdrs { file } => {
            let mut conn = portico::migrated_connection(&config)?;
            let r = portico::traffic::import::import_file(&mut conn, &file)?;
            println!("{} rows read, {} CDRs inserted, {} already known", r.received, r.inserted, r.duplicates);
            Ok(())
        }
        Command::Prune => {
            let Some(months) = config.cdr_retention_months else {
                println!("PORTICO_CDR_RETENTION_MONTHS is not set: every CDR is kept, nothing removed");
                return Ok(());
            };
            let mut conn = portico::migrated_connection(&config)?;
            let storage = portico::storage::Storage::open_with(&config.storage_url()?, &config.s3)?;
            let actor = portico::audit::Actor::system();
            let now = portico::traffic::time::now_ms();
            let r = portico::traffic::retention::prune(&mut conn, &actor, months, now)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let files = actix_web::rt::System::new()
                .block_on(portico::traffic::retention::delete_recordings(&storage, &r.recordings));
            println!("{}", r.summary());
            if files.failed > 0 {
                anyhow::bail!("{} recording(s) could not be deleted from storage (see the log)", files.failed);
            }
            Ok(())
        }
        Command::Migrate => {
            let mut conn = portico::migrated_connection(&config)?;
            let current = portico::db::migrations_current(&mut conn)?;
            println!("database migrations are {}", if current { "current" } else { "NOT current" });
            Ok(())
        }
        Command::MigrateStorage => {
            let mut conn = portico::migrated_connection(&config)?;
            let target = config.storage_url()?;
            let storage = portico::storage::Storage::open_with(&target, &config.s3)?;
            let local = std::path::absolute(&config.recordings_dir)?;
            actix_web::rt::System::new().block_on(async {
                let (copied, present) = if target == portico::storage::StorageUrl::File(local.clone()) {
                    (0, 0) // the store is the recordings folder itself
                } else {
                    portico::traffic::recordings::copy_local(&local, &storage)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?
                };
                println!("recordings: {copied} copied, {present} already in {}", target.describe());
                let moved = portico::billing::move_pdfs_to_storage(&mut conn, &storage)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("invoice PDFs: {moved} moved from the database");
                Ok(())
            })
        }
        Command::CreateAdmin { email } => {
            let password = match std::env::var("PORTICO_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    if std::io::stdin().is_terminal() {
                        eprint!("Password for {email}: ");
                    }
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let mut conn = portico::migrated_connection(&config)?;
            let id = portico::users::admin::create_admin(&mut conn, &email, &password)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("created staff administrator {email} (id {id})");
            Ok(())
        }
        Command::CreateToken { email, name } => {
            let mut conn = portico::migrated_connection(&config)?;
            let token =
                portico::users::admin::create_token(&mut conn, &email, &name).map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!("API token for {email} (shown once; store it safely):");
            println!("{token}");
            Ok(())
        }
    }
}
