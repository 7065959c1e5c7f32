//! Meetings through real pushes and pulls: a volunteer's proposal waits for an organiser, a
//! trusted host's meeting is approved as it is made, a host changes only their meeting's
//! time and place, counts someone under 16 with no person, and reaches no meeting, person or
//! issue beyond their own.

use std::collections::BTreeSet;

use organise_core::area::{Area, AreaTree};
use organise_core::id::{AreaId, IssueId, MeetingId, PersonId, RecordId, Timestamp};
use organise_core::meetings::{
    MeetingDraft, Returning, SignInDraft, SignedIn, Turnout, invite_steps,
};
use organise_core::model::{
    Anonymous, Attendance, AttendanceStatus, ConsentTopic, Meeting, MeetingKind, MeetingStatus,
    Person,
};
use organise_core::permission::Denied;
use organise_core::record::{Collection, Element, Entity, Record, Value};
use organise_core::sync::replica::Replica;
use organise_core::sync::wire::{RecordKey, Rejection};
use organise_core::validate::{FieldProblem, Problem};

use crate::support::{Client, START, TestApp, person};
use crate::ward::{DAY, Ward, all_applied, fresh, phone, send, session, ward};

fn key(meeting: MeetingId) -> RecordKey {
    RecordKey {
        collection: Collection::Meeting,
        id: meeting.0,
    }
}

fn tree(phone: &Replica) -> AreaTree {
    AreaTree::new(&phone.all::<Area>())
}

/// The new meeting form, filled in for a house meeting in `area` a week from the start.
fn house_meeting(area: AreaId) -> MeetingDraft {
    MeetingDraft {
        kind: MeetingKind::HouseMeeting,
        title: "Synthetic house meeting about repairs".into(),
        place: "A synthetic front room".into(),
        starts: Some(Timestamp(START.0 + 7 * DAY)),
        ends: Some(Timestamp(START.0 + 7 * DAY + 90 * 60 * 1000)),
        capacity: "12".into(),
        area: Some(area),
        campaign: None,
        grew_from: None,
    }
}

/// `client` makes a meeting on the new meeting form, as their phone does, and pushes it; it
/// must apply.
async fn make_meeting(
    app: &TestApp,
    client: &Client,
    phone: &mut Replica,
    draft: &MeetingDraft,
) -> Meeting {
    let meeting = draft
        .meeting(
            MeetingId(fresh()),
            &session(app, client).await,
            &tree(phone),
        )
        .expect("the form makes a meeting");
    phone.create(&meeting.to_record()).unwrap();
    all_applied(app, client, phone).await;
    meeting
}

fn refused(reason: Denied) -> Rejection {
    Rejection::Unauthorised { reason }
}

fn unknown(field: &'static str) -> Rejection {
    Rejection::Invalid {
        problems: vec![FieldProblem::new(field, Problem::UnknownReference)],
    }
}

/// Someone under 16 signing in at `meeting`: counted, nothing kept.
fn under_16(meeting: &Meeting, by: &Client) -> Record {
    let draft = SignInDraft {
        under_16: true,
        ..SignInDraft::default()
    };
    let (signed_in, steps) = draft
        .steps(
            meeting,
            None,
            &Turnout::default(),
            by.user,
            Timestamp(meeting.starts.0 + 60_000),
            fresh,
        )
        .unwrap();
    assert_eq!(signed_in, SignedIn::Counted(Anonymous::UnderSixteen));
    match steps.as_slice() {
        [organise_core::change::Step::Created(record)] => record.clone(),
        other => panic!("an under-16 sign-in is one attendance: {other:?}"),
    }
}

