//! The pinned toolchain: found if present at the right version, installed if not.
//!
//! Everything comes from a package registry (crates.io, npm, PyPI, Debian), never from a
//! release download, so it works on a machine that reaches nothing else. Cargo-installed tools
//! and Python virtualenvs go to `$CARGO_HOME/organise-tools/<tool>-<version>`, so a different
//! version elsewhere on the machine is left alone and never picked up by mistake.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::run_checked;

/// The Trunk release that builds on this toolchain (0.22 needs a newer rustc).
pub const TRUNK_VERSION: &str = "0.21.14";

/// The wasm splitter matching the `wasm_split_helpers` that Leptos' `#[lazy]` uses.
pub const WASM_SPLIT_VERSION: &str = "0.2.4";

/// Which tools a command needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    browser: bool,
}

impl Needs {
    /// Building the client: the wasm target, Trunk, wasm-bindgen, wasm-opt.
    pub const BUILD: Needs = Needs { browser: false };
    /// Everything, including Chromium for the browser tests.
    pub const ALL: Needs = Needs { browser: true };
}

/// What the tools' callers need to know: the `PATH` that finds them, and the browser.
pub struct ToolEnv {
    /// `PATH` with the pinned tools first.
    pub path: OsString,
    /// The pinned wasm-bindgen CLI.
    pub wasm_bindgen: PathBuf,
    /// The wasm splitter that runs before it.
    pub wasm_split: PathBuf,
    /// Debian's Chromium, when the browser is needed.
    pub chromium: Option<PathBuf>,
    /// The matching ChromeDriver.
    pub chromedriver: Option<PathBuf>,
}

impl ToolEnv {
    /// A command with this environment's `PATH`.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command.env("PATH", &self.path);
        command
    }
}

/// Finds or installs every tool `needs` asks for.
pub fn ensure(root: &Path, needs: Needs) -> Result<ToolEnv> {
    ensure_wasm_target()?;
    let tools_home = cargo_home().join("organise-tools");
    let wasm_bindgen_version = locked_version(root, "wasm-bindgen")?;
    let mut path_dirs = vec![root.join("end2end/node_modules/.bin")];
    path_dirs.push(ensure_cargo_tool(
        &tools_home,
        CargoTool {
            krate: "trunk",
            version: TRUNK_VERSION,
            binaries: &["trunk"],
            version_line: Some(&format!("trunk {TRUNK_VERSION}")),
            locked: true,
            features: &[],
        },
    )?);
    // The CLI's own lock names a crate version the registry may not serve, so it is installed
    // unlocked; its version still equals the `wasm-bindgen` in our Cargo.lock.
    let bindgen_dir = ensure_cargo_tool(
        &tools_home,
        CargoTool {
            krate: "wasm-bindgen-cli",
            version: &wasm_bindgen_version,
            binaries: &["wasm-bindgen", "wasm-bindgen-test-runner"],
            version_line: Some(&format!("wasm-bindgen {wasm_bindgen_version}")),
            locked: false,
            features: &[],
        },
    )?;
    let wasm_bindgen = bindgen_dir.join("wasm-bindgen");
    path_dirs.push(bindgen_dir);
    // Splits the client's wasm at Leptos' lazy routes before wasm-bindgen (see dist/split.rs).
    let wasm_split = ensure_cargo_tool(
        &tools_home,
        CargoTool {
            krate: "wasm_split_cli_support",
            version: WASM_SPLIT_VERSION,
            binaries: &["wasm-split-cli"],
            version_line: None,
            locked: true,
            features: &["build-binary"],
        },
    )?
    .join("wasm-split-cli");
    ensure_npm_packages(root)?;

    let (chromium, chromedriver) = if needs.browser {
        let (chromium, chromedriver) = ensure_chromium()?;
        (Some(chromium), Some(chromedriver))
    } else {
        (None, None)
    };
    let existing = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(
        path_dirs
            .into_iter()
            .chain(std::env::split_paths(&existing)),
    )
    .context("building PATH")?;
    Ok(ToolEnv {
        path,
        wasm_bindgen,
        wasm_split,
        chromium,
        chromedriver,
    })
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

/// The version of `package` recorded in Cargo.lock.
pub fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .with_context(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').context("malformed Cargo.lock")? + start;
    Ok(lock[start..end].to_owned())
}

fn output_of(program: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("running rustup (is Rust installed with rustup?)")?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|line| line.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    println!("Installing the wasm32-unknown-unknown target…");
    run_checked(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// A tool installed from crates.io with `cargo install`.
struct CargoTool<'a> {
    krate: &'a str,
    version: &'a str,
    /// The binaries it installs; the first is the one asked for its version.
    binaries: &'a [&'a str],
    /// What `first_binary --version` starts with, for a tool that answers `--version`. A tool
    /// that does not is only taken from its own pinned directory, whose name holds the version.
    version_line: Option<&'a str>,
    locked: bool,
    features: &'a [&'a str],
}

