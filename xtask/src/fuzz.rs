//! `cargo xtask fuzz`: every endpoint of the JSON API fuzzed by Schemathesis from the API's own
//! OpenAPI document, against the release server with fresh demo data, signed in as the demo
//! organiser. Run on demand, never by `cargo xtask test`: it takes minutes and installs a
//! Python package.
//!
//! It fails if any answer was `500` (or the server's answer did not match its documented
//! schema). A `503` with `Retry-After` (the password-hashing gate, a busy database) and a `429`
//! (the sign-in throttle) are answers the API documents under load; they are counted apart.
//!
//! The two sign-out operations are fuzzed last, on their own: the first one that succeeds ends
//! the session every other request is made with. `fuzz_hooks.py` keeps most sync requests'
//! envelope acceptable (the protocol and schema versions the server reports, seqs from 1, the
//! organiser's areas), so that their mutations reach the sync protocol.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::{server, tools};

/// Schemathesis reads OpenAPI 3.1 natively from 4.0 (3.x needed `--experimental=openapi-3.1`).
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Test cases per operation unless `--max-examples` says otherwise.
const MAX_EXAMPLES: &str = "200";

/// What every answer is checked for: no server error, and a body that matches the schema
/// documented for its status.
const CHECKS: &str = "not_a_server_error,response_schema_conformance";

/// The operations that end the session; fuzzed after everything else.
const SIGN_OUTS: [&str; 2] = ["deleteSession", "deleteSessions"];

/// Runs the fuzzer. `extra` is passed to each `st run` (e.g. `--max-examples 50`,
/// `--seed 1`).
pub fn run(root: &Path, extra: &[String]) -> Result<()> {
    let st = tools::ensure_pip_tool("schemathesis", SCHEMATHESIS_VERSION, "st")?;
    crate::build_server(root)?;
    let target = crate::target_dir(root);
    let out = target.join("fuzz");
    std::fs::create_dir_all(&out)?;
    let log = out.join("server.log");
    let server = server::start_api_only(
        root,
        &target.join("release/organise-server"),
        &target.join("fuzz-data"),
        &log,
    )?;
    let session = sign_in(server.port, &server.email, &server.password)?;
    let versions = Versions::ask(server.port, &session)?;

    let started = Instant::now();
    let schema = format!("{}/api/openapi.json", server.base_url);
    let runs = [
        ("everything else", "main.har", "--exclude-operation-id"),
        ("signing out", "sign-out.har", "--include-operation-id"),
    ];
    let mut failed = Vec::new();
    let mut answers = Vec::new();
    for (name, har, filter) in runs {
        println!("\n==> Schemathesis: {name}");
        let har = out.join(har);
        let _ = std::fs::remove_file(&har);
        let mut command = Command::new(&st);
        command
            // Its cache goes where it runs.
            .current_dir(&out)
            .arg("run")
            .arg(&schema)
            .args(["--checks", CHECKS, "--max-examples", MAX_EXAMPLES])
            .args(["-H", &format!("Cookie: {}", session.cookie)])
            .args(["-H", &format!("x-csrf-token: {}", session.csrf)])
            .args(["--report", "har", "--report-har-path"])
            .arg(&har)
            .args(extra)
            .env("PYTHONPATH", root.join("xtask/src"))
            .env("SCHEMATHESIS_HOOKS", "fuzz_hooks")
            .env("ORGANISE_FUZZ_PROTOCOL", versions.protocol.to_string())
            .env("ORGANISE_FUZZ_SCHEMA", versions.schema.to_string())
            .env("ORGANISE_FUZZ_AREAS", session.areas.join(","));
        for operation in SIGN_OUTS {
            command.args([filter, operation]);
        }
        let status = command
            .status()
            .with_context(|| format!("starting {}", st.display()))?;
        if !status.success() {
            failed.push(name);
        }
        answers.extend(read_har(&har)?);
    }
    let took = started.elapsed();
    drop(server);

    let tally = Tally::of(&answers);
    tally.print(took);
    // The log never holds personal data (and the demo's people are synthetic).
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    let internal_errors: Vec<&str> = logged
        .lines()
        .filter(|line| line.contains("request failed"))
        .collect();
    if !internal_errors.is_empty() {
        println!(
            "The server logged {} internal error(s) ({}); the first:",
            internal_errors.len(),
            log.display()
        );
        for line in internal_errors.iter().take(10) {
            println!("  {line}");
        }
    }
    if tally.server_errors > 0 {
        bail!(
            "{} answer(s) were 500 Internal Server Error",
            tally.server_errors
        );
    }
    if !failed.is_empty() {
        bail!(
            "Schemathesis found failures in: {} (its report above says which)",
            failed.join(", ")
        );
    }
    Ok(())
}

