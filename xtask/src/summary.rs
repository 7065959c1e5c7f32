//! `cargo xtask test`: every layer of the test pyramid, cheapest first, each counted, and one
//! summary line at the end (`N passed, N failed`, with `, N skipped` when any were).
//!
//! A layer that fails does not stop the others, so one run shows everything that is wrong.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::dist;
use crate::tools::ToolEnv;

/// Counts for one layer.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

/// Every layer's counts, in the order they ran.
#[derive(Default)]
pub struct Summary {
    layers: Vec<(String, Counts, Duration)>,
    /// When not empty, only layers whose name contains one of these words run.
    only: Vec<String>,
}

impl Summary {
    /// A summary that runs only the layers whose names contain one of `only` (all if empty).
    pub fn only(only: Vec<String>) -> Summary {
        Summary {
            layers: Vec::new(),
            only,
        }
    }

    fn wants(&self, layer: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|word| layer.contains(word.as_str()))
    }

    fn record(&mut self, layer: &str, counts: Counts, took: Duration) {
        println!(
            "==> {layer}: {} passed, {} failed, {} skipped ({:.0} s)",
            counts.passed,
            counts.failed,
            counts.skipped,
            took.as_secs_f64()
        );
        self.layers.push((layer.to_owned(), counts, took));
    }

    fn total(&self) -> Counts {
        let mut total = Counts::default();
        for (_, counts, _) in &self.layers {
            total += *counts;
        }
        total
    }

    /// How many tests failed, over all layers.
    pub fn failed(&self) -> u64 {
        self.total().failed
    }

    /// Prints the per-layer table and the closing line.
    pub fn print(&self) {
        println!("\nTest layers:");
        for (layer, counts, took) in &self.layers {
            println!(
                "  {layer:<34} {:>5} passed {:>3} failed {:>3} skipped {:>6.0} s",
                counts.passed,
                counts.failed,
                counts.skipped,
                took.as_secs_f64()
            );
        }
        let total = self.total();
        if total.skipped > 0 {
            println!(
                "{} passed, {} failed, {} skipped",
                total.passed, total.failed, total.skipped
            );
        } else {
            println!("{} passed, {} failed", total.passed, total.failed);
        }
    }
}

/// Runs one layer, timing it; an error in the layer's machinery counts as one failure.
fn layer(summary: &mut Summary, name: &str, body: impl FnOnce() -> Result<Counts>) {
    if !summary.wants(name) {
        return;
    }
    println!("\n==> {name}");
    let start = Instant::now();
    let counts = body().unwrap_or_else(|error| {
        eprintln!("{name} failed: {error:#}");
        Counts {
            failed: 1,
            ..Counts::default()
        }
    });
    summary.record(name, counts, start.elapsed());
}

/// A check that passes or fails as a whole (formatting, lints).
fn check(command: &mut Command) -> Result<Counts> {
    let status = command
        .status()
        .with_context(|| format!("starting {command:?}"))?;
    Ok(if status.success() {
        Counts {
            passed: 1,
            ..Counts::default()
        }
    } else {
        Counts {
            failed: 1,
            ..Counts::default()
        }
    })
}

/// Parses libtest's `test result: ok. 3 passed; 0 failed; 1 ignored; …` lines (also printed
/// by `wasm-bindgen-test-runner`) and adds them up.
pub fn parse_libtest(output: &str) -> Option<Counts> {
    let mut total = None::<Counts>;
    for line in output.lines() {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            continue;
        };
        let mut counts = Counts::default();
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(number)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => counts.passed += number,
                "failed" => counts.failed += number,
                "ignored" => counts.skipped += number,
                _ => {}
            }
        }
        *total.get_or_insert_with(Counts::default) += counts;
    }
    total
}

/// Runs a test command, echoing its output, and counts the results it reports. A non-zero
/// exit with no failure counted (a build error, a crash) counts as one failure.
fn counted(command: &mut Command) -> Result<Counts> {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    let mut output = String::new();
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let line = line?;
        println!("{line}");
        output.push_str(&line);
        output.push('\n');
    }
    let status = child.wait()?;
    let mut counts = parse_libtest(&output).unwrap_or_default();
    if !status.success() && counts.failed == 0 {
        counts.failed = 1;
    }
    if status.success() && counts.passed == 0 {
        bail!("{command:?} ran no test");
    }
    Ok(counts)
}

fn cargo(env: &ToolEnv, root: &Path) -> Command {
    let mut command = env.command("cargo");
    command.current_dir(root);
    command
}

