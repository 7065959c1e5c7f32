//! The community map: a link names one organisation or one other person, every problem at
//! once; an organisation's last contact comes through a one-to-one naming it or one with
//! someone linked to it; a ward's map, its gaps (kinds nobody contacted in ninety days, with
//! its listening beside them) and its graph (every link drawn, inside the box, the same
//! whatever order the records come in); links are organisers' (never volunteers' or hosts'),
//! filed where their person is, name only what their writer sees, and go with their person.

use std::collections::BTreeSet;

use crate::support::{
    self, ADMIN, CONSTITUENCY, COUNTRY, HOST, ORGANISER, ORGANISER_2, OTHER_REGION, VOLUNTEER,
    WARD_NORTH, WARD_SOUTH,
};
use organise_core::calendar::{Day, london_midnight};
use organise_core::community::{
    self, GAP_DAYS, GRAPH_SIZE, Gap, Graph, LinkedPerson, MAX_GRAPH_NODES, NodeKind, WardGaps,
};
use organise_core::id::{
    ConversationId, LinkId, OneToOneId, OrganisationId, PersonId, RecordId, Timestamp, UserId,
};
use organise_core::model::{
    Conversation, ConversationKind, Link, LinkKind, OneToOne, OneToOneKind, Organisation,
    OrganisationKind, Outcome as Said, Person, Relationship, Role, Source,
};
use organise_core::order;
use organise_core::permission::{Actor, Denied, Permissions};
use organise_core::record::Entity;
use organise_core::sync::{Outcome, ReferenceServer};
use organise_core::{Collection, FieldProblem, Problem, Record, Value};

const ANN: PersonId = PersonId::from_u128(0x501);
const BEN: PersonId = PersonId::from_u128(0x502);
const CAT: PersonId = PersonId::from_u128(0x503);
const DEV: PersonId = PersonId::from_u128(0x504);
const EVE: PersonId = PersonId::from_u128(0x505);

const SCHOOL: OrganisationId = OrganisationId::from_u128(0x601);
const CHAPEL: OrganisationId = OrganisationId::from_u128(0x602);
const CHARITY: OrganisationId = OrganisationId::from_u128(0x603);
const SOUTH_SCHOOL: OrganisationId = OrganisationId::from_u128(0x604);

fn today() -> Day {
    Day::parse("2026-12-04").expect("a day")
}

fn days_ago(days: i32) -> Day {
    today().add_days(-days)
}

fn organisation(
    id: OrganisationId,
    name: &str,
    kind: OrganisationKind,
    area: organise_core::id::AreaId,
) -> Organisation {
    Organisation {
        id,
        area,
        created_by: ORGANISER,
        name: name.into(),
        kind,
        relationship: Relationship::NotContacted,
        notes: None,
    }
}

/// One of the usual organisations: the school, the chapel and the food bank in the north
/// ward, the academy in the south.
fn known(id: OrganisationId) -> Organisation {
    let (name, kind, area) = match id {
        SCHOOL => ("St Example's Primary", OrganisationKind::School, WARD_NORTH),
        CHAPEL => ("Example Chapel", OrganisationKind::FaithGroup, WARD_NORTH),
        CHARITY => ("Example Food Bank", OrganisationKind::Charity, WARD_NORTH),
        SOUTH_SCHOOL => (
            "Example South Academy",
            OrganisationKind::School,
            WARD_SOUTH,
        ),
        _ => panic!("not one of the usual organisations: {id:?}"),
    };
    organisation(id, name, kind, area)
}

/// The `n`th link, of `person` in the north ward to an organisation.
fn to_organisation(
    n: u128,
    person: PersonId,
    organisation: OrganisationId,
    kind: LinkKind,
) -> Link {
    Link {
        id: LinkId::from_u128(0x7000 + n),
        area: WARD_NORTH,
        created_by: ORGANISER,
        person,
        organisation: Some(organisation),
        other: None,
        kind,
        role: None,
    }
}

