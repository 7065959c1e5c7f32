//! Building the release client into `dist/`: Trunk, then the steps Trunk does not do.
//!
//! Trunk is given a stand-in for wasm-bindgen that first splits the wasm at the lazy screens
//! ([`split`]). After Trunk: the split files join `dist/`, Trunk's inline loader script moves
//! into a content-hashed file (the server's CSP allows no inline script), the service worker
//! `sw.js` is written with the list of files to precache ([`service_worker`]), every text and
//! wasm file gets brotli and gzip twins for the server to send as they are, and the sizes that
//! reach a phone are printed.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::run_checked;
use crate::tools::{ToolEnv, fnv1a};

mod service_worker;
pub mod split;

/// File types worth compressing.
const COMPRESSIBLE: &[&str] = &[
    "html",
    "js",
    "css",
    "wasm",
    "json",
    "webmanifest",
    "svg",
    "txt",
];

/// Sizes of what a phone downloads to start the app.
#[derive(Debug, Default, Clone, Copy)]
pub struct BundleSize {
    /// Bytes of wasm, js and css as stored.
    pub raw: u64,
    /// The same, brotli-compressed as served.
    pub brotli: u64,
}

/// Builds the release client and post-processes it. Returns the bundle size.
pub fn build(root: &Path, env: &ToolEnv) -> Result<BundleSize> {
    println!("Building the client (release)…");
    // Trunk runs cargo offline; fetching first makes a fresh clone work and is instant after.
    run_checked(
        env.command("cargo")
            .args(["fetch", "--locked"])
            .current_dir(root),
    )?;
    let stand_in = split::stand_in(root, env)?;
    let path =
        std::env::join_paths(std::iter::once(stand_in).chain(std::env::split_paths(&env.path)))?;
    run_checked(
        env.command("trunk")
            .args(["build", "--release"])
            .env("PATH", path)
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            // Added to `.cargo/config.toml`'s flags for the wasm target, not instead of them.
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                split::RUSTFLAGS,
            )
            .current_dir(root),
    )
    .context("the client build failed")?;
    let dist = root.join("dist");
    let split_files = split::finish(root, &dist, env)?;
    println!("Code splitting: {split_files} wasm files load when their screen first opens");
    externalise_loader(&dist)?;
    let worker = service_worker::write(root, &dist)?;
    println!(
        "Service worker: version {}, {} files precached",
        worker.version,
        worker.precache.len()
    );
    precompress(&dist)?;
    let size = measure(&dist)?;
    println!(
        "Client bundle (wasm + js + css): {} raw, {} brotli",
        kib(size.raw),
        kib(size.brotli)
    );
    Ok(size)
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// Moves each inline `<script type="module">…</script>` in `index.html` into
/// `boot-<hash>.js` and points the tag at it.
fn externalise_loader(dist: &Path) -> Result<()> {
    let index_path = dist.join("index.html");
    let mut html = std::fs::read_to_string(&index_path).context("reading dist/index.html")?;
    const OPEN: &str = "<script type=\"module\">";
    let mut moved = 0;
    while let Some(start) = html.find(OPEN) {
        let body_start = start + OPEN.len();
        let end = html[body_start..]
            .find("</script>")
            .context("unterminated inline script in dist/index.html")?
            + body_start;
        let script = html[body_start..end].trim().to_owned();
        let name = format!("boot-{:016x}.js", fnv1a(script.as_bytes()));
        std::fs::write(dist.join(&name), &script)?;
        html.replace_range(
            start..end + "</script>".len(),
            &format!("<script type=\"module\" src=\"/{name}\"></script>"),
        );
        moved += 1;
    }
    if html.contains("<script>") || html.contains("<script type=\"text/javascript\">") {
        bail!("dist/index.html has an inline script that the CSP would block");
    }
    if moved == 0 {
        bail!(
            "Trunk's loader script was not found in dist/index.html; has Trunk's output changed?"
        );
    }
    std::fs::write(index_path, html)?;
    Ok(())
}

fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            found.extend(files(&path)?);
        } else {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

fn extension(path: &Path) -> &str {
    path.extension().and_then(|e| e.to_str()).unwrap_or("")
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

fn precompress(dist: &Path) -> Result<()> {
    for path in files(dist)? {
        if !COMPRESSIBLE.contains(&extension(&path)) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let mut br = path.clone().into_os_string();
        br.push(".br");
        std::fs::write(br, brotli(&bytes)?)?;
        let mut gz = path.clone().into_os_string();
        gz.push(".gz");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&bytes)?;
        std::fs::write(gz, encoder.finish()?)?;
    }
    Ok(())
}

/// The app's download: wasm, js and css, raw and brotli.
pub fn measure(dist: &Path) -> Result<BundleSize> {
    let mut size = BundleSize::default();
    for path in files(dist)? {
        if !matches!(extension(&path), "wasm" | "js" | "css") {
            continue;
        }
        size.raw += std::fs::metadata(&path)?.len();
        let mut br = path.clone().into_os_string();
        br.push(".br");
        size.brotli += std::fs::metadata(&br)
            .with_context(|| format!("{} has no brotli twin", path.display()))?
            .len();
    }
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inline_loader_moves_to_a_hashed_file() {
        let dir = std::env::temp_dir().join(format!("organise-xtask-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("index.html"),
            "<head><script type=\"module\">import init from '/a.js'; await init();</script></head>",
        )
        .unwrap();
        externalise_loader(&dir).unwrap();
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        assert!(!html.contains("await init"), "{html}");
        let name = html
            .split("src=\"/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(name.starts_with("boot-") && name.ends_with(".js"), "{name}");
        let script = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(script, "import init from '/a.js'; await init();");
        // Running again finds no inline loader and says so rather than silently passing.
        assert!(externalise_loader(&dir).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn brotli_round_trips_and_shrinks_text() {
        let text = "Organise ".repeat(1000);
        let compressed = brotli(text.as_bytes()).unwrap();
        assert!(compressed.len() < text.len() / 10);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &compressed[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
    }
}
