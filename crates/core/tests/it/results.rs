//! Listening results over a small synthetic constituency: which conversations count (held, in
//! the period, within the area), issues rolled up to broader ones and counted once per
//! conversation, wards, lists and volunteers, and which stories a reader sees.

use crate::support::{
    self, CONSTITUENCY, COUNTRY, HOST, ORGANISER, ORGANISER_2, OTHER_REGION, REGION, VOLUNTEER,
    WARD_NORTH, WARD_SOUTH,
};
use expect_test::{Expect, expect};
use organise_core::id::{
    AreaId, ConversationId, IssueId, ListId, PersonId, RecordId, StoryId, Timestamp, UserId,
};
use organise_core::model::{
    Conversation, ConversationKind, Issue, List, ListKind, Outcome, Story, StoryConsent,
};
use organise_core::record::{Choice, Entity};
use organise_core::results::{
    AreaChoice, ChosenArea, Listening, OutcomeCount, Period, Scope, StoryView, choose_area,
};
use organise_core::{Record, results::IssueCount};

const DAY: i64 = 24 * 60 * 60 * 1000;
const NOW: Timestamp = Timestamp(1_000 * DAY);

// Ids chosen so that id order differs from name order: a sort by id would show.
const TRANSPORT: IssueId = IssueId::from_u128(0x100);
const HOUSING: IssueId = IssueId::from_u128(0x101);
const DAMP: IssueId = IssueId::from_u128(0x102);
const PARKS: IssueId = IssueId::from_u128(0x103);
const UNKNOWN_ISSUE: IssueId = IssueId::from_u128(0x1FF);

const NORTH_LIST: ListId = ListId::from_u128(0x200);

fn person_id(n: u128) -> PersonId {
    PersonId::from_u128(0x300 + n)
}

fn issue(id: IssueId, name: &str, parent: Option<IssueId>) -> Record {
    Issue {
        id,
        area: CONSTITUENCY,
        created_by: ORGANISER,
        name: name.into(),
        parent,
    }
    .to_record()
}

/// A conversation numbered `n`, with the person of the same number.
struct Talk {
    n: u128,
    area: AreaId,
    by: UserId,
    days_ago: i64,
    outcome: Outcome,
    issues: &'static [IssueId],
    list: Option<ListId>,
}

impl Talk {
    fn record(&self) -> Record {
        Conversation {
            id: ConversationId::from_u128(0x400 + self.n),
            area: self.area,
            created_by: self.by,
            kind: ConversationKind::Doorstep,
            by: self.by,
            person: person_id(self.n),
            at: Timestamp(NOW.0 - self.days_ago * DAY),
            outcome: self.outcome,
            issues: self.issues.iter().copied().collect(),
            interests: Default::default(),
            notes: None,
            follow_ups: Vec::new(),
            list: self.list,
        }
        .to_record()
    }
}

fn story(n: u128, person: u128, issue: IssueId, consent: StoryConsent, area: AreaId) -> Record {
    Story {
        id: StoryId::from_u128(0x500 + n),
        area,
        created_by: VOLUNTEER,
        person: person_id(person),
        text: format!("Story {n}"),
        issue: Some(issue),
        consent,
    }
    .to_record()
}

