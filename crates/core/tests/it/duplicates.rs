//! Likely duplicate people: suggestions by phone, email and close name at one address.
//!
//! Each scenario is a handful of synthetic people and one snapshot of the suggestions, one
//! line per pair, strongest first. The scale test plants known duplicates among 30,000
//! people and checks that exactly those are found.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::{ORGANISER, WARD_NORTH};
use expect_test::{Expect, expect};
use organise_core::duplicates::{
    MAX_ADDRESS_GROUP, MAX_SHARED_GROUP, Reason, Suggestion, names_close, pair, pairs_set_apart,
    suggestions,
};
use organise_core::id::{HouseholdId, PersonId};
use organise_core::model::{Person, Source};
use organise_core::record::Entity;

/// The id of test person `n`.
fn id(n: u128) -> PersonId {
    PersonId::from_u128(0x1000 + n)
}

/// Test person `n`, called `name`, with nothing else known.
fn person(n: u128, name: &str) -> Person {
    Person::new(id(n), WARD_NORTH, ORGANISER, name, Source::Doorstep)
}

/// What the tests set on a person, read as a sentence: `person(1, "Test Person").phone(…)`.
trait Given {
    /// With this phone number.
    fn phone(self, phone: &str) -> Self;
    /// With this email address.
    fn email(self, email: &str) -> Self;
    /// In test household `household`.
    fn household(self, household: u128) -> Self;
    /// At this street address and postcode.
    fn address(self, address: &str, postcode: &str) -> Self;
}

impl Given for Person {
    fn phone(self, phone: &str) -> Self {
        Person {
            phone: Some(phone.into()),
            ..self
        }
    }

    fn email(self, email: &str) -> Self {
        Person {
            email: Some(email.into()),
            ..self
        }
    }

    fn household(self, household: u128) -> Self {
        Person {
            household: Some(HouseholdId::from_u128(0x2000 + household)),
            ..self
        }
    }

    fn address(self, address: &str, postcode: &str) -> Self {
        Person {
            address: Some(address.into()),
            postcode: Some(postcode.into()),
            ..self
        }
    }
}

/// The people as they are saved: normalised, as the app does before any record is stored.
fn saved(people: Vec<Person>) -> Vec<Person> {
    people
        .into_iter()
        .map(|person| {
            let name = person.name.clone();
            person
                .normalised()
                .unwrap_or_else(|problems| panic!("{name} is valid: {problems:?}"))
        })
        .collect()
}

/// The suggestions one line each: `#1 Test Person ~ #2 Test Persson: CloseNameSameAddress`.
/// A combining accent is written as its code (`Sia\u{302}n`), so that a snapshot shows it.
fn render(people: &[Person], found: &[Suggestion]) -> String {
    let shown = |name: &str| -> String {
        name.chars()
            .map(|c| match c {
                '\u{0300}'..='\u{036F}' => c.escape_unicode().to_string(),
                _ => c.to_string(),
            })
            .collect()
    };
    let names: BTreeMap<PersonId, String> = people.iter().map(|p| (p.id, shown(&p.name))).collect();
    let label = |id: PersonId| format!("#{} {}", id.0.0.as_u128() - 0x1000, names[&id]);
    found
        .iter()
        .map(|s| {
            let reasons: Vec<String> = s.reasons.iter().map(|r| format!("{r:?}")).collect();
            format!("{} ~ {}: {}\n", label(s.a), label(s.b), reasons.join(", "))
        })
        .collect()
}

/// Saves `people`, finds their suggestions with nothing dismissed and compares the rendering
/// with `expect`.
fn check(people: Vec<Person>, expect: Expect) {
    let people = saved(people);
    expect.assert_eq(&render(&people, &suggestions(&people)));
}