/// The `n`th link, of `person` in the north ward to `other`.
fn to_person(n: u128, person: PersonId, other: PersonId, kind: LinkKind) -> Link {
    Link {
        organisation: None,
        other: Some(other),
        ..to_organisation(n, person, SCHOOL, kind)
    }
}

/// The `n`th one-to-one, with `person` in the north ward, held `ago` days before today.
fn one_to_one(n: u128, person: PersonId, ago: i32) -> OneToOne {
    let held_on = days_ago(ago);
    OneToOne {
        id: OneToOneId::from_u128(0x8000 + n),
        area: WARD_NORTH,
        created_by: ORGANISER,
        person,
        held_on,
        recorded_at: Timestamp(london_midnight(held_on).0 + 18 * 3_600_000),
        kind: OneToOneKind::Introduction,
        issues: BTreeSet::new(),
        story: None,
        interest: None,
        leadership: None,
        organisation: None,
        next_step: None,
        next_step_due: None,
        next_step_done: None,
    }
}

fn naming(one_to_one: OneToOne, organisation: OrganisationId) -> OneToOne {
    OneToOne {
        organisation: Some(organisation),
        ..one_to_one
    }
}

#[test]
fn a_link_names_one_organisation_or_one_other_person_and_every_problem_is_reported() {
    let problems = |link: Link| {
        Link::from_record(&link.to_record())
            .err()
            .unwrap_or_default()
    };
    // Neither: the organisation is missing. A blank role is no role.
    let neither = Link {
        organisation: None,
        role: Some("   ".into()),
        ..to_organisation(1, ANN, SCHOOL, LinkKind::Leader)
    };
    assert_eq!(
        problems(neither),
        vec![FieldProblem::new("organisation", Problem::Missing)]
    );
    // Both, the person as their own other, and a role past a short text: all at once.
    let both = Link {
        other: Some(ANN),
        role: Some("x".repeat(201)),
        ..to_organisation(2, ANN, SCHOOL, LinkKind::Knows)
    };
    assert_eq!(
        problems(both),
        vec![
            FieldProblem::new(
                "other",
                Problem::OnlyWhen {
                    condition: "there is no organisation".into()
                }
            ),
            FieldProblem::new("other", Problem::SelfReference),
            FieldProblem::new("role", Problem::TooLong { max: 200 }),
        ]
    );
    // A person's kind with an organisation, an organisation's kind with a person.
    let choices = |kinds: &[&str]| Problem::NotAChoice {
        allowed: kinds.iter().map(|&k| k.to_owned()).collect(),
    };
    assert_eq!(
        problems(to_organisation(3, ANN, SCHOOL, LinkKind::Family)),
        vec![FieldProblem::new(
            "kind",
            choices(&["leader", "contact", "member"])
        )]
    );
    assert_eq!(
        problems(Link {
            other: Some(ANN),
            ..to_person(4, ANN, BEN, LinkKind::Member)
        }),
        vec![
            FieldProblem::new(
                "kind",
                choices(&["knows", "family", "neighbour", "colleague", "introduced"])
            ),
            FieldProblem::new("other", Problem::SelfReference),
        ]
    );
    // A good one keeps its role trimmed.
    let good = Link {
        role: Some("  Chair of governors \n".into()),
        ..to_organisation(5, ANN, SCHOOL, LinkKind::Leader)
    };
    let read = Link::from_record(&good.to_record()).expect("valid");
    assert_eq!(read.role.as_deref(), Some("Chair of governors"));
    let read = Link::from_record(&to_person(6, ANN, BEN, LinkKind::Introduced).to_record());
    assert_eq!(read.map(|l| l.other), Ok(Some(BEN)));
}

