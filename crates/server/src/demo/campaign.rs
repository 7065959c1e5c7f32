//! The demo's live campaign in Synthetic Vale: the organiser's issues and scripts, walk lists
//! given to the demo volunteers (and one the organiser works), and four weeks of doorstep
//! conversations on them, up to the day before the demo was made: not home, refused, moved,
//! do not knock, and talks that raise issues, tell stories and give consent; and the meetings
//! that grow from them ([`meetings`]): a house meeting a volunteer held last week, the launch
//! next week, and a proposal waiting for the organiser; and the organiser's one-to-ones
//! ([`one_to_ones`]): ten weeks of them before this one and a few this week, up to the moment
//! the demo is made, with a handful of next steps, three still open; the people the
//! organiser has moved up the ladder of engagement since ([`ladder`]); and the community they
//! have mapped: the wards' organisations, who leads them and who knows whom ([`community`]);
//! and a campaign in each ward on its top ranked issue, with its log, and who was trained
//! ([`campaigns`]).
//!
//! It is played out as the app would make it. Each demo user has a [`Phone`] (a core
//! [`Replica`]) that pulls what they may see, makes every record through core's own rules
//! (the new walk list form's [`NewListDraft`], a list's [`ScriptDraft`], the door's
//! [`ConversationDraft`], [`outcome_steps`] and [`met_at_door`], core's meeting form,
//! sign-in and invitations, and its one-to-one form) and pushes it through the sync protocol,
//! which authorises and validates each mutation as it does a phone's. A refused mutation
//! fails the seeding, so the demo never holds a record the app could not have made.
//!
//! What happens at each door, at the meetings and in the one-to-ones comes from seeded
//! [`Rng`]s: the same day's clock and seeds give the same campaign, apart from ids. Everyone
//! knocked or met is synthetic (see [`crate::synthetic`]), and nothing here logs them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use organise_core::canvass::{
    self, ConversationDraft, NewListDraft, Walk, met_at_door, outcome_steps,
    setup::{ScriptDraft, choose_script},
};
use organise_core::change::{self, Step};
use organise_core::id::{
    AreaId, IssueId, ListId, MeetingId, RecordId, ScriptId, Timestamp, UserId,
};
use organise_core::model::{
    Attendance, CampaignAction, ConsentTopic, Conversation, Interest, Issue, LadderMove, Link,
    List, Meeting, OneToOne, Organisation, Outcome, Person, Story, StoryConsent, Training,
};
use organise_core::record::Entity;
use organise_core::sync::Replica;
use organise_core::sync::server::{self as protocol, MAX_PAGE};
use organise_core::sync::wire::{ClientId, MAX_PUSH_BATCH, Outcome as Applied};
use organise_core::walk::{Door, Reach};

use crate::Db;
use crate::sync_store::{self, Access, TreeCache};
use crate::synthetic::Rng;

mod campaigns;
mod community;
mod ladder;
mod meetings;
mod one_to_ones;

use meetings::MeetingStep;

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

/// The seed of the campaign's choices.
const SEED: u64 = 13;

/// The seed of the meetings' choices, kept apart so that the meetings change nothing at the
/// doors.
const MEETING_SEED: u64 = 29;

/// The demo volunteers: email, name, and the ward they volunteer in (by its place among the
/// constituency's wards). The first is the one whose login is printed.
pub const VOLUNTEERS: [(&str, &str, usize); 3] = [
    ("volunteer@demo.organise.invalid", "Demo Volunteer", 1),
    ("priya.nair@demo.organise.invalid", "Priya Nair", 0),
    ("kwame.mensah@demo.organise.invalid", "Kwame Mensah", 1),
];

/// Who plays the campaign, and where.
#[derive(Clone, Debug)]
pub struct Cast {
    /// The organiser of the constituency.
    pub organiser: UserId,
    /// The volunteers, as [`VOLUNTEERS`] lists them.
    pub volunteers: Vec<UserId>,
    /// The constituency.
    pub constituency: AreaId,
    /// Its wards, in the order they were made.
    pub wards: Vec<AreaId>,
}

