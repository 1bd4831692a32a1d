//! Throwaway PostgreSQL clusters for replica and fault tests: a primary made with `initdb` on
//! a free port in a temporary folder, and hot standbys made from it with `pg_basebackup -R`.
//! They run as the `postgres` system user, never touch the machine's main cluster, and are
//! stopped and removed when dropped. Tests skip when the server binaries are not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The server binaries of the installed PostgreSQL (`/usr/lib/postgresql/N/bin`).
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> =
        std::fs::read_dir("/usr/lib/postgresql").ok()?.flatten().map(|e| e.path()).collect();
    versions.sort();
    versions.into_iter().rev().map(|v| v.join("bin")).find(|b| b.join("pg_ctl").exists())
}

fn as_postgres(program: &Path, args: &[&str]) -> std::process::Output {
    let runner = if nix_is_root() { Some("runuser") } else { None };
    let out = match runner {
        Some(r) => Command::new(r).args(["-u", "postgres", "--"]).arg(program).args(args).output(),
        None => Command::new(program).args(args).output(),
    };
    out.unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()))
}

fn nix_is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub struct Cluster {
    bin: PathBuf,
    /// Owns the folder; removed last.
    _root: tempfile::TempDir,
    data: PathBuf,
    pub port: u16,
    running: bool,
}

impl Cluster {
    fn check(out: std::process::Output, what: &str) {
        assert!(
            out.status.success(),
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn folder() -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("temp dir");
        let _ = Command::new("chown").args(["postgres", &root.path().display().to_string()]).status();
        root
    }

    /// A new primary that accepts replication from localhost. `None` without PostgreSQL's
    /// server binaries.
    pub fn primary() -> Option<Cluster> {
        let bin = bin_dir()?;
        let root = Cluster::folder();
        let data = root.path().join("data");
        let port = free_port();
        let d = data.display().to_string();
        Cluster::check(as_postgres(&bin.join("initdb"), &["-D", &d, "-A", "trust", "-U", "postgres"]), "initdb");
        let conf = format!(
            "\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{}'\n\
             wal_level = replica\nmax_wal_senders = 5\nfsync = off\nsynchronous_commit = off\n",
            root.path().display()
        );
        std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .and_then(|mut f| std::io::Write::write_all(&mut f, conf.as_bytes()))
            .expect("configure the cluster");
        std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("pg_hba.conf"))
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"\nhost replication all 127.0.0.1/32 trust\n"))
            .expect("allow replication");
        let mut c = Cluster { bin, _root: root, data, port, running: false };
        c.start();
        Some(c)
    }

    /// A hot standby of this primary, streaming from it.
    pub fn standby(&self) -> Cluster {
        let root = Cluster::folder();
        let data = root.path().join("data");
        let port = free_port();
        let d = data.display().to_string();
        let p = self.port.to_string();
        let args = ["-h", "127.0.0.1", "-p", &p, "-U", "postgres", "-D", &d, "-R", "-X", "stream"];
        Cluster::check(as_postgres(&self.bin.join("pg_basebackup"), &args), "pg_basebackup");
        let conf = format!("\nport = {port}\nunix_socket_directories = '{}'\n", root.path().display());
        std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .and_then(|mut f| std::io::Write::write_all(&mut f, conf.as_bytes()))
            .expect("configure the standby");
        let mut c = Cluster { bin: self.bin.clone(), _root: root, data, port, running: false };
        c.start();
        c
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    pub fn start(&mut self) {
        let d = self.data.display().to_string();
        let log = self.data.with_file_name("server.log").display().to_string();
        Cluster::check(as_postgres(&self.bin.join("pg_ctl"), &["-D", &d, "-l", &log, "-w", "start"]), "pg_ctl start");
        self.running = true;
    }

    /// Stops at once, as a crash would (`-m immediate`).
    pub fn stop(&mut self) {
        if self.running {
            let d = self.data.display().to_string();
            let _ = as_postgres(&self.bin.join("pg_ctl"), &["-D", &d, "-m", "immediate", "-w", "stop"]);
            self.running = false;
        }
    }

    /// Runs SQL with psql; returns its standard output (unaligned, tuples only).
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let p = self.port.to_string();
        let out = Command::new(self.bin.join("psql"))
            .args(["-h", "127.0.0.1", "-p", &p, "-U", "postgres", "-d", db, "-At", "-c", sql])
            .output()
            .expect("psql");
        Cluster::check(out.clone(), "psql");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

#[test]
fn a_standby_follows_its_primary() {
    let Some(primary) = Cluster::primary() else {
        eprintln!("skipped: PostgreSQL server binaries are not installed");
        return;
    };
    let standby = primary.standby();
    primary.psql("postgres", "CREATE TABLE probe(x int); INSERT INTO probe VALUES (42)");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut seen = String::new();
    while std::time::Instant::now() < deadline {
        seen = Command::new(standby.bin.join("psql"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &standby.port.to_string(),
                "-U",
                "postgres",
                "-At",
                "-c",
                "SELECT x FROM probe",
            ])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        if seen == "42" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(seen, "42", "the row reached the standby");
    assert_eq!(standby.psql("postgres", "SELECT pg_is_in_recovery()"), "t");
}
