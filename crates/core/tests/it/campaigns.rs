//! Local campaigns: every field checked by name, old records still read, an edit setting only
//! what was changed, a campaign drafted
//! from a ward's ranked issue, a campaign's page summed up and its log in order, who may make
//! and read campaigns and their actions, and crafted ones naming what their writer cannot
//! see refused.

use crate::support::{
    self, ADMIN, CONSTITUENCY, COUNTRY, HOST, ORGANISER, ORGANISER_2, OTHER_REGION, VOLUNTEER,
    WARD_NORTH, WARD_SOUTH,
};
use organise_core::calendar::Day;
use organise_core::campaigns::{self, Summary};
use organise_core::change::Step;
use organise_core::id::{
    CampaignActionId, CampaignId, ConversationId, IssueId, ListId, MeetingId, OrganisationId,
    PersonId, RecordId, Timestamp, UserId,
};
use organise_core::model::{
    Campaign, CampaignAction, CampaignStatus, Conversation, ConversationKind, Issue, List,
    ListKind, Meeting, MeetingKind, MeetingStatus, Organisation, OrganisationKind, Outcome,
    Relationship, Role,
};
use organise_core::permission::{Actor, Denied, Permissions};
use organise_core::record::Entity;
use organise_core::results::{Listening, Period, Scope};
use organise_core::sync::{Op, Outcome as PushOutcome, RecordKey, ReferenceServer};
use organise_core::{Collection, Element, FieldProblem, Problem, Record, Value};

const NOW: Timestamp = Timestamp(1_790_000_000_000);

const DAMP: IssueId = IssueId::from_u128(0x101);
const BUSES: IssueId = IssueId::from_u128(0x102);
const CAMPAIGN: CampaignId = CampaignId::from_u128(0x201);

fn day(text: &str) -> Day {
    Day::parse(text).expect("a day")
}

/// A campaign in the north ward, with nothing linked yet.
fn campaign() -> Campaign {
    Campaign {
        id: CAMPAIGN,
        area: WARD_NORTH,
        created_by: ORGANISER,
        name: "Dry homes on the estate".into(),
        issues: [DAMP].into(),
        goal: Some("The council repairs every damp flat".into()),
        status: CampaignStatus::Active,
        decider: Some("The council's housing committee".into()),
        deadline: Some(day("2026-09-30")),
        winnable: Some(4),
        people: Default::default(),
        organisations: Default::default(),
        meetings: Default::default(),
        lists: Default::default(),
    }
}

/// The `n`th action of the campaign, logged `n` minutes after [`NOW`].
fn action(n: u128, what: &str, due: Option<&str>, done: bool) -> CampaignAction {
    CampaignAction {
        id: CampaignActionId::from_u128(0x300 + n),
        area: WARD_NORTH,
        created_by: ORGANISER,
        campaign: CAMPAIGN,
        at: Timestamp(NOW.0 + n as i64 * 60_000),
        what: what.into(),
        due: due.map(day),
        done: done.then_some(Timestamp(NOW.0 + 86_400_000)),
    }
}

#[test]
fn a_campaign_is_checked_field_by_field_and_trimmed() {
    let bad = Campaign {
        name: "   ".into(),
        decider: Some("x".repeat(201)),
        winnable: Some(6),
        ..campaign()
    };
    assert_eq!(
        Campaign::from_record(&bad.to_record()),
        Err(vec![
            FieldProblem::new("name", Problem::Empty),
            FieldProblem::new("decider", Problem::TooLong { max: 200 }),
            FieldProblem::new("winnable", Problem::OutOfRange { min: 1, max: 5 }),
        ])
    );
    for winnable in [0, 300, -1] {
        let record = campaign()
            .to_record()
            .with("winnable", Value::Int(winnable));
        assert_eq!(
            Campaign::from_record(&record),
            Err(vec![FieldProblem::new(
                "winnable",
                Problem::OutOfRange { min: 1, max: 5 }
            )]),
            "{winnable}"
        );
    }
    let record = campaign().to_record().with("deadline", "30/09/2026");
    assert_eq!(
        Campaign::from_record(&record),
        Err(vec![FieldProblem::new(
            "deadline",
            Problem::WrongType {
                expected: "a date (YYYY-MM-DD)".into()
            }
        )])
    );
    let tidy = Campaign {
        name: "  Dry homes  ".into(),
        decider: Some("  the housing committee ".into()),
        ..campaign()
    };
    let read = Campaign::from_record(&tidy.to_record()).expect("valid");
    assert_eq!(read.name, "Dry homes");
    assert_eq!(read.decider.as_deref(), Some("the housing committee"));
    let blank = Campaign {
        decider: Some("  ".into()),
        ..campaign()
    };
    assert_eq!(
        Campaign::from_record(&blank.to_record()).unwrap().decider,
        None
    );
    for n in 1..=5 {
        let judged = Campaign {
            winnable: Some(n),
            ..campaign()
        };
        assert_eq!(Campaign::from_record(&judged.to_record()), Ok(judged));
    }
}

