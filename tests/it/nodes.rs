//! SPEC §12/§13: several `portico serve` processes on one database behave as one.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Browser, Kind, TestDb};

/// A `portico serve` process on a free port; killed when dropped.
pub struct Node {
    child: Child,
    pub base: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Node {
    pub fn spawn(db_url: &str, env: &[(&str, &str)]) -> Node {
        let port = free_port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_portico"));
        cmd.arg("serve")
            .env("DATABASE_URL", db_url)
            .env("PORTICO_BIND", format!("127.0.0.1:{port}"))
            .env("PORTICO_LOG", "warn")
            .env("PORTICO_DB_POOL_SIZE", "4")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        Node { child: cmd.spawn().expect("start portico serve"), base: format!("http://127.0.0.1:{port}") }
    }

    /// Waits until `/readyz` answers 200 (false if the process ended or the deadline passed).
    pub async fn ready(&mut self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        let client = awc::Client::builder().timeout(Duration::from_secs(2)).finish();
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                eprintln!("node {} exited: {status}", self.base);
                return false;
            }
            if let Ok(r) = client.get(format!("{}/readyz", self.base)).send().await
                && r.status() == 200
            {
                return true;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Three nodes started at the same moment on an empty database all come up: migrations run
/// once, under a lock, and the others find nothing left to do.
async fn three_nodes_start_at_once(kind: Kind) {
    let Some(db) = TestDb::new(kind) else {
        eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set");
        return;
    };
    let mut nodes: Vec<Node> = (0..3).map(|_| Node::spawn(&db.url, &[])).collect();
    for n in nodes.iter_mut() {
        assert!(n.ready(Duration::from_secs(60)).await, "{} never became ready", n.base);
    }
    for n in &nodes {
        assert_eq!(n.browser().get("/login").await.status, 200, "{}", n.base);
    }
}

#[actix_web::test]
async fn three_nodes_start_at_once_sqlite() {
    three_nodes_start_at_once(Kind::Sqlite).await;
}

#[actix_web::test]
async fn three_nodes_start_at_once_postgres() {
    three_nodes_start_at_once(Kind::Postgres).await;
}
