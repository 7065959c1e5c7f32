//! The app's languages and its one message catalogue.
//!
//! Every sentence a person reads is a message in `src/i18n/en/` (English, complete; one file
//! per screen, and `frame.ftl` for the app around them) and, for the doorstep's screens at
//! least, in `src/i18n/cy/` (Welsh). `build.rs` compiles them into
//! the functions of [`t`]: `t::sign_in()`, `t::count_doors(n)`. Plural rules, numbers and month names
//! are the app's own (a few lines per language), so no locale data ships in the app and every
//! browser words things the same.
//!
//! The language follows the browser unless someone chose one in Settings; the choice is kept
//! in this browser's `localStorage`, beside no personal data.

use std::cell::Cell;

use std::collections::BTreeMap;

use leptos::prelude::RwSignal;
use organise_core::canvass::Waiting;
use organise_core::id::Timestamp;
use organise_core::permission::Denied;
use organise_core::sync::wire::Rejection;
use organise_core::validate::{FieldProblem, Problem};
use wasm_bindgen::JsValue;
use web_sys::js_sys::Date;

/// The catalogue's messages, one function each (generated from `src/i18n/*.ftl`).
pub mod t {
    include!(concat!(env!("OUT_DIR"), "/messages.rs"));
}

/// A language the app speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// British English: the reference language, always complete.
    English,
    /// Welsh (Cymraeg).
    Welsh,
}

impl Language {
    /// Every language, in the order Settings offers them.
    pub const ALL: [Language; 2] = [Language::English, Language::Welsh];

    /// The code kept for a choice, and the primary subtag matched against the browser's.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Welsh => "cy",
        }
    }

    /// The BCP 47 tag for `Intl` and the page's `lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en-GB",
            Language::Welsh => "cy-GB",
        }
    }

    /// The language's own name for itself, as a language switch shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Welsh => "Cymraeg",
        }
    }

    /// The language a code or tag names ("cy", "cy-GB", "en-US"), if the app speaks it.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }
}

/// A plural category, as `Intl.PluralRules` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    /// "zero" (Welsh 0).
    Zero,
    /// "one".
    One,
    /// "two" (Welsh 2).
    Two,
    /// "few" (Welsh 3).
    Few,
    /// "many" (Welsh 6).
    Many,
    /// Everything else.
    Other,
}

/// The language the screens speak, as a signal in the app's context: the app redraws in a
/// new language when Settings changes it.
#[derive(Clone, Copy)]
pub struct Speaking(pub RwSignal<Language>);

const CHOICE_KEY: &str = "organise-language";

thread_local! {
    static CURRENT: Cell<Language> = const { Cell::new(Language::English) };
}

/// The language the screens speak now.
pub fn language() -> Language {
    CURRENT.with(Cell::get)
}

/// `n`'s plural category in the current language, by the CLDR rules for whole numbers.
/// (Written out rather than asked of `Intl`, whose locale data varies between browsers; a
/// test holds these to the browser's own rules.)
pub fn plural(n: usize) -> Plural {
    match (language(), n) {
        (Language::English, 1) => Plural::One,
        (Language::English, _) => Plural::Other,
        (Language::Welsh, 0) => Plural::Zero,
        (Language::Welsh, 1) => Plural::One,
        (Language::Welsh, 2) => Plural::Two,
        (Language::Welsh, 3) => Plural::Few,
        (Language::Welsh, 6) => Plural::Many,
        (Language::Welsh, _) => Plural::Other,
    }
}

