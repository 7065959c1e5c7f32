//! CSV for spreadsheets: quoting, and cells that would run as formulas kept as text.

use organise_core::csv::{cell, table};

#[test]
fn cells_a_spreadsheet_would_run_as_formulas_are_kept_as_text() {
    let cases = [
        ("Sam Sample", "Sam Sample"),
        (
            "=HYPERLINK(\"http://x\")",
            "\"'=HYPERLINK(\"\"http://x\"\")\"",
        ),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\r\nbreak", "\"'\r\nbreak\""),
        ("a, b", "\"a, b\""),
        ("two\nlines", "\"two\nlines\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("", ""),
        ("O'Test = fine", "O'Test = fine"),
    ];
    for (text, written) in cases {
        assert_eq!(cell(text), written, "{text:?}");
    }
}

#[test]
fn a_table_is_its_header_then_one_line_per_row_ended_by_crlf() {
    let rows = vec![
        vec!["1".to_owned(), "=cmd".to_owned()],
        vec!["2".to_owned(), "plain".to_owned()],
    ];
    assert_eq!(
        table(&["n", "what"], rows),
        "n,what\r\n1,'=cmd\r\n2,plain\r\n"
    );
}