/// How much the campaign holds, counted from what the organiser's phone holds at the end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CampaignCounts {
    /// Walk lists.
    pub lists: usize,
    /// Conversations, whatever their outcome.
    pub conversations: usize,
    /// Conversations held (someone talked).
    pub held: usize,
    /// Stories.
    pub stories: usize,
    /// Meetings, whatever their status.
    pub meetings: usize,
    /// Attendance entries (invited, came, counted).
    pub attendances: usize,
    /// The organiser's one-to-ones.
    pub one_to_ones: usize,
    /// Next steps agreed in them and not yet done.
    pub open_next_steps: usize,
    /// Moves of people up the ladder of engagement.
    pub ladder_moves: usize,
    /// Organisations on the community map.
    pub organisations: usize,
    /// Links on it: people to organisations, and people to people.
    pub links: usize,
    /// Local campaigns.
    pub campaigns: usize,
    /// Actions in the campaigns' logs.
    pub campaign_actions: usize,
    /// Trainings recorded.
    pub trainings: usize,
}

/// The issues the organiser lists for the constituency before the first walk, with how often
/// a talk at a door raises each, in the first ward and in the second. Named so that none
/// contains another's name, nor the names the end-to-end tests give their own issues.
const ISSUES: &[(&str, [usize; 2])] = &[
    ("Damp and mould", [30, 8]),
    ("Rent rises", [24, 10]),
    ("Repairs not done", [20, 6]),
    ("Cost of living", [16, 16]),
    ("Bus routes cut", [6, 26]),
    ("Street lighting", [4, 14]),
    ("Potholes", [4, 12]),
    ("GP appointments", [8, 14]),
    ("Fly-tipping", [6, 10]),
    ("Nothing for young people", [8, 12]),
];

/// An issue a volunteer names at a door, as the conversation form lets them, and how often
/// later talks raise it once it is on offer (first ward, second ward).
const ISSUE_NAMED_AT_THE_DOOR: (&str, [usize; 2]) = ("Parking on pavements", [4, 14]);

/// What people said about each issue, for the stories recorded with their consent.
const STORIES: &[(&str, [&str; 3])] = &[
    (
        "Damp and mould",
        [
            "The mould comes back every winter however often we scrub it. My youngest has had a cough since October.",
            "We keep the bedroom window open all year to stop the walls going black, and the heating bill goes up and up.",
            "The landlord painted over the damp before we moved in. Within a month it was back through the paint.",
        ],
    ),
    (
        "Rent rises",
        [
            "Our rent went up by a hundred and twenty pounds a month in January. We have cut back on heating to pay it.",
            "I have lived here eleven years and I am frightened the next rise will be the one that moves us out.",
            "Every rise comes with a letter saying the market has changed. Nothing in the flat has.",
        ],
    ),
    (
        "Repairs not done",
        [
            "We reported the broken boiler three times. Every week they say someone is coming next week.",
            "The back door has not locked properly since the spring and nobody has come to look at it.",
            "The leak from upstairs has been dripping into our kitchen for two months.",
        ],
    ),
    (
        "Cost of living",
        [
            "I am working more hours than ever and still using the food bank at the end of the month.",
            "We turned the fridge off over the summer to save on the electric.",
            "My pension used to cover the bills with a bit over. Now it does not cover the bills.",
        ],
    ),
    (
        "Bus routes cut",
        [
            "Since the evening buses stopped I cannot get home from my late shift without a taxi.",
            "My mum has stopped going to her day centre because there is no bus she can manage any more.",
            "The school bus was cut, so my two walk forty minutes along the main road.",
        ],
    ),
    (
        "Street lighting",
        [
            "The lights on the path to the station have been out for months. I will not walk it after dark.",
            "My daughter rings me to walk her from the bus stop because the street is pitch black.",
            "Someone fell on the steps by the garages last winter because nobody could see them.",
        ],
    ),
    (
        "Potholes",
        [
            "I have split two tyres on the same stretch this year and the council says it is on the list.",
            "My husband uses a wheelchair and the pavement is so broken he cannot get to the corner shop.",
            "The hole outside the school fills with water and the children are soaked every time a car goes past.",
        ],
    ),
    (
        "GP appointments",
        [
            "I rang at eight every morning for a week and never got an appointment.",
            "I waited five weeks to see a doctor about my chest and was told to go to A and E in the end.",
            "My son's prescription ran out because we could not get a review booked.",
        ],
    ),
    (
        "Fly-tipping",
        [
            "Mattresses were dumped by the garages in March and they are still there.",
            "The alley behind us is full of rubbish bags and the rats have come with them.",
            "We cleared the corner ourselves twice. A week later it was piled up again.",
        ],
    ),
    (
        "Nothing for young people",
        [
            "Since the youth centre shut my son and his friends have nowhere to go, so they get moved on from outside the shops.",
            "There is nothing for teenagers round here that does not cost money.",
            "My daughter used to go to the Friday club. Now she stays in her room on her phone.",
        ],
    ),
    (
        "Parking on pavements",
        [
            "I cannot get the pushchair down the street without going into the road.",
            "The vans park right across the pavement and my dad cannot get past with his frame.",
            "The kerb outside has cracked from cars parking on it and I have tripped twice.",
        ],
    ),
];

