//! `cargo xtask`: Organise's automation. The README's two commands are `cargo xtask run` and
//! `cargo xtask test`; both install whatever pinned tool is missing first.

mod bench;
mod dist;
mod server;
mod summary;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

  run      install what is missing, build the client, start the server on
           http://127.0.0.1:8080 with demo data in ./data, and print a login
  test     install what is missing, then run every test layer and print a summary;
           `cargo xtask test core server` runs only the layers whose names contain a word
  dist     build the release client into ./dist and print its size
  bench    measure the client bundle, a warm offline start (4x CPU throttling), and sync
           push throughput and pull latency on SQLite (and PostgreSQL if
           ORGANISE_BENCH_POSTGRES_URL or ORGANISE_TEST_POSTGRES_URL is set)
  setup    install the pinned toolchain only
";

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    let root = project_root();
    std::env::set_current_dir(&root)?;
    match command.as_str() {
        "run" => run(&root, &rest),
        "test" => test(&root, rest),
        "dist" => {
            let env = tools::ensure(&root, tools::Needs::BUILD)?;
            dist::build(&root, &env)?;
            Ok(())
        }
        "bench" => {
            let env = tools::ensure(&root, tools::Needs::ALL)?;
            bench::run(&root, &env)
        }
        "setup" => tools::ensure(&root, tools::Needs::ALL).map(|_| ()),
        "" | "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
}

/// The workspace root (the parent of this crate).
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Runs a command, failing with its name if it cannot start or exits unsuccessfully.
pub fn run_checked(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("could not start {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed with {status}");
    }
    Ok(())
}

fn run(root: &Path, extra: &[String]) -> Result<()> {
    let env = tools::ensure(root, tools::Needs::BUILD)?;
    dist::build(root, &env)?;
    println!("Building the server (release)…");
    run_checked(
        Command::new("cargo")
            .args(["build", "--release", "--locked", "-p", "organise-server"])
            .current_dir(root),
    )?;
    let server = root.join("target/release/organise-server");
    let status = Command::new(server)
        .args(["serve", "--demo", "--data-dir", "data", "--dist", "dist"])
        .args(extra)
        .current_dir(root)
        .status()
        .context("starting the server")?;
    if !status.success() {
        bail!("the server stopped with {status}");
    }
    Ok(())
}

fn test(root: &Path, only: Vec<String>) -> Result<()> {
    let env = tools::ensure(root, tools::Needs::ALL)?;
    let mut summary = summary::Summary::only(only);
    summary::run_layers(root, &env, &mut summary);
    summary.print();
    if summary.failed() > 0 {
        std::process::exit(1);
    }
    Ok(())
}
