//! Walk lists in walking order: the people on a list grouped into doors (a household, or
//! everyone at one address), and the doors ordered as a canvasser walks them.
//!
//! A street is walked up one side and back down the other: odd numbers going up, then even
//! numbers coming back, so nobody crosses the road at every door. Flats at one number are
//! knocked together, in flat order. Streets are taken in the order of their names, which is
//! as good as any without a map; addresses that cannot be read come last, as written.
//!
//! Who goes on a new list is chosen from past knocks too: nobody whose latest knock ended in
//! *do not knock again* or *moved away* is put on a list, and a list may be narrowed to those
//! nobody has talked to yet, or to those nobody was home for last time.

use crate::id::{ConversationId, HouseholdId, PersonId, Timestamp};
use crate::model::{Conversation, Outcome, Person};
use crate::order;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

/// An address read into the parts walking order needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// The flat or unit, if any ("3", "2B", "Ground floor").
    pub flat: Option<String>,
    /// The house number, if the address has one.
    pub number: Option<u32>,
    /// A letter after the number ("12A").
    pub suffix: String,
    /// The street, as written, without the number.
    pub street: String,
}

/// Reads "Flat 3, 12A Canal Street" (and "3/12 Canal Street", "12 Canal Street", "Rose
/// Cottage, Mill Lane") into its parts. Never fails: what cannot be read stays in `street`.
pub fn parse_address(address: &str) -> Address {
    let address = address.split_whitespace().collect::<Vec<_>>().join(" ");
    let (flat, rest) = match address.split_once(',') {
        Some((first, rest)) if first.to_lowercase().starts_with("flat ") => {
            (Some(first[5..].trim().to_owned()), rest.trim().to_owned())
        }
        Some((first, rest)) if first.to_lowercase().starts_with("apartment ") => {
            (Some(first[10..].trim().to_owned()), rest.trim().to_owned())
        }
        Some((first, rest)) if !first.chars().any(|c| c.is_ascii_digit()) => {
            // A house name before the street: "Rose Cottage, Mill Lane".
            (Some(first.trim().to_owned()), rest.trim().to_owned())
        }
        _ => (None, address.clone()),
    };
    let (flat, rest) = match rest.split_once('/') {
        Some((unit, rest)) if flat.is_none() && unit.chars().all(|c| c.is_ascii_alphanumeric()) => {
            (Some(unit.to_owned()), rest.trim().to_owned())
        }
        _ => (flat, rest),
    };
    let mut words = rest.splitn(2, ' ');
    let first = words.next().unwrap_or("");
    let digits: String = first.chars().take_while(char::is_ascii_digit).collect();
    match (digits.parse::<u32>(), words.next()) {
        (Ok(number), Some(street)) if first[digits.len()..].chars().all(char::is_alphabetic) => {
            Address {
                flat,
                number: Some(number),
                suffix: first[digits.len()..].to_uppercase(),
                street: street.to_owned(),
            }
        }
        _ => Address {
            flat,
            number: None,
            suffix: String::new(),
            street: rest,
        },
    }
}

/// One door on a walk: who lives behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Door {
    /// The address as written on the first person's record.
    pub address: String,
    /// The postcode, if known.
    pub postcode: Option<String>,
    /// The household, if the people share one.
    pub household: Option<HouseholdId>,
    /// The people at this door, in the order of their names.
    pub people: Vec<PersonId>,
}

/// Where a door sits in walking order.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Place {
    street: String,
    /// 0 going up the odd side, 1 coming back down the even side, 2 unnumbered.
    side: u8,
    /// Ascending going up, descending coming back.
    number: i64,
    suffix: String,
    flat: (u32, String),
}

fn flat_order(flat: &Option<String>) -> (u32, String) {
    match flat {
        None => (0, String::new()),
        Some(flat) => {
            let digits: String = flat.chars().take_while(char::is_ascii_digit).collect();
            (
                digits.parse().unwrap_or(u32::MAX),
                flat[digits.len()..].to_lowercase(),
            )
        }
    }
}

fn place(address: &str) -> Place {
    let parsed = parse_address(address);
    let (side, number) = match parsed.number {
        Some(n) if n % 2 == 1 => (0, i64::from(n)),
        Some(n) => (1, -i64::from(n)),
        None => (2, 0),
    };
    Place {
        street: parsed.street.to_lowercase(),
        side,
        number,
        suffix: parsed.suffix,
        flat: flat_order(&parsed.flat),
    }
}