/// Notes a volunteer writes down after a talk.
const NOTES: &[&str] = &[
    "Keen to meet the neighbours about it.",
    "Works nights: better to knock after four.",
    "Has raised it with the council twice already.",
    "Asked who we are: explained we are residents, not the council.",
    "Would sign a petition.",
    "Says the neighbours have the same problem.",
    "Short on time: happy to talk again.",
];

/// Things to do after a talk.
const FOLLOW_UPS: &[&str] = &[
    "Invite to the residents' meeting",
    "Bring the tenants' rights leaflet",
    "Ring back about the repairs log",
];

/// What people offer when they say they would help.
const SKILLS: &[&str] = &[
    "driving",
    "translation",
    "social media",
    "first aid",
    "cooking",
];

/// People met at a door who were not on the list (made up, like everyone here).
const MET_AT_THE_DOOR: &[&str] = &["Jordan Reid", "Aisha Begum"];

/// The script each ward's first list gets, as the organiser writes it on the list's page.
const SCRIPT_TITLE: &str = "Listening first";
const SCRIPT_BODY: &str = "Hello, I'm a volunteer with the Synthetic Vale residents' network. \
We're knocking on every door on the street with one question: what would make life better \
round here?\n\nListen first. Ask how it affects them and the people they live with.\n\nIf it \
matters to them, ask whether they would come to a meeting with their neighbours about it.";

/// A day of the week, Monday first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Sat,
    Sun,
}

impl Weekday {
    /// Its number, Monday 0.
    fn number(self) -> i64 {
        match self {
            Weekday::Mon => 0,
            Weekday::Tue => 1,
            Weekday::Wed => 2,
            Weekday::Thu => 3,
            Weekday::Sat => 5,
            Weekday::Sun => 6,
        }
    }
}

/// A time relative to the day the demo is made: `weekday` in the week `weeks_ago` weeks
/// before the last one (the last one being the seven days before today), at `hour` and
/// `minute` (UTC). Always before today.
#[derive(Clone, Copy, Debug)]
struct When {
    weeks_ago: i64,
    weekday: Weekday,
    hour: i64,
    minute: i64,
}

const fn when(weeks_ago: i64, weekday: Weekday, hour: i64, minute: i64) -> When {
    When {
        weeks_ago,
        weekday,
        hour,
        minute,
    }
}

impl When {
    /// The moment it names, for a demo made at `now`.
    fn at(self, now: Timestamp) -> Timestamp {
        let today = now.0.div_euclid(DAY);
        // 1 January 1970 was a Thursday (3, counting Monday as 0).
        let weekday = |day: i64| (day + 3).rem_euclid(7);
        let last = (1..=7)
            .map(|back| today - back)
            .find(|&day| weekday(day) == self.weekday.number())
            .expect("every weekday falls in the last seven days");
        let day = last - 7 * self.weeks_ago;
        Timestamp(day * DAY + self.hour * 60 * MINUTE + self.minute * MINUTE)
    }
}

/// Who works a list, or does something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Organiser,
    /// A volunteer, by their place in [`VOLUNTEERS`].
    Volunteer(usize),
}

/// A walk list the organiser builds on the new walk list form, and the sessions it is
/// worked in.
struct ListPlan {
    /// When the organiser builds it.
    built: When,
    /// Its name; `{street}` stands for the street.
    name: &'static str,
    /// The ward, by its place in [`Cast::wards`].
    ward: usize,
    /// The street, by its place in the form's list of the ward's streets (by name).
    street: usize,
    /// Whom it knocks.
    reach: Reach,
    /// Who it is given to, and works it.
    worker: Who,
    /// When it is worked, and how many doors each time.
    sessions: &'static [(When, usize)],
}

use Weekday::{Mon, Sat, Sun, Thu, Tue, Wed};

