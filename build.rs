//! Compiles the message catalogue (`src/i18n/<language>/*.ftl`, in Fluent's syntax) into Rust:
//! one function per message, so a screen calls `t::door_saved(name)` and a missing message or
//! a wrong argument is a compile error, not a blank on a volunteer's screen.
//!
//! Nothing of Fluent ships in the wasm: the catalogue is parsed here, at build time, by the
//! maintained `fluent-syntax` parser; plural rules and numbers are `src/i18n.rs`'s own. English is complete by rule (every message is
//! defined there first); a message Welsh lacks falls back to English and is listed in
//! `UNTRANSLATED`, which a test holds to the screens that must be Welsh.
//!
//! The subset of Fluent understood: text; `{ $variable }`; `{ NUMBER($n) }` and
//! `{ DATETIME($at) }`; `{ -term }` and `{ other-message }` without arguments; string
//! literals for escapes; and selects on a variable, whose keys are plural categories or exact
//! numbers (a number variable) or words (a text variable). Anything else fails the build with
//! the message's name.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use fluent_syntax::ast::{
    Entry, Expression, InlineExpression, Pattern, PatternElement, Variant, VariantKey,
};

/// The catalogue's languages: folder and the Rust variant of `Language`. English first:
/// it is the reference every other language is checked against.
const LANGUAGES: &[(&str, &str)] = &[("en", "English"), ("cy", "Welsh")];

const PLURAL_CATEGORIES: &[(&str, &str)] = &[
    ("zero", "Zero"),
    ("one", "One"),
    ("two", "Two"),
    ("few", "Few"),
    ("many", "Many"),
    ("other", "Other"),
];

fn main() {
    let dir = Path::new("src/i18n");
    println!("cargo::rerun-if-changed=src/i18n");
    let mut catalogues = Vec::new();
    for (code, variant) in LANGUAGES {
        // One file per screen (or the app's frame), read in name order as one catalogue.
        let folder = dir.join(code);
        println!("cargo::rerun-if-changed={}", folder.display());
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", folder.display())))
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        let mut catalogue = Catalogue::default();
        for path in files {
            println!("cargo::rerun-if-changed={}", path.display());
            let source = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
            catalogue.add(&path, &source);
        }
        catalogues.push((*variant, catalogue));
    }
    let code = generate(&catalogues).unwrap_or_else(|e| fail(&e));
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("messages.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| fail(&format!("cannot write messages: {e}")));
}

fn fail(problem: &str) -> ! {
    eprintln!("error in the message catalogue: {problem}");
    std::process::exit(1)
}

/// One language's messages and terms, by id, in file order.
#[derive(Default)]
struct Catalogue {
    messages: BTreeMap<String, Pattern<String>>,
    order: Vec<String>,
    terms: BTreeMap<String, Pattern<String>>,
}

impl Catalogue {
    fn add(&mut self, path: &Path, source: &str) {
        let resource = match fluent_syntax::parser::parse(source.to_owned()) {
            Ok(resource) => resource,
            Err((_, errors)) => fail(&format!("{} does not parse: {errors:?}", path.display())),
        };
        let catalogue = self;
        for entry in resource.body {
            match entry {
                Entry::Message(message) => {
                    let id = message.id.name;
                    if !message.attributes.is_empty() {
                        fail(&format!(
                            "{id}: attributes are not supported; use another message"
                        ));
                    }
                    let Some(value) = message.value else {
                        fail(&format!("{id} has no value"));
                    };
                    if catalogue.messages.insert(id.clone(), value).is_some() {
                        fail(&format!("{id} is defined twice in {}", path.display()));
                    }
                    catalogue.order.push(id);
                }
                Entry::Term(term) => {
                    catalogue.terms.insert(term.id.name, term.value);
                }
                Entry::Junk { content } => {
                    fail(&format!("{} has junk: {content:?}", path.display()))
                }
                Entry::Comment(_) | Entry::GroupComment(_) | Entry::ResourceComment(_) => {}
            }
        }
    }
}

/// What a variable holds, from how a message uses it.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Text,
    Number,
    Moment,
}

impl Kind {
    fn rust(self) -> &'static str {
        match self {
            Kind::Text => "&str",
            Kind::Number => "usize",
            Kind::Moment => "organise_core::id::Timestamp",
        }
    }
}

