//! Likely duplicate people: who shares a phone number or an email, or has a close name at
//! the same address, so that an organiser can merge them.
//!
//! This module owns the rule for what counts as "likely the same person", the order the
//! suggestions are shown in, and how an organiser's "these are not the same person" is kept:
//! on the people's own records ([`Person::not_same_as`], each naming the other), so that it
//! syncs to every device that holds them, follows a merge and goes when one is erased. [`set_apart`] and [`suggest_again`] make and take back that record as ordinary
//! [`Step`]s; merging belongs to [`crate::merge`].
//!
//! It has to answer for an organisation of tens of thousands of people on a phone, so it never
//! compares every person with every other. People are grouped by a key (their phone number,
//! their email in lower case, their household, their postcode and address) and compared only
//! within a group. A group that is too big to be one person written down twice (an office
//! switchboard, a care home) is skipped or compared by identical names only; see
//! [`MAX_SHARED_GROUP`] and [`MAX_ADDRESS_GROUP`].

use crate::change::Step;
use crate::id::{HouseholdId, PersonId};
use crate::model::Person;
use crate::order;
use crate::record::{Collection, Element};
use crate::search::fold;
use crate::sync::RecordKey;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// The most people that may share one phone number, one email address, or one name at one
/// address and still all be suggested as duplicates of each other.
///
/// Every pair in such a group becomes a suggestion, so a group of `n` makes `n (n - 1) / 2`
/// of them: 10 for five people, but 19,900 for an office number two hundred people gave. A
/// number shared by more than five people is a switchboard, a family landline or a
/// placeholder, not one person entered twice, and its pairs would bury the real duplicates,
/// so such a group is skipped whole.
pub const MAX_SHARED_GROUP: usize = 5;

/// The most people at one address whose names are compared pair by pair.
///
/// Comparing names costs `n (n - 1) / 2` comparisons at an address of `n` people but makes
/// suggestions only for close names, so this bound is about work, not noise: at most 1,225
/// comparisons per address. A bigger address (a care home, a block of flats entered without
/// flat numbers, a placeholder household) is still searched for identical names, which a key
/// finds without comparing pairs, under [`MAX_SHARED_GROUP`].
pub const MAX_ADDRESS_GROUP: usize = 50;

/// Why two people look like one person. The variants are declared strongest first, and
/// suggestions with the same number of reasons are shown in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// They have the same phone number.
    SamePhone,
    /// They have the same email address, ignoring case.
    SameEmail,
    /// They live at the same address (one household, or one postcode and street address)
    /// and their names are the same or close (see [`names_close`]).
    CloseNameSameAddress,
}

/// Two people who are likely one, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// One of them: the smaller id.
    pub a: PersonId,
    /// The other: the larger id.
    pub b: PersonId,
    /// Every reason found, never empty.
    pub reasons: BTreeSet<Reason>,
}

/// Two people as a pair is kept in suggestions and dismissals: the smaller id first, so that
/// "Ann and Ben" and "Ben and Ann" are one pair.
pub fn pair(x: PersonId, y: PersonId) -> (PersonId, PersonId) {
    if x <= y { (x, y) } else { (y, x) }
}

