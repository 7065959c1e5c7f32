//! Finding people (or any records) by what someone types: a name with or without its
//! accents, part of an email, or a phone number written the way people write them.
//!
//! [`fold`] makes text comparable (lower case, Latin accents dropped, so "Siân" and "sian"
//! meet); [`Query`] is what was typed, folded once; [`Listing`] names a collection, the field
//! it is ordered by and the fields a search looks in. The replica keeps a sorted index per
//! listing and answers a page at a time (see `Replica::directory`).
//!
//! A query can also be narrowed beyond what was typed, all at once: to records carrying a
//! label (a skill, a tag), to records filed in some areas, and to a given set of records (the
//! people on a rung of the ladder, worked out by whoever asks). Each entry carries what those
//! need, so a keystroke with every filter on still only walks the index once.

pub mod people;

use std::collections::HashSet;
use std::sync::Arc;

use memchr::memmem::Finder;

use crate::id::{AreaId, RecordId};
use crate::record::{Collection, Record, Value};

/// How a screen lists a collection: ordered by one text field, searched in several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Listing {
    /// The collection listed.
    pub collection: Collection,
    /// The text field it is ordered by (folded, then by id).
    pub order_by: &'static str,
    /// The fields a search looks in. A field holding a phone number is also matched by its
    /// digits, so "07700 900123" finds "+447700900123".
    pub search_in: &'static [&'static str],
    /// The set-valued fields whose values a query may require ([`Query::with_label`]).
    pub labels: &'static [&'static str],
    /// A field that, when it holds anything, keeps the record out of the listing (a person
    /// merged into another is found as the one they were merged into).
    pub hidden_when: Option<&'static str>,
}

/// People, by name, found by name, phone, email or postcode, and filtered by skill or tag.
pub const PEOPLE: Listing = Listing {
    collection: Collection::Person,
    order_by: "name",
    search_in: &["name", "phone", "email", "postcode"],
    labels: &["skills", "tags"],
    hidden_when: Some("merged_into"),
};

/// A page of a listing: how many records match in all, and those of the page, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    /// How many records match the query (all of them for an empty query).
    pub total: usize,
    /// The records of the page asked for.
    pub records: Vec<Record>,
}

/// One record's entry in a listing's index: what it sorts by and what a search looks in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) order: String,
    pub(crate) haystack: String,
    /// The characters `haystack` holds ([`letters`]): a word whose characters it lacks is not
    /// looked for in it at all.
    pub(crate) letters: u64,
    /// Each label as `\u{1e}field\u{1f}folded value`, ending in `\u{1e}`.
    pub(crate) labels: String,
    pub(crate) area: AreaId,
    pub(crate) hidden: bool,
}

/// Where a label starts and ends in an entry's labels.
const LABEL_END: char = '\u{1e}';
/// Between a label's field and its value.
const LABEL_FIELD: char = '\u{1f}';

/// A label as an entry spells it, its closing mark included.
fn label_token(field: &str, value: &str) -> String {
    format!("{field}{LABEL_FIELD}{}{LABEL_END}", fold(value.trim()))
}

impl Listing {
    /// `record`'s entry.
    pub(crate) fn entry(&self, record: &Record) -> Entry {
        self.entry_of(record.area, |field| Some(record.get(field)))
    }

    /// The entry of a record filed in `area` whose fields `value` gives.
    pub(crate) fn entry_of<'a>(
        &self,
        area: AreaId,
        value: impl Fn(&str) -> Option<&'a Value>,
    ) -> Entry {
        let mut labels = String::from(LABEL_END);
        for field in self.labels {
            if let Some(Value::Texts(values)) = value(field) {
                for one in values {
                    labels.push_str(&label_token(field, one));
                }
            }
        }
        let hidden = self
            .hidden_when
            .and_then(&value)
            .is_some_and(|held| *held != Value::Null);
        let mut haystack = String::new();
        for field in self.search_in {
            if let Some(Value::Text(text)) = value(field) {
                haystack.push_str(&fold(text));
                haystack.push('\n');
                if let Some(digits) = phone_digits(text) {
                    haystack.push_str(&digits);
                    haystack.push('\n');
                }
            }
        }
        let order = match value(self.order_by) {
            Some(Value::Text(text)) => fold(text),
            _ => String::new(),
        };
        Entry {
            order,
            letters: letters(haystack.as_bytes()),
            haystack,
            labels,
            area,
            hidden,
        }
    }
}