#[test]
fn the_last_contact_is_a_one_to_one_naming_the_organisation_or_held_with_someone_linked_to_it() {
    let links = vec![
        to_organisation(1, ANN, SCHOOL, LinkKind::Leader),
        to_organisation(2, BEN, SCHOOL, LinkKind::Member),
        // Knowing the school's leader is no tie to the school.
        to_person(3, CAT, ANN, LinkKind::Knows),
    ];
    let one_to_ones = vec![
        one_to_one(1, ANN, 40),
        naming(one_to_one(2, DEV, 30), SCHOOL),
        one_to_one(3, CAT, 1),
        naming(one_to_one(4, DEV, 2), CHAPEL),
    ];
    let last = |organisation, links: &[Link], one_to_ones: &[OneToOne]| {
        community::last_contact(organisation, links, one_to_ones)
    };
    assert_eq!(last(SCHOOL, &links, &one_to_ones), Some(days_ago(30)));
    assert_eq!(
        last(SCHOOL, &links, &one_to_ones[..1]),
        Some(days_ago(40)),
        "through its leader"
    );
    assert_eq!(
        last(SCHOOL, &links, &[one_to_one(5, BEN, 12)]),
        Some(days_ago(12)),
        "through a member"
    );
    assert_eq!(last(CHAPEL, &links, &one_to_ones), Some(days_ago(2)));
    assert_eq!(last(CHARITY, &links, &one_to_ones), None);
    let all = community::last_contacts(&links, &one_to_ones);
    assert_eq!(
        all.into_iter().collect::<Vec<_>>(),
        vec![(SCHOOL, days_ago(30)), (CHAPEL, days_ago(2))]
    );
}

#[test]
fn a_wards_map_lists_each_organisations_people_by_how_they_are_tied_once_each() {
    let organisations = vec![
        Organisation {
            relationship: Relationship::Partner,
            ..known(SCHOOL)
        },
        known(CHAPEL),
    ];
    let links = vec![
        to_organisation(4, BEN, SCHOOL, LinkKind::Contact),
        Link {
            role: Some("Head teacher".into()),
            ..to_organisation(2, ANN, SCHOOL, LinkKind::Leader)
        },
        // The same tie made twice offline, once without a role: listed once, with it.
        to_organisation(1, ANN, SCHOOL, LinkKind::Leader),
        to_organisation(3, CAT, SCHOOL, LinkKind::Member),
        to_organisation(5, ANN, SCHOOL, LinkKind::Member),
        to_person(6, DEV, ANN, LinkKind::Family),
    ];
    let rows = community::map(&organisations, &links, &[one_to_one(1, BEN, 3)]);
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Example Chapel", "St Example's Primary"]);
    let chapel = &rows[0];
    assert!(chapel.leaders.is_empty() && chapel.contacts.is_empty() && chapel.members.is_empty());
    assert_eq!(
        (chapel.stage, chapel.last_contact),
        (Relationship::NotContacted, None)
    );
    let school = &rows[1];
    let tie = |person, n: u128, role: Option<&str>| LinkedPerson {
        person,
        link: LinkId::from_u128(0x7000 + n),
        role: role.map(str::to_owned),
    };
    assert_eq!(school.leaders, vec![tie(ANN, 2, Some("Head teacher"))]);
    assert_eq!(school.contacts, vec![tie(BEN, 4, None)]);
    assert_eq!(school.members, vec![tie(ANN, 5, None), tie(CAT, 3, None)]);
    assert_eq!(school.stage, Relationship::Partner);
    assert_eq!(school.last_contact, Some(days_ago(3)));
}

fn conversation(n: u128, area: organise_core::id::AreaId, ago: i64, outcome: Said) -> Conversation {
    Conversation {
        id: ConversationId::from_u128(0x9000 + n),
        area,
        created_by: VOLUNTEER,
        kind: ConversationKind::Doorstep,
        by: VOLUNTEER,
        person: PersonId::from_u128(0x5F0 + n),
        // Midday in London.
        at: Timestamp(london_midnight(today()).0 - ago * 24 * 3_600_000 + 12 * 3_600_000),
        outcome,
        issues: BTreeSet::new(),
        interests: BTreeSet::new(),
        notes: None,
        follow_ups: Vec::new(),
        list: None,
    }
}

