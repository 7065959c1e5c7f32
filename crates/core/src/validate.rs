//! Validation: the [`FieldProblem`] every check reports, and the normalisers that turn real UK
//! input (phone numbers, postcodes, names, email addresses) into one canonical form.
//!
//! Validation never stops at the first problem: a form shows every problem next to its field,
//! so the checks collect a `Vec<FieldProblem>`.

use crate::record::FieldName;
use serde::{Deserialize, Serialize};

/// What is wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldProblem {
    /// The field, by the name it has in a [`crate::Record`].
    pub field: FieldName,
    /// What is wrong with it.
    pub problem: Problem,
}

impl FieldProblem {
    /// A problem with `field`.
    pub fn new(field: impl Into<FieldName>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl FieldProblem {
    /// The problem as a sentence about its field: "Follow ups must not be empty."
    pub fn sentence(&self) -> String {
        let mut field = self.field.as_str().replace('_', " ");
        if let Some(first) = field.get(..1) {
            let upper = first.to_uppercase();
            field.replace_range(..1, &upper);
        }
        format!("{field} {}.", self.problem)
    }
}

/// Every problem as a sentence about its field, one after another: what a screen shows
/// when it cannot say the problem beside the field itself.
pub fn sentences(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(FieldProblem::sentence)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One kind of problem, worded as the end of a sentence about the field ("name must not be
/// empty"). Problems never quote the offending value, so a stored rejection never becomes a
/// second copy of someone's personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Problem {
    /// A required field has no value.
    #[error("is required")]
    Missing,
    /// The field holds a value of the wrong type (text where a number belongs…).
    #[error("should be {expected}")]
    WrongType {
        /// The type the field holds, in words.
        expected: String,
    },
    /// The field's collection has no such field.
    #[error("is not a field of this record")]
    UnknownField,
    /// The text is empty or only spaces.
    #[error("must not be empty")]
    Empty,
    /// The text is longer than allowed.
    #[error("must be at most {max} characters")]
    TooLong {
        /// The limit, in characters.
        max: usize,
    },
    /// The value is already used by another record, and must be unique (an account's email).
    #[error("is already in use")]
    Taken,
    /// The text is shorter than allowed (a password).
    #[error("must be at least {min} characters")]
    TooShort {
        /// The minimum, in characters.
        min: usize,
    },
    /// A name contains characters that names do not contain (digits, symbols).
    #[error("may contain only letters, spaces, apostrophes, hyphens and full stops")]
    BadName,
    /// Not a UK phone number, nor an international one starting with `+` or `00`.
    #[error("is not a UK phone number (like 07700 900123) or an international one starting with +")]
    BadPhone,
    /// Not a UK postcode.
    #[error("is not a UK postcode (like SW1A 1AA)")]
    BadPostcode,
    /// Not an email address.
    #[error("is not an email address")]
    BadEmail,
    /// A value outside its allowed list.
    #[error("must be one of: {}", allowed.join(", "))]
    NotAChoice {
        /// The allowed values.
        allowed: Vec<String>,
    },
    /// A number outside its range.
    #[error("must be between {min} and {max}")]
    OutOfRange {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// A time that must come after another one does not.
    #[error("must be after {other}")]
    NotAfter {
        /// The field it must come after.
        other: String,
    },
    /// An area whose parent is of the wrong kind (a ward directly under a region…).
    #[error("must be {expected}")]
    WrongParent {
        /// The kind of parent allowed, in words.
        expected: String,
    },
    /// A record that refers to itself where that makes no sense.
    #[error("must not refer to the record itself")]
    SelfReference,
    /// A field that may hold a value only in some circumstances holds one outside them.
    #[error("may be set only when {condition}")]
    OnlyWhen {
        /// The circumstance, in words.
        condition: String,
    },
    /// A list holds the same value twice where each must be unique.
    #[error("must not repeat a value")]
    Repeated,
    /// An answer to a question the survey does not ask.
    #[error("is not a question of this survey")]
    NotAQuestion,
    /// A reference to a record that does not exist or that the writer may not see (the two
    /// look the same, so ids cannot be probed).
    #[error("does not refer to anything you can see")]
    UnknownReference,
    /// A set with more elements than allowed.
    #[error("must hold at most {max} entries")]
    TooMany {
        /// The most elements allowed.
        max: i64,
    },
    /// A record about something (a person, a meeting) filed in another area than that
    /// thing's.
    #[error("must be the area of the {other} it is about")]
    AreaMismatch {
        /// What the record is about, in words.
        other: String,
    },
    /// An area placed inside itself (under one of its own wards, say).
    #[error("must not be an area inside this one")]
    Cycle,
    /// A password that guessing would find soon: a common one, a word, a keyboard pattern,
    /// the account's own email or name.
    #[error("is too easy to guess")]
    Guessable,
    /// An answer (about a consent) older than the one already recorded: the person said
    /// otherwise since, and what they said last stands.
    #[error("was answered again later, at {at}")]
    Superseded {
        /// When the answer that stands was given (milliseconds since the Unix epoch).
        at: i64,
    },
    /// A day that has not come yet where only one that has is possible (a one-to-one held
    /// after the day it was recorded).
    #[error("must not be in the future")]
    InFuture,
    /// A choice kept for what already names it and offered for nothing new (a retired rung
    /// of the ladder).
    #[error("is retired")]
    Retired,
}

deserialize_tagged! {
    Problem, tag = "kind";
    fields {
        expected: String,
        max: i64,
        min: i64,
        allowed: Vec<String>,
        other: String,
        condition: String,
        at: i64,
    }
    variants {
        "missing" => Missing,
        "wrong_type" => WrongType { expected },
        "unknown_field" => UnknownField,
        "empty" => Empty,
        "too_long" => TooLong { max },
        "taken" => Taken,
        "too_short" => TooShort { min },
        "bad_name" => BadName,
        "bad_phone" => BadPhone,
        "bad_postcode" => BadPostcode,
        "bad_email" => BadEmail,
        "not_a_choice" => NotAChoice { allowed },
        "out_of_range" => OutOfRange { min, max },
        "not_after" => NotAfter { other },
        "wrong_parent" => WrongParent { expected },
        "self_reference" => SelfReference,
        "only_when" => OnlyWhen { condition },
        "repeated" => Repeated,
        "not_a_question" => NotAQuestion,
        "unknown_reference" => UnknownReference,
        "too_many" => TooMany { max },
        "area_mismatch" => AreaMismatch { other },
        "cycle" => Cycle,
        "guessable" => Guessable,
        "superseded" => Superseded { at },
        "in_future" => InFuture,
        "retired" => Retired,
    }
}

/// Collects problems while a record is checked, so every check runs and all problems are
/// reported together.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<FieldProblem>);

impl Problems {
    /// Records a problem with `field`.
    pub fn push(&mut self, field: &str, problem: Problem) {
        self.0.push(FieldProblem::new(field, problem));
    }

    /// Runs a check that returns a normalised value, recording its problem if it fails.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.push(field, problem);
                None
            }
        }
    }

    /// Checks a required free-text field: not empty, at most `max` characters.
    pub fn text(&mut self, field: &str, text: &str, max: usize) {
        if let Err(problem) = check_text(text, max) {
            self.push(field, problem);
        }
    }

    /// Checks an optional free-text field: at most `max` characters.
    pub fn optional_text(&mut self, field: &str, text: Option<&str>, max: usize) {
        if let Some(text) = text
            && text.chars().count() > max
        {
            self.push(field, Problem::TooLong { max });
        }
    }

    /// Ends the checks: `Ok` when there was no problem.
    pub fn finish(self) -> Result<(), Vec<FieldProblem>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// The longest name accepted, in characters. Long enough for any real name (including
/// patronymics such as "Dafydd ap Gwilym ap Rhys"), short enough to keep junk out.
pub const MAX_NAME: usize = 100;
/// The longest short text (a title, a place, a tag).
pub const MAX_SHORT_TEXT: usize = 200;
/// The longest long text (notes, a story, a script).
pub const MAX_LONG_TEXT: usize = 20_000;

/// Checks free text: not empty (after trimming), at most `max` characters.
pub fn check_text(text: &str, max: usize) -> Result<(), Problem> {
    if text.trim().is_empty() {
        Err(Problem::Empty)
    } else if text.chars().count() > max {
        Err(Problem::TooLong { max })
    } else {
        Ok(())
    }
}

/// Normalises a person's name: trims it and collapses runs of spaces, then checks it holds
/// only letters (any script, with accents, including combining marks so a decomposed "Zoë"
/// passes), spaces, apostrophes (straight or curly), hyphens and full stops.
pub fn normalise_name(name: &str) -> Result<String, Problem> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Problem::Empty);
    }
    if name.chars().count() > MAX_NAME {
        return Err(Problem::TooLong { max: MAX_NAME });
    }
    let allowed = |c: char| {
        c.is_alphabetic()
            || matches!(c, ' ' | '\'' | '\u{2019}' | '-' | '\u{2010}' | '.')
            || ('\u{0300}'..='\u{036F}').contains(&c)
    };
    if !name.chars().all(allowed) || !name.chars().any(char::is_alphabetic) {
        return Err(Problem::BadName);
    }
    Ok(name)
}