#[tokio::test]
async fn a_volunteers_proposal_waits_until_their_organiser_approves_it() {
    let Ward {
        app,
        clissold,
        organiser,
        volunteer,
        ..
    } = ward().await;
    let mut theirs = phone(&app, &volunteer).await;
    let proposal = make_meeting(&app, &volunteer, &mut theirs, &house_meeting(clissold)).await;
    assert_eq!(
        proposal.status,
        MeetingStatus::Proposed,
        "the form proposes a volunteer's meeting"
    );

    // A crafted push making it approved, or hosted by someone else, is refused; so is
    // approving their own proposal afterwards.
    theirs
        .create(
            &Meeting {
                id: MeetingId(fresh()),
                status: MeetingStatus::Approved,
                ..proposal.clone()
            }
            .to_record(),
        )
        .unwrap();
    theirs
        .create(
            &Meeting {
                id: MeetingId(fresh()),
                host: organiser.user,
                ..proposal.clone()
            }
            .to_record(),
        )
        .unwrap();
    theirs
        .set_field(key(proposal.id), "status", MeetingStatus::Approved.into())
        .unwrap();
    assert_eq!(
        send(&app, &volunteer, &mut theirs).await,
        [
            refused(Denied::OutsideScope),
            refused(Denied::OutsideScope),
            refused(Denied::OrganiserOnly),
        ]
    );

    // The ward's organiser sees the proposal and approves it.
    let mut desk = phone(&app, &organiser).await;
    let held: Vec<Meeting> = desk.all();
    assert_eq!(held.len(), 1, "only the proposal was made: {held:?}");
    assert_eq!(held[0].status, MeetingStatus::Proposed);
    desk.set_field(key(proposal.id), "status", MeetingStatus::Approved.into())
        .unwrap();
    all_applied(&app, &organiser, &mut desk).await;

    // The volunteer's next pull shows it approved, and nothing else changed.
    volunteer.pull_all(&app, &mut theirs).await;
    let now: Meeting = theirs.one(proposal.id.0).expect("their meeting");
    assert_eq!(
        now,
        Meeting {
            status: MeetingStatus::Approved,
            ..proposal
        }
    );
    assert_eq!(theirs.all::<Meeting>().len(), 1);
    app.remove().await;
}

#[tokio::test]
async fn a_trusted_host_makes_an_approved_meeting_and_changes_only_its_time_and_place() {
    let Ward {
        app,
        clissold,
        organiser,
        host,
        ..
    } = ward().await;
    let mut theirs = phone(&app, &host).await;
    let meeting = make_meeting(&app, &host, &mut theirs, &house_meeting(clissold)).await;
    assert_eq!(
        meeting.status,
        MeetingStatus::Approved,
        "no approval needed"
    );

    let later = Timestamp(meeting.starts.0 + DAY);
    let edits = [
        ("place", Value::Text("A synthetic community hall".into())),
        // The end first: a start after the end is refused on the phone already.
        ("ends", Value::Time(Timestamp(later.0 + 2 * 60 * 60 * 1000))),
        ("starts", Value::Time(later)),
        ("title", Value::Text("A title only organisers set".into())),
        ("status", MeetingStatus::Cancelled.into()),
        ("kind", MeetingKind::PublicMeeting.into()),
        ("host", Value::Id(organiser.user.0)),
        ("capacity", Value::Int(40)),
    ];
    for (field, value) in &edits {
        theirs
            .set_field(key(meeting.id), field, value.clone())
            .unwrap();
    }
    assert_eq!(
        send(&app, &host, &mut theirs).await,
        vec![refused(Denied::OrganiserOnly); 5],
        "title, status, kind, host and capacity are the organisers'"
    );

    let desk = phone(&app, &organiser).await;
    let now: Meeting = desk.one(meeting.id.0).unwrap();
    assert_eq!(
        now,
        Meeting {
            place: "A synthetic community hall".into(),
            starts: later,
            ends: Some(Timestamp(later.0 + 2 * 60 * 60 * 1000)),
            ..meeting
        }
    );
    app.remove().await;
}