#[test]
fn a_wards_gaps_are_the_kinds_nobody_contacted_in_ninety_days_with_its_listening_beside() {
    let organisations = vec![
        known(SCHOOL),
        known(CHAPEL),
        known(CHARITY),
        organisation(
            OrganisationId::from_u128(0x605),
            "Example Social Club",
            OrganisationKind::Other,
            WARD_NORTH,
        ),
        known(SOUTH_SCHOOL),
    ];
    let links = vec![to_organisation(1, ANN, SCHOOL, LinkKind::Leader)];
    let one_to_ones = vec![
        // The school's leader, 89 days ago: in touch.
        one_to_one(1, ANN, 89),
        // The chapel named 91 days ago: lapsed.
        naming(one_to_one(2, BEN, 91), CHAPEL),
        // The food bank named on the first day of the window: in touch.
        naming(one_to_one(3, CAT, GAP_DAYS), CHARITY),
        // In the south ward, yesterday.
        OneToOne {
            area: WARD_SOUTH,
            ..naming(one_to_one(4, DEV, 1), SOUTH_SCHOOL)
        },
    ];
    let conversations = vec![
        conversation(1, WARD_NORTH, 10, Said::Held),
        conversation(2, WARD_NORTH, 0, Said::Held),
        conversation(3, WARD_NORTH, 10, Said::NotHome),
        conversation(4, WARD_NORTH, 91, Said::Held),
        conversation(5, WARD_SOUTH, 5, Said::Held),
    ];
    let gaps = community::gaps(
        &[WARD_NORTH, WARD_SOUTH],
        &support::tree(),
        &organisations,
        &links,
        &one_to_ones,
        &conversations,
        today(),
    );
    let gap = |kind, mapped| Gap { kind, mapped };
    let none_mapped = [
        gap(OrganisationKind::Union, 0),
        gap(OrganisationKind::TenantsAssociation, 0),
    ];
    let never = [
        gap(OrganisationKind::CommunityGroup, 0),
        gap(OrganisationKind::LocalParty, 0),
    ];
    assert_eq!(
        gaps,
        vec![
            WardGaps {
                ward: WARD_NORTH,
                gaps: [
                    vec![gap(OrganisationKind::FaithGroup, 1)],
                    none_mapped.to_vec(),
                    never.to_vec()
                ]
                .concat(),
                conversations_held: 2,
                one_to_ones_held: 2,
            },
            WardGaps {
                ward: WARD_SOUTH,
                gaps: [
                    vec![gap(OrganisationKind::FaithGroup, 0)],
                    none_mapped.to_vec(),
                    vec![gap(OrganisationKind::Charity, 0)],
                    never.to_vec()
                ]
                .concat(),
                conversations_held: 1,
                one_to_ones_held: 1,
            },
        ]
    );
    assert_eq!(community::gap_window_start(today()), days_ago(GAP_DAYS));
    // The constituency holds both wards' records.
    let whole = community::gaps(
        &[CONSTITUENCY],
        &support::tree(),
        &organisations,
        &links,
        &one_to_ones,
        &conversations,
        today(),
    );
    assert_eq!(
        (whole[0].conversations_held, whole[0].one_to_ones_held),
        (3, 3)
    );
    assert!(
        !whole[0]
            .gaps
            .iter()
            .any(|g| g.kind == OrganisationKind::School)
    );
}

fn person(id: PersonId, name: &str) -> Person {
    Person::new(id, WARD_NORTH, ORGANISER, name, Source::Doorstep)
}

