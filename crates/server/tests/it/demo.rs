//! The demo (`serve --demo`): a campaign under way in its synthetic constituency. Its printed
//! volunteer signs in and receives their walk lists, one worked and one not, with the
//! conversations on them and nothing beyond their reach; its organiser's results open on a
//! constituency with issues raised this week and stories behind them; every record is one the
//! app could have made; its volunteer hosted a house meeting last week, its organiser has a
//! launch meeting coming and another volunteer's proposal to approve; its organiser's *My
//! week* opens on weeks of one-to-ones and next steps due; its ladder has people moved up
//! it, lately and before; its community map has organisations at every stage with their
//! leaders and contacts, ties between people and gaps; and the same day makes the same
//! campaign.

use std::collections::{BTreeMap, BTreeSet};

use organise_core::area::{Area, AreaTree};
use organise_core::calendar::{Day, london_day};
use organise_core::canvass::Walk;
use organise_core::community;
use organise_core::id::{ListId, MeetingId, PersonId, Timestamp, UserId};
use organise_core::ladder::{self, RECENT_DAYS};
use organise_core::meetings::Turnout;
use organise_core::model::{
    Anonymous, Attendance, AttendanceStatus, Conversation, ConversationKind, DEFAULT_WEEKLY_TARGET,
    Issue, LadderMove, Link, LinkKind, List, Meeting, MeetingKind, MeetingStatus, OneToOne,
    OneToOneKind, Organisation, OrganisationKind, Outcome, Person, Relationship, Role, Rung, Story,
    WeeklyTarget,
};
use organise_core::organising::{Due, MyWeek, TREND_WEEKS, my_week};
use organise_core::record::{Choice, Collection, Entity, Record};
use organise_core::results::{Listening, Period, Scope};
use organise_core::session::{SessionInfo, SessionUser};
use organise_core::sync::replica::Replica;
use organise_server::demo::{DEMO_POPULATION, DemoLogin};

use crate::support::{Client, START, TestApp, replica};

const DAY: i64 = 24 * 60 * 60 * 1000;

/// Signs in with `login` through the API and returns the client and the session's user.
async fn sign_in(app: &TestApp, login: &DemoLogin) -> (Client, SessionUser) {
    let (cookie, csrf) = app.sign_in(&login.email, &login.password).await;
    let client = Client {
        cookie,
        csrf,
        user: UserId::from_u128(0),
    };
    let session = client.get(app, "/api/session").await;
    let info: SessionInfo = serde_json::from_slice(&session.body).unwrap();
    let user = info.user.id;
    (Client { user, ..client }, info.user)
}

/// A new phone for `client`, caught up with everything they may see.
async fn phone(app: &TestApp, client: &Client) -> Replica {
    let mut phone = replica(client);
    client.pull_all(app, &mut phone).await;
    phone
}

/// How many of `list`'s doors are done, as its screen counts them.
fn doors_done(phone: &Replica, list: ListId) -> usize {
    let walk = Walk::read(phone, list).expect("the list is on the phone");
    walk.progress(phone).done(&walk)
}

#[tokio::test]
async fn the_demo_volunteer_signs_in_and_receives_their_lists_one_under_way_one_not() {
    let (app, demo) = TestApp::with_demo().await;
    let text = demo.logins_text();
    assert!(text.contains(&format!("volunteer email: {}\n", demo.volunteer.email)));
    assert!(text.contains(&format!(
        "volunteer password: {}\n",
        demo.volunteer.password
    )));
    assert!(text.contains(&format!("organiser email: {}\n", demo.organiser.email)));

    let (volunteer, user) = sign_in(&app, &demo.volunteer).await;
    assert_eq!(user.display_name, "Demo Volunteer");
    assert_eq!(user.roles.len(), 1);
    assert_eq!(user.roles[0].role, Role::Volunteer);
    let phone = phone(&app, &volunteer).await;
    let lists: Vec<List> = phone.all();
    assert!(lists.len() >= 2, "{} lists", lists.len());
    assert!(lists.iter().all(|l| l.assignees.contains(&volunteer.user)));
    let done: Vec<usize> = lists.iter().map(|l| doors_done(&phone, l.id)).collect();
    assert!(done.iter().any(|&n| n > 5), "a list under way: {done:?}");
    assert!(done.contains(&0), "a list not started: {done:?}");
    let conversations: Vec<Conversation> = phone.all();
    assert!(
        conversations
            .iter()
            .any(|c| c.by == volunteer.user && c.outcome == Outcome::Held)
    );
    let stories: Vec<Story> = phone.all();
    assert!(!stories.is_empty(), "the stories they recorded");

    // Nothing beyond their reach: their lists' people (and anyone they met at a door or
    // signed in at their meeting), the conversations about those people, and only the
    // stories they recorded.
    let members: BTreeSet<PersonId> = lists.iter().flat_map(|l| l.members.clone()).collect();
    let people: Vec<Person> = phone.all();
    assert!(
        people
            .iter()
            .all(|p| members.contains(&p.id) || p.created_by == volunteer.user)
    );
    let reached: BTreeSet<PersonId> = people.iter().map(|p| p.id).collect();
    assert!(conversations.iter().all(|c| reached.contains(&c.person)));
    assert!(conversations.len() < demo.campaign.conversations);
    assert!(stories.iter().all(|s| s.created_by == volunteer.user));
    assert!(
        phone.all::<OneToOne>().is_empty(),
        "an organiser's one-to-ones are not a volunteer's to read"
    );
    assert!(
        phone.all::<LadderMove>().is_empty(),
        "nor are the moves up the ladder of the people they knock"
    );
    assert_eq!(phone.all::<Rung>().len(), ladder::DEFAULT_LADDER.len());
    assert!(
        phone.all::<Organisation>().is_empty() && phone.all::<Link>().is_empty(),
        "nor is the community map, not even the links of the people they knock"
    );
    app.remove().await;
}