fn generate(catalogues: &[(&str, Catalogue)]) -> Result<String, String> {
    let (_, english) = &catalogues[0];
    for (language, catalogue) in &catalogues[1..] {
        if let Some(extra) = catalogue
            .order
            .iter()
            .find(|id| !english.messages.contains_key(*id))
        {
            return Err(format!("{extra} is in {language} but not in English"));
        }
    }
    let mut code = String::new();
    let mut untranslated = Vec::new();
    for id in &english.order {
        // The signature: every variable any language uses, English's first, one kind each.
        let mut variables: Vec<(String, Kind)> = Vec::new();
        for (language, catalogue) in catalogues {
            let Some(pattern) = catalogue.messages.get(id) else {
                continue;
            };
            let mut found = Vec::new();
            pattern_variables(pattern, &mut found)
                .map_err(|e| format!("{id} ({language}): {e}"))?;
            for (name, kind) in found {
                match variables.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, known)) if *known == kind => {}
                    Some((_, known)) if *known == Kind::Text => *known = kind,
                    Some(_) if kind == Kind::Text => {}
                    Some((_, known)) => {
                        return Err(format!(
                            "{id}: ${name} is used as {known:?} and as {kind:?}"
                        ));
                    }
                    None => variables.push((name, kind)),
                }
            }
        }
        let name = rust_name(id);
        let arguments: Vec<String> = variables
            .iter()
            .map(|(v, kind)| format!("{}: {}", rust_name(v), kind.rust()))
            .collect();
        let plain = variables.is_empty()
            && catalogues
                .iter()
                .filter_map(|(_, c)| c.messages.get(id))
                .all(|p| literal(p).is_some());
        let _ = writeln!(code, "/// `{id}`");
        // Only English has it: no choice of language to make.
        let english_only = catalogues[1..]
            .iter()
            .all(|(_, catalogue)| !catalogue.messages.contains_key(id));
        if plain {
            let _ = writeln!(code, "pub fn {name}() -> &'static str {{");
            let english_text = literal(&english.messages[id]).expect("checked above");
            if english_only {
                let _ = writeln!(code, "    {english_text:?}\n}}");
            } else {
                let _ = writeln!(code, "    match super::language() {{");
                for (language, catalogue) in &catalogues[1..] {
                    if let Some(pattern) = catalogue.messages.get(id) {
                        let text = literal(pattern).expect("checked above");
                        let _ = writeln!(code, "        super::Language::{language} => {text:?},");
                    }
                }
                let _ = writeln!(code, "        _ => {english_text:?},");
                let _ = writeln!(code, "    }}\n}}");
            }
        } else {
            let _ = writeln!(code, "pub fn {name}({}) -> String {{", arguments.join(", "));
            let _ = writeln!(code, "    let mut out = String::new();");
            let mut context = Context {
                id,
                catalogues,
                language: 0,
                variables: &variables,
            };
            if english_only {
                emit_pattern(&mut code, &english.messages[id], &context, 1)?;
                let _ = writeln!(code, "    out\n}}");
            } else {
                let _ = writeln!(code, "    match super::language() {{");
                for (index, (language, catalogue)) in catalogues.iter().enumerate().skip(1) {
                    if let Some(pattern) = catalogue.messages.get(id) {
                        context.language = index;
                        let _ = writeln!(code, "        super::Language::{language} => {{");
                        emit_pattern(&mut code, pattern, &context, 3)?;
                        let _ = writeln!(code, "        }}");
                    }
                }
                context.language = 0;
                let _ = writeln!(code, "        _ => {{");
                emit_pattern(&mut code, &english.messages[id], &context, 3)?;
                let _ = writeln!(code, "        }}\n    }}\n    out\n}}");
            }
        }
        for (language, catalogue) in &catalogues[1..] {
            if !catalogue.messages.contains_key(id) {
                untranslated.push(format!("({language:?}, {id:?})"));
            }
        }
    }
    let _ = writeln!(
        code,
        "/// Every message a language lacks (it falls back to English), by language and id.\n\
         pub const UNTRANSLATED: &[(&str, &str)] = &[{}];",
        untranslated.join(", ")
    );
    let _ = writeln!(
        code,
        "/// Every message id, in English's order.\npub const IDS: &[&str] = &{:?};",
        english.order
    );
    Ok(code)
}

/// `door-saved` → `door_saved`.
fn rust_name(id: &str) -> String {
    id.replace('-', "_")
}

/// The text of a pattern of plain text and string literals only, or `None` if it holds
/// anything else (variables, selects, terms, message references).
fn literal(pattern: &Pattern<String>) -> Option<String> {
    let mut text = String::new();
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => text.push_str(value),
            PatternElement::Placeable {
                expression: Expression::Inline(InlineExpression::StringLiteral { value }),
            } => text.push_str(&unescape(value)),
            // Terms and message references are resolved per language by `emit_pattern`; a
            // plain message must not depend on them, so that it stays one literal per language.
            _ => return None,
        }
    }
    Some(text)
}

fn unescape(value: &str) -> String {
    value.replace("\\\"", "\"").replace("\\\\", "\\")
}

fn pattern_variables(
    pattern: &Pattern<String>,
    found: &mut Vec<(String, Kind)>,
) -> Result<(), String> {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, found)?;
        }
    }
    Ok(())
}