/// The campaign, for the demo's constituency as [`crate::synthetic`] makes it (streets of 5 to
/// 114 doors). Each ward's last street by name is left for later: no list reaches it.
const PLANS: &[ListPlan] = &[
    ListPlan {
        built: when(4, Sun, 19, 0),
        name: "{street}, Saturday mornings",
        ward: 1,
        street: 0,
        reach: Reach::Everyone,
        worker: Who::Volunteer(0),
        sessions: &[
            (when(3, Sat, 10, 0), 10),
            (when(2, Sat, 10, 15), 10),
            (when(1, Sat, 10, 0), 9),
            (when(0, Sat, 10, 30), 6),
        ],
    },
    ListPlan {
        built: when(4, Sun, 19, 10),
        name: "{street}, weekday evenings",
        ward: 1,
        street: 1,
        reach: Reach::Everyone,
        worker: Who::Volunteer(2),
        sessions: &[
            (when(3, Tue, 18, 0), 14),
            (when(2, Wed, 18, 30), 16),
            (when(1, Tue, 18, 0), 14),
            (when(0, Wed, 18, 15), 16),
        ],
    },
    ListPlan {
        built: when(4, Sun, 19, 20),
        name: "{street}, weekday evenings",
        ward: 0,
        street: 1,
        reach: Reach::Everyone,
        worker: Who::Volunteer(1),
        sessions: &[
            (when(3, Tue, 18, 30), 5),
            (when(2, Thu, 18, 0), 5),
            (when(1, Tue, 18, 30), 3),
        ],
    },
    ListPlan {
        built: when(3, Sun, 19, 0),
        name: "{street}, Saturday mornings",
        ward: 0,
        street: 2,
        reach: Reach::Everyone,
        worker: Who::Volunteer(1),
        sessions: &[
            (when(2, Sat, 11, 0), 9),
            (when(1, Sat, 11, 0), 8),
            (when(0, Sat, 11, 30), 6),
        ],
    },
    ListPlan {
        built: when(2, Sun, 20, 0),
        name: "{street}, Sunday afternoons",
        ward: 0,
        street: 0,
        reach: Reach::Everyone,
        worker: Who::Organiser,
        sessions: &[(when(1, Sun, 14, 0), 10)],
    },
    ListPlan {
        built: when(1, Sun, 19, 0),
        name: "{street}: not home last time",
        ward: 1,
        street: 1,
        reach: Reach::NotHomeLastTime,
        worker: Who::Volunteer(0),
        sessions: &[(when(0, Thu, 17, 30), 8)],
    },
    ListPlan {
        built: when(0, Mon, 20, 0),
        name: "{street}, Saturday mornings",
        ward: 1,
        street: 2,
        reach: Reach::Everyone,
        worker: Who::Volunteer(0),
        sessions: &[],
    },
];

/// When the organiser lists the issues: before any list.
const ISSUES_LISTED: When = when(4, Sun, 18, 30);

/// Plays the campaign into the database (see the module's documentation). The cast's
/// accounts and the constituency's people must be stored already.
pub async fn play(db: &Db, now: Timestamp, cast: &Cast) -> anyhow::Result<CampaignCounts> {
    let mut campaign = Campaign {
        db: db.clone(),
        trees: Arc::new(TreeCache::default()),
        now,
        cast: cast.clone(),
        rng: Rng::new(SEED),
        organiser: Phone::of(cast.organiser, now),
        volunteers: cast.volunteers.iter().map(|&u| Phone::of(u, now)).collect(),
        lists: vec![None; PLANS.len()],
        scripts: BTreeMap::new(),
        stories_told: BTreeSet::new(),
        mobiles_given: 0,
        met: 0,
        named_an_issue: false,
        meeting_rng: Rng::new(MEETING_SEED),
        house_meeting: None,
    };
    campaign.list_issues().await?;
    let mut events: Vec<(Timestamp, Event)> = Vec::new();
    for (n, plan) in PLANS.iter().enumerate() {
        events.push((plan.built.at(now), Event::Build(n)));
        for &(when, doors) in plan.sessions {
            events.push((when.at(now), Event::Work(n, doors)));
        }
    }
    let house_meeting = meetings::HOUSE_MEETING.at(now);
    for step in MeetingStep::ALL {
        let at = Timestamp(house_meeting.0 + step.offset());
        events.push((at, Event::Meeting(step)));
    }
    events.sort_by_key(|(at, _)| *at);
    for (at, event) in events {
        match event {
            Event::Build(n) => campaign.build(n, at).await?,
            Event::Work(n, doors) => campaign.work(n, at, doors).await?,
            Event::Meeting(step) => campaign.meeting(step, at).await?,
        }
    }
    campaign.sync_everyone().await?;
    campaign.hold_one_to_ones().await?;
    campaign.climb_the_ladder().await?;
    campaign.map_the_community().await?;
    campaign.start_campaigns().await?;
    Ok(campaign.counts())
}