#[tokio::test]
async fn the_demo_organiser_opens_results_on_issues_raised_this_week_and_the_stories_behind_them() {
    let (app, demo) = TestApp::with_demo().await;
    let (organiser, user) = sign_in(&app, &demo.organiser).await;
    assert_eq!(user.display_name, "Demo Organiser");
    let phone = phone(&app, &organiser).await;
    let counts = demo.campaign;
    assert_eq!(phone.all::<List>().len(), counts.lists);
    assert_eq!(phone.all::<Conversation>().len(), counts.conversations);
    assert_eq!(phone.all::<Story>().len(), counts.stories);
    assert!(counts.lists >= 6, "{counts:?}");
    assert!(counts.conversations >= 200, "{counts:?}");
    assert!(counts.held >= 50, "{counts:?}");
    assert!(counts.stories >= 10, "{counts:?}");

    // What the results screen reads, and the area it opens on: the first the user may choose.
    let mut records: Vec<Record> = Listening::COLLECTIONS
        .into_iter()
        .flat_map(|collection| phone.visible_of(collection).into_values())
        .collect();
    records.extend(phone.visible_of(Collection::Person).into_values());
    let listening = Listening::from_records(&records);
    let roles: Vec<_> = user.roles.iter().map(|r| r.area).collect();
    let opens_on = &listening.area_choices(&roles)[0];
    assert_eq!(opens_on.name.as_deref(), Some(DEMO_POPULATION));
    let week = Scope {
        period: Period::last_days(START, 7),
        area: opens_on.id,
    };
    assert!(listening.issue_ranking(week).len() >= 3);
    assert_eq!(listening.issues_by_ward(week).len(), 2, "both wards");
    assert!(listening.conversations_by_list(week).len() >= 2);
    assert!(listening.conversations_by_volunteer(week).len() >= 2);
    let ever = Scope {
        period: Period::ALL,
        ..week
    };
    let stories: usize = listening
        .issue_ranking(ever)
        .iter()
        .map(|issue| {
            listening
                .stories_for(issue.issue, ever, organiser.user)
                .len()
        })
        .sum();
    assert!(stories >= 10, "{stories} stories behind the issues");
    app.remove().await;
}

#[tokio::test]
async fn every_demo_conversation_is_one_a_volunteer_could_record_at_the_door() {
    let (app, demo) = TestApp::with_demo().await;
    let (organiser, _) = sign_in(&app, &demo.organiser).await;
    let phone = phone(&app, &organiser).await;
    let lists: BTreeMap<ListId, List> =
        phone.all::<List>().into_iter().map(|l| (l.id, l)).collect();
    let people: BTreeMap<PersonId, Person> = phone
        .all::<Person>()
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let issues: BTreeSet<_> = phone.all::<Issue>().into_iter().map(|i| i.id).collect();
    let conversations: Vec<Conversation> = phone.all();
    let mut outcomes = BTreeSet::new();
    for conversation in &conversations {
        let list = &lists[&conversation.list.expect("every knock is on a list")];
        assert_eq!(conversation.kind, ConversationKind::Doorstep);
        assert_eq!(conversation.by, conversation.created_by);
        assert!(
            list.assignees.contains(&conversation.by),
            "by whoever works the list"
        );
        let person = &people[&conversation.person];
        assert_eq!(conversation.area, person.area, "filed in the person's area");
        assert!(
            list.members.contains(&person.id) || person.created_by == conversation.by,
            "someone on the list, or met at its door"
        );
        assert!(conversation.issues.iter().all(|i| issues.contains(i)));
        assert!(conversation.outcome == Outcome::Held || conversation.issues.is_empty());
        let at = conversation.at.0;
        assert!(
            at < START.0 && at > START.0 - 4 * 7 * DAY,
            "in the last four weeks"
        );
        outcomes.insert(conversation.outcome);
    }
    assert!(
        outcomes.len() >= 4,
        "not home, held, refused and more: {outcomes:?}"
    );
    // A story is told in a talk its recorder had with its teller.
    for story in phone.all::<Story>() {
        assert!(conversations.iter().any(|c| c.person == story.person
            && c.by == story.created_by
            && c.outcome == Outcome::Held
            && story.issue.is_some_and(|i| c.issues.contains(&i))));
    }
    app.remove().await;
}

