//! Table-driven tests of the normalisers on real UK input, and of record validation
//! reporting every problem with its field.

use organise_core::validate::{
    normalise_email, normalise_name, normalise_phone, normalise_postcode,
};
use organise_core::{FieldProblem, Problem};

#[test]
fn phone_numbers_normalise_to_e164() {
    let cases = [
        ("07700 900123", "+447700900123"),
        ("07700900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("+447700900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("00447700900123", "+447700900123"),
        ("(020) 7946 0000", "+442079460000"),
        ("020-7946-0000", "+442079460000"),
        ("+44 (0)20 7946 0000", "+442079460000"),
        ("+44 07700 900123", "+447700900123"),
        ("029 2018 0000", "+442920180000"),
        (" 01632 960000 ", "+441632960000"),
        ("+353 1 234 5678", "+35312345678"),
        ("0033 1 23 45 67 89", "+33123456789"),
    ];
    for (input, expected) in cases {
        assert_eq!(normalise_phone(input).as_deref(), Ok(expected), "{input:?}");
    }
}

#[test]
fn non_phone_numbers_are_rejected() {
    for input in [
        "",
        "   ",
        "7700 900123",
        "07700 9001",
        "07700 900123 45",
        "0770O 900123",
        "call me",
        "+44",
        "+44 12",
        "ext. 123",
    ] {
        assert_eq!(normalise_phone(input), Err(Problem::BadPhone), "{input:?}");
    }
}

#[test]
fn postcodes_normalise_in_any_case_and_spacing() {
    let cases = [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        (" SW1A  1AA ", "SW1A 1AA"),
        ("cf10 1ep", "CF10 1EP"),
        ("M1 1AE", "M1 1AE"),
        ("b33 8th", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("w1a 0ax", "W1A 0AX"),
        ("EC1A1BB", "EC1A 1BB"),
    ];
    for (input, expected) in cases {
        assert_eq!(
            normalise_postcode(input).as_deref(),
            Ok(expected),
            "{input:?}"
        );
    }
}

#[test]
fn non_postcodes_are_rejected() {
    for input in [
        "",
        "SW1A",
        "12345",
        "SW1A 1A",
        "SW1A 1AAA",
        "1AA SW1",
        "SW1A-1AA",
        "ZZZZ ZZZ",
        "Cardiff",
        "SW1Ä 1AA",
    ] {
        assert_eq!(
            normalise_postcode(input),
            Err(Problem::BadPostcode),
            "{input:?}"
        );
    }
}

#[test]
fn real_names_are_accepted_and_trimmed() {
    let cases = [
        ("O'Brien", "O'Brien"),
        ("Anne-Marie", "Anne-Marie"),
        ("Zoë", "Zoë"),
        ("Zoe\u{308}", "Zoe\u{308}"),
        ("Siân", "Siân"),
        ("Llŷr", "Llŷr"),
        ("Dafydd ap Gwilym", "Dafydd ap Gwilym"),
        ("  Seán   Ó Súilleabháin ", "Seán Ó Súilleabháin"),
        ("Ngozi Okonkwo-Adeyemi", "Ngozi Okonkwo-Adeyemi"),
        ("D\u{2019}Arcy", "D\u{2019}Arcy"),
        ("St. John Smythe", "St. John Smythe"),
        ("Mohammed", "Mohammed"),
    ];
    for (input, expected) in cases {
        assert_eq!(normalise_name(input).as_deref(), Ok(expected), "{input:?}");
    }
}

#[test]
fn empty_overlong_and_junk_names_are_rejected() {
    let long = "A".repeat(101);
    let cases = [
        ("", Problem::Empty),
        ("   ", Problem::Empty),
        (long.as_str(), Problem::TooLong { max: 100 }),
        ("R2-D2", Problem::BadName),
        ("<script>", Problem::BadName),
        ("jo@example.org", Problem::BadName),
        ("---", Problem::BadName),
    ];
    for (input, expected) in cases {
        assert_eq!(normalise_name(input), Err(expected), "{input:?}");
    }
    assert!(normalise_name(&"A".repeat(100)).is_ok());
}

#[test]
fn emails_are_checked_and_their_domain_lower_cased() {
    let good = [
        ("sam@example.org", "sam@example.org"),
        (" Sam.Test@Example.ORG ", "Sam.Test@example.org"),
        (
            "o'brien+campaign@mail.example.co.uk",
            "o'brien+campaign@mail.example.co.uk",
        ),
    ];
    for (input, expected) in good {
        assert_eq!(normalise_email(input).as_deref(), Ok(expected), "{input:?}");
    }
    for input in [
        "",
        "sam",
        "sam@",
        "@example.org",
        "sam@example",
        "sam@@example.org",
        "sam test@example.org",
        "sam@exa mple.org",
        "sam@-example.org",
        ".sam@example.org",
        "sam..test@example.org",
    ] {
        assert_eq!(normalise_email(input), Err(Problem::BadEmail), "{input:?}");
    }
}

#[test]
fn problems_read_as_sentences() {
    let problem = FieldProblem::new("postcode", Problem::BadPostcode);
    assert_eq!(
        problem.to_string(),
        "postcode: is not a UK postcode (like SW1A 1AA)"
    );
    let problem = FieldProblem::new(
        "kind",
        Problem::NotAChoice {
            allowed: vec!["contact".into(), "leader".into()],
        },
    );
    assert_eq!(problem.to_string(), "kind: must be one of: contact, leader");
}

/// Issue 13: a refused change read "invalid: phone: is not a UK phone number" on the Rejected
/// changes screen. A rejection says each problem as a sentence that names its field in words.
#[test]
fn a_rejection_names_each_field_in_words() {
    let rejection = organise_core::sync::Rejection::Invalid {
        problems: vec![
            FieldProblem::new("phone", Problem::BadPhone),
            FieldProblem::new("follow_ups", Problem::Empty),
        ],
    };
    assert_eq!(
        rejection.to_string(),
        "Phone is not a UK phone number (like 07700 900123) or an international one starting \
         with +. Follow ups must not be empty."
    );
}