/// The likely duplicates among `people`, strongest first, leaving out the pairs their records
/// set apart as not one person ([`set_apart`]).
///
/// Strongest first means more reasons first; among suggestions with as many reasons, those
/// whose reasons come earlier in [`Reason`] (a phone, then an email, then a name); then by
/// ids. The result depends only on the people, not on the order they come in.
pub fn suggestions<'a>(people: impl IntoIterator<Item = &'a Person>) -> Vec<Suggestion> {
    let people: Vec<Compared<'a>> = people.into_iter().map(Compared::new).collect();
    let dismissed = pairs_set_apart(people.iter().map(|c| c.person));
    let mut by_phone: BTreeMap<&str, Vec<&Compared>> = BTreeMap::new();
    let mut by_email: BTreeMap<String, Vec<&Compared>> = BTreeMap::new();
    let mut by_place: BTreeMap<Place, Vec<&Compared>> = BTreeMap::new();
    for compared in &people {
        let person = compared.person;
        if let Some(phone) = person.phone.as_deref() {
            by_phone.entry(phone).or_default().push(compared);
        }
        if let Some(email) = &person.email {
            by_email
                .entry(email.to_lowercase())
                .or_default()
                .push(compared);
        }
        for place in compared.places() {
            by_place.entry(place).or_default().push(compared);
        }
    }
    let mut found = Found::default();
    for group in by_phone.values() {
        found.every_pair(group, Reason::SamePhone);
    }
    for group in by_email.values() {
        found.every_pair(group, Reason::SameEmail);
    }
    for group in by_place.values() {
        found.close_names(group);
    }
    found.into_suggestions(&dismissed)
}

/// The pairs among `people`'s records set apart as not one person, each as [`pair`] writes it,
/// whichever of the two records holds it.
pub fn pairs_set_apart<'a>(
    people: impl IntoIterator<Item = &'a Person>,
) -> BTreeSet<(PersonId, PersonId)> {
    people
        .into_iter()
        .flat_map(|person| {
            person
                .not_same_as
                .iter()
                .map(move |&other| pair(person.id, other))
        })
        .collect()
}

/// The steps that set `x` and `y` apart as not one person, so that they are no longer
/// suggested on any device: each added to the other's record. Kept on both, the mark outlives
/// a merge of either into someone else, which repoints the other's reference to whoever is
/// kept (see [`crate::merge`]).
pub fn set_apart(x: PersonId, y: PersonId) -> Vec<Step> {
    [(x, y), (y, x)]
        .into_iter()
        .map(|(holder, other)| Step::Added {
            key: RecordKey {
                collection: Collection::Person,
                id: holder.0,
            },
            field: "not_same_as",
            element: Element::Id(other.0),
        })
        .collect()
}

/// The steps that take back [`set_apart`] for `x` and `y`, so they are suggested again if they
/// still look alike: each of the two records that holds the other lets go of them.
pub fn suggest_again(x: &Person, y: &Person) -> Vec<Step> {
    [(x, y), (y, x)]
        .into_iter()
        .filter(|(holder, other)| holder.not_same_as.contains(&other.id))
        .map(|(holder, other)| Step::Removed {
            key: RecordKey {
                collection: Collection::Person,
                id: holder.id.0,
            },
            field: "not_same_as",
            element: Element::Id(other.id.0),
        })
        .collect()
}

/// Whether two names are close enough to be one person's, as written by two people.
///
/// Both are made comparable first: folded (lower case, Latin accents dropped, so "Siân" and
/// "Sian" meet), apostrophes and combining accents dropped, and split into words at spaces,
/// hyphens and full stops. Then they are close when they are the same; or when one writes
/// some forenames of the other as initials ("J Smith" and "John Smith": as many words, the
/// surname the same); or when a few typing slips turn one into the other: an edit distance
/// (a letter added, dropped, changed, or two next to each other swapped) of at most 2 when the
/// shorter is 8 characters or more, at most 1 when shorter.
///
/// The edit distance does not know which letters matter, so relatives whose names differ by
/// a letter ("Sam Test" and "Pam Test") are close too; an organiser dismisses those once.
pub fn names_close(x: &str, y: &str) -> bool {
    comparable_names_close(&comparable(x), &comparable(y))
}

/// A person with the parts of them that are compared, made comparable once.
struct Compared<'a> {
    /// The person.
    person: &'a Person,
    /// Their name, made comparable (see [`comparable`]).
    name: String,
}

impl<'a> Compared<'a> {
    /// `person`, with their name made comparable.
    fn new(person: &'a Person) -> Self {
        Compared {
            person,
            name: comparable(&person.name),
        }
    }