#[tokio::test]
async fn whatever_day_the_demo_is_made_its_results_show_this_week_and_its_volunteer_has_work() {
    // Seven days in a row from a Thursday, each at a different hour.
    for day in 0..7 {
        let at = Timestamp(START.0 + day * DAY + (day * 3 + 1) * 60 * 60 * 1000);
        let (app, demo) = TestApp::with_demo_made_at(at).await;
        let counts = demo.campaign;
        assert!(
            counts.lists >= 6 && counts.conversations >= 200 && counts.stories >= 10,
            "day {day}: {counts:?}"
        );
        assert_eq!(counts.meetings, 3, "day {day}");
        // A campaign per ward with its three actions, and seven trainings by hand.
        assert_eq!(
            (counts.campaigns, counts.campaign_actions, counts.trainings),
            (2, 6, 7),
            "day {day}"
        );
        assert!(counts.ladder_moves >= 30, "day {day}: {counts:?}");
        assert!(
            (6..=10).contains(&counts.organisations) && counts.links > counts.organisations,
            "day {day}: {counts:?}"
        );
        let (organiser, user) = sign_in(&app, &demo.organiser).await;
        let organisers = phone(&app, &organiser).await;
        let mut records: Vec<Record> = Listening::COLLECTIONS
            .into_iter()
            .flat_map(|collection| organisers.visible_of(collection).into_values())
            .collect();
        records.extend(organisers.visible_of(Collection::Person).into_values());
        let listening = Listening::from_records(&records);
        let (house, launch, proposal) = three_meetings(&organisers);
        assert!(
            house.ends.unwrap() < at && launch.starts.0 > at.0 + 6 * DAY && proposal.starts > at,
            "day {day}"
        );
        let mine = organisers_week(&organisers, organiser.user, at);
        assert!((3..=5).contains(&mine.count), "day {day}: {mine:?}");
        let weeks_held = mine.trend.iter().filter(|w| w.count > 0).count();
        assert!(
            (9..=TREND_WEEKS).contains(&weeks_held),
            "day {day}: {mine:?}"
        );
        assert!(
            mine.next_steps.iter().any(|s| s.when == Due::Overdue)
                && mine.next_steps.iter().any(|s| s.due > london_day(at)),
            "day {day}: {mine:?}"
        );
        assert!(
            organisers
                .all::<OneToOne>()
                .iter()
                .all(|o| o.recorded_at <= at && o.held_on <= london_day(o.recorded_at)),
            "day {day}: none held or recorded after the demo was made"
        );
        let area = user.roles[0].area;
        let week = Scope {
            period: Period::last_days(at, 7),
            area,
        };
        assert!(listening.issue_ranking(week).len() >= 3, "day {day}");
        let (volunteer, _) = sign_in(&app, &demo.volunteer).await;
        let theirs = phone(&app, &volunteer).await;
        let done: Vec<usize> = theirs
            .all::<List>()
            .iter()
            .map(|l| doors_done(&theirs, l.id))
            .collect();
        assert!(
            done.iter().any(|&n| n > 5) && done.contains(&0),
            "day {day}: {done:?}"
        );
        app.remove().await;
    }
}

/// *My week* for `organiser` from what their phone holds, on the day `at` falls in (London's).
fn organisers_week(phone: &Replica, organiser: UserId, at: Timestamp) -> MyWeek {
    my_week(
        organiser,
        london_day(at),
        &phone.all::<OneToOne>(),
        &phone.all::<WeeklyTarget>(),
    )
}

