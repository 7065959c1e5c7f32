//! `cargo xtask bench`: the figures the project tracks, measured and printed (never asserted
//! in tests, where a busy machine would make them flake).
//!
//! - the release client's download: wasm + js + css, raw and brotli;
//! - a warm offline start in Chromium with the CPU throttled 4×: time from navigation to the
//!   app's first screen (the `organise-mounted` User Timing mark), median and 95th percentile.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::tools::ToolEnv;
use crate::{dist, run_checked};

/// Runs every benchmark and prints the figures.
pub fn run(root: &Path, env: &ToolEnv) -> Result<()> {
    let size = dist::build(root, env)?;
    run_checked(
        env.command("cargo")
            .args(["build", "--release", "--locked", "-p", "organise-server"])
            .current_dir(root),
    )?;
    let server = crate::server::start(
        root,
        &root.join("target/release/organise-server"),
        &root.join("target/bench-data"),
    )?;
    let output = env
        .command("node")
        .arg("bench/warm-start.mjs")
        .env("BASE_URL", &server.base_url)
        .env(
            "CHROMIUM",
            env.chromium.as_ref().context("Chromium is not installed")?,
        )
        .current_dir(root.join("end2end"))
        .output()
        .context("running end2end/bench/warm-start.mjs")?;
    if !output.status.success() {
        bail!(
            "the warm-start benchmark failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .context("the warm-start benchmark printed no JSON")?;
    let ms = |path: &[&str]| {
        path.iter()
            .fold(&report, |v, key| &v[*key])
            .as_f64()
            .unwrap_or(f64::NAN)
    };
    println!("\nBenchmarks");
    println!(
        "  client bundle (wasm + js + css)    {:>8.1} KiB raw   {:>8.1} KiB brotli",
        size.raw as f64 / 1024.0,
        size.brotli as f64 / 1024.0
    );
    println!(
        "  warm offline start, {}x CPU ({} runs)  first screen: median {:.0} ms, p95 {:.0} ms; load event: median {:.0} ms",
        report["cpu_throttle"],
        report["runs"],
        ms(&["mounted_ms", "median"]),
        ms(&["mounted_ms", "p95"]),
        ms(&["load_event_ms", "median"]),
    );
    Ok(())
}