/// A north ward of three organisations and five people, and a link in the south ward.
fn ward() -> (Vec<Organisation>, Vec<Person>, Vec<Link>) {
    let organisations = vec![
        known(SCHOOL),
        known(CHAPEL),
        known(CHARITY),
        known(SOUTH_SCHOOL),
    ];
    let people = vec![
        person(ANN, "Ann Example"),
        person(BEN, "Ben Sample"),
        person(CAT, "Cat Specimen"),
        person(DEV, "Dev Instance"),
        Person {
            area: WARD_SOUTH,
            ..person(EVE, "Eve Placeholder")
        },
    ];
    let links = vec![
        to_organisation(1, ANN, SCHOOL, LinkKind::Leader),
        to_organisation(2, BEN, SCHOOL, LinkKind::Member),
        to_organisation(3, BEN, CHAPEL, LinkKind::Contact),
        to_organisation(4, CAT, CHARITY, LinkKind::Leader),
        to_person(5, DEV, ANN, LinkKind::Family),
        // Eve lives in the south ward: her link is drawn in the south's graph.
        Link {
            area: WARD_SOUTH,
            ..to_organisation(6, EVE, SOUTH_SCHOOL, LinkKind::Leader)
        },
        // Dev knows Eve: drawn here, Eve with it.
        to_person(7, DEV, EVE, LinkKind::Knows),
        // Cat names someone the device does not hold.
        to_person(8, CAT, PersonId::from_u128(0x5FF), LinkKind::Introduced),
    ];
    (organisations, people, links)
}

fn distance(graph: &Graph, a: RecordId, b: RecordId) -> f64 {
    let at = |id| {
        let node = graph.nodes.iter().find(|n| n.id == id).expect("a node");
        (f64::from(node.x), f64::from(node.y))
    };
    let ((ax, ay), (bx, by)) = (at(a), at(b));
    (ax - bx).hypot(ay - by)
}

#[test]
fn a_wards_graph_draws_every_link_inside_the_box() {
    let (organisations, people, links) = ward();
    let graph = community::graph(
        WARD_NORTH,
        &support::tree(),
        &organisations,
        &people,
        &links,
    );
    let drawn: Vec<LinkId> = graph.edges.iter().map(|e| e.link).collect();
    let north: Vec<LinkId> = [1, 2, 3, 4, 5, 7, 8]
        .map(|n| LinkId::from_u128(0x7000 + n))
        .to_vec();
    assert_eq!(drawn, north);
    let ids: BTreeSet<RecordId> = graph.nodes.iter().map(|n| n.id).collect();
    assert_eq!(ids.len(), graph.nodes.len(), "each node once");
    for edge in &graph.edges {
        assert!(
            ids.contains(&edge.from) && ids.contains(&edge.to),
            "{edge:?}"
        );
    }
    let size = 0..=GRAPH_SIZE;
    assert!(
        graph
            .nodes
            .iter()
            .all(|n| size.contains(&n.x) && size.contains(&n.y)),
        "{graph:?}"
    );
    // The ward's organisations on the inner circle, by name; the people around them.
    let organisations: Vec<Option<&str>> = graph
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Organisation)
        .map(|n| n.label.as_deref())
        .collect();
    assert_eq!(
        organisations,
        [
            Some("Example Chapel"),
            Some("Example Food Bank"),
            Some("St Example's Primary")
        ]
    );
    let people: Vec<Option<&str>> = graph
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Person)
        .map(|n| n.label.as_deref())
        .collect();
    assert_eq!(people.len(), 6);
    assert!(people.contains(&Some("Eve Placeholder")));
    assert!(people.contains(&None), "someone the device does not hold");
    let middle = f64::from(GRAPH_SIZE) / 2.0;
    for node in &graph.nodes {
        let radius = (f64::from(node.x) - middle).hypot(f64::from(node.y) - middle);
        let ring = if node.kind == NodeKind::Organisation {
            200.0..240.0
        } else {
            400.0..440.0
        };
        assert!(ring.contains(&radius), "{node:?} at {radius}");
    }
    // Each person stands nearer the organisation they lead than the others.
    for (person, theirs, others) in [
        (ANN, SCHOOL, [CHAPEL, CHARITY]),
        (CAT, CHARITY, [CHAPEL, SCHOOL]),
    ] {
        for other in others {
            assert!(
                distance(&graph, person.0, theirs.0) < distance(&graph, person.0, other.0),
                "{person:?}"
            );
        }
    }
    assert!(graph.is_readable());
}