impl Place {
    fn cmp(&self, other: &Place) -> Ordering {
        // Unreadable addresses (no street at all) go last.
        (
            self.street.is_empty(),
            &self.street,
            self.side,
            self.number,
            &self.suffix,
            &self.flat,
        )
            .cmp(&(
                other.street.is_empty(),
                &other.street,
                other.side,
                other.number,
                &other.suffix,
                &other.flat,
            ))
    }
}

/// Which door someone is behind: their household, or (without one) their address and
/// postcode as written, ignoring case and spacing; someone with neither has a door of their
/// own. [`doors`] groups people by it, and a new list's form counts its doors by it, so the
/// two agree.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DoorKey {
    /// A household, whatever each member's address says.
    Household(HouseholdId),
    /// An address (lower-cased, spaces run together) and a postcode, for people without a
    /// household.
    Address(String, String),
    /// Someone with neither a household nor an address.
    Alone(PersonId),
}

impl DoorKey {
    /// The door `person` is behind.
    pub fn of(person: &Person) -> DoorKey {
        let address = person.address.as_deref().unwrap_or_default();
        match (person.household, address.trim().is_empty()) {
            (Some(household), _) => DoorKey::Household(household),
            (None, false) => DoorKey::Address(
                address
                    .to_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                person.postcode.clone().unwrap_or_default(),
            ),
            (None, true) => DoorKey::Alone(person.id),
        }
    }
}

/// The doors of `people` in walking order. People share a door when they share a
/// [`DoorKey`]: a household, or (without one) the same address and postcode. People with no
/// address each get a door of their own, after everyone else.
pub fn doors<'a>(people: impl IntoIterator<Item = &'a Person>) -> Vec<Door> {
    let mut by_door: BTreeMap<DoorKey, (Door, Vec<(String, PersonId)>)> = BTreeMap::new();
    for person in people {
        let entry = by_door.entry(DoorKey::of(person)).or_insert_with(|| {
            (
                Door {
                    address: person.address.clone().unwrap_or_default(),
                    postcode: person.postcode.clone(),
                    household: person.household,
                    people: Vec::new(),
                },
                Vec::new(),
            )
        });
        entry.1.push((person.name.to_lowercase(), person.id));
    }
    let mut doors: Vec<(Place, Door)> = by_door
        .into_values()
        .map(|(mut door, mut people)| {
            order::sort(&mut people);
            door.people = people.into_iter().map(|(_, id)| id).collect();
            (place(&door.address), door)
        })
        .collect();
    order::sort_by(&mut doors, |(a, da), (b, db)| {
        a.cmp(b).then_with(|| da.people.cmp(&db.people))
    });
    doors.into_iter().map(|(_, door)| door).collect()
}

/// Whom a new list knocks, judged from past knocks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reach {
    /// Everyone who may be knocked.
    #[default]
    Everyone,
    /// Those nobody has had a conversation with yet.
    NotTalkedTo,
    /// Those whose latest knock found nobody home.
    NotHomeLastTime,
}

/// What past knocks say about each person, for choosing whom a new list knocks: noted one
/// conversation at a time, so that a screen can go through twenty thousand without holding
/// them.
#[derive(Clone, Debug, Default)]
pub struct Knocks {
    /// Each person's latest knock: its device time, its id (which breaks a tie), its outcome.
    latest: HashMap<PersonId, (Timestamp, ConversationId, Outcome)>,
    /// Everyone someone has had a conversation with.
    talked: HashSet<PersonId>,
}

/// Whether a new list knocks someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// On the list.
    Knock,
    /// Left out because their latest knock ended in *do not knock again* or *moved away*.
    LeftOut,
    /// Not what the list asks for (another tag, or not picked by the reach).
    NotWanted,
}

impl Knocks {
    /// Notes one conversation (any list's, or none).
    pub fn note(&mut self, conversation: &Conversation) {
        if conversation.outcome == Outcome::Held {
            self.talked.insert(conversation.person);
        }
        let knock = (conversation.at, conversation.id, conversation.outcome);
        let latest = self.latest.entry(conversation.person).or_insert(knock);
        if (knock.0, knock.1) > (latest.0, latest.1) {
            *latest = knock;
        }
    }