/// The digits of a number as E.164 writes them, from the digits typed: `44` in place of a
/// UK trunk `0`, nothing for a `00` prefix or, when the number was written `international`ly
/// (after `+`), the digits as they are. `None` for digits that are none of these (a local
/// number without its trunk zero).
pub(crate) fn international_digits(digits: String, international: bool) -> Option<String> {
    if international {
        Some(digits)
    } else if let Some(abroad) = digits.strip_prefix("00") {
        Some(abroad.to_owned())
    } else {
        digits
            .strip_prefix('0')
            .map(|national| format!("44{national}"))
    }
}

/// Normalises a phone number to E.164 (`+447700900123`).
///
/// Accepts what people type: UK national numbers (`07700 900123`, `(020) 7946 0000`),
/// `+44` with or without the bracketed trunk zero (`+44 (0)20 7946 0000`), the `0044`
/// international prefix, and other countries' numbers after `+` or `00`. Spaces, hyphens,
/// dots and brackets are ignored; anything else (letters, a missing trunk zero) is rejected.
pub fn normalise_phone(phone: &str) -> Result<String, Problem> {
    let trimmed = phone.trim();
    let (international, rest) = if let Some(rest) = trimmed.strip_prefix('+') {
        (true, rest)
    } else {
        (false, trimmed)
    };
    // "+44 (0)20…" writes the trunk zero in brackets; it is not part of the number.
    let rest = rest.replacen("(0)", "", 1);
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
            _ => return Err(Problem::BadPhone),
        }
    }
    let e164_digits = international_digits(digits, international).ok_or(Problem::BadPhone)?;
    if let Some(national) = e164_digits.strip_prefix("44") {
        // A UK national significant number has 9 or 10 digits and never starts with 0
        // ("+44 07700…" is a common slip: drop the trunk zero).
        let national = national.strip_prefix('0').unwrap_or(national);
        if !(9..=10).contains(&national.len()) || national.starts_with('0') {
            return Err(Problem::BadPhone);
        }
        return Ok(format!("+44{national}"));
    }
    if !(8..=15).contains(&e164_digits.len()) || e164_digits.starts_with('0') {
        return Err(Problem::BadPhone);
    }
    Ok(format!("+{e164_digits}"))
}

