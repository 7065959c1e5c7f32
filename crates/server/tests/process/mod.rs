//! The real `organise-server` process, for the tests that drive it over sockets (`crash.rs`,
//! `scale.rs`): a scratch database on the backend the run is for, the server started on a free
//! loopback port, and a small HTTP/1.1 client, one connection per request.
//!
//! The backend is chosen as for the router-level tests in `tests/it/`: SQLite by default,
//! PostgreSQL with `ORGANISE_TEST_BACKEND=postgres` and `ORGANISE_TEST_POSTGRES_URL` (a server
//! where this user may `CREATE DATABASE`).

// Each test binary that includes this module uses a different part of it.
#![allow(dead_code)]

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use organise_core::id::{AreaId, RecordId, UserId};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The password of every synthetic account these tests make.
pub const PASSWORD: &str = "a long synthetic test password";

/// How long any one request may take before the test gives up on it (a hung server, not a
/// performance limit).
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(30);

// --- The database ------------------------------------------------------------------------------

/// A fresh data directory, and on PostgreSQL a fresh database, removed when dropped. The
/// servers' logs are kept in the directory and printed if the test panics.
pub struct Scratch {
    pub dir: PathBuf,
    postgres: Option<PostgresDatabase>,
}

struct PostgresDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl Scratch {
    /// A new scratch database for the test called `test` (a short lower-case word, part of
    /// the database's name).
    pub async fn new(test: &str) -> Scratch {
        let name = unique_name(test);
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        let backend = std::env::var("ORGANISE_TEST_BACKEND").unwrap_or_else(|_| "sqlite".into());
        let postgres = match backend.as_str() {
            "sqlite" => None,
            "postgres" => {
                let admin_url = std::env::var("ORGANISE_TEST_POSTGRES_URL").expect(
                    "ORGANISE_TEST_BACKEND=postgres needs ORGANISE_TEST_POSTGRES_URL, a URL of a \
                     PostgreSQL server where this user may CREATE DATABASE",
                );
                let url = organise_server::db::create_database(&admin_url, &name)
                    .await
                    .expect("creating a database on the test PostgreSQL");
                Some(PostgresDatabase {
                    admin_url,
                    name,
                    url,
                })
            }
            other => panic!("ORGANISE_TEST_BACKEND must be sqlite or postgres, not {other:?}"),
        };
        Scratch { dir, postgres }
    }

    pub fn backend_name(&self) -> &'static str {
        if self.postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }

    /// The database's URL, for the test's own connection to it.
    pub fn database_url(&self) -> String {
        match &self.postgres {
            Some(postgres) => postgres.url.clone(),
            None => format!("sqlite:{}", self.dir.join("organise.db").display()),
        }
    }

    /// The database options every command gets.
    pub fn database_args(&self, command: &mut Command) {
        command.arg("--data-dir").arg(&self.dir);
        if let Some(postgres) = &self.postgres {
            command.args(["--database-url", &postgres.url]);
        }
    }

    /// Drops the PostgreSQL database (the directory goes on drop).
    pub async fn remove(mut self) {
        if let Some(postgres) = self.postgres.take() {
            postgres.drop_database().await;
        }
    }
}

impl PostgresDatabase {
    async fn drop_database(self) {
        organise_server::db::drop_database(&self.admin_url, &self.name)
            .await
            .unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // The servers' logs say what they saw (synthetic data only).
            let mut logs: Vec<PathBuf> = std::fs::read_dir(&self.dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|e| e == "log"))
                .collect();
            logs.sort();
            for log in logs {
                if let Ok(text) = std::fs::read_to_string(&log) {
                    eprintln!("--- {} ---\n{text}", log.display());
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        // After a failure the database is dropped here, on a runtime of its own.
        if let Some(postgres) = self.postgres.take() {
            let _ = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(postgres.drop_database());
            })
            .join();
        }
    }
}

fn unique_name(test: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    hasher.write_u32(std::process::id());
    format!("organise_{test}_{:016x}", hasher.finish())
}

// --- The server process ------------------------------------------------------------------------

const BINARY: &str = env!("CARGO_BIN_EXE_organise-server");