#[tokio::test]
async fn the_demo_organiser_opens_my_week_on_weeks_of_one_to_ones_and_next_steps_to_do() {
    let (app, demo) = TestApp::with_demo().await;
    let (organiser, user) = sign_in(&app, &demo.organiser).await;
    let desk = phone(&app, &organiser).await;
    let counts = demo.campaign;
    let one_to_ones: Vec<OneToOne> = desk.all();
    assert_eq!(one_to_ones.len(), counts.one_to_ones);
    assert!(
        desk.all::<WeeklyTarget>().is_empty(),
        "no target set: the default applies"
    );

    // This week: a few held so far. The weeks before: most under the target, some at or
    // over it, a different count from week to week, and the oldest of the trend empty.
    let today = london_day(START);
    let week = organisers_week(&desk, organiser.user, START);
    assert!((3..=5).contains(&week.count), "{week:?}");
    assert_eq!(week.target, DEFAULT_WEEKLY_TARGET);
    assert_eq!(week.late, 0);
    let before: Vec<usize> = week.trend[..TREND_WEEKS - 1]
        .iter()
        .map(|w| w.count)
        .collect();
    let held = before.iter().filter(|&&n| n > 0).count();
    assert!((8..=11).contains(&held), "{before:?}");
    let target = DEFAULT_WEEKLY_TARGET as usize;
    let over = before.iter().filter(|&&n| n >= target).count();
    assert!(over >= 1 && over * 3 < held, "{before:?}");
    let different: BTreeSet<usize> = before.iter().copied().filter(|&n| n > 0).collect();
    assert!(different.len() * 2 > held, "{before:?}");

    // Next steps: two or three still to do, one of them overdue and one due in the coming
    // days; the rest of those agreed are done, each after its one-to-one was recorded.
    assert!((2..=3).contains(&week.next_steps.len()), "{week:?}");
    assert_eq!(week.next_steps.len(), counts.open_next_steps);
    assert!(week.next_steps.iter().any(|s| s.when == Due::Overdue));
    assert!(week.next_steps.iter().any(|s| s.due > today));
    let done: Vec<&OneToOne> = one_to_ones
        .iter()
        .filter(|o| o.next_step_done.is_some())
        .collect();
    assert!((3..=8).contains(&done.len()), "{} done", done.len());
    for one in &done {
        let at = one.next_step_done.unwrap();
        assert!(one.next_step.is_some() && at > one.recorded_at && at <= START);
    }

    // Each one held by the organiser with someone in one of the constituency's wards, filed
    // in their area, at most once a day, on a day no later than it was recorded; a mix of
    // kinds, the demo's issues, and a few ratings.
    let constituency = user.roles[0].area;
    let wards: BTreeSet<_> = desk
        .all::<Area>()
        .into_iter()
        .filter(|a| a.parent == Some(constituency))
        .map(|a| a.id)
        .collect();
    let issues: BTreeSet<_> = desk.all::<Issue>().into_iter().map(|i| i.id).collect();
    let mut days: BTreeSet<(Day, PersonId)> = BTreeSet::new();
    for one in &one_to_ones {
        assert_eq!(one.created_by, organiser.user);
        let person: Person = desk
            .one(one.person.0)
            .expect("someone on the organiser's phone");
        assert_eq!(one.area, person.area);
        assert!(wards.contains(&person.area));
        assert!(one.held_on <= london_day(one.recorded_at) && one.recorded_at <= START);
        assert!(!one.is_late());
        assert!(one.issues.iter().all(|i| issues.contains(i)));
        assert!(
            days.insert((one.held_on, one.person)),
            "once per person per day"
        );
    }
    let kinds: BTreeSet<OneToOneKind> = one_to_ones.iter().map(|o| o.kind).collect();
    assert_eq!(kinds.len(), 3, "introductions, maintenance and escalations");
    assert!(one_to_ones.iter().filter(|o| !o.issues.is_empty()).count() * 2 > one_to_ones.len());
    let rated = one_to_ones.iter().filter(|o| o.interest.is_some()).count();
    assert!(rated >= 5 && rated * 2 < one_to_ones.len(), "{rated} rated");
    assert!(one_to_ones.iter().any(|o| o.leadership.is_some()));
    app.remove().await;
}