#[test]
fn a_campaign_edited_sets_only_what_the_organiser_changed_and_checks_it_first() {
    let opened = campaign();
    // Another device, meanwhile, renamed it and moved it on.
    let now = Campaign {
        name: "Dry homes for every tenant".into(),
        status: CampaignStatus::Won,
        ..campaign()
    };
    let key = RecordKey {
        collection: Collection::Campaign,
        id: CAMPAIGN.0,
    };
    // The organiser kept the name as it was, cleared the goal, gave a deadline and a
    // judgement, and tried to move it into another ward: only what they changed is set,
    // trimmed, each step's before what the campaign now holds.
    let typed = Campaign {
        area: WARD_SOUTH,
        goal: Some("   ".into()),
        decider: Some(" The housing committee ".into()),
        deadline: Some(day("2026-10-31")),
        winnable: Some(2),
        ..campaign()
    };
    let steps = campaigns::edited(&opened, &now, typed).expect("valid");
    let set = |field: &'static str, before: Value, after: Value| Step::Set {
        key,
        field,
        before,
        after,
    };
    assert_eq!(
        steps,
        [
            set(
                "goal",
                Value::Text("The council repairs every damp flat".into()),
                Value::Null
            ),
            set(
                "decider",
                Value::Text("The council's housing committee".into()),
                Value::Text("The housing committee".into())
            ),
            set(
                "deadline",
                day("2026-09-30").into(),
                day("2026-10-31").into()
            ),
            set("winnable", Value::Int(4), Value::Int(2)),
        ]
    );
    assert_eq!(campaigns::edited(&opened, &now, campaign()), Ok(Vec::new()));
    // Every problem by its field, and nothing to save.
    let wrong = Campaign {
        name: "  ".into(),
        winnable: Some(9),
        ..campaign()
    };
    assert_eq!(
        campaigns::edited(&opened, &now, wrong),
        Err(vec![
            FieldProblem::new("name", Problem::Empty),
            FieldProblem::new("winnable", Problem::OutOfRange { min: 1, max: 5 }),
        ])
    );
}

#[test]
fn a_campaign_stored_before_it_had_a_decider_deadline_or_links_still_reads() {
    let old = Record::new(Collection::Campaign, CAMPAIGN.0, WARD_NORTH, ORGANISER)
        .with("name", "Dry homes")
        .with("issues", Value::Ids([DAMP.0].into()))
        .with("goal", Value::Null)
        .with("status", "exploring");
    let read = Campaign::from_record(&old).expect("an old campaign reads");
    assert_eq!(read.decider, None);
    assert_eq!(read.deadline, None);
    assert_eq!(read.winnable, None);
    assert!(read.people.is_empty() && read.organisations.is_empty());
    assert!(read.meetings.is_empty() && read.lists.is_empty());
    assert_eq!(
        Collection::Campaign.set_fields(),
        ["issues", "people", "organisations", "meetings", "lists"]
    );
}

#[test]
fn an_action_needs_what_was_done_and_is_filed_in_its_campaigns_area() {
    let bad = CampaignAction {
        what: " \n ".into(),
        ..action(1, "x", None, false)
    };
    assert_eq!(
        CampaignAction::from_record(&bad.to_record()),
        Err(vec![FieldProblem::new("what", Problem::Empty)])
    );
    let long = action(1, &"x".repeat(201), None, false);
    assert_eq!(
        long.validate(),
        vec![FieldProblem::new("what", Problem::TooLong { max: 200 })]
    );
    let made = campaigns::new_action(
        &Campaign {
            area: WARD_SOUTH,
            ..campaign()
        },
        CampaignActionId::from_u128(0x399),
        ORGANISER,
        NOW,
        "  Deliver the petition ",
        Some(day("2026-06-01")),
    )
    .expect("valid");
    assert_eq!(made.area, WARD_SOUTH, "the campaign's area");
    assert_eq!(made.campaign, CAMPAIGN);
    assert_eq!(made.what, "Deliver the petition");
    assert_eq!(made.done, None);
    assert_eq!(
        campaigns::new_action(&campaign(), made.id, ORGANISER, NOW, "", None),
        Err(vec![FieldProblem::new("what", Problem::Empty)])
    );
    assert_eq!(
        CampaignAction::from_record(&made.to_record()).as_ref(),
        Ok(&made)
    );
}