/// Something that happens in the campaign, at its time.
#[derive(Clone, Copy, Debug)]
enum Event {
    /// The organiser builds the list planned at this place in [`PLANS`].
    Build(usize),
    /// Its worker knocks on this many of its doors not yet done.
    Work(usize, usize),
    /// A step in the meetings' story.
    Meeting(MeetingStep),
}

struct Campaign {
    db: Db,
    trees: Arc<TreeCache>,
    now: Timestamp,
    cast: Cast,
    rng: Rng,
    organiser: Phone,
    volunteers: Vec<Phone>,
    /// The list built for each plan (none when it had nobody to knock).
    lists: Vec<Option<ListId>>,
    /// The script written for each ward's lists.
    scripts: BTreeMap<AreaId, ScriptId>,
    /// The stories told so far, so that none is told twice.
    stories_told: BTreeSet<&'static str>,
    /// How many phone numbers people gave at their doors.
    mobiles_given: usize,
    /// How many people have been met at doors.
    met: usize,
    /// Whether a volunteer has named the issue of [`ISSUE_NAMED_AT_THE_DOOR`] yet.
    named_an_issue: bool,
    /// The meetings' own choices.
    meeting_rng: Rng,
    /// The house meeting, once proposed.
    house_meeting: Option<MeetingId>,
}

impl Campaign {
    fn phone(&mut self, who: Who) -> &mut Phone {
        match who {
            Who::Organiser => &mut self.organiser,
            Who::Volunteer(n) => &mut self.volunteers[n],
        }
    }

    fn user(&self, who: Who) -> UserId {
        match who {
            Who::Organiser => self.cast.organiser,
            Who::Volunteer(n) => self.cast.volunteers[n],
        }
    }

    /// The organiser's issue list for the constituency, made as the app's issue list makes
    /// it: one record each, named and normalised by the issue's own rule.
    async fn list_issues(&mut self) -> anyhow::Result<()> {
        self.organiser.sync(&self.db, &self.trees).await?;
        let listed = ISSUES_LISTED.at(self.now);
        for (n, (name, _)) in ISSUES.iter().enumerate() {
            // A millisecond apart, so that their ids sort as they are listed: a story is
            // filed under the first issue its talk raised, by id.
            let at = Timestamp(listed.0 + n as i64);
            let issue = Issue {
                id: IssueId(id_at(at)),
                area: self.cast.constituency,
                created_by: self.cast.organiser,
                name: (*name).to_owned(),
                parent: None,
            }
            .normalised()
            .map_err(|problems| anyhow!("a demo issue is not valid: {problems:?}"))?;
            self.organiser.make(&[Step::Created(issue.to_record())])?;
        }
        self.organiser.sync(&self.db, &self.trees).await
    }

    /// Everyone's phone sends what it holds, and the organiser's catches up with it.
    async fn sync_everyone(&mut self) -> anyhow::Result<()> {
        for phone in &mut self.volunteers {
            phone.sync(&self.db, &self.trees).await?;
        }
        self.organiser.sync(&self.db, &self.trees).await
    }

    /// The organiser builds the `n`th planned list at `at` on the new walk list form, gives
    /// it to its worker, and gives it the ward's script (writing it for the ward's first).
    async fn build(&mut self, n: usize, at: Timestamp) -> anyhow::Result<()> {
        let plan = &PLANS[n];
        self.sync_everyone().await?;
        let ward = self.cast.wards[plan.ward];
        let worker = self.user(plan.worker);
        let replica = &self.organiser.replica;
        let streets = NewListDraft {
            area: Some(ward),
            ..NewListDraft::default()
        }
        .matching(replica)
        .streets;
        let street = streets
            .get(plan.street)
            .context("a demo ward has fewer streets than the campaign plans for")?
            .clone();
        let draft = NewListDraft {
            name: plan.name.replace("{street}", &street),
            area: Some(ward),
            street,
            reach: plan.reach,
            tag: String::new(),
            assignees: BTreeSet::from([worker]),
        };
        let matching = draft.matching(replica);
        if matching.chosen.is_empty() {
            // Nobody to knock (a revisit with nobody out last time): the form would refuse it.
            return Ok(());
        }
        let list = draft
            .list(&matching, ListId(id_at(at)), self.cast.organiser)
            .map_err(|problems| anyhow!("a demo list is not valid: {problems:?}"))?;
        let mut steps = vec![Step::Created(list.to_record())];
        match self.scripts.get(&ward) {
            Some(&script) => steps.push(choose_script(&list, Some(script))),
            None => {
                let script = ScriptDraft {
                    title: SCRIPT_TITLE.to_owned(),
                    body: SCRIPT_BODY.to_owned(),
                }
                .steps(&list, self.cast.organiser, || id_at(at))
                .map_err(|problems| anyhow!("the demo script is not valid: {problems:?}"))?;
                if let Some(Step::Created(record)) = script.first() {
                    self.scripts.insert(ward, ScriptId(record.id));
                }
                steps.extend(script);
            }
        }
        self.organiser.make(&steps)?;
        self.lists[n] = Some(list.id);
        self.organiser.sync(&self.db, &self.trees).await
    }

