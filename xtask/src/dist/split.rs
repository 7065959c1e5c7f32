//! Code splitting: the screens a volunteer at the door does not need leave the main wasm.
//!
//! Leptos' `#[lazy_route]` marks a screen's view as a split point (through `wasm_split_helpers`).
//! The wasm linked by cargo then imports each split function from a placeholder module, and
//! `wasm-split-cli` (the maintained `wasm_split_cli_support`) cuts it into a main module plus
//! one wasm file per screen and shared chunks, with a small JavaScript link module that fetches
//! them. The split has to happen between cargo and wasm-bindgen, and Trunk 0.21 runs those two
//! itself, so Trunk is given a stand-in for `wasm-bindgen` ([`stand_in`]): a script that calls
//! back into this xtask ([`split_then_bindgen`]), which splits, then runs the real wasm-bindgen
//! on the main module. Trunk hashes, optimises and integrity-stamps the main module and its JS
//! as usual; after Trunk, [`finish`] optimises the split files into `dist/`.
//!
//! Every file name carries a tag (a hash of the wasm cargo linked), so a phone that is still
//! running yesterday's main module never loads today's chunks: the service worker precaches
//! them all, and keeps one build's files together until the person accepts an update.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::tools::{ToolEnv, fnv1a};

/// The module the split main wasm imports its loaders from, as `wasm-split-cli` names it.
const LINK_MODULE: &str = "__wasm_split.js";
/// The argument that makes wasm-bindgen keep the exports the split files import.
const KEEP_EXPORTS: &str = "--keep-lld-exports";
/// The linker flag the splitter needs: relocations tell it which function refers to which.
pub const RUSTFLAGS: &str = "-C link-args=--emit-relocs";

/// Where the split files wait between the stand-in and [`finish`].
fn staging(root: &Path) -> PathBuf {
    crate::target_dir(root).join("wasm-split")
}

/// Writes the `wasm-bindgen` stand-in and returns the directory to put first on Trunk's PATH.
pub fn stand_in(root: &Path, env: &ToolEnv) -> Result<PathBuf> {
    let staging = staging(root);
    let bin = staging.join("bin");
    std::fs::create_dir_all(&bin)?;
    let xtask = std::env::current_exe().context("finding the xtask binary")?;
    let script = format!(
        "#!/bin/sh\n# Written by `cargo xtask dist`: split the wasm, then run wasm-bindgen.\n\
         exec {} split-then-bindgen {} {} {} \"$@\"\n",
        quoted(&xtask),
        quoted(&env.wasm_bindgen),
        quoted(&env.wasm_split),
        quoted(&staging.join("out")),
    );
    let path = bin.join("wasm-bindgen");
    std::fs::write(&path, script)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    }
    Ok(bin)
}

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// `cargo xtask split-then-bindgen <wasm-bindgen> <wasm-split-cli> <out> <wasm-bindgen args…>`,
/// run by Trunk through the stand-in. Anything but a build (`--version`) goes straight through.
pub fn split_then_bindgen(args: &[String]) -> Result<()> {
    let [bindgen, splitter, out, rest @ ..] = args else {
        bail!("usage: split-then-bindgen <wasm-bindgen> <wasm-split-cli> <out> <args…>");
    };
    let input = rest
        .iter()
        .position(|arg| !arg.starts_with('-') && arg.ends_with(".wasm"));
    let Some(input) = input else {
        let status = Command::new(bindgen).args(rest).status()?;
        std::process::exit(status.code().unwrap_or(1));
    };
    let value = |flag: &str| {
        rest.iter()
            .find_map(|arg| arg.strip_prefix(flag)?.strip_prefix('='))
            .with_context(|| format!("Trunk did not pass {flag}="))
    };
    let name = value("--out-name")?;
    let bindgen_out = Path::new(value("--out-dir")?);
    let out = Path::new(out);
    let wasm = std::fs::read(&rest[input]).with_context(|| format!("reading {}", rest[input]))?;
    let tag = format!("{:016x}", fnv1a(&wasm));

    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out)?;
    crate::run_checked(
        Command::new(splitter)
            .arg(&rest[input])
            .arg(out)
            .arg(format!("--out-name={name}")),
    )
    .context("splitting the wasm")?;
    let main = out.join(format!("{name}.wasm"));
    let mut bindgen_args = rest.to_vec();
    bindgen_args[input] = main.display().to_string();
    bindgen_args.push(KEEP_EXPORTS.to_owned());
    crate::run_checked(Command::new(bindgen).args(&bindgen_args))?;
    std::fs::remove_file(&main)?;

    // Tag the link module and every split file, and point the glue at the tagged link module.
    let link = out.join(LINK_MODULE);
    let mut link_js =
        std::fs::read_to_string(&link).context("the splitter wrote no link module")?;
    for path in super::files(out)? {
        if super::extension(&path) != "wasm" {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let tagged = format!("{stem}-{tag}.wasm");
        let before = format!("\"./{stem}.wasm\"");
        if !link_js.contains(&before) {
            bail!("the link module does not load {stem}.wasm");
        }
        link_js = link_js.replace(&before, &format!("\"./{tagged}\""));
        std::fs::rename(&path, out.join(tagged))?;
    }
    std::fs::remove_file(&link)?;
    std::fs::write(out.join(link_name(&tag)), link_js)?;
    let glue_path = bindgen_out.join(format!("{name}.js"));
    let glue = std::fs::read_to_string(&glue_path)?;
    let from = format!("from \"./{LINK_MODULE}\"");
    if !glue.contains(&from) {
        bail!("wasm-bindgen's glue does not import {LINK_MODULE}; has its output changed?");
    }
    let glue = glue.replace(&from, &format!("from \"./{}\"", link_name(&tag)));
    std::fs::write(glue_path, glue)?;
    Ok(())
}

