//! Starting a real `organise-server` for the end-to-end tests and the benchmarks: a fresh data
//! directory, a free loopback port, demo data, and the demo login read back from disk.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// A server running on loopback, killed when dropped.
pub struct RunningServer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// The demo organiser's email.
    pub email: String,
    /// The demo organiser's password.
    pub password: String,
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `binary` serving `dist/` over a new SQLite file in `data_dir` (emptied first).
pub fn start(root: &Path, binary: &Path, data_dir: &Path) -> Result<RunningServer> {
    let _ = std::fs::remove_dir_all(data_dir);
    std::fs::create_dir_all(data_dir)?;
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = Command::new(binary)
        .args([
            "serve",
            "--demo",
            "--dist",
            "dist",
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .arg("--data-dir")
        .arg(data_dir)
        .current_dir(root)
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let mut server = RunningServer {
        child,
        base_url: format!("http://127.0.0.1:{port}"),
        email: String::new(),
        password: String::new(),
    };
    wait_until_up(port)?;
    let login = std::fs::read_to_string(data_dir.join("DEMO-LOGIN.txt"))
        .context("reading the demo login")?;
    let field = |name: &str| {
        login
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{name}: ")))
            .map(str::to_owned)
            .with_context(|| format!("no {name} in DEMO-LOGIN.txt"))
    };
    server.email = field("email")?;
    server.password = field("password")?;
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