#[test]
fn a_wards_graph_is_the_same_whatever_order_the_records_come_in() {
    let (organisations, people, links) = ward();
    let tree = support::tree();
    let expected = community::graph(WARD_NORTH, &tree, &organisations, &people, &links);
    for turn in 1..links.len() {
        let mut links = links.clone();
        links.rotate_left(turn);
        let mut organisations = organisations.clone();
        organisations.reverse();
        let by = turn % organisations.len();
        organisations.rotate_left(by);
        let mut people = people.clone();
        order::sort_by_key(&mut people, |p| std::cmp::Reverse(p.name.clone()));
        let by = turn % people.len();
        people.rotate_left(by);
        assert_eq!(
            community::graph(WARD_NORTH, &tree, &organisations, &people, &links),
            expected,
            "turned by {turn}"
        );
    }
}

#[test]
fn a_graph_past_its_readable_size_says_so_and_an_empty_ward_draws_nothing() {
    let organisations: Vec<Organisation> = (0..=MAX_GRAPH_NODES as u128)
        .map(|n| {
            organisation(
                OrganisationId::from_u128(0x1000 + n),
                &format!("Example Group {n}"),
                OrganisationKind::CommunityGroup,
                WARD_NORTH,
            )
        })
        .collect();
    let graph = community::graph(WARD_NORTH, &support::tree(), &organisations, &[], &[]);
    assert_eq!(graph.nodes.len(), MAX_GRAPH_NODES + 1);
    assert!(!graph.is_readable());
    assert_eq!(
        community::graph(WARD_SOUTH, &support::tree(), &[], &[], &[]),
        Graph::default()
    );
    // A lone organisation stands in the middle.
    let lone = community::graph(WARD_NORTH, &support::tree(), &organisations[..1], &[], &[]);
    let middle = GRAPH_SIZE / 2;
    assert_eq!((lone.nodes[0].x, lone.nodes[0].y), (middle, middle));
}

#[test]
fn links_are_read_and_written_by_organisers_of_the_persons_area_never_by_volunteers_or_hosts() {
    let tree = support::tree();
    let record = to_organisation(1, ANN, SCHOOL, LinkKind::Leader).to_record();
    let set_role = support::set(&record, "role", Value::Text("Treasurer".into()));
    let mut volunteer = Actor::with_roles(VOLUNTEER, [(Role::Volunteer, WARD_NORTH)]);
    volunteer.people.insert(ANN);
    let mut host = Actor::with_roles(HOST, [(Role::Host, WARD_NORTH)]);
    host.people.insert(ANN);
    // The link's creator, moved to organise the other region: still theirs.
    let moved_away = Actor::with_roles(ORGANISER, [(Role::Organiser, OTHER_REGION)]);
    // The creator, now a volunteer where Ann is: no longer.
    let mut stepped_down = Actor::with_roles(ORGANISER, [(Role::Volunteer, WARD_NORTH)]);
    stepped_down.people.insert(ANN);
    let cases = [
        (
            "organiser of the constituency",
            Actor::with_roles(UserId::from_u128(0xB9), [(Role::Organiser, CONSTITUENCY)]),
            true,
        ),
        (
            "admin of the country",
            Actor::with_roles(ADMIN, [(Role::Admin, COUNTRY)]),
            true,
        ),
        (
            "organiser of the other ward",
            Actor::with_roles(UserId::from_u128(0xB9), [(Role::Organiser, WARD_SOUTH)]),
            false,
        ),
        (
            "organiser of the other region",
            Actor::with_roles(ORGANISER_2, [(Role::Organiser, OTHER_REGION)]),
            false,
        ),
        ("volunteer who reaches Ann", volunteer.clone(), false),
        ("host who reaches Ann", host, false),
    ];
    for (who, actor, may) in cases {
        let rules = Permissions::new(&actor, &tree);
        assert_eq!(rules.can_read(&record), may, "{who} reads");
        assert_eq!(
            rules.can_apply(&support::create(&record), None).is_ok(),
            may,
            "{who} links Ann"
        );
        assert_eq!(
            rules.can_apply(&set_role, Some(&record)).is_ok(),
            may,
            "{who} edits the role"
        );
        assert_eq!(
            rules
                .can_apply(&support::delete(&record), Some(&record))
                .is_ok(),
            may,
            "{who} deletes the link"
        );
    }
    for (who, actor, may) in [
        ("its creator, organising elsewhere", moved_away, true),
        ("its creator, a volunteer now", stepped_down, false),
    ] {
        let rules = Permissions::new(&actor, &tree);
        assert_eq!(rules.can_read(&record), may, "{who} reads");
        assert_eq!(
            rules.can_apply(&set_role, Some(&record)).is_ok(),
            may,
            "{who} edits the role"
        );
        assert_eq!(
            rules
                .can_apply(&support::delete(&record), Some(&record))
                .is_ok(),
            may,
            "{who} deletes the link"
        );
    }
    let rules = Permissions::new(&volunteer, &tree);
    assert_eq!(
        rules.can_apply(&support::create(&record), None),
        Err(Denied::OrganiserOnly)
    );
}

