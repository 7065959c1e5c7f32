//! `cargo xtask bench`: the figures the project tracks, measured and printed (never asserted
//! in tests, where a busy machine would make them flake).
//!
//! - the release client's download: wasm + js + css, raw and brotli, and the part of it a
//!   volunteer's new phone fetches before the first door is on screen;
//! - thirty thousand people on the phone (`end2end/bench/scale.mjs`): the first sync beside
//!   raw IndexedDB, opening People, a search keystroke, a door tap and the memory held;
//! - a warm offline start in Chromium with the CPU throttled 4×: time from navigation to the
//!   app's first screen (the `organise-mounted` User Timing mark), median and 95th percentile;
//! - signing people in at a meeting offline, 4× CPU (`end2end/bench/kiosk-sign-in.mjs`): from
//!   *Sign in* to the next blank form, and its save beside raw IndexedDB;
//! - the sync server's push throughput and pull latency, on SQLite and (when
//!   `ORGANISE_BENCH_POSTGRES_URL` or `ORGANISE_TEST_POSTGRES_URL` is set) PostgreSQL: the
//!   table printed by `cargo bench -p organise-server --bench sync`
//!   (`crates/server/benches/sync.rs`).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Stdio;

use anyhow::{Context, Result, bail};

use crate::tools::ToolEnv;
use crate::{dist, run_checked};

/// The groups of benchmarks `cargo xtask bench` runs, in order; naming some runs only those.
pub const GROUPS: [&str; 3] = ["client", "scale", "server"];

/// Runs the benchmarks of the groups named in `only` (every group when it is empty) and
/// prints the figures.
pub fn run(root: &Path, env: &ToolEnv, only: &[String]) -> Result<()> {
    if let Some(unknown) = only.iter().find(|g| !GROUPS.contains(&g.as_str())) {
        bail!("no benchmark group {unknown:?}: the groups are {GROUPS:?}");
    }
    let wants = |group: &str| only.is_empty() || only.iter().any(|g| g == group);
    let mut figures = Vec::new();
    if wants("client") || wants("scale") {
        let size = dist::build(root, env)?;
        run_checked(
            env.command("cargo")
                .args(["build", "--release", "--locked", "-p", "organise-server"])
                .current_dir(root),
        )?;
        if wants("client") {
            figures.push(client(root, env, &size)?);
        }
        if wants("scale") {
            figures.push(scale(root, env)?);
        }
    }
    if wants("server") {
        figures.push(indented(&sync_bench(root, env)?));
    }
    println!("\nBenchmarks");
    for lines in figures {
        print!("{lines}");
    }
    Ok(())
}

