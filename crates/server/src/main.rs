//! The `organise-server` command line: serve, migrate, create an admin, seed demo data,
//! generate a synthetic area.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use organise_server::{AppState, Clock, Config, Db, app, db::redact_url, demo, serve, synthetic};

const USAGE: &str = "\
usage: organise-server <command> [options]

commands:
  serve          run the server (migrates first)
  migrate        bring the database schema up to date
  create-admin   create an admin; reads the password from standard input
  seed-demo      create fictional areas and a demo campaign, with an organiser's and
                 a volunteer's login
  generate-area  create a synthetic constituency (wards, streets, households, people)
                 for demos and benchmarks; deterministic from --seed

options:
  --data-dir DIR        where the SQLite file lives (default: data)
  --database-url URL    sqlite:PATH or postgres://… (overrides --data-dir)
  --addr HOST:PORT      serve: address to listen on (default: 127.0.0.1:8080)
  --dist DIR            serve: the built client (default: dist)
  --demo                serve: on first start, create demo data; print its logins
  --secure-cookies      serve: mark the cookies Secure and send Strict-Transport-Security
                        (when reached over HTTPS)
  --behind-proxy        serve: take the client's address, for sign-in limits, from the last
                        X-Forwarded-For entry; only when a reverse proxy that sets it is the
                        sole way in
  --email EMAIL         create-admin: the admin's email
  --name NAME           create-admin: the admin's display name;
                        generate-area: the new constituency's name
  --area NAME           create-admin: the area the admin role covers (default: all of them)
  --parent NAME         generate-area: the nation or region it goes under
  --households N        generate-area: how many households (default: 5000)
  --wards N             generate-area: how many wards (default: one per 1,500 households)
  --streets N           generate-area: streets per ward (default: about 40 households each)
  --seed N              generate-area: the same seed makes the same area (default: 1)
";

#[derive(Debug, Default)]
struct Args {
    command: String,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    addr: Option<SocketAddr>,
    dist: Option<PathBuf>,
    demo: bool,
    secure_cookies: bool,
    behind_proxy: bool,
    email: Option<String>,
    name: Option<String>,
    area: Option<String>,
    parent: Option<String>,
    households: Option<usize>,
    wards: Option<usize>,
    streets: Option<usize>,
    seed: Option<u64>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> anyhow::Result<Args> {
    let mut parsed = Args {
        command: args.next().context(USAGE)?,
        ..Args::default()
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--data-dir" => parsed.data_dir = Some(value()?.into()),
            "--database-url" => parsed.database_url = Some(value()?),
            "--addr" => parsed.addr = Some(value()?.parse().context("--addr must be HOST:PORT")?),
            "--dist" => parsed.dist = Some(value()?.into()),
            "--email" => parsed.email = Some(value()?),
            "--name" => parsed.name = Some(value()?),
            "--area" => parsed.area = Some(value()?),
            "--parent" => parsed.parent = Some(value()?),
            "--households" => parsed.households = Some(number(&flag, value()?)?),
            "--wards" => parsed.wards = Some(number(&flag, value()?)?),
            "--streets" => parsed.streets = Some(number(&flag, value()?)?),
            "--seed" => parsed.seed = Some(number(&flag, value()?)?),
            "--demo" => parsed.demo = true,
            "--secure-cookies" => parsed.secure_cookies = true,
            "--behind-proxy" => parsed.behind_proxy = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown option {other:?}\n\n{USAGE}"),
        }
    }
    Ok(parsed)
}

/// `text`, the value of `flag`, as a whole number.
fn number<T: std::str::FromStr>(flag: &str, text: String) -> anyhow::Result<T> {
    text.parse()
        .map_err(|_| anyhow::anyhow!("{flag} must be a whole number, not {text:?}"))
}