/// What someone typed into a search box, ready to match, and the filters set beside it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    words: Vec<String>,
    digits: Option<String>,
    /// The words and digits, ready to look for.
    finders: Finders,
    /// Labels every match carries, as entries spell them.
    labels: Vec<String>,
    /// The areas a match is filed in, if narrowed to some.
    areas: Option<Arc<HashSet<AreaId>>>,
    /// The records a match is one of, if narrowed to some.
    among: Option<Arc<HashSet<RecordId>>>,
}

impl Query {
    /// `typed`, folded. Every word must appear somewhere in a record's searched fields; a
    /// query that looks like a phone number (three digits or more, nothing but digits and
    /// the punctuation of phone numbers) also matches by its digits.
    pub fn new(typed: &str) -> Query {
        let words: Vec<String> = fold(typed).split_whitespace().map(str::to_owned).collect();
        let digits = phone_digits(typed).filter(|d| d.len() >= 3);
        Query {
            finders: Finders::new(&words, digits.as_deref()),
            words,
            digits,
            ..Query::default()
        }
    }

    /// This query with `typed` as what was typed, its filters kept.
    pub fn typed(self, typed: &str) -> Query {
        Query {
            labels: self.labels,
            areas: self.areas,
            among: self.among,
            ..Query::new(typed)
        }
    }

    /// Only records whose set field `field` holds `value` (compared folded: "Driving" finds
    /// "driving").
    pub fn with_label(mut self, field: &str, value: &str) -> Query {
        let token = label_token(field, value);
        if !self.labels.contains(&token) {
            self.labels.push(token);
            self.labels.sort();
        }
        self
    }

    /// Only records filed in one of `areas` (give an area and every area below it to search
    /// a constituency with its wards).
    pub fn within(mut self, areas: impl IntoIterator<Item = AreaId>) -> Query {
        self.areas = Some(Arc::new(areas.into_iter().collect()));
        self
    }