fn expression_variables(
    expression: &Expression<String>,
    found: &mut Vec<(String, Kind)>,
) -> Result<(), String> {
    match expression {
        Expression::Select { selector, variants } => {
            let numeric = variants.iter().any(|v| match &v.key {
                VariantKey::NumberLiteral { .. } => true,
                VariantKey::Identifier { name } => PLURAL_CATEGORIES.iter().any(|(c, _)| c == name),
            });
            match selector {
                InlineExpression::VariableReference { id } => found.push((
                    id.name.clone(),
                    if numeric { Kind::Number } else { Kind::Text },
                )),
                InlineExpression::FunctionReference { .. } => inline_variables(selector, found)?,
                _ => return Err("a select must be on a variable".into()),
            }
            for variant in variants {
                pattern_variables(&variant.value, found)?;
            }
            Ok(())
        }
        Expression::Inline(inline) => inline_variables(inline, found),
    }
}

fn inline_variables(
    inline: &InlineExpression<String>,
    found: &mut Vec<(String, Kind)>,
) -> Result<(), String> {
    match inline {
        InlineExpression::VariableReference { id } => found.push((id.name.clone(), Kind::Text)),
        InlineExpression::FunctionReference { id, arguments } => {
            let kind = match id.name.as_str() {
                "NUMBER" => Kind::Number,
                "DATETIME" => Kind::Moment,
                other => return Err(format!("unknown function {other}")),
            };
            match arguments.positional.as_slice() {
                [InlineExpression::VariableReference { id }] if arguments.named.is_empty() => {
                    found.push((id.name.clone(), kind))
                }
                _ => return Err(format!("{} takes one variable", id.name)),
            }
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, found)?,
        InlineExpression::StringLiteral { .. }
        | InlineExpression::NumberLiteral { .. }
        | InlineExpression::MessageReference { .. }
        | InlineExpression::TermReference { .. } => {}
    }
    Ok(())
}

struct Context<'a> {
    id: &'a str,
    catalogues: &'a [(&'a str, Catalogue)],
    language: usize,
    variables: &'a [(String, Kind)],
}

impl Context<'_> {
    fn kind(&self, variable: &str) -> Kind {
        self.variables
            .iter()
            .find(|(v, _)| v == variable)
            .map_or(Kind::Text, |(_, kind)| *kind)
    }
}

fn emit_pattern(
    code: &mut String,
    pattern: &Pattern<String>,
    context: &Context,
    depth: usize,
) -> Result<(), String> {
    let pad = "    ".repeat(depth);
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => {
                push_text(code, &pad, value);
            }
            PatternElement::Placeable { expression } => {
                emit_expression(code, expression, context, depth)?
            }
        }
    }
    Ok(())
}