#[tokio::test]
async fn the_demo_organiser_opens_the_ladder_on_people_moved_up_it_lately_and_before() {
    let (app, demo) = TestApp::with_demo().await;
    let (organiser, _) = sign_in(&app, &demo.organiser).await;
    let desk = phone(&app, &organiser).await;
    let moves: Vec<LadderMove> = desk.all();
    assert_eq!(moves.len(), demo.campaign.ladder_moves);
    let rungs: Vec<Rung> = desk.all();
    let people: BTreeMap<PersonId, Person> = desk
        .all::<Person>()
        .into_iter()
        .map(|p| (p.id, p))
        .collect();

    // The chart: a few dozen supporters, fewer volunteers, a handful of hosts, a leader or
    // two, nobody organising yet; and moves both in the last thirty days and before.
    let chart = ladder::chart(&rungs, &moves, people.keys().copied(), START);
    let on: Vec<(&str, usize)> = chart
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.people))
        .collect();
    let [supporters, volunteers, hosts, leaders, organisers] =
        on.iter().map(|&(_, n)| n).collect::<Vec<_>>()[..]
    else {
        panic!("five rungs: {on:?}");
    };
    assert!((24..=60).contains(&supporters), "{on:?}");
    assert!((4..supporters / 2).contains(&volunteers), "{on:?}");
    assert!((2..=8).contains(&hosts) && hosts < volunteers, "{on:?}");
    assert!((1..=2).contains(&leaders), "{on:?}");
    assert_eq!(organisers, 0, "{on:?}");
    assert!(
        chart.not_on_ladder > chart.on_ladder(),
        "most are not on it yet"
    );
    assert!(chart.recent.len() >= 10, "{} lately", chart.recent.len());
    assert!(chart.recent.iter().all(|r| r.up));
    let since = START.0 - RECENT_DAYS * DAY;
    assert!(moves.iter().filter(|m| m.at.0 < since).count() >= 5);

    // Each move by the organiser, about someone they see, filed in their area, before the
    // demo was made; each person's history a climb.
    let position: BTreeMap<_, i64> = rungs.iter().map(|r| (r.id, r.position)).collect();
    for step in &moves {
        assert_eq!(step.created_by, organiser.user);
        assert_eq!(step.area, people[&step.person].area);
        assert!(step.at <= START);
        for entry in ladder::history(step.person, &moves) {
            if let Some(from) = entry.from {
                assert!(position[&entry.step.rung] > position[&from]);
            }
        }
    }
    // A couple say why.
    let said = moves.iter().filter(|m| m.why.is_some()).count();
    assert!((2..=4).contains(&said), "{said} say why");

    // A few name the escalation one-to-one they were decided in, with the same person,
    // written up before the move.
    let one_to_ones: BTreeMap<_, OneToOne> = desk
        .all::<OneToOne>()
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let from_one_to_ones: Vec<&LadderMove> =
        moves.iter().filter(|m| m.one_to_one.is_some()).collect();
    assert!(
        (3..=20).contains(&from_one_to_ones.len()),
        "{}",
        from_one_to_ones.len()
    );
    for step in from_one_to_ones {
        let one = &one_to_ones[&step.one_to_one.unwrap()];
        assert_eq!(one.kind, OneToOneKind::Escalation);
        assert_eq!(one.person, step.person);
        assert!(one.recorded_at <= step.at);
    }
    // One or two name the house meeting, at which their person offered to host.
    let (house, _, _) = three_meetings(&desk);
    let attendances: Vec<Attendance> = desk.all();
    let from_meetings: Vec<&LadderMove> = moves.iter().filter(|m| m.meeting.is_some()).collect();
    assert!(
        (1..=2).contains(&from_meetings.len()),
        "{}",
        from_meetings.len()
    );
    for step in from_meetings {
        assert_eq!(step.meeting, Some(house.id));
        assert!(step.at > house.ends.unwrap());
        assert!(
            attendances
                .iter()
                .any(|a| a.meeting == house.id && a.person == Some(step.person) && a.would_host)
        );
    }
    app.remove().await;
}