/// `n` with its thousands grouped, as both languages write it: "20,025".
pub fn number(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// What waits to be sent, in the terms of the work ("2 doors, 1 conversation and 1 other
/// change"), with how many things that names (for the verb); `None` when nothing waits.
/// Every screen that says what waits says it through this, so that they agree.
pub fn waiting(waiting: Waiting) -> Option<(String, usize)> {
    let Waiting {
        doors,
        conversations,
        other,
    } = waiting;
    let mut parts = Vec::new();
    if doors > 0 {
        parts.push(t::count_doors(doors));
    }
    if conversations > 0 {
        parts.push(t::count_conversations(conversations));
    }
    if other > 0 {
        parts.push(if parts.is_empty() {
            t::count_changes(other)
        } else {
            t::sync_other_changes(other)
        });
    }
    let last = parts.pop()?;
    let what = match parts.is_empty() {
        true => last,
        false => t::count_and(&parts.join(", "), &last),
    };
    Some((what, doors + conversations + other))
}

/// A day, in this device's time zone, as the current language writes it: "3 Dec 2026",
/// "3 Rhag 2026".
pub fn date(at: Timestamp) -> String {
    let day = Date::new(&JsValue::from_f64(at.0 as f64));
    t::date_short(
        &day.get_date().to_string(),
        day.get_month() as usize + 1,
        &day.get_full_year().to_string(),
    )
}

/// A moment, in this device's time zone: its day as [`date`] writes it, then the time on a
/// 24-hour clock: "3 Dec 2026, 19:40".
pub fn date_time(at: Timestamp) -> String {
    let moment = Date::new(&JsValue::from_f64(at.0 as f64));
    format!(
        "{}, {:02}:{:02}",
        date(at),
        moment.get_hours(),
        moment.get_minutes()
    )
}

/// A refused value as a sentence to show beside its field: "This is not an email address."
pub fn problem(problem: &Problem) -> String {
    match problem {
        Problem::Missing => t::problem_missing().to_owned(),
        Problem::WrongType { expected } => t::problem_wrong_type(expected),
        Problem::UnknownField => t::problem_unknown_field().to_owned(),
        Problem::Empty => t::problem_empty().to_owned(),
        Problem::TooLong { max } => t::problem_too_long(*max),
        Problem::Taken => t::problem_taken().to_owned(),
        Problem::TooShort { min } => t::problem_too_short(*min),
        Problem::BadName => t::problem_bad_name().to_owned(),
        Problem::BadPhone => t::problem_bad_phone().to_owned(),
        Problem::BadPostcode => t::problem_bad_postcode().to_owned(),
        Problem::BadEmail => t::problem_bad_email().to_owned(),
        Problem::NotAChoice { allowed } => t::problem_not_a_choice(&allowed.join(", ")),
        Problem::OutOfRange { min, max } => {
            t::problem_out_of_range(&min.to_string(), &max.to_string())
        }
        Problem::NotAfter { other } => t::problem_not_after(other),
        Problem::WrongParent { expected } => t::problem_wrong_parent(expected),
        Problem::SelfReference => t::problem_self_reference().to_owned(),
        Problem::OnlyWhen { condition } => t::problem_only_when(condition),
        Problem::Repeated => t::problem_repeated().to_owned(),
        Problem::NotAQuestion => t::problem_not_a_question().to_owned(),
        Problem::UnknownReference => t::problem_unknown_reference().to_owned(),
        Problem::TooMany { max } => t::problem_too_many(&max.to_string()),
        Problem::AreaMismatch { other } => t::problem_area_mismatch(other),
        Problem::Cycle => t::problem_cycle().to_owned(),
        Problem::Guessable => t::problem_guessable().to_owned(),
        Problem::Superseded { at } => t::problem_superseded(&date(Timestamp(*at))),
        Problem::InFuture => t::problem_in_future().to_owned(),
        Problem::Retired => t::problem_retired().to_owned(),
    }
}

/// Why the server refused a change, as a sentence (a refused value names its field).
pub fn rejection(rejection: &Rejection) -> String {
    match rejection {
        Rejection::UnsupportedSchema { .. } => t::rejection_unsupported_schema().to_owned(),
        Rejection::Erased => t::rejection_erased().to_owned(),
        Rejection::Unauthorised { reason } => match reason {
            Denied::OutsideScope => t::rejection_outside_scope(),
            Denied::AdminOnly => t::rejection_admin_only(),
            Denied::OrganiserOnly => t::rejection_organiser_only(),
            Denied::NotTheAuthor => t::rejection_not_the_author(),
            Denied::AreasAreKept => t::rejection_areas_are_kept(),
            Denied::RungsAreKept => t::rejection_rungs_are_kept(),
            Denied::MergesAreKept => t::rejection_merges_are_kept(),
        }
        .to_owned(),
        Rejection::Invalid { problems } => problems
            .iter()
            .map(|found| {
                t::rejection_invalid(
                    &field_heading(found.field.as_str()),
                    &problem(&found.problem),
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
        Rejection::NotFound => t::rejection_not_found().to_owned(),
        Rejection::Deleted => t::rejection_deleted().to_owned(),
        Rejection::IdTaken => t::rejection_id_taken().to_owned(),
        Rejection::AppendOnly { .. } => t::rejection_append_only().to_owned(),
        Rejection::NotASet { field } => t::rejection_not_a_set(&field_heading(field.as_str())),
        Rejection::WholeSet { field } => t::rejection_whole_set(&field_heading(field.as_str())),
        Rejection::UnknownArea => t::rejection_unknown_area().to_owned(),
        Rejection::StaleDelete { .. } => t::rejection_stale_delete().to_owned(),
        Rejection::NoSuchConflict => t::rejection_no_such_conflict().to_owned(),
    }
}

/// A field's name in words: "follow ups", not `follow_ups`.
pub fn field_words(field: &str) -> String {
    field.replace('_', " ")
}

/// A field's name in words at the start of a sentence: "Follow ups".
pub fn field_heading(field: &str) -> String {
    let words = field_words(field);
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// Each field's problems as sentences to show beside it, by field name; a field with two
/// problems gets both.
pub fn problems_by_field(problems: &[FieldProblem]) -> BTreeMap<String, String> {
    let mut by_field: BTreeMap<String, String> = BTreeMap::new();
    for found in problems {
        let sentence = problem(&found.problem);
        by_field
            .entry(found.field.to_string())
            .and_modify(|s| {
                s.push(' ');
                s.push_str(&sentence);
            })
            .or_insert(sentence);
    }
    by_field
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The language someone chose in Settings, if they chose one.
pub fn chosen() -> Option<Language> {
    storage()?
        .get_item(CHOICE_KEY)
        .ok()?
        .as_deref()
        .and_then(Language::from_tag)
}

/// The first of the browser's languages the app speaks, else English.
pub fn from_browser() -> Language {
    let Some(window) = web_sys::window() else {
        return Language::English;
    };
    window
        .navigator()
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .find_map(|tag| Language::from_tag(&tag))
        .unwrap_or(Language::English)
}

/// Speaks `language` from now on, and tells the page (screen readers read by `lang`).
pub fn speak(language: Language) {
    CURRENT.with(|current| current.set(language));
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", language.tag());
    }
}

/// Keeps `choice` for this browser (`None`: follow the browser) and speaks it.
pub fn choose(choice: Option<Language>) {
    if let Some(storage) = storage() {
        let _ = match choice {
            Some(language) => storage.set_item(CHOICE_KEY, language.code()),
            None => storage.remove_item(CHOICE_KEY),
        };
    }
    speak(choice.unwrap_or_else(from_browser));
}

/// At start: the chosen language, else the browser's.
pub fn start() {
    speak(chosen().unwrap_or_else(from_browser));
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn in_language<T>(language: Language, f: impl FnOnce() -> T) -> T {
        let before = super::language();
        speak(language);
        let out = f();
        speak(before);
        out
    }

    #[wasm_bindgen_test]
    fn languages_are_matched_by_their_primary_subtag() {
        assert_eq!(Language::from_tag("cy"), Some(Language::Welsh));
        assert_eq!(Language::from_tag("cy-GB"), Some(Language::Welsh));
        assert_eq!(Language::from_tag("EN_us"), Some(Language::English));
        assert_eq!(Language::from_tag("fr-FR"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[wasm_bindgen_test]
    fn plural_rules_agree_with_the_browsers() {
        use web_sys::js_sys::{Array, Intl, Object};
        for language in Language::ALL {
            let locales = Array::of1(&JsValue::from_str(language.tag()));
            let rules = Intl::PluralRules::new(&locales, &Object::new());
            in_language(language, || {
                for n in 0..250 {
                    let expected = String::from(rules.select(n as f64));
                    let ours = format!("{:?}", plural(n)).to_lowercase();
                    assert_eq!(ours, expected, "{language:?} {n}");
                }
            });
        }
    }

    #[wasm_bindgen_test]
    fn numbers_are_grouped_in_thousands() {
        in_language(Language::English, || {
            assert_eq!(number(0), "0");
            assert_eq!(number(999), "999");
            assert_eq!(number(20_025), "20,025");
            assert_eq!(number(1_234_567), "1,234,567");
        });
        in_language(Language::Welsh, || assert_eq!(number(20_025), "20,025"));
    }

    #[wasm_bindgen_test]
    fn welsh_has_six_plural_categories() {
        in_language(Language::Welsh, || {
            let categories: Vec<Plural> = [0, 1, 2, 3, 6, 4, 20].map(plural).to_vec();
            assert_eq!(
                categories,
                [
                    Plural::Zero,
                    Plural::One,
                    Plural::Two,
                    Plural::Few,
                    Plural::Many,
                    Plural::Other,
                    Plural::Other
                ]
            );
        });
        in_language(Language::English, || {
            assert_eq!(
                [0, 1, 2].map(plural),
                [Plural::Other, Plural::One, Plural::Other]
            );
        });
    }

    #[wasm_bindgen_test]
    fn counts_agree_with_their_number_in_each_language() {
        in_language(Language::English, || {
            assert_eq!(t::count_people(1), "1 person");
            assert_eq!(t::count_people(0), "0 people");
            assert_eq!(t::count_doors(4_500), "4,500 doors");
            assert_eq!(t::show_more_doors(50), "Show 50 more doors");
            assert_eq!(t::show_more_people(1), "Show 1 more person");
        });
        in_language(Language::Welsh, || {
            assert_eq!(t::count_doors(1), "1 drws");
            assert_eq!(t::count_doors(2), "2 ddrws");
            assert_eq!(t::count_doors(3), "3 drws");
            assert_eq!(t::count_doors(4_500), "4,500 o ddrysau");
        });
    }

    #[wasm_bindgen_test]
    fn dates_are_written_in_the_language() {
        // 3 December 2026, midday UTC: the same day in every time zone of the UK.
        let at = Timestamp(1_796_299_200_000);
        assert_eq!(in_language(Language::English, || date(at)), "3 Dec 2026");
        assert_eq!(in_language(Language::Welsh, || date(at)), "3 Rhag 2026");
    }

    #[wasm_bindgen_test]
    fn a_refusal_is_said_in_words_naming_the_field() {
        use organise_core::record::FieldName;
        in_language(Language::English, || {
            let invalid = Rejection::Invalid {
                problems: vec![
                    FieldProblem {
                        field: FieldName::fixed("follow_ups"),
                        problem: Problem::TooMany { max: 20 },
                    },
                    FieldProblem {
                        field: FieldName::fixed("email"),
                        problem: Problem::BadEmail,
                    },
                ],
            };
            assert_eq!(
                rejection(&invalid),
                "Follow ups: This must hold at most 20 entries. \
                 Email: This is not an email address."
            );
            assert_eq!(
                rejection(&Rejection::Unauthorised {
                    reason: Denied::OrganiserOnly
                }),
                "Only an organiser of this area may do this."
            );
            assert_eq!(
                rejection(&Rejection::WholeSet {
                    field: FieldName::fixed("tags")
                }),
                "Tags holds several values: add or remove them one at a time."
            );
        });
    }

    #[wasm_bindgen_test]
    fn a_message_welsh_lacks_falls_back_to_english() {
        let missing = t::UNTRANSLATED
            .iter()
            .find(|(language, _)| *language == "Welsh");
        if let Some((_, id)) = missing {
            assert!(t::IDS.contains(id));
        }
        // The screens of the doorstep are complete in Welsh.
        let doorstep: Vec<&str> = t::UNTRANSLATED
            .iter()
            .filter(|(_, id)| {
                DOORSTEP
                    .iter()
                    .any(|group| id == group || id.starts_with(&format!("{group}-")))
            })
            .map(|(_, id)| *id)
            .collect();
        assert_eq!(
            doorstep,
            Vec::<&str>::new(),
            "Welsh lacks these doorstep messages"
        );
    }

    /// Message ids of the screens a Welsh-speaking volunteer needs for a shift (signing in, the
    /// app's frame and sync bar, the walk lists and the door, the meetings and sign-in at
    /// them), and the public pages where anyone, in Wales too, withdraws their consent,
    /// replies to a meeting or signs in at one on their own phone. A group covers the id
    /// itself and every id that starts with it and a hyphen.
    const DOORSTEP: &[&str] = &[
        "consent",
        "meetings",
        "kiosk",
        "rsvp",
        "share",
        "app",
        "sync",
        "sign-in",
        "home",
        "lists",
        "list",
        "door",
        "count",
        "show-more",
        "settings",
        "date",
    ];
}