    /// The places they are at: their household, and their postcode with their street
    /// address, each when known. Both are needed for the second, since a postcode alone
    /// covers a street of households.
    fn places(&self) -> impl Iterator<Item = Place<'a>> {
        let person = self.person;
        let household = person.household.map(Place::Household);
        let address = match (person.postcode.as_deref(), person.address.as_deref()) {
            (Some(postcode), Some(address)) => {
                let address = comparable(address);
                (!address.is_empty()).then_some(Place::Address { postcode, address })
            }
            _ => None,
        };
        household.into_iter().chain(address)
    }
}

/// Where someone lives, as a key that the people at one address share.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Place<'a> {
    /// A household, which people at one address share.
    Household(HouseholdId),
    /// A postcode (already normalised, `SW1A 1AA`) and a street address made comparable,
    /// so "12, High Street" and "12 high street" are one address.
    Address {
        /// The postcode as stored.
        postcode: &'a str,
        /// The street address, made comparable (see [`comparable`]).
        address: String,
    },
}

/// The pairs found so far, each with its reasons.
#[derive(Default)]
struct Found {
    /// Each pair (smaller id first) with why it looks like one person.
    pairs: BTreeMap<(PersonId, PersonId), BTreeSet<Reason>>,
}

impl Found {
    /// Records that `x` and `y` look like one person for `reason`; one person listed twice
    /// is not a pair.
    fn add(&mut self, x: &Compared, y: &Compared, reason: Reason) {
        if x.person.id != y.person.id {
            let key = pair(x.person.id, y.person.id);
            self.pairs.entry(key).or_default().insert(reason);
        }
    }

    /// Pairs everyone in `group`, which share something that is one person's, unless the
    /// group is bigger than [`MAX_SHARED_GROUP`].
    fn every_pair(&mut self, group: &[&Compared], reason: Reason) {
        if group.len() > MAX_SHARED_GROUP {
            return;
        }
        for (i, x) in group.iter().enumerate() {
            for y in &group[i + 1..] {
                self.add(x, y, reason);
            }
        }
    }

    /// Pairs the people at one address whose names are close, comparing every pair when
    /// there are at most [`MAX_ADDRESS_GROUP`] of them and only finding identical names
    /// when there are more.
    fn close_names(&mut self, group: &[&Compared]) {
        if group.len() <= MAX_ADDRESS_GROUP {
            for (i, x) in group.iter().enumerate() {
                for y in &group[i + 1..] {
                    if comparable_names_close(&x.name, &y.name) {
                        self.add(x, y, Reason::CloseNameSameAddress);
                    }
                }
            }
            return;
        }
        let mut by_name: BTreeMap<&str, Vec<&Compared>> = BTreeMap::new();
        for compared in group.iter().filter(|c| !c.name.is_empty()) {
            by_name.entry(&compared.name).or_default().push(compared);
        }
        for same_name in by_name.values() {
            self.every_pair(same_name, Reason::CloseNameSameAddress);
        }
    }

    /// The suggestions not dismissed, strongest first.
    fn into_suggestions(self, dismissed: &BTreeSet<(PersonId, PersonId)>) -> Vec<Suggestion> {
        let mut suggestions: Vec<Suggestion> = self
            .pairs
            .into_iter()
            .filter(|&((a, b), _)| !dismissed.contains(&(a, b)) && !dismissed.contains(&(b, a)))
            .map(|((a, b), reasons)| Suggestion { a, b, reasons })
            .collect();
        order::sort_by(&mut suggestions, strongest_first);
        suggestions
    }
}

/// The order suggestions are shown in: more reasons first, then by their reasons in the
/// order [`Reason`] declares them, then by ids.
fn strongest_first(x: &Suggestion, y: &Suggestion) -> Ordering {
    y.reasons
        .len()
        .cmp(&x.reasons.len())
        .then_with(|| x.reasons.cmp(&y.reasons))
        .then_with(|| (x.a, x.b).cmp(&(y.a, y.b)))
}