/// The seed's areas and users, four issues (damp and mould under housing), a walk list, the
/// people, ten conversations and seven stories.
fn records() -> Vec<Record> {
    use Outcome::{Held, NotHome, Refused};
    let talks = [
        // Raises damp and housing: housing must count it once.
        (
            1,
            WARD_NORTH,
            VOLUNTEER,
            1,
            Held,
            &[DAMP, HOUSING][..],
            Some(NORTH_LIST),
        ),
        (
            2,
            WARD_NORTH,
            VOLUNTEER,
            2,
            Held,
            &[HOUSING, TRANSPORT][..],
            Some(NORTH_LIST),
        ),
        (3, WARD_SOUTH, ORGANISER, 3, Held, &[PARKS][..], None),
        (4, WARD_SOUTH, ORGANISER, 3, NotHome, &[][..], None),
        // Older than a week, within a month.
        (
            5,
            WARD_NORTH,
            VOLUNTEER,
            20,
            Held,
            &[TRANSPORT][..],
            Some(NORTH_LIST),
        ),
        // Outside the constituency.
        (6, OTHER_REGION, ORGANISER_2, 1, Held, &[HOUSING][..], None),
        // Recorded at constituency level: no ward.
        (7, CONSTITUENCY, ORGANISER, 1, Held, &[TRANSPORT][..], None),
        // Not held: a door knocked, no issue counted.
        (
            8,
            WARD_NORTH,
            VOLUNTEER,
            1,
            Refused,
            &[HOUSING][..],
            Some(NORTH_LIST),
        ),
        // An issue whose record is not on the device.
        (
            9,
            WARD_NORTH,
            VOLUNTEER,
            400,
            Held,
            &[UNKNOWN_ISSUE][..],
            None,
        ),
        (10, WARD_NORTH, HOST, 2, NotHome, &[][..], Some(NORTH_LIST)),
    ];
    let mut records = support::seed();
    records.extend([
        issue(TRANSPORT, "Transport", None),
        issue(HOUSING, "Housing", None),
        issue(DAMP, "Damp and mould", Some(HOUSING)),
        issue(PARKS, "Parks", None),
        List {
            id: NORTH_LIST,
            area: WARD_NORTH,
            created_by: ORGANISER,
            name: "North, Tuesday evening".into(),
            kind: ListKind::Walk,
            members: Default::default(),
            assignees: Default::default(),
            campaign: None,
            script: None,
            survey: None,
        }
        .to_record(),
    ]);
    for (n, area, by, days_ago, outcome, issues, list) in talks {
        let name = format!("Person {n}");
        records.push(support::person(person_id(n).0, &name, area, by));
        records.push(
            Talk {
                n,
                area,
                by,
                days_ago,
                outcome,
                issues,
                list,
            }
            .record(),
        );
    }
    records.extend([
        story(1, 1, DAMP, StoryConsent::Named, WARD_NORTH),
        story(2, 2, HOUSING, StoryConsent::Anonymised, WARD_NORTH),
        story(3, 2, HOUSING, StoryConsent::Private, WARD_NORTH),
        // Person 8 refused: no held conversation, so not behind the housing count.
        story(4, 8, HOUSING, StoryConsent::Named, WARD_NORTH),
        // Person 6 is outside the constituency.
        story(5, 6, HOUSING, StoryConsent::Named, OTHER_REGION),
        // Person 1's story recorded in the other region stays there.
        story(7, 1, HOUSING, StoryConsent::Named, OTHER_REGION),
        // Person 5 raised transport three weeks ago.
        story(6, 5, TRANSPORT, StoryConsent::Named, WARD_NORTH),
    ]);
    records
}

fn listening() -> Listening {
    Listening::from_records(&records())
}

fn week(area: AreaId) -> Scope {
    Scope {
        period: Period::last_days(NOW, 7),
        area,
    }
}

fn all_time(area: AreaId) -> Scope {
    Scope {
        period: Period::ALL,
        area,
    }
}

fn render_ranking(ranking: &[IssueCount]) -> String {
    ranking
        .iter()
        .map(|i| format!("{} {}\n", i.name, i.conversations))
        .collect()
}

fn check_ranking(scope: Scope, expected: Expect) {
    expected.assert_eq(&render_ranking(&listening().issue_ranking(scope)));
}

fn render_stories(stories: &[StoryView]) -> String {
    stories
        .iter()
        .map(|s| {
            format!(
                "{:?} by {:?}: {} ({})\n",
                s.consent,
                s.teller.as_deref().unwrap_or("-"),
                s.text.as_deref().unwrap_or("[withheld]"),
                if s.recorded_by == VOLUNTEER {
                    "volunteer"
                } else {
                    "someone else"
                },
            )
        })
        .collect()
}