fn link_name(tag: &str) -> String {
    format!("__wasm_split-{tag}.js")
}

/// After Trunk: the link module, pointed at the main glue's hashed name, and every split file,
/// optimised like the main module, go into `dist/`. Returns how many split files there are.
pub fn finish(root: &Path, dist: &Path, env: &ToolEnv) -> Result<usize> {
    let out = staging(root).join("out");
    let main_glue = super::files(dist)?
        .into_iter()
        .filter(|path| super::extension(path) == "js")
        .filter_map(|path| path.file_name()?.to_str().map(str::to_owned))
        .filter(|name| name.starts_with("organise-"))
        .collect::<Vec<_>>();
    let [main_glue] = &main_glue[..] else {
        bail!("expected one organise-<hash>.js in dist/, found {main_glue:?}");
    };
    let wasm_opt_params = wasm_opt_params(root)?;
    let mut split_files = 0;
    for path in super::files(&out)? {
        let file_name = path.file_name().context("a staged file with no name")?;
        match super::extension(&path) {
            "js" => {
                let link_js = std::fs::read_to_string(&path)?;
                let from = "from \"./organise.js\"";
                if !link_js.contains(from) {
                    bail!("the link module does not import ./organise.js");
                }
                let link_js = link_js.replace(from, &format!("from \"./{main_glue}\""));
                std::fs::write(dist.join(file_name), link_js)?;
            }
            "wasm" => {
                // Quiet unless it fails: it warns about every split file's name section.
                let optimised = env
                    .command("wasm-opt")
                    .arg("-Oz")
                    .args(&wasm_opt_params)
                    .arg(&path)
                    .arg("-o")
                    .arg(dist.join(file_name))
                    .output()
                    .context("could not start wasm-opt")?;
                if !optimised.status.success() {
                    bail!(
                        "wasm-opt failed on {}: {}",
                        path.display(),
                        String::from_utf8_lossy(&optimised.stderr)
                    );
                }
                split_files += 1;
            }
            _ => {}
        }
    }
    if split_files == 0 {
        bail!("the wasm was not split: no lazy screens found");
    }
    Ok(split_files)
}

/// The wasm-opt flags `index.html` gives Trunk for the main module, so that the split files
/// are optimised for the same wasm features.
fn wasm_opt_params(root: &Path) -> Result<Vec<String>> {
    let html = std::fs::read_to_string(root.join("index.html"))?;
    let attribute = "data-wasm-opt-params=\"";
    let start = html
        .find(attribute)
        .context("index.html gives Trunk no data-wasm-opt-params")?
        + attribute.len();
    let end = html[start..].find('"').context("unterminated attribute")? + start;
    Ok(html[start..end]
        .split_whitespace()
        .map(str::to_owned)
        .collect())
}