fn conversation(n: u128, area: organise_core::id::AreaId, issues: &[IssueId]) -> Record {
    Conversation {
        id: ConversationId::from_u128(0x400 + n),
        area,
        created_by: VOLUNTEER,
        kind: ConversationKind::Doorstep,
        by: VOLUNTEER,
        person: PersonId::from_u128(0x500 + n),
        at: NOW,
        outcome: Outcome::Held,
        issues: issues.iter().copied().collect(),
        interests: Default::default(),
        notes: None,
        follow_ups: Vec::new(),
        list: None,
    }
    .to_record()
}

#[test]
fn a_campaign_starts_from_a_wards_top_ranked_issue() {
    let issue = |id, name: &str| {
        Issue {
            id,
            area: CONSTITUENCY,
            created_by: ORGANISER,
            name: name.into(),
            parent: None,
        }
        .to_record()
    };
    let mut records: Vec<Record> = support::areas().iter().map(Entity::to_record).collect();
    records.extend([
        issue(DAMP, "Damp and mould"),
        issue(BUSES, "Buses"),
        conversation(1, WARD_NORTH, &[DAMP]),
        conversation(2, WARD_NORTH, &[DAMP, BUSES]),
        conversation(3, WARD_NORTH, &[BUSES]),
        conversation(4, WARD_NORTH, &[DAMP]),
        conversation(5, WARD_SOUTH, &[BUSES]),
        conversation(6, CONSTITUENCY, &[BUSES]),
    ]);
    let listening = Listening::from_records(&records);
    let wards = listening.issues_by_ward(Scope {
        period: Period::ALL,
        area: CONSTITUENCY,
    });
    let north = wards
        .iter()
        .find(|w| w.ward == Some(WARD_NORTH))
        .expect("the north ward");
    let top = &north.issues[0];
    assert_eq!((top.issue, top.conversations), (DAMP, 3));
    let id = CampaignId::from_u128(0x2FF);
    let draft = campaigns::from_issue(north, top, id, ORGANISER).expect("a ward");
    assert_eq!(
        draft,
        Campaign {
            id,
            area: WARD_NORTH,
            created_by: ORGANISER,
            name: "Damp and mould".into(),
            issues: [DAMP].into(),
            goal: None,
            status: CampaignStatus::Exploring,
            decider: None,
            deadline: None,
            winnable: None,
            people: Default::default(),
            organisations: Default::default(),
            meetings: Default::default(),
            lists: Default::default(),
        }
    );
    assert!(draft.validate().is_empty(), "{:?}", draft.validate());
    // Conversations held above ward level have no ward to fight in.
    let no_ward = wards.iter().find(|w| w.ward.is_none()).expect("no ward");
    assert_eq!(
        campaigns::from_issue(no_ward, &no_ward.issues[0], id, ORGANISER),
        None
    );
}

#[test]
fn a_campaigns_page_counts_what_it_gathers_and_its_actions_done_to_do_and_overdue() {
    let linked = Campaign {
        people: [PersonId::from_u128(0x501), PersonId::from_u128(0x502)].into(),
        organisations: [OrganisationId::from_u128(0x601)].into(),
        meetings: [MeetingId::from_u128(0x701)].into(),
        lists: [ListId::from_u128(0x801), ListId::from_u128(0x802)].into(),
        ..campaign()
    };
    let today = day("2026-05-10");
    let actions = vec![
        action(1, "Door-knocked the estate", None, true),
        action(2, "Petition to the committee", Some("2026-05-20"), false),
        action(3, "Ask for the repair log", Some("2026-05-01"), false),
        action(4, "Meet the councillor", Some("2026-05-09"), false),
        // Due today: not overdue yet.
        action(5, "Book the hall", Some("2026-05-10"), false),
        // Done late: done, not overdue.
        action(6, "Photograph the damp", Some("2026-04-01"), true),
        action(7, "Find a lawyer", None, false),
        // Another campaign's.
        CampaignAction {
            campaign: CampaignId::from_u128(0x2AA),
            ..action(8, "Elsewhere", Some("2026-01-01"), false)
        },
    ];
    let summary = Summary::of(&linked, &actions, today);
    let overdue: Vec<&str> = summary.overdue.iter().map(|a| a.what.as_str()).collect();
    assert_eq!(
        (
            summary.people,
            summary.organisations,
            summary.meetings,
            summary.lists
        ),
        (2, 1, 1, 2)
    );
    assert_eq!((summary.done, summary.to_do), (2, 5));
    assert_eq!(overdue, ["Ask for the repair log", "Meet the councillor"]);
    assert_eq!(summary.status, CampaignStatus::Active);
    assert!(!summary.deadline_passed);
    let late = Summary::of(&linked, &[], day("2026-10-01"));
    assert!(late.deadline_passed);
    assert_eq!((late.done, late.to_do), (0, 0));
    let won = Campaign {
        status: CampaignStatus::Won,
        ..linked.clone()
    };
    assert!(
        !Summary::of(&won, &[], day("2026-10-01")).deadline_passed,
        "a won campaign's deadline is no longer a worry"
    );
    let log: Vec<&str> = campaigns::log(CAMPAIGN, &actions)
        .iter()
        .map(|a| a.what.as_str())
        .collect();
    assert_eq!(
        log,
        [
            "Ask for the repair log",
            "Meet the councillor",
            "Book the hall",
            "Petition to the committee",
            "Find a lawyer",
            "Photograph the damp",
            "Door-knocked the estate",
        ]
    );
}