#[test]
fn issues_rank_by_held_conversations_in_the_week_and_the_constituency_ties_by_name() {
    check_ranking(
        week(CONSTITUENCY),
        expect![[r#"
            Housing 2
            Transport 2
            Damp and mould 1
            Parks 1
        "#]],
    );
}

#[test]
fn all_time_counts_older_conversations_and_a_ward_counts_only_its_own() {
    check_ranking(
        all_time(CONSTITUENCY),
        expect![[r#"
            Transport 3
            Housing 2
            Damp and mould 1
            Parks 1
        "#]],
    );
    check_ranking(
        week(WARD_NORTH),
        expect![[r#"
            Housing 2
            Damp and mould 1
            Transport 1
        "#]],
    );
    check_ranking(
        week(REGION),
        expect![[r#"
            Housing 2
            Transport 2
            Damp and mould 1
            Parks 1
        "#]],
    );
    check_ranking(
        week(OTHER_REGION),
        expect![[r#"
            Housing 1
        "#]],
    );
}

#[test]
fn a_conversation_counts_once_for_an_issue_however_many_of_its_sub_issues_it_raised() {
    const RENT: IssueId = IssueId::from_u128(0x104);
    let mut records = records();
    records.push(issue(RENT, "Rent", Some(HOUSING)));
    records.push(
        Talk {
            n: 20,
            area: WARD_SOUTH,
            by: ORGANISER,
            days_ago: 0,
            outcome: Outcome::Held,
            issues: &[DAMP, HOUSING],
            list: None,
        }
        .record(),
    );
    records.push(
        Talk {
            n: 21,
            area: WARD_SOUTH,
            by: ORGANISER,
            days_ago: 0,
            outcome: Outcome::Held,
            issues: &[DAMP, RENT],
            list: None,
        }
        .record(),
    );
    // The same conversation twice, as a careless caller might pass it.
    let doubled: Vec<Record> = records.iter().chain(records.iter()).cloned().collect();
    let ranking = Listening::from_records(&doubled).issue_ranking(week(WARD_SOUTH));
    expect![[r#"
        Damp and mould 2
        Housing 2
        Parks 1
        Rent 1
    "#]]
    .assert_eq(&render_ranking(&ranking));
}

#[test]
fn issues_whose_parents_form_a_cycle_still_count_once_each() {
    const A: IssueId = IssueId::from_u128(0x110);
    const B: IssueId = IssueId::from_u128(0x111);
    let mut records = support::seed();
    records.push(issue(A, "Buses", Some(B)));
    records.push(issue(B, "Trains", Some(A)));
    records.push(
        Talk {
            n: 30,
            area: WARD_NORTH,
            by: VOLUNTEER,
            days_ago: 0,
            outcome: Outcome::Held,
            issues: &[A],
            list: None,
        }
        .record(),
    );
    let ranking = Listening::from_records(&records).issue_ranking(week(WARD_NORTH));
    expect![[r#"
        Buses 1
        Trains 1
    "#]]
    .assert_eq(&render_ranking(&ranking));
}

#[test]
fn wards_each_rank_their_own_issues_and_conversations_above_ward_level_come_last() {
    let wards = listening().issues_by_ward(week(CONSTITUENCY));
    let rendered: String = wards
        .iter()
        .map(|w| {
            format!(
                "{} ({} held)\n{}",
                w.name.as_deref().unwrap_or("No ward"),
                w.held,
                render_ranking(&w.issues)
                    .lines()
                    .map(|l| format!("  {l}\n"))
                    .collect::<String>()
            )
        })
        .collect();
    expect![[r#"
        Exampleton North (2 held)
          Housing 2
          Damp and mould 1
          Transport 1
        Exampleton South (1 held)
          Parks 1
        No ward (1 held)
          Transport 1
    "#]]
    .assert_eq(&rendered);
    assert_eq!(wards[0].ward, Some(WARD_NORTH));
    assert_eq!(wards[2].ward, None);
}

#[test]
fn lists_and_volunteers_count_held_conversations_and_every_door_knocked() {
    let listening = listening();
    let lists: String = listening
        .conversations_by_list(week(CONSTITUENCY))
        .iter()
        .map(|t| {
            format!(
                "{}: {} held, {} knocked\n",
                t.name.as_deref().unwrap_or("No list"),
                t.held,
                t.knocked
            )
        })
        .collect();
    expect![[r#"
        North, Tuesday evening: 2 held, 4 knocked
        No list: 2 held, 3 knocked
    "#]]
    .assert_eq(&lists);
    let volunteers: String = listening
        .conversations_by_volunteer(week(CONSTITUENCY))
        .iter()
        .map(|t| {
            format!(
                "{}: {} held, {} knocked\n",
                t.name.as_deref().unwrap_or("Unknown"),
                t.held,
                t.knocked
            )
        })
        .collect();
    expect![[r#"
        Olu Organiser: 2 held, 3 knocked
        Vic Volunteer: 2 held, 3 knocked
        Hal Host: 0 held, 1 knocked
    "#]]
    .assert_eq(&volunteers);
}

#[test]
fn a_door_knocked_counts_once_however_many_live_there_and_again_on_another_day() {
    use organise_core::id::HouseholdId;
    use organise_core::model::{Person, Source};
    let household = HouseholdId::from_u128(0x700);
    let mut records = support::seed();
    // Three people at one door, and one living alone.
    for n in 21..=24 {
        let mut person = Person::new(
            person_id(n),
            WARD_NORTH,
            VOLUNTEER,
            format!("Person {n}"),
            Source::Doorstep,
        );
        person.household = (n < 24).then_some(household);
        records.push(person.to_record());
    }
    let talk = |n: u128, person: u128, days_ago: i64, outcome: Outcome| {
        Conversation {
            id: ConversationId::from_u128(0x400 + n),
            area: WARD_NORTH,
            created_by: VOLUNTEER,
            kind: ConversationKind::Doorstep,
            by: VOLUNTEER,
            person: person_id(person),
            at: Timestamp(NOW.0 - days_ago * DAY),
            outcome,
            issues: Default::default(),
            interests: Default::default(),
            notes: None,
            follow_ups: Vec::new(),
            list: Some(NORTH_LIST),
        }
        .to_record()
    };
    records.extend([
        // Not home for all three on one day, then a talk with one of them the same day.
        talk(31, 21, 3, Outcome::NotHome),
        talk(32, 22, 3, Outcome::NotHome),
        talk(33, 23, 3, Outcome::NotHome),
        talk(34, 21, 3, Outcome::Held),
        // The same door knocked again, another day.
        talk(35, 22, 1, Outcome::Held),
        // The neighbour, alone.
        talk(36, 24, 1, Outcome::Refused),
    ]);
    let listening = Listening::from_records(&records);
    let tallies = listening.conversations_by_list(week(CONSTITUENCY));
    assert_eq!(tallies.len(), 1);
    assert_eq!(
        (tallies[0].held, tallies[0].knocked),
        (2, 3),
        "two held; the household's door on two days and the neighbour's once"
    );
}

#[test]
fn nothing_counted_outside_the_period_or_area_gives_empty_results() {
    let listening = listening();
    let empty = Scope {
        period: Period {
            from: Timestamp(NOW.0 + DAY),
            to: Timestamp(NOW.0 + 2 * DAY),
        },
        area: CONSTITUENCY,
    };
    assert!(listening.issue_ranking(empty).is_empty());
    assert!(listening.issues_by_ward(empty).is_empty());
    assert!(listening.conversations_by_list(empty).is_empty());
    assert!(listening.conversations_by_volunteer(empty).is_empty());
    assert!(listening.stories_for(HOUSING, empty, VOLUNTEER).is_empty());
    assert!(
        Listening::default()
            .issue_ranking(all_time(CONSTITUENCY))
            .is_empty()
    );
}

#[test]
fn a_period_includes_both_ends_and_recent_ones_include_a_clock_running_ahead() {
    let week = Period::last_days(NOW, 7);
    assert!(week.contains(Timestamp(NOW.0 - 7 * DAY)));
    assert!(!week.contains(Timestamp(NOW.0 - 7 * DAY - 1)));
    assert!(week.contains(NOW));
    assert!(week.contains(Timestamp(NOW.0 + 60 * 60 * 1000)));
    let fixed = Period {
        from: Timestamp(10),
        to: Timestamp(20),
    };
    assert!(fixed.contains(Timestamp(10)) && fixed.contains(Timestamp(20)));
    assert!(!fixed.contains(Timestamp(9)) && !fixed.contains(Timestamp(21)));
    assert!(Period::ALL.contains(Timestamp(i64::MIN)) && Period::ALL.contains(Timestamp(i64::MAX)));
    assert_eq!(
        Period::last_days(Timestamp(i64::MIN), 30).from,
        Timestamp(i64::MIN)
    );
}

#[test]
fn stories_behind_an_issue_come_from_its_held_conversations_with_privacy_kept() {
    let listening = listening();
    // The organiser did not record them: the private story's text is withheld, and only the
    // named story gives its teller's name. Damp and mould's story counts for housing.
    expect![[r#"
        Named by "Person 1": Story 1 (volunteer)
        Anonymised by "-": Story 2 (volunteer)
        Private by "-": [withheld] (volunteer)
    "#]]
    .assert_eq(&render_stories(&listening.stories_for(
        HOUSING,
        week(CONSTITUENCY),
        ORGANISER,
    )));
    // The volunteer who recorded the private story may read it.
    expect![[r#"
        Named by "Person 1": Story 1 (volunteer)
        Anonymised by "-": Story 2 (volunteer)
        Private by "-": Story 3 (volunteer)
    "#]]
    .assert_eq(&render_stories(&listening.stories_for(
        HOUSING,
        week(CONSTITUENCY),
        VOLUNTEER,
    )));
    // A sub-issue shows only its own stories.
    expect![[r#"
        Named by "Person 1": Story 1 (volunteer)
    "#]]
    .assert_eq(&render_stories(&listening.stories_for(
        DAMP,
        week(CONSTITUENCY),
        ORGANISER,
    )));
}

#[test]
fn stories_follow_the_period_through_their_tellers_conversations() {
    let listening = listening();
    // This week, only person 2's stories, filed under housing but told in the conversation
    // that raised transport too; person 5's is three weeks old.
    expect![[r#"
        Anonymised by "-": Story 2 (volunteer)
        Private by "-": [withheld] (volunteer)
    "#]]
    .assert_eq(&render_stories(&listening.stories_for(
        TRANSPORT,
        week(CONSTITUENCY),
        ORGANISER,
    )));
    expect![[r#"
        Anonymised by "-": Story 2 (volunteer)
        Private by "-": [withheld] (volunteer)
        Named by "Person 5": Story 6 (volunteer)
    "#]]
    .assert_eq(&render_stories(&listening.stories_for(
        TRANSPORT,
        all_time(CONSTITUENCY),
        ORGANISER,
    )));
    // The other region's story is there only when that region is chosen.
    expect![[r#"
        Named by "Person 6": Story 5 (volunteer)
    "#]]
    .assert_eq(&render_stories(&listening.stories_for(
        HOUSING,
        week(OTHER_REGION),
        ORGANISER_2,
    )));
}

fn render_choices(choices: &[AreaChoice]) -> String {
    choices
        .iter()
        .map(|c| {
            format!(
                "{}{} ({})\n",
                "  ".repeat(c.depth),
                c.name.as_deref().unwrap_or("?"),
                c.kind.map_or("?", |k| k.as_str())
            )
        })
        .collect()
}

#[test]
fn area_choices_are_the_tree_under_the_role_areas_with_the_users_own_area_first() {
    // An organiser of the constituency who also volunteers in one of its wards: the
    // constituency once, its wards under it.
    let choices = listening().area_choices(&[CONSTITUENCY, WARD_NORTH, CONSTITUENCY]);
    expect![[r#"
        Exampleton (constituency)
          Exampleton North (ward)
          Exampleton South (ward)
    "#]]
    .assert_eq(&render_choices(&choices));
    assert_eq!(choices[0].id, CONSTITUENCY, "the results open on it");

    // A region's constituencies and their wards are all on offer, the region first.
    expect![[r#"
        North Testshire (region)
          Exampleton (constituency)
            Exampleton North (ward)
            Exampleton South (ward)
    "#]]
    .assert_eq(&render_choices(
        &listening().area_choices(&[WARD_NORTH, REGION]),
    ));
}

#[test]
fn the_broadest_role_area_comes_first_whatever_the_names_and_an_unknown_one_last() {
    // By name the ward would come first; the region is the top of what the user may see.
    let unknown = AreaId(RecordId::from_u128(0xDEAD));
    let choices = listening().area_choices(&[unknown, WARD_SOUTH, OTHER_REGION]);
    expect![[r#"
        South Testshire (region)
        Exampleton South (ward)
        ? (?)
    "#]]
    .assert_eq(&render_choices(&choices));
    assert_eq!(choices[2].id, unknown);
    assert_eq!(choose_area(&choices, None).area, Some(OTHER_REGION));
    let choices = listening().area_choices(&[unknown]);
    assert_eq!(choices.len(), 1);
    assert_eq!(choices[0].name, None);
}

#[test]
fn the_chosen_area_is_kept_while_on_offer_and_a_vanished_one_falls_back_saying_so() {
    let choices = listening().area_choices(&[CONSTITUENCY]);
    assert_eq!(
        choose_area(&choices, None),
        ChosenArea {
            area: Some(CONSTITUENCY),
            fell_back: false
        },
        "the user's own area when nothing is chosen yet"
    );
    assert_eq!(
        choose_area(&choices, Some(WARD_SOUTH)),
        ChosenArea {
            area: Some(WARD_SOUTH),
            fell_back: false
        }
    );
    assert_eq!(
        choose_area(&choices, Some(OTHER_REGION)),
        ChosenArea {
            area: Some(CONSTITUENCY),
            fell_back: true
        },
        "an area no longer on offer"
    );
    assert_eq!(choose_area(&[], Some(WARD_SOUTH)).area, None);
}

fn render_outcomes(outcomes: &[OutcomeCount]) -> String {
    outcomes
        .iter()
        .map(|o| format!("{}: {}\n", o.outcome, o.doors))
        .collect()
}

/// The doors knocked, as the screen's total counts them: the lists' knocks added up.
fn knocked(listening: &Listening, scope: Scope) -> usize {
    listening
        .conversations_by_list(scope)
        .iter()
        .map(|t| t.knocked)
        .sum()
}

#[test]
fn outcomes_count_each_door_knocked_once_and_add_up_to_the_doors_knocked() {
    let listening = listening();
    expect![[r#"
        held: 4
        not_home: 2
        refused: 1
    "#]]
    .assert_eq(&render_outcomes(&listening.outcomes(week(CONSTITUENCY))));
    for area in [
        COUNTRY,
        REGION,
        CONSTITUENCY,
        WARD_NORTH,
        WARD_SOUTH,
        OTHER_REGION,
    ] {
        for scope in [week(area), all_time(area)] {
            let doors: usize = listening.outcomes(scope).iter().map(|o| o.doors).sum();
            assert_eq!(doors, knocked(&listening, scope), "{scope:?}");
        }
    }
    assert!(
        listening
            .outcomes(Scope {
                period: Period {
                    from: Timestamp(NOW.0 + DAY),
                    to: Timestamp(NOW.0 + 2 * DAY),
                },
                area: CONSTITUENCY,
            })
            .is_empty()
    );
}

#[test]
fn a_door_with_several_outcomes_on_one_day_counts_under_the_furthest_it_went() {
    use Outcome::{DoNotKnock, Held, Moved, NotHome, Refused, WrongNumber};
    use organise_core::id::HouseholdId;
    use organise_core::model::{Person, Source};
    let mut records = support::seed();
    // Six households of two; the first also knocked on another day.
    for n in 0..12u128 {
        let mut person = Person::new(
            person_id(40 + n),
            WARD_NORTH,
            VOLUNTEER,
            format!("Person {}", 40 + n),
            Source::Doorstep,
        );
        person.household = Some(HouseholdId::from_u128(0x800 + n / 2));
        records.push(person.to_record());
    }
    let doors = [
        (NotHome, Held),
        (Refused, DoNotKnock),
        (NotHome, Refused),
        (Moved, NotHome),
        (WrongNumber, NotHome),
        (Held, Moved),
    ];
    for (door, (first, second)) in doors.into_iter().enumerate() {
        for (k, (outcome, days_ago)) in [(first, 2), (second, 2)].into_iter().enumerate() {
            let n = 40 + 2 * door as u128 + k as u128;
            records.push(
                Talk {
                    n,
                    area: WARD_NORTH,
                    by: VOLUNTEER,
                    days_ago,
                    outcome,
                    issues: &[],
                    list: Some(NORTH_LIST),
                }
                .record(),
            );
        }
    }
    // The first door again, another day: a second knock.
    records.push(
        Talk {
            n: 60,
            area: WARD_NORTH,
            by: VOLUNTEER,
            days_ago: 1,
            outcome: NotHome,
            issues: &[],
            list: Some(NORTH_LIST),
        }
        .record(),
    );
    let mut person = Person::new(
        person_id(60),
        WARD_NORTH,
        VOLUNTEER,
        "Person 60",
        Source::Doorstep,
    );
    person.household = Some(HouseholdId::from_u128(0x800));
    records.push(person.to_record());
    let listening = Listening::from_records(&records);
    expect![[r#"
        held: 2
        not_home: 2
        refused: 1
        moved: 1
        do_not_knock: 1
    "#]]
    .assert_eq(&render_outcomes(&listening.outcomes(week(CONSTITUENCY))));
    assert_eq!(knocked(&listening, week(CONSTITUENCY)), 7);
}

#[test]
fn the_collections_read_whole_and_the_stories_tellers_give_what_every_record_gives() {
    let every = records();
    let mut needed: Vec<Record> = every
        .iter()
        .filter(|r| Listening::COLLECTIONS.contains(&r.collection))
        .cloned()
        .collect();
    let tellers = Listening::people(&needed);
    assert!(
        !tellers.is_empty(),
        "the seed has tellers and people talked to"
    );
    needed.extend(
        every
            .iter()
            .filter(|r| tellers.iter().any(|p| p.0 == r.id))
            .cloned(),
    );
    assert!(needed.len() < every.len(), "some records are not needed");
    let (partial, whole) = (Listening::from_records(&needed), listening());
    for scope in [week(CONSTITUENCY), all_time(CONSTITUENCY)] {
        assert_eq!(partial.issue_ranking(scope), whole.issue_ranking(scope));
        assert_eq!(partial.issues_by_ward(scope), whole.issues_by_ward(scope));
        for issue in [HOUSING, DAMP, TRANSPORT] {
            assert_eq!(
                render_stories(&partial.stories_for(issue, scope, ORGANISER)),
                render_stories(&whole.stories_for(issue, scope, ORGANISER)),
            );
        }
    }
}