    /// The `n`th planned list's worker knocks, from `start`, on up to `doors` of its doors
    /// not yet done, in walking order, recording each as the door screen does.
    async fn work(&mut self, n: usize, start: Timestamp, doors: usize) -> anyhow::Result<()> {
        let Some(list) = self.lists[n] else {
            return Ok(());
        };
        let plan = &PLANS[n];
        let by = self.user(plan.worker);
        let (db, trees) = (self.db.clone(), self.trees.clone());
        let phone = self.phone(plan.worker);
        if phone.replica.one::<List>(list.0).is_none() {
            phone.sync(&db, &trees).await?;
        }
        let walk = Walk::read(&phone.replica, list)
            .context("a demo list did not reach its worker's phone")?;
        let progress = walk.progress(&phone.replica);
        let to_knock: Vec<Door> = walk
            .doors
            .iter()
            .filter(|door| !progress.is_done(door))
            .take(doors)
            .cloned()
            .collect();
        let mut at = start;
        for door in &to_knock {
            at = Timestamp(at.0 + self.knock(plan, &walk.list, door, by, at)?);
        }
        Ok(())
    }

    /// Knocks on `door` at `at` and records what happened; returns how long it took, in
    /// milliseconds.
    fn knock(
        &mut self,
        plan: &ListPlan,
        list: &List,
        door: &Door,
        by: UserId,
        at: Timestamp,
    ) -> anyhow::Result<i64> {
        let outcome = [
            Outcome::NotHome,
            Outcome::Held,
            Outcome::Refused,
            Outcome::Moved,
            Outcome::DoNotKnock,
        ][self.rng.weighted(&[42, 42, 12, 2, 2])];
        if outcome != Outcome::Held {
            let steps = outcome_steps(
                &self.phone(plan.worker).replica,
                list,
                door,
                by,
                at,
                outcome,
                || id_at(at),
            );
            self.phone(plan.worker).make(&steps)?;
            return Ok(self.minutes(1, 3));
        }
        let people: Vec<Person> = door
            .people
            .iter()
            .filter_map(|id| self.phone(plan.worker).replica.one::<Person>(id.0))
            .collect();
        let Some(first) = people.first() else {
            return Ok(self.minutes(1, 2));
        };
        let mut talked_to = vec![first.clone()];
        if people.len() > 1 && self.rng.chance(30) {
            talked_to.push(people[1 + self.rng.below(people.len() - 1)].clone());
        }
        if self.met < MET_AT_THE_DOOR.len() && self.rng.chance(4) {
            let person = met_at_door(
                door,
                list,
                Some(first),
                MET_AT_THE_DOOR[self.met],
                by,
                id_at(at),
            )
            .map_err(|problems| anyhow!("someone met at a demo door is not valid: {problems:?}"))?;
            self.met += 1;
            self.phone(plan.worker)
                .make(&[Step::Created(person.to_record())])?;
            talked_to.push(person);
        }
        let mut took = 0;
        for person in &talked_to {
            let when = Timestamp(at.0 + took);
            self.talk(plan, list, person, by, when)?;
            took += self.minutes(4, 12);
        }
        Ok(took)
    }