fn emit_expression(
    code: &mut String,
    expression: &Expression<String>,
    context: &Context,
    depth: usize,
) -> Result<(), String> {
    let pad = "    ".repeat(depth);
    match expression {
        Expression::Inline(inline) => emit_inline(code, inline, context, depth),
        Expression::Select { selector, variants } => {
            let variable = match selector {
                InlineExpression::VariableReference { id } => &id.name,
                InlineExpression::FunctionReference { arguments, .. } => {
                    match arguments.positional.as_slice() {
                        [InlineExpression::VariableReference { id }] => &id.name,
                        _ => return Err(format!("{}: a select must be on a variable", context.id)),
                    }
                }
                _ => return Err(format!("{}: a select must be on a variable", context.id)),
            };
            let value = rust_name(variable);
            let default = variants
                .iter()
                .find(|v| v.default)
                .ok_or_else(|| format!("{}: a select needs a default variant", context.id))?;
            let others: Vec<&Variant<String>> = variants.iter().filter(|v| !v.default).collect();
            match context.kind(variable) {
                Kind::Number => {
                    // Exact numbers first, as Fluent resolves them, then the plural category.
                    let (exact, categories): (Vec<&Variant<String>>, Vec<&Variant<String>>) =
                        others
                            .iter()
                            .partition(|v| matches!(v.key, VariantKey::NumberLiteral { .. }));
                    let mut first = true;
                    for variant in exact {
                        let VariantKey::NumberLiteral { value: number } = &variant.key else {
                            unreachable!()
                        };
                        let keyword = if first { "if" } else { "} else if" };
                        first = false;
                        let _ = writeln!(code, "{pad}{keyword} {value} == {number} {{");
                        emit_pattern(code, &variant.value, context, depth + 1)?;
                    }
                    if !first {
                        let _ = writeln!(code, "{pad}}} else {{");
                    }
                    let inner = if first { depth } else { depth + 1 };
                    let inner_pad = "    ".repeat(inner);
                    if categories.is_empty() {
                        // Only exact numbers: the default needs no plural category.
                        emit_pattern(code, &default.value, context, inner)?;
                        if !first {
                            let _ = writeln!(code, "{pad}}}");
                        }
                        return Ok(());
                    }
                    let _ = writeln!(code, "{inner_pad}match super::plural({value}) {{");
                    for variant in categories {
                        let VariantKey::Identifier { name } = &variant.key else {
                            unreachable!()
                        };
                        let category = PLURAL_CATEGORIES
                            .iter()
                            .find(|(c, _)| c == name)
                            .map(|(_, rust)| rust)
                            .ok_or_else(|| {
                                format!("{}: {name} is not a plural category", context.id)
                            })?;
                        let _ = writeln!(code, "{inner_pad}    super::Plural::{category} => {{");
                        emit_pattern(code, &variant.value, context, inner + 2)?;
                        let _ = writeln!(code, "{inner_pad}    }}");
                    }
                    let _ = writeln!(code, "{inner_pad}    _ => {{");
                    emit_pattern(code, &default.value, context, inner + 2)?;
                    let _ = writeln!(code, "{inner_pad}    }}\n{inner_pad}}}");
                    if !first {
                        let _ = writeln!(code, "{pad}}}");
                    }
                }
                Kind::Text => {
                    let _ = writeln!(code, "{pad}match {value} {{");
                    for variant in others {
                        let key = match &variant.key {
                            VariantKey::Identifier { name } => name,
                            VariantKey::NumberLiteral { value } => value,
                        };
                        let _ = writeln!(code, "{pad}    {key:?} => {{");
                        emit_pattern(code, &variant.value, context, depth + 2)?;
                        let _ = writeln!(code, "{pad}    }}");
                    }
                    let _ = writeln!(code, "{pad}    _ => {{");
                    emit_pattern(code, &default.value, context, depth + 2)?;
                    let _ = writeln!(code, "{pad}    }}\n{pad}}}");
                }
                Kind::Moment => {
                    return Err(format!("{}: a select cannot be on a date", context.id));
                }
            }
            Ok(())
        }
    }
}

fn emit_inline(
    code: &mut String,
    inline: &InlineExpression<String>,
    context: &Context,
    depth: usize,
) -> Result<(), String> {
    let pad = "    ".repeat(depth);
    match inline {
        InlineExpression::StringLiteral { value } => {
            push_text(code, &pad, &unescape(value));
        }
        InlineExpression::NumberLiteral { value } => {
            push_text(code, &pad, value);
        }
        InlineExpression::VariableReference { id } => {
            let value = rust_name(&id.name);
            match context.kind(&id.name) {
                Kind::Text => {
                    let _ = writeln!(code, "{pad}out.push_str({value});");
                }
                Kind::Number => {
                    let _ = writeln!(code, "{pad}out.push_str(&super::number({value}));");
                }
                Kind::Moment => {
                    let _ = writeln!(code, "{pad}out.push_str(&super::date({value}));");
                }
            }
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            match arguments.positional.as_slice() {
                [variable @ InlineExpression::VariableReference { .. }] => {
                    emit_inline(code, variable, context, depth)?
                }
                _ => return Err(format!("{}: a function takes one variable", context.id)),
            }
        }
        InlineExpression::TermReference {
            id,
            attribute,
            arguments,
        } => {
            if attribute.is_some() || arguments.is_some() {
                return Err(format!(
                    "{}: terms take no attribute or arguments",
                    context.id
                ));
            }
            let (_, catalogue) = &context.catalogues[context.language];
            let term = catalogue
                .terms
                .get(&id.name)
                .or_else(|| context.catalogues[0].1.terms.get(&id.name))
                .ok_or_else(|| format!("{}: no term -{}", context.id, id.name))?;
            emit_pattern(code, term, context, depth)?;
        }
        InlineExpression::MessageReference { id, attribute } => {
            if attribute.is_some() {
                return Err(format!(
                    "{}: message attributes are not supported",
                    context.id
                ));
            }
            let (_, english) = &context.catalogues[0];
            if !english.messages.contains_key(&id.name) {
                return Err(format!("{}: no message {}", context.id, id.name));
            }
            let _ = writeln!(code, "{pad}out.push_str(&{}());", rust_name(&id.name));
        }
        InlineExpression::Placeable { expression } => {
            emit_expression(code, expression, context, depth)?
        }
    }
    Ok(())
}

/// Appends literal text to the message being built (a single character by `push`, as
/// clippy asks of the generated code).
fn push_text(code: &mut String, pad: &str, text: &str) {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (None, _) => {}
        (Some(c), None) => {
            let _ = writeln!(code, "{pad}out.push({c:?});");
        }
        _ => {
            let _ = writeln!(code, "{pad}out.push_str({text:?});");
        }
    }
}