/// `organise-server create-admin` for an admin of `area` (the whole country if `None`), with
/// [`PASSWORD`] on standard input. The first one also creates the country and its regions.
pub fn create_admin(scratch: &Scratch, email: &str, area: Option<&str>) {
    let mut command = Command::new(BINARY);
    command.args([
        "create-admin",
        "--email",
        email,
        "--name",
        "Synthetic Admin",
    ]);
    if let Some(area) = area {
        command.args(["--area", area]);
    }
    scratch.database_args(&mut command);
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting organise-server create-admin");
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "create-admin failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A running `organise-server serve`, killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts the server on a free loopback port and waits until it answers. Its log goes to
    /// `server-{run}.log` in the scratch directory.
    pub async fn start(scratch: &Scratch, run: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let log_path = scratch.dir.join(format!("server-{run}.log"));
        let log = std::fs::File::create(&log_path).unwrap();
        let mut command = Command::new(BINARY);
        command
            .args(["serve", "--addr", &addr.to_string()])
            .arg("--dist")
            .arg(scratch.dir.join("no-client"));
        scratch.database_args(&mut command);
        let child = command
            .env("ORGANISE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("starting organise-server serve");
        let mut server = Server { child, addr };
        server.wait_until_up(&log_path).await;
        server
    }

    async fn wait_until_up(&mut self, log: &Path) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "the server exited with {status}:\n{}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
            let up = request(self.addr, "GET", "/api/health", None, &[]).await;
            if up.is_ok_and(|reply| reply.status == 200) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not answer within 60 s:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `SIGKILL`: no shutdown, no flushing, nothing after the instant of the kill.
    pub fn kill(&mut self) {
        self.child.kill().expect("killing the server");
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- A minimal HTTP/1.1 client -----------------------------------------------------------------

/// A signed-in session: the cookie, the CSRF token, the user and the area of their first role.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub user: UserId,
    pub area: AreaId,
}

impl Session {
    /// Signs in as `email` with [`PASSWORD`]; it must succeed.
    pub async fn sign_in(addr: SocketAddr, email: &str) -> Session {
        let reply = sign_in(addr, email, PASSWORD).await.expect("signing in");
        Session::from_reply(&reply, "sign-in")
    }

    /// The session a `200` answer of sign-in (or of accepting an invitation) started.
    pub fn from_reply(reply: &Reply, what: &str) -> Session {
        assert_eq!(reply.status, 200, "{what}: {}", reply.text());
        let cookie = reply
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .expect("a new session sets a cookie")
            .to_owned();
        let info: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        let parse = |value: &serde_json::Value| -> RecordId {
            value.as_str().expect("an id").parse().expect("a UUID")
        };
        Session {
            cookie,
            csrf: info["csrf_token"].as_str().unwrap().to_owned(),
            user: UserId(parse(&info["user"]["id"])),
            area: AreaId(parse(&info["user"]["roles"][0]["area"])),
        }
    }
}

/// `POST /api/session` with `email` and `password`, whatever the answer.
pub async fn sign_in(addr: SocketAddr, email: &str, password: &str) -> std::io::Result<Reply> {
    let body = serde_json::json!({ "email": email, "password": password }).to_string();
    request(addr, "POST", "/api/session", None, body.as_bytes()).await
}

/// A complete response.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text, for messages.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `POST` with `session`'s cookie and CSRF token.
pub async fn post(
    addr: SocketAddr,
    path: &str,
    session: &Session,
    body: &[u8],
) -> std::io::Result<Reply> {
    request(addr, "POST", path, Some(session), body).await
}

/// One request on a new connection (`Connection: close`). Only a complete response is `Ok`:
/// a connection reset, an early end of stream or a body shorter than its `Content-Length` is
/// an error, so a half-written answer is never taken for an acknowledgement.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    session: Option<&Session>,
    body: &[u8],
) -> std::io::Result<Reply> {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        if let Some(session) = session {
            head.push_str(&format!(
                "Cookie: {}\r\nx-csrf-token: {}\r\n",
                session.cookie, session.csrf
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse_reply(&raw)
    };
    tokio::time::timeout(REQUEST_DEADLINE, exchange)
        .await
        .unwrap_or_else(|_| Err(invalid("no answer within the deadline")))
}

fn invalid(why: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_owned())
}

/// Reads one whole response; anything cut off is an error.
pub fn parse_reply(raw: &[u8]) -> std::io::Result<Reply> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| invalid("the response ended before its headers did"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| invalid("non-UTF-8 headers"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let mut reply = Reply {
        status,
        headers,
        body: Vec::new(),
    };
    let rest = &raw[end + 4..];
    reply.body = if reply
        .header("transfer-encoding")
        .is_some_and(|te| te.eq_ignore_ascii_case("chunked"))
    {
        dechunk(rest)?
    } else if let Some(length) = reply.header("content-length") {
        let length: usize = length.parse().map_err(|_| invalid("bad Content-Length"))?;
        if rest.len() < length {
            return Err(invalid("the body is shorter than its Content-Length"));
        }
        rest[..length].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(reply)
}

/// Decodes a chunked body; one that ends before its last (empty) chunk is an error.
fn dechunk(mut rest: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| invalid("a chunk size line is cut off"))?;
        let size_text = std::str::from_utf8(&rest[..line_end])
            .map_err(|_| invalid("bad chunk size"))?
            .split(';')
            .next()
            .unwrap_or_default()
            .trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| invalid("bad chunk size"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        if rest.len() < size + 2 {
            return Err(invalid("a chunk is cut off"));
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// Awaits every task, propagating a panic in any of them.
pub async fn join_all<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        match handle.await {
            Ok(value) => out.push(value),
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
    out
}