    /// A talk with `person` at the door, saved from the conversation form at `at`.
    fn talk(
        &mut self,
        plan: &ListPlan,
        list: &List,
        person: &Person,
        by: UserId,
        at: Timestamp,
    ) -> anyhow::Result<()> {
        let offered = canvass::issues_near(&self.phone(plan.worker).replica, list.area);
        let mut draft = ConversationDraft::for_person(person);
        let raised = [0, 1, 2, 3][self.rng.weighted(&[12, 50, 28, 10])];
        let weights: Vec<usize> = offered
            .iter()
            .map(|issue| weight(&issue.name, plan.ward))
            .collect();
        if weights.iter().any(|&w| w > 0) {
            for _ in 0..raised {
                draft.issues.insert(offered[self.rng.weighted(&weights)].id);
            }
        }
        if !self.named_an_issue && plan.ward == 1 && matches!(plan.worker, Who::Volunteer(_)) {
            draft.new_issue = ISSUE_NAMED_AT_THE_DOOR.0.to_owned();
            self.named_an_issue = true;
        }
        if self.rng.chance(30) {
            draft.note = (*self.rng.pick(NOTES)).to_owned();
        }
        // A story is filed under the first issue the talk raised (by id: the order they
        // were listed in), so it is told about that one.
        let about = draft
            .issues
            .iter()
            .next()
            .and_then(|id| offered.iter().find(|issue| issue.id == *id))
            .map(|issue| issue.name.clone());
        if let Some(about) = about
            && self.rng.chance(45)
            && let Some((_, told)) = STORIES.iter().find(|(issue, _)| *issue == about)
        {
            let story = told[self.rng.below(told.len())];
            if self.stories_told.insert(story) {
                draft.story = story.to_owned();
                draft.story_consent = [
                    StoryConsent::Private,
                    StoryConsent::Anonymised,
                    StoryConsent::Named,
                ][self.rng.weighted(&[25, 40, 35])];
            }
        }
        if person.phone.is_none() && self.rng.chance(12) {
            // The next of the numbers the synthetic area leaves for the story, after the
            // walk-in's: no one else has it.
            if let Some(last) = (self.mobiles_given < 99).then_some(self.mobiles_given + 1) {
                draft.phone = format!("07700 {}", 900_900 + last);
                self.mobiles_given = last;
            }
        }
        let has_phone = !draft.phone.is_empty();
        if has_phone && self.rng.chance(30) {
            draft.consents.insert(ConsentTopic::Phone);
        }
        let mobile = draft.phone.starts_with("07") || draft.phone.starts_with("+447");
        if mobile && self.rng.chance(20) {
            draft.consents.insert(ConsentTopic::Sms);
        }
        if !draft.email.is_empty() && self.rng.chance(25) {
            draft.consents.insert(ConsentTopic::Email);
        }
        if self.rng.chance(14) {
            draft.interests.insert(Interest::ComeToMeeting);
        }
        if self.rng.chance(6) {
            draft.interests.insert(Interest::Volunteer);
            if self.rng.chance(50) {
                draft.skills = (*self.rng.pick(SKILLS)).to_owned();
            }
        }
        if self.rng.chance(3) {
            draft.interests.insert(Interest::HostHouseMeeting);
        }
        if !draft.interests.is_empty() && self.rng.chance(60) {
            draft.follow_up = (*self.rng.pick(FOLLOW_UPS)).to_owned();
        }
        let steps = draft
            .steps(list, None, &offered, person, by, at, || id_at(at))
            .map_err(|problems| anyhow!("a demo conversation is not valid: {problems:?}"))?;
        self.phone(plan.worker).make(&steps)
    }

    /// Between `low` and `high` minutes, in milliseconds.
    fn minutes(&mut self, low: usize, high: usize) -> i64 {
        self.rng.range(low, high) as i64 * MINUTE + self.rng.below(60) as i64 * 1_000
    }

    /// What the organiser's phone holds of the campaign.
    fn counts(&self) -> CampaignCounts {
        let replica = &self.organiser.replica;
        let conversations = replica.all::<Conversation>();
        let one_to_ones = replica.all::<OneToOne>();
        CampaignCounts {
            lists: replica.all::<List>().len(),
            held: conversations
                .iter()
                .filter(|c| c.outcome == Outcome::Held)
                .count(),
            conversations: conversations.len(),
            stories: replica.all::<Story>().len(),
            meetings: replica.all::<Meeting>().len(),
            attendances: replica.all::<Attendance>().len(),
            open_next_steps: one_to_ones.iter().filter(|o| o.next_step_open()).count(),
            one_to_ones: one_to_ones.len(),
            ladder_moves: replica.all::<LadderMove>().len(),
            organisations: replica.all::<Organisation>().len(),
            links: replica.all::<Link>().len(),
            campaigns: replica.all::<organise_core::model::Campaign>().len(),
            campaign_actions: replica.all::<CampaignAction>().len(),
            trainings: replica.all::<Training>().len(),
        }
    }
}