#[test]
fn campaigns_and_their_actions_are_made_by_organisers_of_the_area_and_read_near_it() {
    let tree = support::tree();
    let records = [
        campaign().to_record(),
        action(1, "Petition", None, false).to_record(),
    ];
    let cases = [
        (
            "organiser of the constituency",
            Actor::with_roles(ORGANISER, [(Role::Organiser, CONSTITUENCY)]),
            Ok(()),
            true,
        ),
        (
            "admin of the country",
            Actor::with_roles(ADMIN, [(Role::Admin, COUNTRY)]),
            Ok(()),
            true,
        ),
        (
            "volunteer in the ward",
            Actor::with_roles(VOLUNTEER, [(Role::Volunteer, WARD_NORTH)]),
            Err(Denied::OrganiserOnly),
            true,
        ),
        (
            "host in the ward",
            Actor::with_roles(HOST, [(Role::Host, WARD_NORTH)]),
            Err(Denied::OrganiserOnly),
            true,
        ),
        (
            "organiser of the other ward",
            Actor::with_roles(UserId::from_u128(0xB9), [(Role::Organiser, WARD_SOUTH)]),
            Err(Denied::OrganiserOnly),
            false,
        ),
        (
            "organiser of the other region",
            Actor::with_roles(ORGANISER_2, [(Role::Organiser, OTHER_REGION)]),
            Err(Denied::OrganiserOnly),
            false,
        ),
    ];
    for (who, actor, makes, reads) in cases {
        let rules = Permissions::new(&actor, &tree);
        for record in &records {
            let what = record.collection;
            assert_eq!(
                rules.can_apply(&support::create(record), None),
                makes,
                "{who} makes a {what}"
            );
            assert_eq!(
                rules
                    .can_apply(
                        &support::set(record, "status", Value::Text("won".into())),
                        Some(record)
                    )
                    .is_ok(),
                makes.is_ok(),
                "{who} edits a {what}"
            );
            assert_eq!(
                rules
                    .can_apply(&support::delete(record), Some(record))
                    .is_ok(),
                makes.is_ok(),
                "{who} deletes a {what}"
            );
            assert_eq!(rules.can_read(record), reads, "{who} reads a {what}");
        }
    }
}

/// A push by `user` of `ops`, each mutation's outcome.
fn push(server: &mut ReferenceServer, user: UserId, ops: Vec<(RecordKey, Op)>) -> Vec<PushOutcome> {
    support::push_as(server, user, ops)
}

fn applied(outcomes: &[PushOutcome]) {
    for outcome in outcomes {
        assert!(
            matches!(outcome, PushOutcome::Applied { .. }),
            "{outcomes:?}"
        );
    }
}

fn key(record: &Record) -> RecordKey {
    RecordKey {
        collection: record.collection,
        id: record.id,
    }
}