/// A push allocates and frees thousands of small maps; glibc's allocator took a fifth of its
/// time. The benchmark (`benches/sync.rs`) uses the same. Built without transparent huge pages
/// (see `Cargo.toml`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ORGANISE_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let args = parse_args(std::env::args().skip(1))?;
    let data_dir = args
        .data_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("data"));
    let db = match &args.database_url {
        Some(url) => Db::connect(url).await,
        None => {
            organise_server::db::create_data_dir(&data_dir)
                .with_context(|| format!("creating the data directory {}", data_dir.display()))?;
            Db::open_data_dir(&data_dir).await
        }
    }
    .with_context(|| match &args.database_url {
        Some(url) => format!("opening {}", redact_url(url)),
        None => format!("opening the database in {}", data_dir.display()),
    })?;
    db.migrate().await?;
    let clock = Clock::system();

    match args.command.as_str() {
        "migrate" => println!("The database schema is up to date."),
        "seed-demo" => {
            if demo::is_seeded(&db).await? {
                bail!("the database already has areas; seed-demo only runs on a new database");
            }
            let demo = demo::seed(&db, &clock, true).await?;
            print_logins(demo.as_ref(), &data_dir)?;
        }
        "create-admin" => {
            let email = args.email.context("create-admin needs --email")?;
            let name = args.name.context("create-admin needs --name")?;
            if !demo::is_seeded(&db).await? {
                demo::seed(&db, &clock, false).await?;
            }
            eprintln!("Password for {email} (at least 12 characters), then Enter:");
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password)?;
            let area = args.area.as_deref().unwrap_or(demo::COUNTRY);
            demo::create_user(
                &db,
                &clock,
                &email,
                &name,
                password.trim_end_matches(['\r', '\n']),
                "admin",
                area,
            )
            .await?;
            println!("Created admin {email} for {area}.");
        }
        "generate-area" => {
            let parent = args
                .parent
                .context("generate-area needs --parent, the nation or region it goes under")?;
            let name = args
                .name
                .context("generate-area needs --name, the new constituency's name")?;
            if !demo::is_seeded(&db).await? {
                demo::seed(&db, &clock, false).await?;
            }
            let params = synthetic::Params::shaped(
                args.households.unwrap_or(5_000),
                args.wards,
                args.streets,
            );
            let created = synthetic::create(
                &db,
                &Default::default(),
                &clock,
                &parent,
                &name,
                args.seed.unwrap_or(1),
                &params,
            )
            .await?;
            // Counts and times only: the people are synthetic, but a summary never lists them.
            println!(
                "Created {name:?} under {parent:?}: {} wards, {} streets, {} households, \
                 {} people in {:.2} s (generated in {:.2} s, stored in {:.2} s).",
                created.wards,
                created.streets,
                created.households,
                created.people,
                (created.generated_in + created.stored_in).as_secs_f64(),
                created.generated_in.as_secs_f64(),
                created.stored_in.as_secs_f64(),
            );
        }
        "serve" => {
            if !demo::is_seeded(&db).await? {
                let demo = demo::seed(&db, &clock, args.demo).await?;
                if args.demo {
                    print_logins(demo.as_ref(), &data_dir)?;
                }
            } else if args.demo {
                print_logins(None, &data_dir)?;
            }
            let dist = args.dist.unwrap_or_else(|| PathBuf::from("dist"));
            let dist_dir = dist.join("index.html").is_file().then_some(dist);
            if dist_dir.is_none() {
                eprintln!(
                    "No built client found; serving the API only. `cargo xtask run` builds it."
                );
            }
            let config = Config {
                dist_dir,
                secure_cookies: args.secure_cookies,
                behind_proxy: args.behind_proxy,
                ..Config::default()
            };
            let addr = args
                .addr
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
            let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
                format!("listening on {addr} (is another server already running there?)")
            })?;
            println!("Organise is running at http://{}/", listener.local_addr()?);
            let router = app(AppState::new(db.clone(), config));
            serve::serve(
                listener,
                router,
                serve::Timeouts::default(),
                shutdown_signal(),
            )
            .await?;
            db.close().await;
        }
        other => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
    Ok(())
}

/// Prints the demo's logins: fresh ones (saved for later starts, with what the campaign
/// holds), or those saved on first start.
fn print_logins(demo: Option<&demo::Demo>, data_dir: &std::path::Path) -> anyhow::Result<()> {
    let file = data_dir.join("DEMO-LOGIN.txt");
    let text = match demo {
        Some(demo) => {
            let text = demo.logins_text();
            if data_dir.is_dir() {
                write_private(&file, &text)?;
            }
            // Counts only: the people are synthetic, but nothing printed names them.
            let counts = demo.campaign;
            println!(
                "Made a demo campaign in {}: {} walk lists, {} conversations held, {} stories, \
                 {} one-to-ones ({} next steps open), {} moves up the ladder, {} organisations \
                 and {} links on the community map, {} campaigns with {} actions, and {} \
                 trainings.",
                demo::DEMO_POPULATION,
                counts.lists,
                counts.held,
                counts.stories,
                counts.one_to_ones,
                counts.open_next_steps,
                counts.ladder_moves,
                counts.organisations,
                counts.links,
                counts.campaigns,
                counts.campaign_actions,
                counts.trainings,
            );
            text
        }
        None => match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(_) => {
                println!(
                    "Demo data exists, but its logins were not saved in {}.",
                    file.display()
                );
                return Ok(());
            }
        },
    };
    println!(
        "Demo logins (also in {}): the organiser runs the campaign in {}; the volunteer works \
         walk lists there.\n{text}",
        file.display(),
        demo::DEMO_POPULATION,
    );
    Ok(())
}

fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