#[tokio::test]
async fn a_host_counts_someone_under_16_but_names_nobody_they_cannot_see() {
    let Ward {
        app,
        clissold,
        organiser,
        host,
        ..
    } = ward().await;
    let mut theirs = phone(&app, &host).await;
    let meeting = make_meeting(&app, &host, &mut theirs, &house_meeting(clissold)).await;

    // Someone under 16 is counted with no person; a walk-in who agrees to be texted becomes
    // a person met at the meeting.
    theirs.create(&under_16(&meeting, &host)).unwrap();
    let walk_in = SignInDraft {
        name: "Rowan Example".into(),
        phone: "07700 900123".into(),
        consents: [ConsentTopic::Sms].into(),
        would_host: true,
        ..SignInDraft::default()
    };
    let (signed_in, steps) = walk_in
        .steps(
            &meeting,
            None,
            &Turnout::default(),
            host.user,
            Timestamp(meeting.starts.0 + 120_000),
            fresh,
        )
        .unwrap();
    let SignedIn::New(rowan) = signed_in else {
        panic!("a walk-in with consent is someone new: {signed_in:?}");
    };
    organise_core::change::make(&steps, &mut theirs).unwrap();
    all_applied(&app, &host, &mut theirs).await;

    // Someone the organiser added in the ward is beyond the host's reach: an attendance
    // naming them is refused before anything else is looked at.
    let mut desk = phone(&app, &organiser).await;
    let sam = person("Sam Sample", clissold, organiser.user);
    desk.create(&sam).unwrap();
    all_applied(&app, &organiser, &mut desk).await;
    let turnout = Turnout::of(&meeting, &theirs.all::<Attendance>(), START);
    let invite = invite_steps(&meeting, PersonId(sam.id), &turnout, host.user, fresh()).unwrap();
    organise_core::change::make(&invite, &mut theirs).unwrap();
    assert_eq!(
        send(&app, &host, &mut theirs).await,
        [refused(Denied::OutsideScope)]
    );
    host.pull_all(&app, &mut theirs).await;
    assert!(theirs.one::<Person>(sam.id).is_none(), "still out of reach");

    // Once the organiser invites them to the host's meeting, the host sees them, and may
    // record their attendance.
    organiser.pull_all(&app, &mut desk).await;
    let turnout = Turnout::of(&meeting, &desk.all::<Attendance>(), START);
    let invite = invite_steps(
        &meeting,
        PersonId(sam.id),
        &turnout,
        organiser.user,
        fresh(),
    )
    .unwrap();
    organise_core::change::make(&invite, &mut desk).unwrap();
    all_applied(&app, &organiser, &mut desk).await;
    host.pull_all(&app, &mut theirs).await;
    let sam: Person = theirs.one(sam.id).expect("an invited attendee is in reach");
    let (signed_in, steps) = SignInDraft::default()
        .steps(
            &meeting,
            Some(Returning::Known(&sam)),
            &Turnout::of(&meeting, &theirs.all::<Attendance>(), START),
            host.user,
            Timestamp(meeting.starts.0 + 180_000),
            fresh,
        )
        .unwrap();
    assert_eq!(signed_in, SignedIn::Welcomed(sam.id));
    organise_core::change::make(&steps, &mut theirs).unwrap();
    all_applied(&app, &host, &mut theirs).await;

    // The organiser's count: three came, one of them under 16 and kept as nobody at all,
    // one walked in and offered to host.
    organiser.pull_all(&app, &mut desk).await;
    let attendances: Vec<Attendance> = desk.all();
    assert_eq!(attendances.len(), 4, "{attendances:?}");
    let counted: Vec<&Attendance> = attendances.iter().filter(|a| a.person.is_none()).collect();
    assert_eq!(counted.len(), 1);
    assert_eq!(counted[0].anonymous, Some(Anonymous::UnderSixteen));
    assert_eq!(counted[0].status, AttendanceStatus::Attended);
    assert!(!counted[0].would_host && counted[0].issues.is_empty());
    let after = Timestamp(meeting.starts.0 + DAY);
    let turnout = Turnout::of(&meeting, &attendances, after);
    assert_eq!(
        (turnout.came, turnout.under_16, turnout.walk_ins),
        (3, 1, 2)
    );
    assert_eq!(turnout.would_host, 1);
    assert!(turnout.has_come(rowan) && turnout.has_come(sam.id));
    app.remove().await;
}