/// Runs every layer.
pub fn run_layers(root: &Path, env: &ToolEnv, summary: &mut Summary) {
    layer(summary, "format (cargo fmt --check)", || {
        check(cargo(env, root).args(["fmt", "--all", "--", "--check"]))
    });
    layer(summary, "lints (clippy, native)", || {
        check(cargo(env, root).args([
            "clippy",
            "--locked",
            "--workspace",
            "--exclude",
            "organise",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    layer(summary, "lints (clippy, client wasm32)", || {
        check(cargo(env, root).args([
            "clippy",
            "--locked",
            "-p",
            "organise",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    layer(summary, "core", || {
        counted(cargo(env, root).args([
            "test",
            "--locked",
            "-p",
            "organise-core",
            "--",
            "--nocapture",
        ]))
    });
    layer(summary, "xtask", || {
        counted(cargo(env, root).args(["test", "--locked", "-p", "xtask"]))
    });
    layer(summary, "server on SQLite", || {
        counted(
            cargo(env, root)
                .args(["test", "--locked", "-p", "organise-server"])
                .env("ORGANISE_TEST_BACKEND", "sqlite"),
        )
    });
    match std::env::var("ORGANISE_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => layer(summary, "server on PostgreSQL", || {
            counted(
                cargo(env, root)
                    .args(["test", "--locked", "-p", "organise-server"])
                    .args(["--test", "it", "--test", "crash", "--test", "scale"])
                    .env("ORGANISE_TEST_BACKEND", "postgres")
                    .env("ORGANISE_TEST_POSTGRES_URL", url),
            )
        }),
        _ => layer(summary, "server on PostgreSQL", || {
            let listed = cargo(env, root)
                .args([
                    "test",
                    "--locked",
                    "-p",
                    "organise-server",
                    "--test",
                    "it",
                    "--test",
                    "crash",
                    "--test",
                    "scale",
                    "--",
                    "--list",
                ])
                .output()?;
            let skipped = String::from_utf8_lossy(&listed.stdout)
                .lines()
                .filter(|line| line.ends_with(": test"))
                .count() as u64;
            println!(
                "Server tests on PostgreSQL: {skipped} skipped. Set ORGANISE_TEST_POSTGRES_URL to a \
                 postgres:// URL where the user may CREATE DATABASE to run them."
            );
            Ok(Counts {
                skipped,
                ..Counts::default()
            })
        }),
    }
    layer(summary, "client in Chromium (wasm-bindgen-test)", || {
        let driver = env
            .chromedriver
            .as_ref()
            .context("ChromeDriver is not installed")?;
        counted(
            cargo(env, root)
                .args([
                    "test",
                    "--locked",
                    "-p",
                    "organise",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .env("CHROMEDRIVER", driver)
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        )
    });
    layer(summary, "end to end (Playwright)", || end_to_end(root, env));
}

fn end_to_end(root: &Path, env: &ToolEnv) -> Result<Counts> {
    dist::build(root, env)?;
    crate::run_checked(cargo(env, root).args(["build", "--locked", "-p", "organise-server"]))?;
    let server = crate::server::start(
        root,
        &root.join("target/debug/organise-server"),
        &root.join("target/e2e-data"),
    )?;
    let results = root.join("target/e2e-results.json");
    let _ = std::fs::remove_file(&results);
    let status = env
        .command("npx")
        .args(["playwright", "test", "--reporter=list,json"])
        .env("BASE_URL", &server.base_url)
        .env(
            "CHROMIUM",
            env.chromium.as_ref().context("Chromium is not installed")?,
        )
        .env("ORGANISE_DEMO_EMAIL", &server.email)
        .env("ORGANISE_DEMO_PASSWORD", &server.password)
        .env("ORGANISE_DEMO_VOLUNTEER_EMAIL", &server.volunteer.email)
        .env(
            "ORGANISE_DEMO_VOLUNTEER_PASSWORD",
            &server.volunteer.password,
        )
        .env("ORGANISE_DEMO_ADMIN_EMAIL", &server.admin.email)
        .env("ORGANISE_DEMO_ADMIN_PASSWORD", &server.admin.password)
        .env("ORGANISE_DEMO_NATIONAL_EMAIL", &server.national.email)
        .env("ORGANISE_DEMO_NATIONAL_PASSWORD", &server.national.password)
        .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &results)
        .current_dir(root.join("end2end"))
        .status()
        .context("starting Playwright")?;
    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&results).context("Playwright wrote no JSON report")?,
    )?;
    let stat = |name: &str| report["stats"][name].as_u64().unwrap_or(0);
    let mut counts = Counts {
        passed: stat("expected") + stat("flaky"),
        failed: stat("unexpected"),
        skipped: stat("skipped"),
    };
    if !status.success() && counts.failed == 0 {
        counts.failed = 1;
    }
    if counts.passed + counts.failed == 0 {
        bail!("Playwright ran no test");
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_lines_are_summed() {
        let output = "running 2 tests\n\
            test result: ok. 2 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
            noise\n\
            test result: FAILED. 5 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(
            parse_libtest(output),
            Some(Counts {
                passed: 7,
                failed: 2,
                skipped: 1
            })
        );
        assert_eq!(parse_libtest("no results here"), None);
    }

    #[test]
    fn the_closing_line_mentions_skips_only_when_there_are_some() {
        let mut summary = Summary::default();
        summary.record(
            "a",
            Counts {
                passed: 3,
                failed: 1,
                skipped: 0,
            },
            Duration::ZERO,
        );
        assert_eq!(
            summary.total(),
            Counts {
                passed: 3,
                failed: 1,
                skipped: 0
            }
        );
        assert_eq!(summary.failed(), 1);
    }
}