    /// Whether a new list reaching `reach` and carrying `tag` (when one is given) knocks
    /// `person`. The latest knock is the one with the latest device time; the later id breaks
    /// a tie.
    pub fn choice(&self, person: &Person, reach: Reach, tag: Option<&str>) -> Choice {
        if tag.is_some_and(|tag| !person.tags.contains(tag)) {
            return Choice::NotWanted;
        }
        let last = self.latest.get(&person.id).map(|knock| knock.2);
        if matches!(last, Some(Outcome::DoNotKnock | Outcome::Moved)) {
            return Choice::LeftOut;
        }
        let wanted = match reach {
            Reach::Everyone => true,
            Reach::NotTalkedTo => !self.talked.contains(&person.id),
            Reach::NotHomeLastTime => last == Some(Outcome::NotHome),
        };
        if wanted {
            Choice::Knock
        } else {
            Choice::NotWanted
        }
    }
}

/// Who to put on a list: those of `people` that `reach` picks, judged from `conversations`
/// (see [`Knocks`]), and that carry `tag` when one is given. Returns them, and how many were
/// left out because their latest knock ended in *do not knock again* or *moved away*.
pub fn to_knock<'a>(
    people: impl IntoIterator<Item = &'a Person>,
    conversations: &[Conversation],
    reach: Reach,
    tag: Option<&str>,
) -> (Vec<PersonId>, usize) {
    let mut knocks = Knocks::default();
    for conversation in conversations {
        knocks.note(conversation);
    }
    let mut chosen = Vec::new();
    let mut left_out = 0;
    for person in people {
        match knocks.choice(person, reach, tag) {
            Choice::Knock => chosen.push(person.id),
            Choice::LeftOut => left_out += 1,
            Choice::NotWanted => {}
        }
    }
    (chosen, left_out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{AreaId, RecordId, UserId};
    use crate::model::Source;

    fn person(n: u128, name: &str, address: &str, household: Option<u128>) -> Person {
        Person {
            address: (!address.is_empty()).then(|| address.into()),
            postcode: Some("M1 1AA".into()),
            household: household.map(|h| HouseholdId(RecordId::from_u128(h))),
            ..Person::new(
                PersonId(RecordId::from_u128(n)),
                AreaId(RecordId::from_u128(1)),
                UserId(RecordId::from_u128(2)),
                name,
                Source::Doorstep,
            )
        }
    }

    #[test]
    fn addresses_are_read_into_flat_number_and_street() {
        let read = |a: &str| {
            let p = parse_address(a);
            (p.flat, p.number, p.suffix, p.street)
        };
        assert_eq!(
            read("12 Canal Street"),
            (None, Some(12), String::new(), "Canal Street".into())
        );
        assert_eq!(
            read("Flat 3, 12a Canal  Street"),
            (
                Some("3".into()),
                Some(12),
                "A".into(),
                "Canal Street".into()
            )
        );
        assert_eq!(
            read("3/12 Canal Street"),
            (
                Some("3".into()),
                Some(12),
                String::new(),
                "Canal Street".into()
            )
        );
        assert_eq!(
            read("Rose Cottage, Mill Lane"),
            (
                Some("Rose Cottage".into()),
                None,
                String::new(),
                "Mill Lane".into()
            )
        );
        assert_eq!(
            read("The Old Forge"),
            (None, None, String::new(), "The Old Forge".into())
        );
    }

    #[test]
    fn a_street_is_walked_up_the_odd_side_and_back_down_the_even_side() {
        let people = [
            person(1, "Alex Example", "4 Canal Street", None),
            person(2, "Sam Sample", "1 Canal Street", None),
            person(3, "Jo Test", "2 Canal Street", None),
            person(4, "Rhiannon Example", "3 Canal Street", None),
            person(5, "Dafydd Example", "1 Abbey Road", None),
            person(6, "Siobhan Sample", "", None),
        ];
        let order: Vec<String> = doors(&people).into_iter().map(|d| d.address).collect();
        assert_eq!(
            order,
            [
                "1 Abbey Road",
                "1 Canal Street",
                "3 Canal Street",
                "4 Canal Street",
                "2 Canal Street",
                ""
            ]
        );
    }

    #[test]
    fn a_household_is_one_door_and_flats_at_a_number_go_together_in_order() {
        let people = [
            person(1, "Zoe Example", "Flat 10, 5 Mill Lane", Some(90)),
            person(2, "Amir Example", "Flat 10, 5 Mill Lane", Some(90)),
            person(3, "Kasia Sample", "Flat 2, 5 Mill Lane", None),
            person(4, "Kwame Sample", "Flat 2, 5 Mill Lane", None),
            person(5, "Grace Test", "7 Mill Lane", None),
        ];
        let doors = doors(&people);
        let shape: Vec<(String, Vec<u128>)> = doors
            .iter()
            .map(|d| {
                (
                    d.address.clone(),
                    d.people.iter().map(|p| p.0.0.as_u128()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("Flat 2, 5 Mill Lane".to_owned(), vec![3, 4]),
                ("Flat 10, 5 Mill Lane".to_owned(), vec![2, 1]),
                ("7 Mill Lane".to_owned(), vec![5]),
            ]
        );
    }

    fn knock(n: u128, person: u128, at: i64, outcome: Outcome) -> Conversation {
        Conversation {
            id: crate::id::ConversationId::from_u128(0x900 + n),
            area: AreaId(RecordId::from_u128(1)),
            created_by: UserId(RecordId::from_u128(2)),
            kind: crate::model::ConversationKind::Doorstep,
            by: UserId(RecordId::from_u128(2)),
            person: PersonId(RecordId::from_u128(person)),
            at: crate::id::Timestamp(at),
            outcome,
            issues: Default::default(),
            interests: Default::default(),
            notes: None,
            follow_ups: Vec::new(),
            list: None,
        }
    }

    fn ids(chosen: &[PersonId]) -> Vec<u128> {
        chosen.iter().map(|p| p.0.0.as_u128()).collect()
    }

    /// Six neighbours: 1 never knocked; 2 talked to; 3 not home last time (talked to once
    /// before); 4 asked not to be knocked again; 5 moved away, then was met again (so the
    /// latest knock counts); 6 tagged `tenant`, not home then talked to.
    fn street() -> (Vec<Person>, Vec<Conversation>) {
        let mut people: Vec<Person> = (1..=6)
            .map(|n| person(n, &format!("Person {n}"), &format!("{n} Mill Lane"), None))
            .collect();
        people[5].tags.insert("tenant".into());
        let knocks = vec![
            knock(1, 2, 10, Outcome::Held),
            knock(2, 3, 10, Outcome::Held),
            knock(3, 3, 20, Outcome::NotHome),
            knock(4, 4, 10, Outcome::DoNotKnock),
            knock(5, 5, 10, Outcome::Moved),
            knock(6, 5, 30, Outcome::NotHome),
            knock(7, 6, 30, Outcome::Held),
            knock(8, 6, 20, Outcome::NotHome),
        ];
        (people, knocks)
    }

    #[test]
    fn nobody_who_asked_not_to_be_knocked_goes_on_a_list() {
        let (people, knocks) = street();
        let (chosen, left_out) = to_knock(&people, &knocks, Reach::Everyone, None);
        assert_eq!(ids(&chosen), [1, 2, 3, 5, 6]);
        assert_eq!(left_out, 1);
    }

    #[test]
    fn a_list_can_skip_those_already_talked_to() {
        let (people, knocks) = street();
        let (chosen, _) = to_knock(&people, &knocks, Reach::NotTalkedTo, None);
        assert_eq!(ids(&chosen), [1, 5]);
    }

    #[test]
    fn a_list_can_go_back_to_those_not_home_last_time() {
        let (people, knocks) = street();
        let (chosen, _) = to_knock(&people, &knocks, Reach::NotHomeLastTime, None);
        // Person 6's knocks arrived out of order: the latest by time was a conversation.
        assert_eq!(ids(&chosen), [3, 5]);
    }

    #[test]
    fn a_tag_narrows_the_list() {
        let (people, knocks) = street();
        let (chosen, left_out) = to_knock(&people, &knocks, Reach::Everyone, Some("tenant"));
        assert_eq!(ids(&chosen), [6]);
        assert_eq!(left_out, 0);
    }

    #[test]
    fn a_tie_in_time_goes_to_the_later_id() {
        let people = vec![person(1, "Person One", "1 Mill Lane", None)];
        let knocks = vec![
            knock(2, 1, 10, Outcome::DoNotKnock),
            knock(1, 1, 10, Outcome::NotHome),
        ];
        let (chosen, left_out) = to_knock(&people, &knocks, Reach::Everyone, None);
        assert!(chosen.is_empty());
        assert_eq!(left_out, 1);
    }
}