    /// Only the records `ids`.
    pub fn among(mut self, ids: Arc<HashSet<RecordId>>) -> Query {
        self.among = Some(ids);
        self
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether nothing was typed and no filter is set: every record listed matches.
    pub fn is_everything(&self) -> bool {
        self.words.is_empty() && !self.is_filtered()
    }

    /// Whether any filter is set beside what was typed.
    pub fn is_filtered(&self) -> bool {
        !self.labels.is_empty() || self.areas.is_some() || self.among.is_some()
    }

    /// Whether every record this query matches is also matched by `before`: each of
    /// `before`'s words is part of one of this query's words, this query's digits (if it
    /// has any) hold `before`'s, and every filter of `before` is one of this query's. So
    /// typing one more letter, another word, or adding a filter narrows.
    pub fn narrows(&self, before: &Query) -> bool {
        let labels = before.labels.iter().all(|l| self.labels.contains(l));
        let areas = before.areas.is_none() || before.areas == self.areas;
        let among = before.among.is_none() || before.among == self.among;
        let words = before
            .words
            .iter()
            .all(|old| self.words.iter().any(|new| new.contains(old.as_str())));
        let digits = match (&self.digits, &before.digits) {
            (None, _) => true,
            (Some(new), Some(old)) => new.contains(old.as_str()),
            (Some(_), None) => false,
        };
        labels && areas && among && words && digits
    }

    /// Whether the record `id`, whose entry is `entry`, matches: listed, filed in the areas,
    /// one of the records, carrying the labels, and holding what was typed.
    pub(crate) fn admits(&self, entry: &Entry, id: RecordId) -> bool {
        !entry.hidden
            && self.areas.as_ref().is_none_or(|a| a.contains(&entry.area))
            && self.among.as_ref().is_none_or(|a| a.contains(&id))
            && self
                .labels
                .iter()
                .all(|l| entry.labels.contains(l.as_str()))
            && self.matches_entry(&entry.haystack, entry.letters)
    }

    #[cfg(test)]
    fn matches(&self, haystack: &str) -> bool {
        self.matches_entry(haystack, letters(haystack.as_bytes()))
    }

    /// Whether `haystack`, which holds the characters `held`, holds every word, or the digits.
    fn matches_entry(&self, haystack: &str, held: u64) -> bool {
        let haystack = haystack.as_bytes();
        let Finders { words, digits } = &self.finders;
        words.iter().all(|word| word.found_in(haystack, held))
            || digits
                .as_ref()
                .is_some_and(|digits| digits.found_in(haystack, held))
    }
}

/// A query's words and digits as substring searchers, each prepared once for the query rather
/// than once per record it is matched against (which `str::contains` does, and which costs
/// more than the search itself over tens of thousands of short entries).
#[derive(Clone, Debug, Default)]
struct Finders {
    words: Vec<Needle>,
    digits: Option<Needle>,
}

impl Finders {
    fn new(words: &[String], digits: Option<&str>) -> Finders {
        Finders {
            words: words.iter().map(|word| Needle::new(word)).collect(),
            digits: digits.map(Needle::new),
        }
    }
}

/// One word (or the digits) to look for: its searcher, and the characters it holds.
#[derive(Clone, Debug)]
struct Needle {
    finder: Finder<'static>,
    letters: u64,
    /// Whether holding the word's characters is holding the word: a single letter or digit,
    /// which has a bit of its own.
    one_character: bool,
}

impl Needle {
    fn new(text: &str) -> Needle {
        let bytes = text.as_bytes();
        Needle {
            finder: Finder::new(bytes).into_owned(),
            letters: letters(bytes),
            one_character: matches!(bytes, [b'a'..=b'z' | b'0'..=b'9']),
        }
    }

    /// Whether `haystack`, which holds the characters `held`, holds this. Most records lack
    /// one of a typed word's characters, and are answered by a mask alone. A word of a few
    /// bytes is looked for byte by byte, which in a haystack of a hundred costs less than
    /// entering a general searcher.
    fn found_in(&self, haystack: &[u8], held: u64) -> bool {
        if held & self.letters != self.letters {
            return false;
        }
        if self.one_character {
            return true;
        }
        let needle = self.finder.needle();
        match needle.split_first() {
            Some((&first, rest)) if needle.len() <= SHORT_NEEDLE => haystack
                .iter()
                .enumerate()
                .any(|(at, &byte)| byte == first && haystack[at + 1..].starts_with(rest)),
            _ => self.finder.find(haystack).is_some(),
        }
    }
}

/// The longest word looked for byte by byte rather than with its searcher.
const SHORT_NEEDLE: usize = 4;

/// The characters a text holds, as bits: each of `a` to `z` and `0` to `9` its own, and every
/// other byte one of the remaining 28 (so a text may seem to hold a byte it does not, never
/// the other way round).
fn letters(text: &[u8]) -> u64 {
    text.iter().fold(0, |held, &byte| {
        held | 1
            << match byte {
                b'a'..=b'z' => byte - b'a',
                b'0'..=b'9' => 26 + (byte - b'0'),
                other => 36 + other % 28,
            }
    })
}

/// Finders are made from a query's words and digits alone, so two queries with the same
/// words and digits have the same finders: the query's own fields decide its equality.
impl PartialEq for Finders {
    fn eq(&self, _: &Finders) -> bool {
        true
    }
}

impl Eq for Finders {}

/// `text` in lower case with the accents of Latin letters dropped (á, â, ä, à, ŵ, ŷ, ç, ø…),
/// so that whoever types a name without its accents still finds it. Other scripts are only
/// lower-cased.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match base_letter(c) {
            Some(base) => folded.push_str(base),
            None => folded.push(c),
        }
    }
    folded
}