/// The bundle, a warm offline start, saving doors and a list reaching a new phone.
fn client(root: &Path, env: &ToolEnv, size: &dist::BundleSize) -> Result<String> {
    let server = crate::server::start(
        root,
        &root.join("target/release/organise-server"),
        &root.join("target/bench-data"),
    )?;
    let report = node_bench(env, root, "warm-start", &server, &[])?;
    let doors = node_bench(env, root, "door-save", &server, &[])?;
    let arrival = node_bench(env, root, "list-arrives", &server, &[])?;
    let sign_in = node_bench(env, root, "kiosk-sign-in", &server, &[])?;
    drop(server);
    let ms = |path: &[&str]| field(&report, path);
    let mut out = String::new();
    writeln!(
        out,
        "  client bundle (wasm + js + css)    {:>8.1} KiB raw   {:>8.1} KiB brotli",
        size.raw as f64 / 1024.0,
        size.brotli as f64 / 1024.0
    )?;
    writeln!(
        out,
        "  warm offline start, {}x CPU ({} runs)  first screen: median {:.0} ms, p95 {:.0} ms; load event: median {:.0} ms",
        report["cpu_throttle"],
        report["runs"],
        ms(&["mounted_ms", "median"]),
        ms(&["mounted_ms", "p95"]),
        ms(&["load_event_ms", "median"]),
    )?;
    writeln!(
        out,
        "  saving a door, {}x CPU, {} taps on a {}-door list  save (record + outbox): median {:.1} ms, p95 {:.1} ms (raw IndexedDB writing the same in one transaction: median {:.1} ms, p95 {:.1} ms); tap to next door: median {:.0} ms, p95 {:.0} ms",
        doors["cpu_throttle"],
        doors["taps"],
        doors["doors"],
        field(&doors, &["save_ms", "median"]),
        field(&doors, &["save_ms", "p95"]),
        field(&doors, &["raw_save_ms", "median"]),
        field(&doors, &["raw_save_ms", "p95"]),
        field(&doors, &["next_door_ms", "median"]),
        field(&doors, &["next_door_ms", "p95"]),
    )?;
    writeln!(
        out,
        "  signing someone in at a meeting, {}x CPU, {} people offline  Sign in to the next blank form: median {:.1} ms, p95 {:.1} ms (target p95 under 100 ms); its save (person, attendance, outbox): median {:.1} ms, p95 {:.1} ms (raw IndexedDB writing the same in one transaction: median {:.1} ms, p95 {:.1} ms)",
        sign_in["cpu_throttle"],
        sign_in["people"],
        field(&sign_in, &["sign_in_ms", "median"]),
        field(&sign_in, &["sign_in_ms", "p95"]),
        field(&sign_in, &["save_ms", "median"]),
        field(&sign_in, &["save_ms", "p95"]),
        field(&sign_in, &["raw_save_ms", "median"]),
        field(&sign_in, &["raw_save_ms", "p95"]),
    )?;
    writeln!(
        out,
        "  a {}-door list reaching a new phone, {}x CPU ({} runs)  sign-in to list on screen: median {:.0} ms, p95 {:.0} ms",
        arrival["doors"],
        arrival["cpu_throttle"],
        arrival["runs"],
        field(&arrival, &["arrival_ms", "median"]),
        field(&arrival, &["arrival_ms", "p95"]),
    )?;
    writeln!(
        out,
        "  code a volunteer's new phone fetches from a cold start to the first door (network log)  {:>8.1} KiB in {} files (the whole app's code: {:.1} KiB brotli)",
        field(&arrival, &["doorstep_code", "bytes"]) / 1024.0,
        arrival["doorstep_code"]["files"],
        size.brotli as f64 / 1024.0,
    )?;
    Ok(out)
}

/// A whole synthetic area on the phone.
fn scale(root: &Path, env: &ToolEnv) -> Result<String> {
    println!("Making a synthetic constituency of {SCALE_HOUSEHOLDS} households…");
    let (server, login) = crate::server::start_with_area(
        root,
        &root.join("target/release/organise-server"),
        &root.join("target/bench-scale"),
        "Synthetic Borough",
        SCALE_HOUSEHOLDS,
    )?;
    let scale = node_bench(
        env,
        root,
        "scale",
        &server,
        &[
            ("SCALE_EMAIL", &login.email),
            ("SCALE_PASSWORD", &login.password),
        ],
    )?;
    drop(server);
    let at = |path: &[&str]| field(&scale, path);
    let mut out = String::new();
    writeln!(
        out,
        "  {} people ({} records) on the phone, {}x CPU:",
        scale["people"], scale["records"], scale["cpu_throttle"]
    )?;
    writeln!(
        out,
        "    first sync                        {:>8.0} ms   raw IndexedDB putting the same records in one transaction: {:.0} ms ({:.1}x)",
        at(&["first_sync_ms"]),
        at(&["raw_put_ms"]),
        at(&["first_sync_ms"]) / at(&["raw_put_ms"]),
    )?;
    writeln!(
        out,
        "    People screen open                first {:.0} ms, again: median {:.0} ms",
        at(&["people_open_ms", "first"]),
        at(&["people_open_ms", "median"]),
    )?;
    writeln!(
        out,
        "    search keystroke to next frame    median {:.0} ms, p95 {:.0} ms ({} keystrokes)   a plain script over the same records: median {:.0} ms, p95 {:.0} ms",
        at(&["keystroke_ms", "median"]),
        at(&["keystroke_ms", "p95"]),
        scale["keystroke_ms"]["count"],
        at(&["plain_baseline_keystroke_ms", "median"]),
        at(&["plain_baseline_keystroke_ms", "p95"]),
    )?;
    writeln!(
        out,
        "    with skill, tag and ward set      median {:.0} ms, p95 {:.0} ms ({} keystrokes; {})   a plain script over the same records: median {:.0} ms, p95 {:.0} ms ({} found)",
        at(&["filtered_keystroke_ms", "median"]),
        at(&["filtered_keystroke_ms", "p95"]),
        scale["filtered_keystroke_ms"]["count"],
        scale["filtered_found"].as_str().unwrap_or("?").trim(),
        at(&["baseline_keystroke_ms", "median"]),
        at(&["baseline_keystroke_ms", "p95"]),
        scale["baseline_keystroke_ms"]["found"],
    )?;
    // The baseline is a baseline only while it finds what the app finds.
    let app_found = scale["filtered_found"].as_str().and_then(|text| {
        text.split_whitespace()
            .find_map(|w| w.replace(',', "").parse::<u64>().ok())
    });
    let plain_found = scale["baseline_keystroke_ms"]["found"].as_u64();
    if app_found != plain_found {
        bail!(
            "the plain script found {plain_found:?} people where the app found {app_found:?}: it no longer searches what the app searches"
        );
    }
    writeln!(
        out,
        "    tap \"Not home\" to next door      median {:.0} ms, p95 {:.0} ms ({} taps on a {}-door ward list)",
        at(&["next_door_ms", "median"]),
        at(&["next_door_ms", "p95"]),
        scale["taps"],
        scale["doors"],
    )?;
    writeln!(
        out,
        "    memory after every screen         {:.1} MB (JavaScript heap {:.1} MB, wasm {:.1} MB)",
        at(&["memory_mb", "js_heap"]) + at(&["memory_mb", "wasm"]),
        at(&["memory_mb", "js_heap"]),
        at(&["memory_mb", "wasm"]),
    )?;
    if let Some(trail) = scale["memory_mb"]["wasm_after"].as_array() {
        let steps: Vec<String> = trail
            .iter()
            .map(|step| {
                let mb = step[1].as_f64().unwrap_or(f64::NAN);
                format!("{} {mb:.0}", step[0].as_str().unwrap_or("?"))
            })
            .collect();
        writeln!(out, "      wasm memory (MB) after: {}", steps.join(", "))?;
    }
    Ok(out)
}