/// How often a talk in the ward at `ward` raises the issue called `name`.
fn weight(name: &str, ward: usize) -> usize {
    ISSUES
        .iter()
        .chain([&ISSUE_NAMED_AT_THE_DOOR])
        .find(|(issue, _)| *issue == name)
        .map_or(0, |(_, weights)| weights[ward.min(1)])
}

/// A new UUIDv7 made at `at`, as a phone mints an id when a record is made.
fn id_at(at: Timestamp) -> RecordId {
    let mut random = [0u8; 10];
    OsRng.fill_bytes(&mut random);
    RecordId::new_v7(at, random)
}

/// A demo user's phone: their replica, synced with the database through the sync protocol
/// as the app syncs it over the API.
struct Phone {
    replica: Replica,
}

impl Phone {
    /// A new phone for `user`, first opened at `at`.
    fn of(user: UserId, at: Timestamp) -> Phone {
        Phone {
            replica: Replica::new(ClientId(id_at(at)), user),
        }
    }

    /// Makes `steps` as one change, as a save on a screen does; the replica checks each as
    /// the server will.
    fn make(&mut self, steps: &[Step]) -> anyhow::Result<()> {
        change::make(steps, &mut self.replica)
            .map_err(|refused| anyhow!("a demo phone refused a change: {refused}"))
    }

    /// Pushes the outbox, failing on any mutation the server refused, then pulls until
    /// caught up.
    async fn sync(&mut self, db: &Db, trees: &Arc<TreeCache>) -> anyhow::Result<()> {
        let user = self.replica.user();
        while let Some(request) = self.replica.push_request(MAX_PUSH_BATCH) {
            let answer = sync_store::run(db, trees, Access::Write, move |store| {
                let answer = protocol::push(store, user, &request)?;
                let applied = answer.is_ok();
                Ok((answer, applied))
            })
            .await?;
            let response =
                answer.map_err(|refused| anyhow!("a demo push was refused: {refused}"))?;
            if let Some(rejected) = response.outcomes.iter().find_map(|o| match &o.outcome {
                Applied::Rejected { rejection } => Some(rejection),
                _ => None,
            }) {
                bail!("the server rejected a demo record: {rejected}");
            }
            self.replica.apply_push_response(&response);
        }
        loop {
            let request = self.replica.pull_request(MAX_PAGE);
            let answer = sync_store::run(db, trees, Access::Read, move |store| {
                Ok((protocol::pull(store, user, &request)?, false))
            })
            .await?;
            let page = answer.map_err(|refused| anyhow!("a demo pull was refused: {refused}"))?;
            if !self.replica.apply_pull(page)? {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_built_before_they_are_worked_and_all_of_it_within_five_weeks_before_today() {
        // Every day of two weeks from Thursday 1 January 2026, just after midnight and just
        // before the next (UTC).
        let first = 1_767_225_600_000;
        for now in
            (0..14).flat_map(|day| [first + day * DAY + MINUTE, first + (day + 1) * DAY - MINUTE])
        {
            let now = Timestamp(now);
            let today = now.0.div_euclid(DAY) * DAY;
            for plan in PLANS {
                let built = plan.built.at(now).0;
                assert!(built < today && built >= today - 5 * 7 * DAY);
                for (session, _) in plan.sessions {
                    let at = session.at(now).0;
                    assert!(at < today && at >= today - 4 * 7 * DAY);
                    assert!(at > built, "{} is worked after it is built", plan.name);
                }
            }
            assert!(
                PLANS
                    .iter()
                    .all(|plan| ISSUES_LISTED.at(now).0 < plan.built.at(now).0)
            );
        }
    }

    #[test]
    fn every_story_is_about_an_issue_on_offer() {
        for (issue, _) in STORIES {
            assert!(weight(issue, 0) + weight(issue, 1) > 0, "{issue}");
        }
        for (issue, _) in ISSUES {
            assert!(STORIES.iter().any(|(about, _)| about == issue), "{issue}");
        }
    }

    #[test]
    fn no_issue_name_holds_another() {
        let names: Vec<String> = ISSUES
            .iter()
            .chain([&ISSUE_NAMED_AT_THE_DOOR])
            .map(|(name, _)| name.to_lowercase())
            .collect();
        for a in &names {
            for b in &names {
                assert!(a == b || !a.contains(b.as_str()), "{a} holds {b}");
            }
        }
    }
}