/// Text as names and addresses are compared: folded, apostrophes and combining accents
/// dropped ("O'Brien" is "obrien"), and split into words at anything else that is not a
/// letter or digit, joined by single spaces ("Mary-Jane  J." is "mary jane j").
fn comparable(text: &str) -> String {
    let mut words = String::with_capacity(text.len());
    let mut between_words = false;
    for c in fold(text).chars() {
        if matches!(c, '\'' | '\u{2019}' | '\u{0300}'..='\u{036F}') {
            continue;
        }
        if c.is_alphanumeric() {
            if between_words && !words.is_empty() {
                words.push(' ');
            }
            between_words = false;
            words.push(c);
        } else {
            between_words = true;
        }
    }
    words
}

/// [`names_close`] for names already made comparable.
fn comparable_names_close(x: &str, y: &str) -> bool {
    if x.is_empty() || y.is_empty() {
        return false;
    }
    if x == y || initial_form(x, y) {
        return true;
    }
    let x: Vec<char> = x.chars().collect();
    let y: Vec<char> = y.chars().collect();
    let allowed = if x.len().min(y.len()) >= 8 { 2 } else { 1 };
    x.len().abs_diff(y.len()) <= allowed && edit_distance(&x, &y) <= allowed
}

/// Whether one comparable name writes some forenames of the other as initials: as many
/// words, the last (the surname) the same, and every other word the same or the initial of
/// the other's.
fn initial_form(x: &str, y: &str) -> bool {
    let x: Vec<&str> = x.split(' ').collect();
    let y: Vec<&str> = y.split(' ').collect();
    x.len() == y.len()
        && x.len() >= 2
        && x.last() == y.last()
        && x.iter()
            .zip(&y)
            .all(|(u, v)| u == v || is_initial_of(u, v) || is_initial_of(v, u))
}

/// Whether `initial` is one letter, the first of `word`.
fn is_initial_of(initial: &str, word: &str) -> bool {
    let mut letters = initial.chars();
    match (letters.next(), letters.next()) {
        (Some(letter), None) => word.starts_with(letter),
        _ => false,
    }
}

/// The fewest slips that turn `x` into `y`: a letter added, dropped or changed, or two next to
/// each other swapped (the optimal string alignment distance). Names are short, so the
/// whole table is cheap; three rows of it are kept.
fn edit_distance(x: &[char], y: &[char]) -> usize {
    let mut two_back: Vec<usize> = vec![0; y.len() + 1];
    let mut one_back: Vec<usize> = (0..=y.len()).collect();
    let mut row: Vec<usize> = vec![0; y.len() + 1];
    for i in 1..=x.len() {
        row[0] = i;
        for j in 1..=y.len() {
            let changed = usize::from(x[i - 1] != y[j - 1]);
            let mut best = (one_back[j] + 1)
                .min(row[j - 1] + 1)
                .min(one_back[j - 1] + changed);
            if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                best = best.min(two_back[j - 2] + 1);
            }
            row[j] = best;
        }
        std::mem::swap(&mut two_back, &mut one_back);
        std::mem::swap(&mut one_back, &mut row);
    }
    one_back[y.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(x: &str, y: &str) -> usize {
        let x: Vec<char> = x.chars().collect();
        let y: Vec<char> = y.chars().collect();
        edit_distance(&x, &y)
    }

    #[test]
    fn it_counts_added_dropped_changed_and_swapped_letters() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("test", "test"), 0);
        assert_eq!(distance("test", "tests"), 1);
        assert_eq!(distance("test", "tst"), 1);
        assert_eq!(distance("test", "text"), 1);
        assert_eq!(distance("chloe", "chole"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("ca", "abc"), 3);
    }

    #[test]
    fn comparable_text_is_folded_words_without_apostrophes_or_accents() {
        assert_eq!(comparable("  Mary-Jane  O'Brien. "), "mary jane obrien");
        assert_eq!(comparable("Sia\u{302}n"), "sian");
        assert_eq!(comparable("Siân"), "sian");
        assert_eq!(comparable("12, High St."), "12 high st");
        assert_eq!(comparable("-'-"), "");
    }
}