#[test]
fn a_crafted_campaign_names_nothing_its_writer_cannot_see_and_its_actions_sit_with_it() {
    let mut server = ReferenceServer::seeded(support::seed());
    // The issue is not on the server: these campaigns take none on.
    let campaign = || Campaign {
        issues: Default::default(),
        ..campaign()
    };
    // What the other region's organiser holds there, out of the constituency organiser's
    // sight: a person, an organisation, a meeting, a list and a campaign.
    let n = |i: u128| RecordId::from_u128(0x900 + i);
    let far_person = support::person(n(1), "Faye Example", OTHER_REGION, ORGANISER_2);
    let far_organisation = Organisation {
        id: OrganisationId(n(2)),
        area: OTHER_REGION,
        created_by: ORGANISER_2,
        name: "Synthetic Southern Tenants".into(),
        kind: OrganisationKind::TenantsAssociation,
        relationship: Relationship::Met,
        notes: None,
    }
    .to_record();
    let far_meeting = Meeting {
        id: MeetingId(n(3)),
        area: OTHER_REGION,
        created_by: ORGANISER_2,
        kind: MeetingKind::HouseMeeting,
        title: "Synthetic house meeting".into(),
        host: ORGANISER_2,
        speaker: None,
        place: "A synthetic kitchen".into(),
        starts: NOW,
        ends: None,
        capacity: None,
        campaign: None,
        status: MeetingStatus::Approved,
        grew_from: None,
        from_conversation: None,
    }
    .to_record();
    let far_list = List {
        id: ListId(n(4)),
        area: OTHER_REGION,
        created_by: ORGANISER_2,
        name: "Synthetic southern walk".into(),
        kind: ListKind::Walk,
        members: [PersonId(far_person.id)].into(),
        assignees: Default::default(),
        campaign: None,
        script: None,
        survey: None,
    }
    .to_record();
    let far_campaign = Campaign {
        id: CampaignId(n(5)),
        area: OTHER_REGION,
        created_by: ORGANISER_2,
        people: [PersonId(far_person.id)].into(),
        ..campaign()
    }
    .to_record();
    applied(&push(
        &mut server,
        ORGANISER_2,
        [
            &far_person,
            &far_organisation,
            &far_meeting,
            &far_list,
            &far_campaign,
        ]
        .map(support::creating)
        .into(),
    ));
    // The constituency organiser's own campaign, with someone of their own in it.
    let ann = support::person(n(6), "Ann Example", WARD_NORTH, ORGANISER);
    let own = Campaign {
        people: [PersonId(ann.id)].into(),
        ..campaign()
    }
    .to_record();
    applied(&push(
        &mut server,
        ORGANISER,
        vec![support::creating(&ann), support::creating(&own)],
    ));
    let unknown = |field: &str| vec![FieldProblem::new(field, Problem::UnknownReference)];
    for (field, far) in [
        ("people", far_person.id),
        ("organisations", far_organisation.id),
        ("meetings", far_meeting.id),
        ("lists", far_list.id),
    ] {
        // A new campaign naming it…
        let crafted = campaign().to_record().with(field, Value::Ids([far].into()));
        let crafted = Record {
            id: RecordId::from_u128(0x2F0),
            ..crafted
        };
        let outcomes = push(&mut server, ORGANISER, vec![support::creating(&crafted)]);
        assert_eq!(
            support::refused_for(&outcomes[0]),
            unknown(field),
            "{field}"
        );
        // …and it added to their own.
        let added = Op::AddToSet {
            field: field.into(),
            element: Element::Id(far),
        };
        let outcomes = push(&mut server, ORGANISER, vec![(key(&own), added)]);
        assert_eq!(
            support::refused_for(&outcomes[0]),
            unknown(field),
            "{field}"
        );
    }
    // An action on the other region's campaign, filed in the organiser's own ward.
    let stray = CampaignAction {
        campaign: CampaignId(far_campaign.id),
        ..action(1, "Petition", None, false)
    }
    .to_record();
    let outcomes = push(&mut server, ORGANISER, vec![support::creating(&stray)]);
    assert_eq!(support::refused_for(&outcomes[0]), unknown("campaign"));
    // An action on their own campaign, filed in another ward than the campaign's.
    let elsewhere = CampaignAction {
        area: WARD_SOUTH,
        ..action(2, "Petition", None, false)
    }
    .to_record();
    let outcomes = push(&mut server, ORGANISER, vec![support::creating(&elsewhere)]);
    assert_eq!(
        support::refused_for(&outcomes[0]),
        vec![FieldProblem::new(
            "area",
            Problem::AreaMismatch {
                other: "campaign".into()
            }
        )]
    );
    // As it should be: applied, and read by the ward's volunteer with the campaign.
    let good = action(3, "Petition", Some("2026-06-01"), false).to_record();
    applied(&push(
        &mut server,
        ORGANISER,
        vec![support::creating(&good)],
    ));
    let held = server.visible_to(VOLUNTEER).0;
    assert!(held.contains_key(&key(&own)));
    assert!(held.contains_key(&key(&good)));
    assert!(!held.contains_key(&key(&far_campaign)));
    // Erasing Ann takes her out of the campaign, which stays.
    server.erase(ADMIN, PersonId(ann.id)).expect("erased");
    let held = server.visible_to(ADMIN).0;
    assert_eq!(
        held.get(&key(&own))
            .map(|r| r.to_record().get("people").clone()),
        Some(Value::Ids(Default::default())),
    );
}