fn applied(outcomes: &[Outcome]) {
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Applied { .. })),
        "{outcomes:?}"
    );
}

#[test]
fn a_crafted_link_is_filed_where_its_person_is_names_only_what_its_writer_sees_and_goes_with_them()
{
    let mut server = ReferenceServer::seeded(support::seed());
    let ann = support::person(ANN.0, "Ann Example", WARD_NORTH, ORGANISER);
    let ben = support::person(BEN.0, "Ben Sample", WARD_NORTH, ORGANISER);
    let school = known(SCHOOL).to_record();
    applied(&support::push_as(
        &mut server,
        ORGANISER,
        vec![
            support::creating(&ann),
            support::creating(&ben),
            support::creating(&school),
        ],
    ));
    // The other region's organiser keeps a person and an organisation of their own.
    let far_person = support::person(EVE.0, "Eve Placeholder", OTHER_REGION, ORGANISER_2);
    let far_union = Organisation {
        created_by: ORGANISER_2,
        ..organisation(
            CHAPEL,
            "Example Southern Branch",
            OrganisationKind::Union,
            OTHER_REGION,
        )
    }
    .to_record();
    applied(&support::push_as(
        &mut server,
        ORGANISER_2,
        vec![
            support::creating(&far_person),
            support::creating(&far_union),
        ],
    ));

    // Naming the other region's organisation, or its person, from the organiser's own ward.
    let to_far_union = to_organisation(1, ANN, CHAPEL, LinkKind::Member).to_record();
    let outcomes = support::push_as(
        &mut server,
        ORGANISER,
        vec![support::creating(&to_far_union)],
    );
    assert_eq!(
        support::refused_for(&outcomes[0]),
        vec![FieldProblem::new("organisation", Problem::UnknownReference)]
    );
    let to_far_person = to_person(2, ANN, EVE, LinkKind::Knows).to_record();
    let outcomes = support::push_as(
        &mut server,
        ORGANISER,
        vec![support::creating(&to_far_person)],
    );
    assert_eq!(
        support::refused_for(&outcomes[0]),
        vec![FieldProblem::new("other", Problem::UnknownReference)]
    );
    // About someone in another region altogether.
    let about_far_person = Link {
        person: EVE,
        ..to_organisation(3, EVE, SCHOOL, LinkKind::Contact)
    }
    .to_record();
    let outcomes = support::push_as(
        &mut server,
        ORGANISER,
        vec![support::creating(&about_far_person)],
    );
    assert!(
        support::refused_for(&outcomes[0])
            .contains(&FieldProblem::new("person", Problem::UnknownReference)),
        "{outcomes:?}"
    );
    // Filed in another ward than Ann's.
    let elsewhere = Link {
        area: WARD_SOUTH,
        ..to_organisation(4, ANN, SCHOOL, LinkKind::Leader)
    }
    .to_record();
    let outcomes = support::push_as(&mut server, ORGANISER, vec![support::creating(&elsewhere)]);
    assert_eq!(
        support::refused_for(&outcomes[0]),
        vec![FieldProblem::new(
            "area",
            Problem::AreaMismatch {
                other: "person".into()
            }
        )]
    );

    // As they should be: Ann leads the school, Ben knows Ann.
    let leads = to_organisation(5, ANN, SCHOOL, LinkKind::Leader).to_record();
    let knows = to_person(6, BEN, ANN, LinkKind::Knows).to_record();
    applied(&support::push_as(
        &mut server,
        ORGANISER,
        vec![support::creating(&leads), support::creating(&knows)],
    ));
    let links_held = |server: &mut ReferenceServer, user| {
        server
            .visible_to(user)
            .0
            .values()
            .filter(|r| r.collection == Collection::Link)
            .map(|r| r.to_record())
            .collect::<Vec<Record>>()
    };
    assert_eq!(links_held(&mut server, ADMIN).len(), 2);
    assert!(
        links_held(&mut server, VOLUNTEER).is_empty(),
        "a volunteer pulls no link"
    );
    // Erasing Ann takes her link with her; Ben's no longer names her.
    server.erase(ADMIN, ANN).expect("the admin erases Ann");
    let left = links_held(&mut server, ADMIN);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, knows.id);
    assert_eq!(left[0].get("other"), &Value::Null);
}