/// The unaccented letters for an accented lower-case Latin letter.
fn base_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' | 'ẁ' | 'ẃ' | 'ẅ' => "w",
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// The digits of `text` as a UK number would be stored (`44` for a leading `0`, nothing for
/// a leading `+` or `00`), if `text` is written like a phone number: digits, spaces and
/// `+ - . ( )` only, with at least one digit.
fn phone_digits(text: &str) -> Option<String> {
    let trimmed = text.trim();
    if !trimmed.chars().any(|c| c.is_ascii_digit())
        || !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || " +-.()\u{a0}".contains(c))
    {
        return None;
    }
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    // Digits with no prefix (part of a number) are looked for as they are.
    Some(
        crate::validate::international_digits(digits.clone(), trimmed.starts_with('+'))
            .unwrap_or(digits),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{AreaId, RecordId, UserId};

    #[test]
    fn a_query_narrows_one_it_extends() {
        let narrows = |after: &str, before: &str| Query::new(after).narrows(&Query::new(before));
        assert!(narrows("smit", "smi"));
        assert!(narrows("smi jo", "smi"));
        assert!(narrows("jo smith", "smi"));
        assert!(narrows("smi", ""));
        assert!(narrows("07700 9", "07700"));
        assert!(!narrows("smi", "smit"), "deleting a letter widens");
        assert!(!narrows("jon", "smi"));
        assert!(!narrows("07700 90", "07700 900"));
        // Three digits start matching phone numbers by their digits, which the words of
        // "12" alone never did.
        assert!(!narrows("123", "12"));
    }

    #[test]
    fn a_needle_finds_exactly_what_contains_finds() {
        let texts = [
            "ann example\n+447700900123\nsw1a 1aa\n",
            "ελένη παπαδοπούλου\n",
            "o'brien-smith\n0044 20\n",
            "",
        ];
        // Every piece of every text, and pieces of none: letters, digits, punctuation and
        // other scripts, one character and many.
        let mut words: Vec<&str> = vec!["q", "z", "9", "é", "λ", "smiths", "+45", "\u{1e}"];
        for text in texts {
            for (start, _) in text.char_indices() {
                for (end, _) in text[start..].char_indices().skip(1) {
                    words.push(&text[start..start + end]);
                }
            }
        }
        for text in texts {
            let held = letters(text.as_bytes());
            for word in &words {
                assert_eq!(
                    Needle::new(word).found_in(text.as_bytes(), held),
                    text.contains(word),
                    "{word:?} in {text:?}"
                );
            }
        }
    }

    #[test]
    fn folding_drops_case_and_latin_accents() {
        assert_eq!(fold("Siân Ŵyn-Jones"), "sian wyn-jones");
        assert_eq!(fold("Łukasz Żółć"), "lukasz zolc");
        assert_eq!(fold("STRAßE"), "strasse");
        assert_eq!(fold("Ελένη"), "ελένη");
    }

    #[test]
    fn every_word_must_appear() {
        let query = Query::new("  sian  JONES ");
        assert!(query.matches("siân jones\n".replace('â', "a").as_str()));
        assert!(query.matches("jones sian\n"));
        assert!(!query.matches("sian smith\n"));
        assert!(Query::new("").is_empty());
        assert!(!Query::new("x").is_empty());
    }

    #[test]
    fn phone_numbers_match_however_they_are_written() {
        let listing = Listing {
            search_in: &["name", "phone"],
            ..PEOPLE
        };
        let record = Record::new(
            Collection::Person,
            RecordId::from_u128(1),
            AreaId(RecordId::from_u128(2)),
            UserId(RecordId::from_u128(3)),
        )
        .with("name", "Ann Example")
        .with("phone", "+447700900123");
        let entry = listing.entry(&record);
        assert_eq!(entry.order, "ann example");
        for typed in [
            "07700 900123",
            "900 123",
            "+44 7700 900123",
            "0044 7700900123",
        ] {
            assert!(Query::new(typed).matches(&entry.haystack), "{typed}");
        }
        assert!(!Query::new("07700 900124").matches(&entry.haystack));
        assert!(!Query::new("ann smith").matches(&entry.haystack));
    }

    fn person(id: u128, area: u128) -> Record {
        Record::new(
            Collection::Person,
            RecordId::from_u128(id),
            AreaId(RecordId::from_u128(area)),
            UserId(RecordId::from_u128(3)),
        )
        .with("name", "Ann Example")
        .with("postcode", "SW1A 1AA")
        .with(
            "skills",
            Value::Texts(["Driving".to_owned(), "welsh speaker".to_owned()].into()),
        )
        .with("tags", Value::Texts(["tenant".to_owned()].into()))
    }

    #[test]
    fn filters_combine_with_what_was_typed() {
        let record = person(1, 20);
        let entry = PEOPLE.entry(&record);
        let id = record.id;
        let admits = |query: Query| query.admits(&entry, id);
        assert!(admits(Query::new("sw1a")), "the postcode is searched");
        assert!(admits(Query::new("ann").with_label("skills", "driving")));
        assert!(admits(
            Query::new("").with_label("skills", " Welsh Speaker ")
        ));
        assert!(
            !admits(Query::new("").with_label("skills", "welsh")),
            "a whole label"
        );
        assert!(
            !admits(Query::new("").with_label("tags", "driving")),
            "in its own field"
        );
        assert!(admits(
            Query::new("")
                .with_label("skills", "driving")
                .with_label("tags", "tenant")
        ));
        assert!(!admits(
            Query::new("")
                .with_label("skills", "driving")
                .with_label("tags", "landlord")
        ));
        let area = |n| AreaId(RecordId::from_u128(n));
        assert!(admits(Query::new("ann").within([area(10), area(20)])));
        assert!(!admits(Query::new("ann").within([area(10)])));
        let ids = |ns: &[u128]| Arc::new(ns.iter().map(|&n| RecordId::from_u128(n)).collect());
        assert!(admits(Query::new("").among(ids(&[1, 2]))));
        assert!(!admits(Query::new("").among(ids(&[2]))));
        assert!(!admits(Query::new("bob").with_label("skills", "driving")));
    }

    #[test]
    fn a_merged_record_is_never_listed() {
        let record = person(1, 20).with("merged_into", RecordId::from_u128(9));
        let entry = PEOPLE.entry(&record);
        assert!(!Query::new("").admits(&entry, record.id));
        assert!(!Query::new("ann").admits(&entry, record.id));
        let kept = person(1, 20).with("merged_into", Value::Null);
        assert!(Query::new("").admits(&PEOPLE.entry(&kept), kept.id));
    }

    #[test]
    fn adding_a_filter_narrows_and_changing_one_does_not() {
        let base = Query::new("ann");
        let driving = Query::new("ann").with_label("skills", "driving");
        assert!(driving.narrows(&base));
        assert!(!base.narrows(&driving));
        let area = |n| AreaId(RecordId::from_u128(n));
        let here = Query::new("ann").within([area(1)]);
        assert!(here.narrows(&base));
        assert!(Query::new("anna").within([area(1)]).narrows(&here));
        assert!(!Query::new("anna").within([area(2)]).narrows(&here));
        assert!(!base.is_empty() && !base.is_filtered());
        assert!(Query::new("").is_everything());
        assert!(!Query::new("").within([area(1)]).is_everything());
    }
}
