//! The demo (`serve --demo`): a campaign under way in its synthetic constituency. Its printed
//! volunteer signs in and receives their walk lists, one worked and one not, with the
//! conversations on them and nothing beyond their reach; its organiser's results open on a
//! constituency with issues raised this week and stories behind them; every record is one the
//! app could have made; and the same day makes the same campaign.

use std::collections::{BTreeMap, BTreeSet};

use organise_core::canvass::Walk;
use organise_core::id::{ListId, PersonId, Timestamp, UserId};
use organise_core::model::{
    Conversation, ConversationKind, Issue, List, Outcome, Person, Role, Story,
};
use organise_core::record::{Collection, Record};
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

    // Nothing beyond their reach: their lists' people (and anyone they met at a door), the
    // conversations about those people, and only the stories they recorded.
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
        let (organiser, user) = sign_in(&app, &demo.organiser).await;
        let organisers = phone(&app, &organiser).await;
        let mut records: Vec<Record> = Listening::COLLECTIONS
            .into_iter()
            .flat_map(|collection| organisers.visible_of(collection).into_values())
            .collect();
        records.extend(organisers.visible_of(Collection::Person).into_values());
        let listening = Listening::from_records(&records);
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