#[tokio::test]
async fn the_demo_organiser_opens_the_map_on_organisations_their_leaders_and_the_gaps() {
    let (app, demo) = TestApp::with_demo().await;
    let (organiser, user) = sign_in(&app, &demo.organiser).await;
    let desk = phone(&app, &organiser).await;
    let organisations: Vec<Organisation> = desk.all();
    let links: Vec<Link> = desk.all();
    assert_eq!(organisations.len(), demo.campaign.organisations);
    assert_eq!(links.len(), demo.campaign.links);
    let one_to_ones: Vec<OneToOne> = desk.all();
    let conversations: Vec<Conversation> = desk.all();
    let people: BTreeMap<PersonId, Person> = desk
        .all::<Person>()
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let areas: Vec<Area> = desk.all();
    let constituency = user.roles[0].area;
    let wards: Vec<_> = areas
        .iter()
        .filter(|a| a.parent == Some(constituency))
        .map(|a| a.id)
        .collect();
    assert_eq!(wards.len(), 2);

    // Six to ten organisations of several kinds, at every stage, in both wards.
    assert!((6..=10).contains(&organisations.len()));
    let kinds: BTreeSet<OrganisationKind> = organisations.iter().map(|o| o.kind).collect();
    assert!(kinds.len() >= 5, "{kinds:?}");
    let stages: BTreeSet<Relationship> = organisations.iter().map(|o| o.relationship).collect();
    assert_eq!(stages.len(), Relationship::ALL.len(), "{stages:?}");
    for ward in &wards {
        assert!(organisations.iter().filter(|o| o.area == *ward).count() >= 3);
    }
    assert!(
        organisations
            .iter()
            .all(|o| o.created_by == organiser.user && wards.contains(&o.area))
    );

    // Every link the organiser's, valid by core's rule, filed in its person's area, and about
    // someone the campaign met: at a door or in a one-to-one.
    let met: BTreeSet<PersonId> = conversations
        .iter()
        .filter(|c| c.outcome == Outcome::Held)
        .map(|c| c.person)
        .chain(one_to_ones.iter().map(|o| o.person))
        .collect();
    for link in &links {
        assert_eq!(link.created_by, organiser.user);
        assert_eq!(link.clone().normalised().as_ref(), Ok(link), "{link:?}");
        assert_eq!(link.area, people[&link.person].area);
        assert!(met.contains(&link.person), "{link:?}");
        match (link.organisation, link.other) {
            (Some(o), None) => assert!(organisations.iter().any(|known| known.id == o)),
            (None, Some(other)) => assert!(people.contains_key(&other)),
            _ => panic!("a link names one organisation or one other person: {link:?}"),
        }
    }

    // The map: each organisation with one to three leaders or contacts, most in a role; we
    // have been in touch with those we met, work with or were turned down by, and not with
    // those we have not reached yet.
    let map = community::map(&organisations, &links, &one_to_ones);
    for row in &map {
        let named = row.leaders.len() + row.contacts.len();
        assert!((1..=3).contains(&named), "{row:?}");
        match row.stage {
            Relationship::Met | Relationship::Partner | Relationship::Declined => {
                assert!(row.last_contact.is_some(), "{row:?}");
            }
            Relationship::NotContacted => assert_eq!(row.last_contact, None, "{row:?}"),
            Relationship::Contacted => {}
        }
    }
    let in_roles = map
        .iter()
        .flat_map(|row| row.leaders.iter().chain(&row.contacts))
        .filter(|linked| linked.role.is_some())
        .count();
    let roles: BTreeSet<&str> = links.iter().filter_map(|l| l.role.as_deref()).collect();
    assert!(
        roles.contains("Head teacher") && roles.contains("Chair"),
        "{roles:?}"
    );
    assert!(
        in_roles * 4
            >= map
                .iter()
                .map(|r| r.leaders.len() + r.contacts.len())
                .sum::<usize>()
                * 3
    );
    assert!(map.iter().any(|row| !row.members.is_empty()));

    // A few ties between people, of several kinds; family live together.
    let ties: Vec<&Link> = links.iter().filter(|l| l.other.is_some()).collect();
    assert!((3..=6).contains(&ties.len()), "{ties:?}");
    let tie_kinds: BTreeSet<LinkKind> = ties.iter().map(|l| l.kind).collect();
    assert!(tie_kinds.len() >= 3, "{tie_kinds:?}");
    for tie in ties.iter().filter(|l| l.kind == LinkKind::Family) {
        let household = people[&tie.person].household;
        assert!(household.is_some());
        assert_eq!(people[&tie.other.unwrap()].household, household);
    }

    // The gaps: each ward has kinds it is in touch with and kinds it is not, among them one
    // nobody has mapped and, somewhere, one mapped but not in touch.
    let tree = AreaTree::new(&areas);
    let gaps = community::gaps(
        &wards,
        &tree,
        &organisations,
        &links,
        &one_to_ones,
        &conversations,
        london_day(START),
    );
    let judged = OrganisationKind::ALL.len() - 1;
    for ward in &gaps {
        assert!(
            !ward.gaps.is_empty() && ward.gaps.len() < judged,
            "{ward:?}"
        );
        assert!(ward.gaps.iter().any(|g| g.mapped == 0), "{ward:?}");
        assert!(ward.one_to_ones_held > 0 && ward.conversations_held > 0);
    }
    assert!(
        gaps.iter().any(|w| w.gaps.iter().any(|g| g.mapped > 0)),
        "{gaps:?}"
    );

    // Each ward's graph has something to draw and stays readable on a phone.
    let everyone: Vec<Person> = people.values().cloned().collect();
    for ward in &wards {
        let graph = community::graph(*ward, &tree, &organisations, &everyone, &links);
        assert!(graph.is_readable() && graph.edges.len() >= 5, "{graph:?}");
    }
    app.remove().await;
}

/// The demo's three meetings on the organiser's phone: the house meeting held, the launch
/// to come, the proposal waiting.
fn three_meetings(phone: &Replica) -> (Meeting, Meeting, Meeting) {
    let meetings: Vec<Meeting> = phone.all();
    assert_eq!(meetings.len(), 3, "{meetings:?}");
    let find = |kind: MeetingKind, status: MeetingStatus| {
        let found: Vec<&Meeting> = meetings
            .iter()
            .filter(|m| m.kind == kind && m.status == status)
            .collect();
        assert_eq!(found.len(), 1, "one {kind} {status}: {meetings:?}");
        found[0].clone()
    };
    (
        find(MeetingKind::HouseMeeting, MeetingStatus::Approved),
        find(MeetingKind::LaunchMeeting, MeetingStatus::Approved),
        find(MeetingKind::HouseMeeting, MeetingStatus::Proposed),
    )
}