/// The least distance between two people of `graph`.
fn closest_people(graph: &Graph) -> f64 {
    let people: Vec<RecordId> = graph
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Person)
        .map(|n| n.id)
        .collect();
    let mut closest = f64::MAX;
    for (i, &a) in people.iter().enumerate() {
        for &b in &people[i + 1..] {
            closest = closest.min(distance(graph, a, b));
        }
    }
    closest
}

#[test]
fn people_crowding_round_one_organisation_or_tied_to_none_stand_apart() {
    let (organisations, _, _) = ward();
    // Thirty members of the school: more than fit near it, so round the whole circle, about
    // 88 units apart.
    let members: Vec<Link> = (0..30)
        .map(|n| {
            let member = PersonId::from_u128(0x2000 + n);
            to_organisation(0x100 + n, member, SCHOOL, LinkKind::Member)
        })
        .collect();
    let graph = community::graph(WARD_NORTH, &support::tree(), &organisations, &[], &members);
    assert_eq!(graph.nodes.len(), 33);
    assert!(closest_people(&graph) > 85.0, "{graph:?}");
    // Four members: side by side near it, a twenty-fourth of a turn apart (about 110 units).
    let graph = community::graph(
        WARD_NORTH,
        &support::tree(),
        &organisations,
        &[],
        &members[..4],
    );
    assert!(closest_people(&graph) > 105.0, "{graph:?}");
    for member in &members[..4] {
        assert!(
            distance(&graph, member.person.0, SCHOOL.0)
                < distance(&graph, member.person.0, CHAPEL.0),
            "{graph:?}"
        );
    }
    // A chain of acquaintances in the south ward, tied to no organisation: evenly round.
    let chain: Vec<Link> = (0..4)
        .map(|n| {
            let (from, to) = (0x3000 + n, 0x3001 + n);
            Link {
                area: WARD_SOUTH,
                ..to_person(
                    0x200 + n,
                    PersonId::from_u128(from),
                    PersonId::from_u128(to),
                    LinkKind::Knows,
                )
            }
        })
        .collect();
    let graph = community::graph(WARD_SOUTH, &support::tree(), &organisations, &[], &chain);
    let lone = &graph.nodes[0];
    assert_eq!(
        (lone.id, lone.x, lone.y),
        (SOUTH_SCHOOL.0, GRAPH_SIZE / 2, GRAPH_SIZE / 2),
        "the south's one organisation, in the middle"
    );
    assert_eq!(graph.nodes.len(), 6);
    assert!(
        closest_people(&graph) > 490.0,
        "five round the circle: {graph:?}"
    );
}