/// The synthetic constituency the scale benchmark puts on the phone: about 30,000 people.
const SCALE_HOUSEHOLDS: usize = 13_000;

fn field(report: &serde_json::Value, path: &[&str]) -> f64 {
    path.iter()
        .fold(report, |v, key| &v[*key])
        .as_f64()
        .unwrap_or(f64::NAN)
}

/// Runs `end2end/bench/<name>.mjs` against `server` and returns the JSON it printed.
fn node_bench(
    env: &ToolEnv,
    root: &Path,
    name: &str,
    server: &crate::server::RunningServer,
    extra_env: &[(&str, &str)],
) -> Result<serde_json::Value> {
    let script = format!("bench/{name}.mjs");
    let output = env
        .command("node")
        .arg(&script)
        .envs(extra_env.iter().copied())
        .env("BASE_URL", &server.base_url)
        .env("ORGANISE_DEMO_EMAIL", &server.email)
        .env("ORGANISE_DEMO_PASSWORD", &server.password)
        .env(
            "CHROMIUM",
            env.chromium.as_ref().context("Chromium is not installed")?,
        )
        .current_dir(root.join("end2end"))
        .output()
        .with_context(|| format!("running end2end/{script}"))?;
    if !output.status.success() {
        bail!(
            "the {name} benchmark failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    serde_json::from_slice(&output.stdout)
        .with_context(|| format!("the {name} benchmark printed no JSON"))
}

/// Runs the sync server's benchmark (a release build) and returns the table it printed; its
/// progress goes straight to the terminal.
fn sync_bench(root: &Path, env: &ToolEnv) -> Result<String> {
    let output = env
        .command("cargo")
        .args([
            "bench",
            "--locked",
            "-p",
            "organise-server",
            "--bench",
            "sync",
        ])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo bench -p organise-server --bench sync")?;
    if !output.status.success() {
        bail!("the sync benchmark failed with {}", output.status);
    }
    String::from_utf8(output.stdout).context("the sync benchmark printed something not UTF-8")
}

/// `text` with every non-empty line indented by two spaces, to sit under the heading.
fn indented(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                "\n".to_owned()
            } else {
                format!("  {line}\n")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::indented;

    #[test]
    fn the_sync_table_sits_under_the_heading() {
        assert_eq!(
            indented("Sync server\n  backend  push\n\n  SQLite   create\n"),
            "  Sync server\n    backend  push\n\n    SQLite   create\n"
        );
        assert_eq!(indented(""), "");
    }
}