#[tokio::test]
async fn the_demo_volunteer_hosted_a_house_meeting_and_the_organiser_has_a_launch_and_a_proposal() {
    let (app, demo) = TestApp::with_demo().await;
    let (organiser, organiser_user) = sign_in(&app, &demo.organiser).await;
    let (volunteer, volunteer_user) = sign_in(&app, &demo.volunteer).await;
    let desk = phone(&app, &organiser).await;
    let counts = demo.campaign;
    assert_eq!(desk.all::<Meeting>().len(), counts.meetings);
    assert_eq!(desk.all::<Attendance>().len(), counts.attendances);
    let (house, launch, proposal) = three_meetings(&desk);

    // The house meeting: the volunteer's own, in their ward, held in the last seven days,
    // proposed by them and approved since.
    let ward = volunteer_user.roles[0].area;
    assert_eq!(
        (house.host, house.created_by, house.area),
        (volunteer.user, volunteer.user, ward)
    );
    assert!(house.starts.0 > START.0 - 7 * DAY && house.ends.unwrap() < START);

    // The launch: the organiser's, for the whole constituency, next week, with room for a
    // crowd and a few people invited already.
    let constituency = organiser_user.roles[0].area;
    assert_eq!(
        (launch.host, launch.area, launch.capacity),
        (organiser.user, constituency, Some(120))
    );
    assert!(launch.starts.0 >= START.0 + 6 * DAY && launch.starts.0 < START.0 + 14 * DAY);
    let invited = Turnout::of(&launch, &desk.all::<Attendance>(), START);
    assert!(
        (3..=6).contains(&invited.invited) && invited.invited == invited.attendees.len(),
        "{invited:?}"
    );

    // The proposal: another volunteer's, in the same ward, grown from the house meeting.
    assert_eq!(proposal.grew_from, Some(house.id));
    assert_eq!(proposal.area, house.area);
    assert!(![volunteer.user, organiser.user].contains(&proposal.host));
    assert_eq!(proposal.created_by, proposal.host);
    assert!(proposal.starts > START);

    // The host's phone holds their meeting with everyone at it: the invited neighbours who
    // came and signed in, two who did not, someone under 16 counted and a walk-in.
    let theirs = phone(&app, &volunteer).await;
    let seen: BTreeSet<MeetingId> = theirs.all::<Meeting>().iter().map(|m| m.id).collect();
    assert_eq!(
        seen,
        BTreeSet::from([house.id, proposal.id]),
        "their ward's meetings, not the constituency's launch"
    );
    let at_house = |phone: &Replica| -> Vec<Attendance> {
        phone
            .all::<Attendance>()
            .into_iter()
            .filter(|a| a.meeting == house.id)
            .collect()
    };
    let attendances = at_house(&theirs);
    assert_eq!(attendances, at_house(&desk), "the host sees all of it");
    assert_eq!(
        attendances.len(),
        16,
        "eight invited, six of them signed in, one counted, one walk-in"
    );
    let turnout = Turnout::of(&house, &attendances, START);
    assert_eq!(
        (
            turnout.came,
            turnout.invited,
            turnout.under_16,
            turnout.walk_ins
        ),
        (8, 2, 1, 2),
        "{turnout:?}"
    );
    assert!(turnout.would_host >= 1, "{turnout:?}");
    assert!(turnout.issues.len() >= 2, "{turnout:?}");
    for attendance in &attendances {
        match attendance.person {
            Some(person) => assert!(theirs.one::<Person>(person.0).is_some()),
            None => assert_eq!(attendance.anonymous, Some(Anonymous::UnderSixteen)),
        }
        if attendance.status == AttendanceStatus::Attended {
            let at = attendance.signed_in_at.expect("a sign-in time");
            assert!(at.0 >= house.starts.0 - 15 * 60 * 1000 && at < house.ends.unwrap());
        }
    }
    // Those invited are neighbours from the ward the volunteer knocked.
    for attendee in &turnout.attendees {
        let person: Person = theirs.one(attendee.person.0).unwrap();
        assert_eq!(person.area, ward);
    }
    app.remove().await;
}

