//! Writing CSV for a spreadsheet: every cell quoted where it must be, and any cell a
//! spreadsheet would run as a formula (one starting `=`, `+`, `-`, `@`, a tab or a carriage
//! return) written as text instead, with a leading apostrophe.

/// `rows` under `header`, one line each, ended by CRLF as RFC 4180 has it.
pub fn table<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut out = String::new();
    line(&mut out, header.iter().map(|h| (*h).to_owned()));
    for row in rows {
        line(&mut out, row);
    }
    out
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (n, text) in cells.into_iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&cell(&text));
    }
    out.push_str("\r\n");
}

/// One cell: neutralised against formulas, then quoted if it holds a comma, a quote or a line
/// break (or was neutralised, so the apostrophe stays with it).
pub fn cell(text: &str) -> String {
    let neutral = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}
