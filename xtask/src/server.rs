//! Starting a real `organise-server` for the end-to-end tests, the benchmarks and the fuzz run:
//! a fresh data directory, a free loopback port, demo data, and the demo's logins read back
//! from disk.

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// A server running on loopback, killed when dropped.
pub struct RunningServer {
    child: Child,
    /// Its loopback port.
    pub port: u16,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// The demo organiser's email.
    pub email: String,
    /// The demo organiser's password.
    pub password: String,
    /// The demo volunteer's login.
    pub volunteer: Login,
    /// The demo admin's login.
    pub admin: Login,
    /// The demo national admin's login.
    pub national: Login,
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `binary` serving `dist/` over a new SQLite file in `data_dir` (emptied first).
pub fn start(root: &Path, binary: &Path, data_dir: &Path) -> Result<RunningServer> {
    emptied(data_dir)?;
    let output = (Stdio::null(), Stdio::inherit());
    spawn(root, binary, data_dir, &root.join("dist"), output)
}

/// A login made for a run.
pub struct Login {
    /// The sign-in email.
    pub email: String,
    /// The password.
    pub password: String,
}

/// Starts `binary` serving `dist/` over a new SQLite file in `data_dir` (emptied first) that
/// holds the demo data and a synthetic constituency `name` of `households` households (about
/// 2.4 people each) under North West, and returns the login of an admin made for that
/// constituency alone.
pub fn start_with_area(
    root: &Path,
    binary: &Path,
    data_dir: &Path,
    name: &str,
    households: usize,
) -> Result<(RunningServer, Login)> {
    emptied(data_dir)?;
    let server = |args: &[&str]| {
        let mut command = Command::new(binary);
        command
            .args(args)
            .arg("--data-dir")
            .arg(data_dir)
            .current_dir(root)
            .stdout(Stdio::null());
        command
    };
    crate::run_checked(&mut server(&["seed-demo"]))?;
    crate::run_checked(&mut server(&[
        "generate-area",
        "--parent",
        "North West",
        "--name",
        name,
        "--households",
        &households.to_string(),
    ]))?;
    let login = Login {
        email: "scale-admin@bench.organise.invalid".into(),
        password: "a long synthetic benchmark password".into(),
    };
    let mut admin = server(&[
        "create-admin",
        "--email",
        &login.email,
        "--name",
        "Bench Organiser",
        "--area",
        name,
    ])
    .stdin(Stdio::piped())
    .spawn()
    .context("starting create-admin")?;
    admin
        .stdin
        .take()
        .context("create-admin's input")?
        .write_all(format!("{}\n", login.password).as_bytes())?;
    let status = admin.wait()?;
    if !status.success() {
        bail!("create-admin failed with {status}");
    }
    let output = (Stdio::null(), Stdio::inherit());
    let running = spawn(root, binary, data_dir, &root.join("dist"), output)?;
    Ok((running, login))
}

/// Starts `binary` serving the API alone over a new SQLite file in `data_dir` (emptied
/// first), everything it prints (its log too) written to `log`.
pub fn start_api_only(
    root: &Path,
    binary: &Path,
    data_dir: &Path,
    log: &Path,
) -> Result<RunningServer> {
    emptied(data_dir)?;
    let log = std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let output = (log.try_clone()?.into(), log.into());
    spawn(root, binary, data_dir, &data_dir.join("no-client"), output)
}

/// `data_dir`, made empty.
fn emptied(data_dir: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(data_dir);
    std::fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))
}

/// Starts the server with its demo data in `data_dir`, its standard output and error going
/// to `output`.
fn spawn(
    root: &Path,
    binary: &Path,
    data_dir: &Path,
    dist: &Path,
    (stdout, stderr): (Stdio, Stdio),
) -> Result<RunningServer> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = Command::new(binary)
        .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--dist")
        .arg(dist)
        .arg("--data-dir")
        .arg(data_dir)
        .current_dir(root)
        // Plain text: its log may go to a file.
        .env("NO_COLOR", "1")
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let mut server = RunningServer {
        child,
        port,
        base_url: format!("http://127.0.0.1:{port}"),
        email: String::new(),
        password: String::new(),
        volunteer: Login {
            email: String::new(),
            password: String::new(),
        },
        admin: Login {
            email: String::new(),
            password: String::new(),
        },
        national: Login {
            email: String::new(),
            password: String::new(),
        },
    };
    wait_until_up(port)?;
    let logins = std::fs::read_to_string(data_dir.join("DEMO-LOGIN.txt"))
        .context("reading the demo logins")?;
    let field = |name: &str| {
        logins
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{name}: ")))
            .map(str::to_owned)
            .with_context(|| format!("no {name} in DEMO-LOGIN.txt"))
    };
    server.email = field("organiser email")?;
    server.password = field("organiser password")?;
    server.volunteer = Login {
        email: field("volunteer email")?,
        password: field("volunteer password")?,
    };
    server.admin = Login {
        email: field("admin email")?,
        password: field("admin password")?,
    };
    server.national = Login {
        email: field("national admin email")?,
        password: field("national admin password")?,
    };
    Ok(server)
}

fn wait_until_up(port: u16) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("the server did not start listening on port {port} within 60 s")
}