/// What the organiser sees of a campaign, without ids the campaign mints afresh each time.
fn campaign(phone: &Replica) -> Vec<String> {
    let lists: BTreeMap<ListId, String> = phone
        .all::<List>()
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    let issues: BTreeMap<_, String> = phone
        .all::<Issue>()
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let people: BTreeMap<PersonId, String> = phone
        .all::<Person>()
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut seen: Vec<String> = phone
        .all::<Conversation>()
        .into_iter()
        .map(|c| {
            let raised: BTreeSet<&String> = c.issues.iter().map(|i| &issues[i]).collect();
            let list = c.list.map(|l| &lists[&l]);
            let person = &people[&c.person];
            format!(
                "{person} {} {list:?} {:?} {raised:?} {:?}",
                c.at.0, c.outcome, c.notes
            )
        })
        .chain(phone.all::<Story>().into_iter().map(|s| {
            let person = &people[&s.person];
            format!("{person} {:?} {}", s.consent, s.text)
        }))
        .collect();
    let meetings: BTreeMap<MeetingId, String> = phone
        .all::<Meeting>()
        .into_iter()
        .map(|m| (m.id, m.title))
        .collect();
    seen.extend(phone.all::<Meeting>().into_iter().map(|m| {
        let grew_from = m.grew_from.map(|g| &meetings[&g]);
        format!(
            "{} {} {} {} {:?} {} {:?} {grew_from:?}",
            m.title, m.kind, m.status, m.starts.0, m.ends, m.place, m.capacity
        )
    }));
    seen.extend(phone.all::<Attendance>().into_iter().map(|a| {
        let raised: BTreeSet<&String> = a.issues.iter().map(|i| &issues[i]).collect();
        let person = a.person.map(|p| &people[&p]);
        format!(
            "{} {person:?} {:?} {} {:?} {} {raised:?}",
            meetings[&a.meeting], a.anonymous, a.status, a.signed_in_at, a.would_host
        )
    }));
    seen.extend(phone.all::<OneToOne>().into_iter().map(|o| {
        let raised: BTreeSet<&String> = o.issues.iter().map(|i| &issues[i]).collect();
        format!(
            "{} {} {} {} {raised:?} {:?} {:?} {:?} {:?} {:?}",
            people[&o.person],
            o.held_on,
            o.recorded_at.0,
            o.kind,
            o.interest,
            o.leadership,
            o.next_step,
            o.next_step_due,
            o.next_step_done
        )
    }));
    let rungs: BTreeMap<_, String> = phone
        .all::<Rung>()
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let one_to_ones: BTreeMap<_, OneToOne> = phone
        .all::<OneToOne>()
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    seen.extend(phone.all::<LadderMove>().into_iter().map(|m| {
        let one_to_one = m.one_to_one.map(|o| one_to_ones[&o].recorded_at.0);
        let meeting = m.meeting.map(|id| &meetings[&id]);
        format!(
            "{} {} {} {:?} {one_to_one:?} {meeting:?}",
            people[&m.person], rungs[&m.rung], m.at.0, m.why
        )
    }));
    let organisations: BTreeMap<_, Organisation> = phone
        .all::<Organisation>()
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    seen.extend(
        organisations
            .values()
            .map(|o| format!("{} {} {} {:?}", o.name, o.kind, o.relationship, o.notes)),
    );
    seen.extend(phone.all::<Link>().into_iter().map(|l| {
        let organisation = l.organisation.map(|o| &organisations[&o].name);
        let other = l.other.map(|p| &people[&p]);
        format!(
            "{} {} {organisation:?} {other:?} {:?}",
            people[&l.person], l.kind, l.role
        )
    }));
    seen.extend(lists.into_values());
    seen.sort();
    seen
}

#[tokio::test]
async fn the_same_day_makes_the_same_demo() {
    let (first, first_demo) = TestApp::with_demo().await;
    let (second, second_demo) = TestApp::with_demo().await;
    assert_eq!(first_demo.campaign, second_demo.campaign);
    let (one, _) = sign_in(&first, &first_demo.organiser).await;
    let (other, _) = sign_in(&second, &second_demo.organiser).await;
    let seen = campaign(&phone(&first, &one).await);
    assert_eq!(seen, campaign(&phone(&second, &other).await));
    assert_ne!(
        first_demo.organiser.password,
        second_demo.organiser.password
    );
    assert!(seen.iter().all(|line| !line.is_empty()));
    first.remove().await;
    second.remove().await;
}

#[tokio::test]
async fn the_demos_people_share_a_phone_only_within_a_household_and_an_email_never() {
    let (app, demo) = TestApp::with_demo().await;
    let (organiser, _) = sign_in(&app, &demo.organiser).await;
    let desk = phone(&app, &organiser).await;
    let people: Vec<Person> = desk.all();
    let household = |id: PersonId| people.iter().find(|p| p.id == id).and_then(|p| p.household);
    let about = |id: PersonId| {
        people
            .iter()
            .find(|p| p.id == id)
            .map(|p| (p.source, p.household.is_some(), p.phone.clone()))
    };
    let suggested = organise_core::duplicates::suggestions(&people);
    let mut shared_phones = 0;
    for pair in &suggested {
        use organise_core::duplicates::Reason;
        assert!(!pair.reasons.contains(&Reason::SameEmail), "{pair:?}");
        if pair.reasons.contains(&Reason::SamePhone) {
            // Only a household's landline, given by more than one of them.
            assert!(
                household(pair.a).is_some() && household(pair.a) == household(pair.b),
                "{:?} and {:?}",
                about(pair.a),
                about(pair.b)
            );
            shared_phones += 1;
        }
    }
    // Far fewer than the duplicates a chance draw from a thousand numbers made.
    assert!(shared_phones < 20, "{shared_phones} pairs share a phone");
    app.remove().await;
}