/// The demo organiser's session.
struct Session {
    /// `organise_session=…`.
    cookie: String,
    csrf: String,
    /// The areas of their roles.
    areas: Vec<String>,
}

/// Signs in as the demo organiser.
fn sign_in(port: u16, email: &str, password: &str) -> Result<Session> {
    let body = serde_json::json!({ "email": email, "password": password });
    let (status, head, session) = post_json(port, "/api/session", None, &body)?;
    if status != 200 {
        bail!("signing in as the demo organiser was answered {status}");
    }
    let cookie = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, value)| value.trim().split(';').next())
        .find(|cookie| cookie.starts_with("organise_session="))
        .context("signing in set no session cookie")?
        .to_owned();
    let csrf = session["csrf_token"]
        .as_str()
        .context("the session has no CSRF token")?
        .to_owned();
    let areas = session["user"]["roles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|role| role["area"].as_str().map(str::to_owned))
        .collect();
    Ok(Session {
        cookie,
        csrf,
        areas,
    })
}

/// The sync protocol and record schema versions the server accepts.
struct Versions {
    protocol: u64,
    schema: u64,
}

impl Versions {
    /// Asks the server: a pull in protocol 0 is refused with the protocol it speaks, and a
    /// mutation of schema 0 is rejected with the schemas it accepts.
    fn ask(port: u16, session: &Session) -> Result<Versions> {
        let client = "00000000-0000-4000-8000-00000000f022";
        let pull = serde_json::json!({
            "protocol": 0, "client_id": client, "cursor": 0, "epoch": null, "limit": 1,
        });
        let (_, _, refused) = post_json(port, "/api/sync/pull", Some(session), &pull)?;
        let protocol = refused["supported"]
            .as_u64()
            .context("a pull in protocol 0 was not refused with the protocol supported")?;
        let push = serde_json::json!({
            "protocol": protocol, "client_id": client, "acknowledged": 0,
            "mutations": [{
                "client_id": client, "seq": 1, "schema_version": 0, "collection": "person",
                "record_id": "00000000-0000-4000-8000-00000000f023", "op": { "op": "void" },
            }],
        });
        let (_, _, pushed) = post_json(port, "/api/sync/push", Some(session), &push)?;
        let schema = pushed["outcomes"][0]["outcome"]["rejection"]["max"]
            .as_u64()
            .context("a mutation of schema 0 was not rejected with the schemas accepted")?;
        Ok(Versions { protocol, schema })
    }
}

/// Posts `body` over a plain socket (one connection, `Connection: close`) and returns the
/// status, the headers and the JSON body (`null` if none).
fn post_json(
    port: u16,
    path: &str,
    session: Option<&Session>,
    body: &serde_json::Value,
) -> Result<(u16, String, serde_json::Value)> {
    let body = body.to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let auth = session.map_or_else(String::new, |session| {
        format!(
            "Cookie: {}\r\nx-csrf-token: {}\r\n",
            session.cookie, session.csrf
        )
    });
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw)?;
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .with_context(|| format!("{path}: the answer has no end of headers"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .with_context(|| format!("{path}: no status in the answer"))?;
    let json = if body.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(body).with_context(|| format!("{path}: the answer is not JSON"))?
    };
    Ok((status, head.to_owned(), json))
}

/// One request and its answer, from a HAR report.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    method: String,
    /// The path, without the query string.
    path: String,
    status: u16,
}

#[derive(Deserialize)]
struct Har {
    log: HarLog,
}

#[derive(Deserialize)]
struct HarLog {
    entries: Vec<HarEntry>,
}

#[derive(Deserialize)]
struct HarEntry {
    request: HarRequest,
    response: HarResponse,
}

#[derive(Deserialize)]
struct HarRequest {
    method: String,
    url: String,
}