/// Normalises a UK postcode to upper case with one space before the inward code
/// (`sw1a1aa` → `SW1A 1AA`), rejecting anything not shaped like a postcode.
///
/// The outward code is one of the six shapes A9, A99, AA9, AA99, A9A and AA9A; the inward
/// code is a digit and two letters. (Whether the postcode exists is a question for address
/// lookup, not for validation.)
pub fn normalise_postcode(postcode: &str) -> Result<String, Problem> {
    let compact: String = postcode
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
        return Err(Problem::BadPostcode);
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let shape = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                'A'..='Z' => 'A',
                '0'..='9' => '9',
                _ => '?',
            })
            .collect()
    };
    let outward_ok = matches!(
        shape(outward).as_str(),
        "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
    );
    if !outward_ok || shape(inward) != "9AA" {
        return Err(Problem::BadPostcode);
    }
    Ok(format!("{outward} {inward}"))
}

/// Normalises an email address: trims it, lower-cases the domain (the local part is left as
/// typed, since mail servers may treat it as case-sensitive) and checks its shape: one `@`,
/// a non-empty local part, a domain of dot-separated labels, no spaces.
pub fn normalise_email(email: &str) -> Result<String, Problem> {
    let email = email.trim();
    let (local, domain) = email.split_once('@').ok_or(Problem::BadEmail)?;
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            !c.is_whitespace() && !c.is_control() && !matches!(c, '@' | '<' | '>' | ',' | ';' | '"')
        });
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2 && labels.iter().all(|l| label_ok(l));
    if !local_ok || !domain_ok || email.len() > 254 {
        return Err(Problem::BadEmail);
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}