#[test]
fn the_same_phone_written_two_ways_is_suggested() {
    check(
        vec![
            person(1, "Test Person").phone("07700 900001"),
            person(2, "Someone Else").phone("+44 (0)7700 900-001"),
            person(3, "Third Tester").phone("07700 900002"),
        ],
        expect![[r#"
            #1 Test Person ~ #2 Someone Else: SamePhone
        "#]],
    );
}

#[test]
fn the_same_email_in_a_different_case_is_suggested() {
    check(
        vec![
            person(1, "Test Person").email("Test.Person@example.org"),
            person(2, "T Person").email("test.person@EXAMPLE.org"),
            person(3, "Test Person").email("test.person@example.net"),
        ],
        expect![[r#"
            #1 Test Person ~ #2 T Person: SameEmail
        "#]],
    );
}

#[test]
fn close_names_at_one_address_are_suggested() {
    check(
        vec![
            // A typing slip, in one household.
            person(1, "Test Person").household(1),
            person(2, "Test Persson").household(1),
            // A forename written as its initial, in another.
            person(3, "Jo Tester").household(2),
            person(4, "J. Tester").household(2),
            // An accent, typed and not, at one postcode and street address written two ways.
            person(5, "Siân Testwood").address("12 Test Road", "TE1 1AA"),
            person(6, "Sian Testwood").address("12, test road", "te11aa"),
            // The accent as a letter and a combining circumflex, at the same address.
            person(7, "Sia\u{302}n Testwood").address("12 Test Road", "TE1 1AA"),
            // Two letters swapped, at a third address.
            person(8, "Chloe Samples").address("3 Mock Lane", "TE2 2AB"),
            person(9, "Chole Samples").address("3 Mock Lane", "TE2 2AB"),
        ],
        expect![[r#"
            #1 Test Person ~ #2 Test Persson: CloseNameSameAddress
            #3 Jo Tester ~ #4 J. Tester: CloseNameSameAddress
            #5 Siân Testwood ~ #6 Sian Testwood: CloseNameSameAddress
            #5 Siân Testwood ~ #7 Sia\u{302}n Testwood: CloseNameSameAddress
            #6 Sian Testwood ~ #7 Sia\u{302}n Testwood: CloseNameSameAddress
            #8 Chloe Samples ~ #9 Chole Samples: CloseNameSameAddress
        "#]],
    );
}

#[test]
fn a_family_at_one_address_is_not_suggested() {
    check(
        vec![
            person(1, "Alice Test").household(1),
            person(2, "Robert Test").household(1),
            person(3, "Chidi Test").household(1),
            person(4, "Alice Test-Other").address("5 Test Road", "TE1 1AA"),
            person(5, "Robert Test-Other").address("5 Test Road", "TE1 1AA"),
        ],
        expect![""],
    );
}

#[test]
fn the_same_name_at_different_addresses_is_not_suggested() {
    check(
        vec![
            // Two households.
            person(1, "Test Person").household(1),
            person(2, "Test Person").household(2),
            // One postcode, two houses.
            person(3, "Test Person").address("12 Test Road", "TE1 1AA"),
            person(4, "Test Person").address("14 Test Road", "TE1 1AA"),
            // One street address, two postcodes.
            person(5, "Test Person").address("1 High Street", "TE1 1AA"),
            person(6, "Test Person").address("1 High Street", "TE9 9ZZ"),
            // A postcode without a street address is a street, not a house.
            person(7, "Test Person").address("", "TE5 5AA"),
            person(8, "Test Person").address("", "TE5 5AA"),
            // Nowhere known.
            person(9, "Test Person"),
            person(10, "Test Person"),
        ],
        expect![""],
    );
}

#[test]
fn identical_names_at_one_address_are_suggested() {
    check(
        vec![
            person(1, "Test Person").household(1),
            person(2, "test  person").household(1),
            person(3, "Test Person").address("7 Test Road", "TE1 1AA"),
            person(4, "TEST PERSON").address("7 Test Road", "TE1 1AA"),
        ],
        expect![[r#"
            #1 Test Person ~ #2 test person: CloseNameSameAddress
            #3 Test Person ~ #4 TEST PERSON: CloseNameSameAddress
        "#]],
    );
}

#[test]
fn names_are_close_by_fold_initials_or_a_slip_or_two() {
    let pairs = [
        ("Test Person", "test person"),
        ("Siân Test", "Sian Test"),
        ("J Smithtest", "John Smithtest"),
        ("J A Tester", "Jo Ann Tester"),
        ("Mary-Jane Test", "Mary Jane Test"),
        ("Ann O'Test", "Ann OTest"),
        // Two slips are allowed from 8 characters, one below.
        ("Test Persn", "Tst Persn"),
        ("Test Persoon", "Tost Person"),
        ("Al Test", "Al Tst"),
        ("Al Test", "Al Ts"),
        ("Al Tst", "El Tsu"),
        ("Ali Test", "Ali Tested"),
        ("Al Test", "Al Tested"),
        // A middle initial added is two slips in a long name.
        ("J Smithtest", "J A Smithtest"),
        ("Jo Test", "Jo A Test"),
        // An initial stands for a forename, never for the surname.
        ("John S", "John Smithtest"),
        // Different forenames.
        ("Alice Test", "Robert Test"),
        // Relatives whose names differ by one letter are close: the edit distance does not
        // know which letters matter (an organiser dismisses these once).
        ("Sam Test", "Pam Test"),
        ("J Smithtest", "K Smithtest"),
        // No name is close to anything.
        ("", "Test"),
        ("", ""),
    ];
    let rendered: String = pairs
        .iter()
        .map(|(x, y)| {
            let close = names_close(x, y);
            assert_eq!(close, names_close(y, x), "{x} ~ {y} is symmetric");
            format!("{x:?} ~ {y:?}: {}\n", if close { "close" } else { "far" })
        })
        .collect();
    expect![[r#"
        "Test Person" ~ "test person": close
        "Siân Test" ~ "Sian Test": close
        "J Smithtest" ~ "John Smithtest": close
        "J A Tester" ~ "Jo Ann Tester": close
        "Mary-Jane Test" ~ "Mary Jane Test": close
        "Ann O'Test" ~ "Ann OTest": close
        "Test Persn" ~ "Tst Persn": close
        "Test Persoon" ~ "Tost Person": close
        "Al Test" ~ "Al Tst": close
        "Al Test" ~ "Al Ts": far
        "Al Tst" ~ "El Tsu": far
        "Ali Test" ~ "Ali Tested": close
        "Al Test" ~ "Al Tested": far
        "J Smithtest" ~ "J A Smithtest": close
        "Jo Test" ~ "Jo A Test": far
        "John S" ~ "John Smithtest": far
        "Alice Test" ~ "Robert Test": far
        "Sam Test" ~ "Pam Test": close
        "J Smithtest" ~ "K Smithtest": close
        "" ~ "Test": far
        "" ~ "": far
    "#]]
    .assert_eq(&rendered);
}

#[test]
fn pairs_set_apart_on_either_record_are_left_out() {
    let apart = |person: Person, others: &[u128]| Person {
        not_same_as: others.iter().map(|&n| id(n)).collect(),
        ..person
    };
    let people = saved(vec![
        // Set apart on the record with the smaller id, as this app keeps it.
        apart(person(1, "Test Person").phone("07700 900001"), &[2]),
        person(2, "Other Person").phone("07700 900001"),
        // And on the other record, as a crafted or older change might.
        person(3, "Third Person").email("third@example.org"),
        apart(person(4, "Fourth Person").email("THIRD@example.org"), &[3]),
        person(5, "Fifth Person").household(1),
        // Set apart from someone they were never suggested with: changes nothing.
        apart(person(6, "Fifth Persson").household(1), &[1]),
    ]);
    assert_eq!(pair(id(2), id(1)), (id(1), id(2)));
    assert_eq!(pair(id(1), id(2)), (id(1), id(2)));
    expect![[r#"
        #5 Fifth Person ~ #6 Fifth Persson: CloseNameSameAddress
    "#]]
    .assert_eq(&render(&people, &suggestions(&people)));
    assert_eq!(
        pairs_set_apart(&people),
        BTreeSet::from([(id(1), id(2)), (id(1), id(6)), (id(3), id(4))])
    );
    // Nobody is set apart from themselves.
    let problems = apart(person(7, "Test Person"), &[7])
        .normalised()
        .unwrap_err();
    assert_eq!(problems[0].field.as_str(), "not_same_as");
}

#[test]
fn suggestions_come_strongest_first_whatever_order_people_come_in() {
    let people = saved(vec![
        // A close name only.
        person(1, "Name Only").household(1),
        person(2, "Name Onlie").household(1),
        // An email only.
        person(3, "Email Only").email("email@example.org"),
        person(4, "Another Person").email("Email@example.org"),
        // A phone only.
        person(5, "Phone Only").phone("07700 900005"),
        person(6, "Another Person").phone("07700 900005"),
        // A phone and a close name.
        person(7, "Phone Name").phone("07700 900007").household(2),
        person(8, "Phone Nmae").phone("07700 900007").household(2),
        // A phone and an email.
        person(9, "Phone Email")
            .phone("07700 900009")
            .email("pe@example.org"),
        person(10, "Someone Else")
            .phone("07700 900009")
            .email("PE@example.org"),
        // All three.
        person(11, "All Three")
            .phone("07700 900011")
            .email("all@example.org")
            .household(3),
        person(12, "All Three")
            .phone("07700 900011")
            .email("all@example.org")
            .household(3),
        // A second phone-only pair, to show ties go by id.
        person(13, "Phone Again").phone("07700 900013"),
        person(14, "Another Person").phone("07700 900013"),
    ]);
    let found = suggestions(&people);
    expect![[r#"
        #11 All Three ~ #12 All Three: SamePhone, SameEmail, CloseNameSameAddress
        #9 Phone Email ~ #10 Someone Else: SamePhone, SameEmail
        #7 Phone Name ~ #8 Phone Nmae: SamePhone, CloseNameSameAddress
        #5 Phone Only ~ #6 Another Person: SamePhone
        #13 Phone Again ~ #14 Another Person: SamePhone
        #3 Email Only ~ #4 Another Person: SameEmail
        #1 Name Only ~ #2 Name Onlie: CloseNameSameAddress
    "#]]
    .assert_eq(&render(&people, &found));
    // The order the people come in changes nothing.
    let reversed: Vec<&Person> = people.iter().rev().collect();
    assert_eq!(suggestions(reversed), found);
    let interleaved: Vec<&Person> = people
        .iter()
        .step_by(2)
        .chain(people.iter().skip(1).step_by(2))
        .collect();
    assert_eq!(suggestions(interleaved), found);
}

#[test]
fn a_phone_shared_by_a_big_group_is_skipped() {
    // An office switchboard: two hundred people gave it. Two of them also share an email.
    let mut people: Vec<Person> = (1..=200)
        .map(|n| person(n, "Office Worker").phone("020 7946 0000"))
        .collect();
    people[9] = people[9].clone().email("shared@example.org");
    people[19] = people[19].clone().email("Shared@example.org");
    check(
        people,
        expect![[r#"
            #10 Office Worker ~ #20 Office Worker: SameEmail
        "#]],
    );
}

#[test]
fn a_shared_group_is_paired_up_to_its_limit_and_skipped_beyond() {
    // `how_many` people who all gave one phone number.
    let sharing = |how_many: usize| -> Vec<Person> {
        saved(
            (1..=how_many as u128)
                .map(|n| person(n, "Test Person").phone("07700 900001"))
                .collect(),
        )
    };
    let n = MAX_SHARED_GROUP;
    let at_limit = sharing(n);
    assert_eq!(suggestions(&at_limit).len(), n * (n - 1) / 2);
    let over = sharing(n + 1);
    assert!(suggestions(&over).is_empty());
}

#[test]
fn a_big_address_is_searched_for_identical_names_only() {
    // Names far from each other: ten forenames by six surnames.
    const FORENAMES: [&str; 10] = [
        "Alexandra",
        "Benedict",
        "Cordelia",
        "Dominic",
        "Evangeline",
        "Fitzgerald",
        "Gwendolyn",
        "Horatio",
        "Imogen",
        "Jasper",
    ];
    const SURNAMES: [&str; 6] = [
        "Testwood",
        "Samplesby",
        "Mockridge",
        "Fakenham",
        "Dummington",
        "Placeholt",
    ];
    // Household `household` with `size` people: all different names, then a twin of the
    // first with a slip in the surname and an identical twin of the second.
    let household = |household: u128, size: usize| -> Vec<Person> {
        let first = household * 1000;
        let mut people: Vec<Person> = (0..size - 2)
            .map(|i| {
                let name = format!("{} {}", FORENAMES[i % 10], SURNAMES[i / 10]);
                person(first + i as u128, &name).household(household)
            })
            .collect();
        people.push(person(first + 900, "Alexandra Testwod").household(household));
        people.push(person(first + 901, "Benedict Testwood").household(household));
        people
    };
    let mut people = household(1, MAX_ADDRESS_GROUP);
    people.extend(household(2, MAX_ADDRESS_GROUP + 1));
    check(
        people,
        expect![[r#"
            #1000 Alexandra Testwood ~ #1900 Alexandra Testwod: CloseNameSameAddress
            #1001 Benedict Testwood ~ #1901 Benedict Testwood: CloseNameSameAddress
            #2001 Benedict Testwood ~ #2901 Benedict Testwood: CloseNameSameAddress
        "#]],
    );
}

/// Suggestions by pair, as the scale test plants and compares them.
type Pairs = BTreeMap<(PersonId, PersonId), BTreeSet<Reason>>;

/// A synthetic organisation's people and the duplicates planted among them.
struct Planted {
    /// Everyone, the planted duplicates last.
    people: Vec<Person>,
    /// The suggestions the planted duplicates should make, and only those.
    pairs: Pairs,
}

/// The scale test's population: 9,900 addresses of three people with far-apart names (half
/// in households, half by postcode and street address), every one with their own phone and
/// email except two hundred who gave one office number; then 300 planted duplicates of known
/// people.
fn thirty_thousand() -> Planted {
    const ADDRESSES: u128 = 9_900;
    const RESIDENTS: [&str; 3] = ["Alexandra Test", "Benedict Test", "Chloe Test"];
    const SLIPS: [&str; 3] = ["Alexandria Test", "Benedikt Test", "Chole Test"];
    const INITIALS: [&str; 3] = ["A Test", "B Test", "C Test"];
    let place = |person: Person, address: u128| -> Person {
        if address.is_multiple_of(2) {
            person.household(address)
        } else {
            let postcode = format!("TE{} {}AA", address % 100, address % 10);
            person.address(&format!("{address} Test Street"), &postcode)
        }
    };
    let phone = |n: u128| format!("+447700{n:06}");
    let mut people: Vec<Person> = (0..ADDRESSES * 3)
        .map(|n| {
            let resident = person(n, RESIDENTS[(n % 3) as usize])
                .phone(&phone(n))
                .email(&format!("person{n}@example.org"));
            let resident = if n < 200 {
                resident.phone("+442079460000")
            } else {
                resident
            };
            place(resident, n / 3)
        })
        .collect();
    let mut planted = Pairs::new();
    let mut plant = |twin: Person, of: u128, reasons: &[Reason]| {
        planted.insert(pair(twin.id, id(of)), reasons.iter().copied().collect());
        people.push(twin);
    };
    for i in 0..75 {
        let twin = 100_000 + i * 4;
        // A phone twin somewhere else.
        let of = 6_000 + i * 11;
        plant(
            person(twin, "Other Person").phone(&phone(of)),
            of,
            &[Reason::SamePhone],
        );
        // An email twin, the email's local part in capitals.
        let of = 12_000 + i * 13;
        plant(
            person(twin + 1, "Other Person").email(&format!("PERSON{of}@example.org")),
            of,
            &[Reason::SameEmail],
        );
        // A slip in the name at the same address; every fifth also gave the same phone.
        let of = (1_000 + i * 7) * 3 + i % 3;
        let slip = place(person(twin + 2, SLIPS[(of % 3) as usize]), of / 3);
        if i.is_multiple_of(5) {
            let reasons = [Reason::SamePhone, Reason::CloseNameSameAddress];
            plant(slip.phone(&phone(of)), of, &reasons);
        } else {
            plant(slip, of, &[Reason::CloseNameSameAddress]);
        }
        // A forename as its initial at the same address.
        let of = (2_000 + i * 7) * 3 + i % 3;
        let initial = place(person(twin + 3, INITIALS[(of % 3) as usize]), of / 3);
        plant(initial, of, &[Reason::CloseNameSameAddress]);
    }
    Planted {
        people,
        pairs: planted,
    }
}

#[test]
fn thirty_thousand_people_give_exactly_the_planted_duplicates_strongest_first() {
    let Planted {
        people,
        pairs: planted,
    } = thirty_thousand();
    assert_eq!(people.len(), 30_000);
    assert_eq!(planted.len(), 300);
    let found = suggestions(&people);
    let found_by_pair: Pairs = found
        .iter()
        .map(|s| ((s.a, s.b), s.reasons.clone()))
        .collect();
    assert_eq!(found_by_pair, planted);
    assert_eq!(found.len(), planted.len(), "each pair once");
    assert!(found.iter().all(|s| s.a < s.b));
    // Strongest first: never fewer reasons before more, nor a later reason before an earlier.
    for (before, after) in found.iter().zip(found.iter().skip(1)) {
        let rank = |s: &Suggestion| (std::cmp::Reverse(s.reasons.len()), s.reasons.clone());
        assert!(
            rank(before) <= rank(after),
            "{before:?} comes before {after:?}"
        );
    }
    assert_eq!(found[0].reasons.len(), 2);
}