#[derive(Deserialize)]
struct HarResponse {
    status: u16,
}

/// Every request in the HAR report at `path` (none if Schemathesis wrote none).
fn read_har(path: &Path) -> Result<Vec<Answer>> {
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(Vec::new());
    };
    let har: Har = serde_json::from_reader(std::io::BufReader::new(file))
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(har
        .log
        .entries
        .into_iter()
        .map(|entry| {
            let url = entry.request.url;
            let path = url
                .split_once("://")
                .and_then(|(_, rest)| rest.find('/').map(|slash| &rest[slash..]))
                .unwrap_or(&url);
            Answer {
                method: entry.request.method,
                path: path.split('?').next().unwrap_or_default().to_owned(),
                status: entry.response.status,
            }
        })
        .collect())
}

/// The answers counted.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    requests: usize,
    /// `500`s.
    server_errors: usize,
    /// `500`s by method and path.
    by_operation: BTreeMap<(String, String), usize>,
    /// Every `5xx`.
    five_hundreds: usize,
    /// `503`s (the hashing gate, a busy database).
    busy: usize,
    /// `429`s (the sign-in throttle).
    throttled: usize,
    by_status: BTreeMap<u16, usize>,
}

impl Tally {
    fn of(answers: &[Answer]) -> Tally {
        let mut tally = Tally {
            requests: answers.len(),
            ..Tally::default()
        };
        for answer in answers {
            *tally.by_status.entry(answer.status).or_default() += 1;
            match answer.status {
                500 => {
                    tally.server_errors += 1;
                    *tally
                        .by_operation
                        .entry((answer.method.clone(), answer.path.clone()))
                        .or_default() += 1;
                }
                503 => tally.busy += 1,
                429 => tally.throttled += 1,
                _ => {}
            }
            if answer.status >= 500 {
                tally.five_hundreds += 1;
            }
        }
        tally
    }

    fn print(&self, took: Duration) {
        let statuses: Vec<String> = self
            .by_status
            .iter()
            .map(|(status, n)| format!("{status}: {n}"))
            .collect();
        println!("\nFuzzing");
        println!(
            "  {} requests in {:.0} s; by status {}",
            self.requests,
            took.as_secs_f64(),
            statuses.join(", ")
        );
        println!(
            "  5xx answers: {} ({} of them 500; {} 503 with Retry-After, expected under load)",
            self.five_hundreds, self.server_errors, self.busy
        );
        println!(
            "  429 answers from the sign-in throttle (expected): {}",
            self.throttled
        );
        for ((method, path), n) in &self.by_operation {
            println!("  500 from {method} {path}: {n}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(method: &str, path: &str, status: u16) -> Answer {
        Answer {
            method: method.into(),
            path: path.into(),
            status,
        }
    }

    #[test]
    fn a_500_is_counted_apart_from_the_503s_and_429s_the_api_documents() {
        let tally = Tally::of(&[
            answer("POST", "/api/sync/push", 200),
            answer("POST", "/api/sync/push", 500),
            answer("POST", "/api/session", 503),
            answer("POST", "/api/session", 429),
            answer("GET", "/api/audit", 502),
        ]);
        assert_eq!(tally.requests, 5);
        assert_eq!(tally.server_errors, 1);
        assert_eq!(tally.five_hundreds, 3);
        assert_eq!(tally.busy, 1);
        assert_eq!(tally.throttled, 1);
        assert_eq!(
            tally.by_operation,
            BTreeMap::from([(("POST".into(), "/api/sync/push".into()), 1)])
        );
    }

    #[test]
    fn a_har_report_gives_each_requests_method_path_and_status() {
        let dir = std::env::temp_dir().join(format!("organise-har-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("report.har");
        std::fs::write(
            &path,
            r#"{"log": {"version": "1.2", "entries": [
                {"request": {"method": "GET", "url": "http://127.0.0.1:1/api/audit?limit=3",
                             "headers": []},
                 "response": {"status": 400, "content": {"text": "{}"}}}
            ]}}"#,
        )
        .unwrap();
        let answers = read_har(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(answers, [answer("GET", "/api/audit", 400)]);
        assert!(read_har(&dir.join("none.har")).unwrap().is_empty());
    }
}
