//! The fixture the meeting tests share: Hackney North with two wards and the people who
//! organise there, the phones they sync, and the meetings they make on the meeting form.

use organise_core::id::{AreaId, MeetingId, RecordId, Timestamp};
use organise_core::meetings::MeetingDraft;
use organise_core::model::{Attendance, Meeting, MeetingKind};
use organise_core::record::Entity;
use organise_core::session::{SessionInfo, SessionUser};
use organise_core::sync::replica::Replica;
use organise_core::sync::wire::Rejection;

use crate::support::{Client, START, TestApp, rand_u128, replica};

pub const MINUTE: i64 = 60 * 1000;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;

/// When the meetings [`meeting_by`] makes start: a day after the tests' start.
pub const STARTS: Timestamp = Timestamp(START.0 + DAY);
/// When they end: an hour and a half later.
pub const ENDS: Timestamp = Timestamp(STARTS.0 + 90 * MINUTE);

/// Hackney North with two wards, its organiser, a trusted host (the host role) and a
/// volunteer in Clissold, and a host next door in Stoke Newington.
pub struct Ward {
    pub app: TestApp,
    pub clissold: AreaId,
    pub organiser: Client,
    pub host: Client,
    pub volunteer: Client,
    pub next_door: Client,
}

pub async fn ward() -> Ward {
    ward_with(organise_server::Config::default()).await
}

pub async fn ward_with(config: organise_server::Config) -> Ward {
    let app = TestApp::with_config(config).await;
    app.add_areas("London", "Hackney North", &["Clissold", "Stoke Newington"])
        .await;
    let clissold = app.area("Clissold").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "Hackney North")
        .await;
    let host = app
        .user("host@test.organise.invalid", "host", "Clissold")
        .await;
    let volunteer = app
        .user("vol@test.organise.invalid", "volunteer", "Clissold")
        .await;
    let next_door = app
        .user("next@test.organise.invalid", "host", "Stoke Newington")
        .await;
    Ward {
        app,
        clissold,
        organiser,
        host,
        volunteer,
        next_door,
    }
}

/// A fresh id for a record a test makes.
pub fn fresh() -> RecordId {
    RecordId::from_u128(rand_u128())
}

/// A new phone for `client`, caught up with everything they may see.
pub async fn phone(app: &TestApp, client: &Client) -> Replica {
    let mut phone = replica(client);
    client.pull_all(app, &mut phone).await;
    phone
}

/// Pushes what `phone` holds and returns why each refused mutation was refused, in the order
/// they were made; the refused ones are then discarded, as the user would.
pub async fn send(app: &TestApp, client: &Client, phone: &mut Replica) -> Vec<Rejection> {
    client.push_all(app, phone).await;
    let refused: Vec<_> = phone
        .rejected()
        .map(|r| (r.mutation.seq, r.rejection.clone()))
        .collect();
    for (seq, _) in &refused {
        phone.discard_rejected(*seq);
    }
    refused
        .into_iter()
        .map(|(_, rejection)| rejection)
        .collect()
}

/// Pushes what `phone` holds; every mutation must apply.
pub async fn all_applied(app: &TestApp, client: &Client, phone: &mut Replica) {
    let refused = send(app, client, phone).await;
    assert!(refused.is_empty(), "{refused:?}");
}

/// The signed-in user as the app holds them, for the forms that ask.
pub async fn session(app: &TestApp, client: &Client) -> SessionUser {
    let info: SessionInfo =
        serde_json::from_slice(&client.get(app, "/api/session").await.body).expect("the session");
    info.user
}

/// `client` makes a house meeting in `area` on the meeting form, from [`STARTS`] to [`ENDS`],
/// holding `capacity`, and pushes it.
pub async fn meeting_by(app: &TestApp, client: &Client, area: AreaId, capacity: &str) -> Meeting {
    let mut theirs = phone(app, client).await;
    let draft = MeetingDraft {
        kind: MeetingKind::HouseMeeting,
        title: "Synthetic house meeting about repairs".into(),
        place: "A synthetic front room".into(),
        starts: Some(STARTS),
        ends: Some(ENDS),
        capacity: capacity.into(),
        area: Some(area),
        campaign: None,
        grew_from: None,
    };
    let tree = organise_core::AreaTree::new(&theirs.all::<organise_core::Area>());
    let meeting = draft
        .meeting(MeetingId(fresh()), &session(app, client).await, &tree)
        .expect("the form makes a meeting");
    theirs.create(&meeting.to_record()).unwrap();
    all_applied(app, client, &mut theirs).await;
    meeting
}

/// The attendances at `meeting` as `phone` holds them.
pub fn attendances(phone: &Replica, meeting: &Meeting) -> Vec<Attendance> {
    phone
        .all::<Attendance>()
        .into_iter()
        .filter(|a| a.meeting == meeting.id)
        .collect()
}

/// Everything `phone` holds, as JSON, to look for text in.
pub fn everything(phone: &Replica) -> String {
    serde_json::to_string(&phone.confirmed().values().collect::<Vec<_>>()).unwrap()
}