/// Finds `tool`'s binaries at its version on PATH or in the tool directory, installing from
/// crates.io if absent. Returns the directory that holds them.
fn ensure_cargo_tool(tools_home: &Path, tool: CargoTool) -> Result<PathBuf> {
    let CargoTool {
        krate,
        version,
        binaries,
        version_line,
        locked,
        features,
    } = tool;
    let first = binaries[0];
    let has_all = |dir: &Path| {
        version_line.is_none_or(|line| {
            output_of(&dir.join(first), &["--version"]).is_some_and(|v| v.starts_with(line))
        }) && binaries.iter().all(|b| dir.join(b).is_file())
    };
    let pinned = tools_home.join(format!("{krate}-{version}"));
    if has_all(&pinned.join("bin")) {
        return Ok(pinned.join("bin"));
    }
    if let Some(dir) = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|dir| version_line.is_some() && has_all(dir))
    {
        return Ok(dir);
    }
    println!("Installing {krate} {version} from crates.io (this takes a few minutes, once)…");
    let mut flags = Vec::new();
    if locked {
        flags.push("--locked".to_owned());
    }
    if !features.is_empty() {
        flags.push(format!("--features={}", features.join(",")));
    }
    let mut install = Command::new("cargo");
    install
        .args(["install", "--root"])
        .arg(&pinned)
        .arg(format!("{krate}@{version}"))
        .args(&flags);
    run_checked(&mut install).with_context(|| {
        format!(
            "installing {krate} {version} failed; to install it by hand: \
             cargo install --root {} {krate}@{version} {}",
            pinned.display(),
            flags.join(" ")
        )
    })?;
    if !has_all(&pinned.join("bin")) {
        bail!(
            "{krate} {version} was installed but `{first}` is missing or reports another version"
        );
    }
    Ok(pinned.join("bin"))
}

/// Finds `binary` from the PyPI package `package` at `version` in its own virtualenv under
/// `$CARGO_HOME/organise-tools/`, making the virtualenv and installing the package if it is
/// missing or reports another version. Returns the binary's path.
pub fn ensure_pip_tool(package: &str, version: &str, binary: &str) -> Result<PathBuf> {
    let venv = cargo_home()
        .join("organise-tools")
        .join(format!("{package}-{version}"));
    let path = venv.join("bin").join(binary);
    let installed = || output_of(&path, &["--version"]).is_some_and(|v| v.contains(version));
    if installed() {
        return Ok(path);
    }
    let python = ["python3", "python"]
        .into_iter()
        .find(|python| Command::new(python).arg("--version").output().is_ok())
        .with_context(|| {
            format!("Python 3 (with its venv module) is needed to install {package}")
        })?;
    println!(
        "Installing {package} {version} from PyPI into {} (once)…",
        venv.display()
    );
    let _ = std::fs::remove_dir_all(&venv);
    run_checked(Command::new(python).args(["-m", "venv"]).arg(&venv))
        .context("making a virtualenv failed; on Debian: sudo apt-get install python3-venv")?;
    run_checked(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("{package}=={version}")),
    )
    .with_context(|| format!("installing {package} {version} from PyPI failed"))?;
    if !installed() {
        bail!("{package} {version} was installed but `{binary} --version` does not report it");
    }
    Ok(path)
}

/// Installs `end2end/`'s npm packages (Playwright, and binaryen's wasm-opt) when the lock file
/// has changed since the last install. Playwright's own browser download is always skipped:
/// the tests use Debian's Chromium.
fn ensure_npm_packages(root: &Path) -> Result<()> {
    let dir = root.join("end2end");
    let lock = std::fs::read(dir.join("package-lock.json"))
        .context("reading end2end/package-lock.json")?;
    let stamp_path = dir.join("node_modules/.organise-lock-stamp");
    let stamp = format!("{:016x}", fnv1a(&lock));
    if std::fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp) {
        return Ok(());
    }
    if Command::new("npm").arg("--version").output().is_err() {
        apt_install(&["nodejs", "npm"])?;
    }
    println!("Installing npm packages in end2end/ …");
    run_checked(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(&dir),
    )
    .context("npm ci in end2end/ failed")?;
    std::fs::write(stamp_path, stamp)?;
    Ok(())
}

/// The browser tests drive Debian's Chromium and ChromeDriver, which must match each other.
fn ensure_chromium() -> Result<(PathBuf, PathBuf)> {
    let chromium = PathBuf::from("/usr/bin/chromium");
    let chromedriver = PathBuf::from("/usr/bin/chromedriver");
    if !chromium.is_file() || !chromedriver.is_file() {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    Ok((chromium, chromedriver))
}

fn apt_install(packages: &[&str]) -> Result<()> {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let command = format!(
        "apt-get update && apt-get install -y {}",
        packages.join(" ")
    );
    if !is_root {
        bail!(
            "{} missing; install with: sudo sh -c '{command}'",
            packages.join(", ")
        );
    }
    println!("Installing {} from Debian…", packages.join(", "));
    run_checked(
        Command::new("sh")
            .args(["-c", &command])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// FNV-1a, 64-bit: a stable content hash for stamps and file names (not for security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_version_reads_the_lock() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let version = locked_version(root, "wasm-bindgen").unwrap();
        assert!(version.starts_with("0.2."), "{version}");
        assert!(locked_version(root, "no-such-crate-here").is_err());
    }

    #[test]
    fn fnv1a_known_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
