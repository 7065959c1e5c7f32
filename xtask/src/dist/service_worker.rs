//! `dist/sw.js`, written from the template `public/sw.js` once Trunk's output is final.
//!
//! The template's `const VERSION = …;` and `const PRECACHE = …;` lines are replaced by the
//! build's version and the list of files to precache: every file in `dist/` except the
//! compressed twins and the worker itself. The version hashes every precached file's name and
//! content, so a deployment that changes anything gives a byte-different `sw.js`, which is what
//! makes browsers install the new worker.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::files;
use crate::tools::fnv1a;

/// Where the template lives, relative to the workspace root.
pub const TEMPLATE: &str = "public/sw.js";
/// The worker's name in `dist/` (and its URL: its scope is the whole site).
pub const WORKER: &str = "sw.js";

const VERSION_LINE: &str = "const VERSION = ";
const PRECACHE_LINE: &str = "const PRECACHE = ";

/// What was written.
#[derive(Debug)]
pub struct Written {
    /// The build's version, 16 hex digits.
    pub version: String,
    /// The precached URLs, sorted.
    pub precache: Vec<String>,
}

/// Writes `dist/sw.js` from the template at `root/public/sw.js`.
pub fn write(root: &Path, dist: &Path) -> Result<Written> {
    let template = std::fs::read_to_string(root.join(TEMPLATE))
        .with_context(|| format!("reading the service worker template {TEMPLATE}"))?;
    let (precache, version) = precache_list(dist)?;
    let worker = fill(&template, &version, &precache)?;
    std::fs::write(dist.join(WORKER), worker).context("writing dist/sw.js")?;
    Ok(Written { version, precache })
}

/// The URLs to precache and the version that hashes their names and contents.
fn precache_list(dist: &Path) -> Result<(Vec<String>, String)> {
    let mut urls = Vec::new();
    let mut fingerprint = String::new();
    for path in files(dist)? {
        let relative = path.strip_prefix(dist)?;
        let mut url = String::new();
        for part in relative.components() {
            let part = part
                .as_os_str()
                .to_str()
                .with_context(|| format!("{} is not UTF-8", relative.display()))?;
            url.push('/');
            url.push_str(part);
        }
        if url == format!("/{WORKER}") || url.ends_with(".br") || url.ends_with(".gz") {
            continue;
        }
        if url.contains(['"', '\'', '\\', '?', '#', '%', ' ']) {
            bail!("{url} would need escaping in a URL; rename it");
        }
        let contents = std::fs::read(&path)?;
        fingerprint.push_str(&format!("{url}\t{:016x}\n", fnv1a(&contents)));
        urls.push(url);
    }
    if !urls.iter().any(|url| url == "/index.html") {
        bail!("dist/index.html is missing: the worker's offline start needs it");
    }
    urls.sort();
    Ok((urls, format!("{:016x}", fnv1a(fingerprint.as_bytes()))))
}

/// The template with its two placeholder lines replaced.
fn fill(template: &str, version: &str, precache: &[String]) -> Result<String> {
    let mut out = String::with_capacity(template.len() + 64 * precache.len());
    let (mut versions, mut lists) = (0, 0);
    for line in template.lines() {
        if line.starts_with(VERSION_LINE) {
            versions += 1;
            out.push_str(&format!("{VERSION_LINE}'{version}';"));
        } else if line.starts_with(PRECACHE_LINE) {
            lists += 1;
            out.push_str(PRECACHE_LINE);
            out.push_str(&serde_json::to_string(precache)?);
            out.push(';');
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    if versions != 1 || lists != 1 {
        bail!(
            "{TEMPLATE} must have exactly one line starting `{VERSION_LINE}` and one starting \
             `{PRECACHE_LINE}` (found {versions} and {lists})"
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("organise-xtask-sw-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("public")).unwrap();
        std::fs::create_dir_all(dir.join("dist/icons")).unwrap();
        std::fs::write(
            dir.join(TEMPLATE),
            "// a worker\nconst VERSION = 'development';\nconst PRECACHE = [];\nuse(PRECACHE);\n",
        )
        .unwrap();
        for (file, text) in [
            ("index.html", "<html>"),
            ("index.html.br", "x"),
            ("index.html.gz", "x"),
            ("organise-0123456789abcdef_bg.wasm", "wasm"),
            ("icons/icon-192.png", "png"),
            ("sw.js", "an old worker"),
            ("sw.js.br", "x"),
        ] {
            std::fs::write(dir.join("dist").join(file), text).unwrap();
        }
        dir
    }

    #[test]
    fn the_worker_lists_every_file_but_twins_and_itself() {
        let root = scratch("list");
        let dist = root.join("dist");
        let written = write(&root, &dist).unwrap();
        assert_eq!(
            written.precache,
            [
                "/icons/icon-192.png",
                "/index.html",
                "/organise-0123456789abcdef_bg.wasm"
            ]
        );
        let worker = std::fs::read_to_string(dist.join(WORKER)).unwrap();
        assert_eq!(
            worker,
            format!(
                "// a worker\nconst VERSION = '{}';\nconst PRECACHE = \
                 [\"/icons/icon-192.png\",\"/index.html\",\"/organise-0123456789abcdef_bg.wasm\"];\n\
                 use(PRECACHE);\n",
                written.version
            )
        );
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn any_changed_file_changes_the_worker() {
        let root = scratch("version");
        let dist = root.join("dist");
        let first = write(&root, &dist).unwrap();
        let first_worker = std::fs::read(dist.join(WORKER)).unwrap();
        // Writing again over an unchanged build gives the same worker, byte for byte.
        assert_eq!(write(&root, &dist).unwrap().version, first.version);
        assert_eq!(std::fs::read(dist.join(WORKER)).unwrap(), first_worker);
        // An unhashed file (the HTML) changing its content is a new version.
        std::fs::write(dist.join("index.html"), "<html lang=en-GB>").unwrap();
        let second = write(&root, &dist).unwrap();
        assert_ne!(second.version, first.version);
        assert_ne!(std::fs::read(dist.join(WORKER)).unwrap(), first_worker);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_template_without_its_placeholders_is_refused() {
        let root = scratch("template");
        std::fs::write(root.join(TEMPLATE), "const PRECACHE = [];\n").unwrap();
        let error = write(&root, &root.join("dist")).unwrap_err();
        assert!(error.to_string().contains("exactly one line"), "{error}");
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_build_without_index_html_is_refused() {
        let root = scratch("index");
        std::fs::remove_file(root.join("dist/index.html")).unwrap();
        assert!(write(&root, &root.join("dist")).is_err());
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn the_real_template_has_its_placeholders() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let template = std::fs::read_to_string(root.join(TEMPLATE)).unwrap();
        let filled = fill(&template, "0123456789abcdef", &["/index.html".to_owned()]).unwrap();
        assert!(filled.contains("const VERSION = '0123456789abcdef';"));
        assert!(filled.contains("const PRECACHE = [\"/index.html\"];"));
        assert!(!filled.contains("'development'"));
    }
}