#[tokio::test]
async fn a_host_reaches_no_meeting_issue_or_person_in_another_ward_or_region() {
    let Ward {
        app,
        clissold,
        organiser,
        host,
        ..
    } = ward().await;
    let stoke_newington = app.area("Stoke Newington").await;
    let wales = app.area("Wales").await;
    let neighbour = app
        .user("neighbour@test.organise.invalid", "host", "Stoke Newington")
        .await;
    let welsh = app
        .user("gwesteiwr@test.organise.invalid", "host", "Wales")
        .await;

    // A meeting in each place, each with someone under 16 counted; a Welsh issue.
    let mut theirs = phone(&app, &host).await;
    let ours = make_meeting(&app, &host, &mut theirs, &house_meeting(clissold)).await;
    let counted = under_16(&ours, &host);
    theirs.create(&counted).unwrap();
    all_applied(&app, &host, &mut theirs).await;
    let mut next_door = phone(&app, &neighbour).await;
    let theirs_next_door = make_meeting(
        &app,
        &neighbour,
        &mut next_door,
        &house_meeting(stoke_newington),
    )
    .await;
    let mut cymru = phone(&app, &welsh).await;
    let in_wales = make_meeting(&app, &welsh, &mut cymru, &house_meeting(wales)).await;
    let welsh_issue = Record::new(Collection::Issue, fresh(), wales, welsh.user)
        .with("name", "Synthetic Welsh bus routes");
    cymru.create(&welsh_issue).unwrap();
    all_applied(&app, &welsh, &mut cymru).await;

    // The hosts next door and in Wales pull nothing of the Clissold meeting.
    for (client, phone) in [(&neighbour, &mut next_door), (&welsh, &mut cymru)] {
        client.pull_all(&app, phone).await;
        let meetings: BTreeSet<MeetingId> = phone.all::<Meeting>().iter().map(|m| m.id).collect();
        assert_eq!(meetings.len(), 1, "only their own: {meetings:?}");
        assert!(!meetings.contains(&ours.id));
        assert!(
            phone.all::<Attendance>().is_empty(),
            "nobody's attendance at the Clissold meeting"
        );
    }

    // Neither may count anyone at it: filed where the meeting is, outside their roles; filed
    // in their own area, naming a meeting they cannot see.
    for (client, phone, home) in [
        (&neighbour, &mut next_door, stoke_newington),
        (&welsh, &mut cymru, wales),
    ] {
        let at_ours = under_16(&ours, client);
        phone.create(&at_ours).unwrap();
        phone
            .create(&Record {
                id: fresh(),
                area: home,
                ..at_ours
            })
            .unwrap();
        assert_eq!(
            send(&app, client, phone).await,
            [refused(Denied::OutsideScope), unknown("meeting")]
        );
    }

    // The Clissold host names a Welsh issue at their own meeting (on a new attendance, and
    // added to one they recorded), and a meeting that grew from one next door or in Wales:
    // each an unknown reference.
    let mut with_welsh_issue = under_16(&ours, &host);
    with_welsh_issue
        .fields
        .insert("issues".into(), Value::Ids([welsh_issue.id].into()));
    theirs.create(&with_welsh_issue).unwrap();
    theirs
        .add_to_set(
            RecordKey {
                collection: Collection::Attendance,
                id: counted.id,
            },
            "issues",
            Element::Id(welsh_issue.id),
        )
        .unwrap();
    for from in [theirs_next_door.id, in_wales.id] {
        let grown = MeetingDraft {
            grew_from: Some(from),
            ..house_meeting(clissold)
        };
        let grown = grown
            .meeting(
                MeetingId(fresh()),
                &session(&app, &host).await,
                &tree(&theirs),
            )
            .unwrap();
        theirs.create(&grown.to_record()).unwrap();
    }
    let refusals = send(&app, &host, &mut theirs).await;
    assert_eq!(
        refusals,
        [
            unknown("issues"),
            unknown("issues"),
            unknown("grew_from"),
            unknown("grew_from"),
        ]
    );

    // Nor may their organiser point the meeting at Wales after the fact.
    let mut desk = phone(&app, &organiser).await;
    desk.set_field(key(ours.id), "grew_from", Value::Id(in_wales.id.0))
        .unwrap();
    assert_eq!(
        send(&app, &organiser, &mut desk).await,
        [unknown("grew_from")]
    );

    // What the Clissold host pulls holds nothing from next door or Wales.
    let fresh_phone = phone(&app, &host).await;
    let foreign: BTreeSet<RecordId> = [theirs_next_door.id.0, in_wales.id.0, welsh_issue.id].into();
    let leaked: Vec<_> = fresh_phone
        .confirmed()
        .keys()
        .filter(|k| foreign.contains(&k.id))
        .collect();
    assert!(leaked.is_empty(), "{leaked:?}");
    let meeting: Meeting = fresh_phone.one(ours.id.0).unwrap();
    assert_eq!(meeting.grew_from, None);
    let issues: BTreeSet<IssueId> = fresh_phone
        .all::<Attendance>()
        .into_iter()
        .flat_map(|a| a.issues)
        .collect();
    assert!(issues.is_empty(), "{issues:?}");
    app.remove().await;
}
