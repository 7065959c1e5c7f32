//! Finding people (or any records) by what someone types: a name with or without its
//! accents, part of an email, or a phone number written the way people write them.
//!
//! [`fold`] makes text comparable (lower case, Latin accents dropped, so "Siân" and "sian"
//! meet); [`Query`] is what was typed, folded once; [`Listing`] names a collection, the field
//! it is ordered by and the fields a search looks in. The replica keeps a sorted index per
//! listing and answers a page at a time (see `Replica::directory`).

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
}

/// People, by name, found by name, phone or email.
pub const PEOPLE: Listing = Listing {
    collection: Collection::Person,
    order_by: "name",
    search_in: &["name", "phone", "email"],
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
}

impl Listing {
    /// `record`'s entry.
    pub(crate) fn entry(&self, record: &Record) -> Entry {
        self.entry_of(|field| Some(record.get(field)))
    }

    /// The entry of a record whose fields `value` gives.
    pub(crate) fn entry_of<'a>(&self, value: impl Fn(&str) -> Option<&'a Value>) -> Entry {
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
        Entry { order, haystack }
    }
}

/// What someone typed into a search box, ready to match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    words: Vec<String>,
    digits: Option<String>,
}

impl Query {
    /// `typed`, folded. Every word must appear somewhere in a record's searched fields; a
    /// query that looks like a phone number (three digits or more, nothing but digits and
    /// the punctuation of phone numbers) also matches by its digits.
    pub fn new(typed: &str) -> Query {
        Query {
            words: fold(typed).split_whitespace().map(str::to_owned).collect(),
            digits: phone_digits(typed).filter(|d| d.len() >= 3),
        }
    }

    /// Whether nothing was typed: everything matches.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether every record this query matches is also matched by `before`: each of
    /// `before`'s words is part of one of this query's words, and this query's digits (if it
    /// has any) hold `before`'s. So typing one more letter, or another word, narrows.
    pub fn narrows(&self, before: &Query) -> bool {
        let words = before
            .words
            .iter()
            .all(|old| self.words.iter().any(|new| new.contains(old.as_str())));
        let digits = match (&self.digits, &before.digits) {
            (None, _) => true,
            (Some(new), Some(old)) => new.contains(old.as_str()),
            (Some(_), None) => false,
        };
        words && digits
    }

    pub(crate) fn matches(&self, haystack: &str) -> bool {
        self.words
            .iter()
            .all(|word| haystack.contains(word.as_str()))
            || self
                .digits
                .as_deref()
                .is_some_and(|digits| haystack.contains(digits))
    }
}

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
            collection: Collection::Person,
            order_by: "name",
            search_in: &["name", "phone"],
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
}
