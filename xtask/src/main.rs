//! `cargo xtask`: Organise's automation. The README's two commands are `cargo xtask run` and
//! `cargo xtask test`; both install whatever pinned tool is missing first.

mod bench;
mod dist;
mod fuzz;
mod server;
mod summary;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

  run      install what is missing, build the client, start the server on
           http://127.0.0.1:8080 with demo data in ./data (a campaign under way), and
           print an organiser's and a volunteer's login
  test     install what is missing, then run every test layer and print a summary;
           `cargo xtask test core server` runs only the layers whose names contain a word
  dist     build the release client into ./dist and print its size
  bench    measure the client bundle, a warm offline start, saving a door and a walk list
           reaching a new phone (4x CPU throttling), and sync push throughput and pull
           latency on SQLite (and PostgreSQL if ORGANISE_BENCH_POSTGRES_URL or
           ORGANISE_TEST_POSTGRES_URL is set), and a phone holding a whole synthetic
           area of 20,000 people; `cargo xtask bench scale` runs only the named groups
           (client, scale, server)
  fuzz     fuzz every endpoint of the API with Schemathesis (installed from PyPI into
           $CARGO_HOME/organise-tools) against the release server with fresh demo data,
           signed in as the demo organiser; fails on any 500. Options after `fuzz` go to
           `st run` (e.g. --max-examples 50, --seed 1). Slow; not part of `test`
  synth    add a synthetic constituency of made-up households to the demo data in ./data
           (making the demo data first if there is none); options: --households N
           (default 5000), --seed S (default 1), --name NAME (default Synthetic Downs)
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
            bench::run(&root, &env, &rest)
        }
        "fuzz" => fuzz::run(&root, &rest),
        "synth" => synth(&root, &rest),
        "setup" => tools::ensure(&root, tools::Needs::ALL).map(|_| ()),
        // Not for people: Trunk calls this through the wasm-bindgen stand-in `dist` writes.
        "split-then-bindgen" => dist::split::split_then_bindgen(&rest),
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

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` (relative to the workspace) if set,
/// else `target/`.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .filter(|dir| !dir.is_empty())
        .map_or_else(|| root.join("target"), |dir| root.join(dir))
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
    build_server(root)?;
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

/// The synthetic constituency `synth` makes unless told otherwise (the demo has its own
/// "Synthetic Vale"), and where it goes.
const SYNTH_NAME: &str = "Synthetic Downs";
const SYNTH_PARENT: &str = "North West";

/// Adds a synthetic constituency to `data/`, the directory `run` serves. A new data directory
/// gets the demo data first, so that `run` still has its demo logins to print.
fn synth(root: &Path, extra: &[String]) -> Result<()> {
    let server = |args: &[&str], extra: &[String]| {
        run_checked(
            Command::new("cargo")
                .args(["run", "--release", "--locked", "-p", "organise-server"])
                .arg("--")
                .args(args)
                .args(extra)
                .current_dir(root),
        )
    };
    if !root.join("data/organise.db").exists() {
        server(&["seed-demo", "--data-dir", "data"], &[])?;
    }
    // Later options win, so `--name` in `extra` replaces the default.
    server(
        &[
            "generate-area",
            "--data-dir",
            "data",
            "--parent",
            SYNTH_PARENT,
            "--name",
            SYNTH_NAME,
        ],
        extra,
    )?;
    let name = extra
        .iter()
        .position(|arg| arg == "--name")
        .and_then(|i| extra.get(i + 1))
        .map_or(SYNTH_NAME, String::as_str);
    println!(
        "To see it, sign in as someone with a role there, e.g. an admin made with\n  \
         cargo run --release -p organise-server -- create-admin --data-dir data \
         --email you@example.invalid --name \"Your Name\" --area \"{name}\""
    );
    Ok(())
}

/// Builds the server binary (release), for running the app and for the fuzz run.
fn build_server(root: &Path) -> Result<()> {
    println!("Building the server (release)…");
    run_checked(
        Command::new("cargo")
            .args(["build", "--release", "--locked", "-p", "organise-server"])
            .current_dir(root),
    )
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
