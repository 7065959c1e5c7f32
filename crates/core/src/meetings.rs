//! Meetings from the screens: what a new meeting's form makes, who came to one (one entry
//! per person, however many devices signed them in), and what one sign-in at the door of a
//! meeting writes.
//!
//! A meeting an organiser makes is approved as it is made, and so is one made by a trusted
//! host (the host role in its area); a volunteer's is proposed and waits for an organiser.
//! Which it is, is decided by the permission rules the server applies ([`Permissions`]), so
//! the form never makes a meeting the server would refuse.
//!
//! A sign-in ([`SignInDraft`]) is one person at the kiosk: under 16 is counted with nothing
//! kept; someone who agrees to no contact is counted with nothing kept but what matters to
//! them; someone whose phone or email is a known person's is asked whether they are that
//! person ([`SignInDraft::returning`]) and, if so, signed in as them; anyone else becomes a
//! new person, met at a meeting, with the consents they gave.

use crate::order;
use std::collections::{BTreeMap, BTreeSet};

use crate::area::AreaTree;
use crate::canvass::DOOR_CONSENTS;
use crate::canvass::draft::{Said, contact_steps};
use crate::change::Step;
use crate::id::{
    AreaId, AttendanceId, CampaignId, IssueId, MeetingId, PersonId, RecordId, RoleAssignmentId,
    Timestamp, UserId,
};
use crate::model::{
    Anonymous, Attendance, AttendanceStatus, Consent, ConsentMethod, ConsentTopic, Meeting,
    MeetingKind, MeetingStatus, Person, Role, RoleAssignment, Source,
};
use crate::permission::{Actor, Permissions};
use crate::record::{Collection, Entity};
use crate::session::SessionUser;
use crate::sign_in_kit::KitPerson;
use crate::sync::RecordKey;
use crate::validate::{FieldProblem, Problem, normalise_email, normalise_phone};

/// The consent topics a sign-in asks about: the channels we may contact someone on.
pub const SIGN_IN_CONSENTS: [ConsentTopic; 3] = DOOR_CONSENTS;

/// The new meeting form's values, as typed or chosen. The screen turns its date and time
/// fields into timestamps (in the phone's time zone); a field left empty or not a time is
/// `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct MeetingDraft {
    /// What kind of meeting.
    pub kind: MeetingKind,
    /// Its title.
    pub title: String,
    /// Where.
    pub place: String,
    /// When it starts.
    pub starts: Option<Timestamp>,
    /// When it ends; `None` for not said.
    pub ends: Option<Timestamp>,
    /// How many fit, as typed; blank for no limit.
    pub capacity: String,
    /// The area it is in.
    pub area: Option<AreaId>,
    /// The campaign it serves.
    pub campaign: Option<CampaignId>,
    /// The meeting its host came from.
    pub grew_from: Option<MeetingId>,
}

impl MeetingDraft {
    /// The meeting `user` makes from this form, with the id `id`, hosted by them: approved
    /// if the server's rules let them make it so, else proposed. Either the meeting, or
    /// every problem, named by the form's field.
    pub fn meeting(
        &self,
        id: MeetingId,
        user: &SessionUser,
        tree: &AreaTree,
    ) -> Result<Meeting, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        if self.area.is_none() {
            problems.push(FieldProblem::new("area", Problem::Missing));
        }
        if self.starts.is_none() {
            problems.push(FieldProblem::new("starts", Problem::Missing));
        }
        let capacity = match self.capacity.trim() {
            "" => None,
            typed => match typed.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problems.push(FieldProblem::new(
                        "capacity",
                        Problem::WrongType {
                            expected: "a whole number".into(),
                        },
                    ));
                    None
                }
            },
        };
        let meeting = Meeting {
            id,
            area: self.area.unwrap_or(AreaId(RecordId::from_u128(0))),
            created_by: user.id,
            kind: self.kind,
            title: self.title.clone(),
            host: user.id,
            speaker: None,
            place: self.place.clone(),
            starts: self.starts.unwrap_or(Timestamp(0)),
            ends: self.ends,
            capacity,
            campaign: self.campaign,
            status: MeetingStatus::Approved,
            grew_from: self.grew_from,
            from_conversation: None,
        };
        let meeting = match meeting.normalised() {
            Ok(meeting) => meeting,
            Err(found) => {
                // A missing start is said once, not again as the end not after it.
                problems.extend(
                    found
                        .into_iter()
                        .filter(|p| !(self.starts.is_none() && p.field.as_str() == "ends")),
                );
                return Err(problems);
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let actor = Actor::with_roles(user.id, user.roles.iter().map(|r| (r.role, r.area)));
        let rules = Permissions::new(&actor, tree);
        if rules.can_create(&meeting.to_record()).is_ok() {
            return Ok(meeting);
        }
        let proposed = Meeting {
            status: MeetingStatus::Proposed,
            ..meeting
        };
        match rules.can_create(&proposed.to_record()) {
            Ok(()) => Ok(proposed),
            Err(_) => Err(vec![FieldProblem::new("area", Problem::UnknownReference)]),
        }
    }
}

/// One person at a meeting, however many entries and devices recorded them: where they stand
/// (came, if they came; else their latest word: invited, coming, waiting or cannot come; and
/// once it is over, someone coming who never came did not come), whether they offered to
/// host, and everything they said matters to them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendee {
    /// Who.
    pub person: PersonId,
    /// Where they stand with the meeting.
    pub status: AttendanceStatus,
    /// Whether they were invited or replied before the meeting (not a walk-in).
    pub expected: bool,
    /// Whether they said they would come (or were put on the waiting list).
    pub replied: bool,
    /// When they signed in, if they came.
    pub signed_in_at: Option<Timestamp>,
    /// They said they would host a meeting.
    pub would_host: bool,
    /// What they said matters to them.
    pub issues: BTreeSet<IssueId>,
}

/// Who came to a meeting and who was expected, counted once each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Turnout {
    /// Everyone with a record, one entry each, in the order they signed in (then the rest).
    pub attendees: Vec<Attendee>,
    /// Invited and not (yet) replied.
    pub invited: usize,
    /// Said they will come.
    pub coming: usize,
    /// On the waiting list.
    pub waiting: usize,
    /// Said they cannot come after all.
    pub declined: usize,
    /// Places free while people wait: whom to offer them to, first come first offered.
    pub offer_next: Vec<PersonId>,
    /// Came: everyone signed in, counted ones included.
    pub came: usize,
    /// Came without being invited or replying first.
    pub walk_ins: usize,
    /// Came, under 16 (counted only).
    pub under_16: usize,
    /// Came, gave no consent to be contacted (counted only).
    pub no_consent: usize,
    /// Said they would come and did not, once the meeting is over.
    pub no_shows: usize,
    /// Offered to host a meeting.
    pub would_host: usize,
    /// Said they would come (on the waiting list too), whatever they did.
    pub replied: usize,
    /// Of those who said they would come, how many came.
    pub replied_and_came: usize,
    /// How many people raised each issue.
    pub issues: BTreeMap<IssueId, usize>,
}

impl Turnout {
    /// The turnout of `meeting` from its `attendances` (any order; others' are ignored), as
    /// at `now`: once the meeting is over, whoever was expected and did not come is a
    /// no-show.
    pub fn of<'a>(
        meeting: &Meeting,
        attendances: impl IntoIterator<Item = &'a Attendance>,
        now: Timestamp,
    ) -> Turnout {
        let mut turnout = Turnout::default();
        let mut by_person: BTreeMap<PersonId, Attendee> = BTreeMap::new();
        // Each person's latest entry other than coming, and when they joined the waiting
        // list: ids are minted in time order.
        let mut latest: BTreeMap<PersonId, (AttendanceId, AttendanceStatus)> = BTreeMap::new();
        let mut waiting_since: BTreeMap<PersonId, AttendanceId> = BTreeMap::new();
        for attendance in attendances {
            if attendance.meeting != meeting.id {
                continue;
            }
            // Someone recognised by a kit is who it says, before the server agrees as after.
            let Some(person) = attendance.person.or(attendance.matched) else {
                if attendance.status == AttendanceStatus::Attended {
                    for &issue in &attendance.issues {
                        *turnout.issues.entry(issue).or_default() += 1;
                    }
                    turnout.came += 1;
                    turnout.walk_ins += 1;
                    match attendance.anonymous {
                        Some(Anonymous::UnderSixteen) => turnout.under_16 += 1,
                        Some(Anonymous::NoConsent) | None => turnout.no_consent += 1,
                    }
                }
                continue;
            };
            let entry = by_person.entry(person).or_insert_with(|| Attendee {
                person,
                status: attendance.status,
                expected: false,
                replied: false,
                signed_in_at: None,
                would_host: false,
                issues: BTreeSet::new(),
            });
            // Whoever came, came; otherwise their latest word stands (a place after waiting,
            // cannot come after saying they would, a reply again after that).
            if attendance.status == AttendanceStatus::Attended {
                entry.status = AttendanceStatus::Attended;
            } else {
                let said = latest
                    .entry(person)
                    .or_insert((attendance.id, attendance.status));
                if attendance.id >= said.0 {
                    *said = (attendance.id, attendance.status);
                }
            }
            if attendance.status == AttendanceStatus::Waiting {
                let since = waiting_since.entry(person).or_insert(attendance.id);
                *since = (*since).min(attendance.id);
            }
            entry.expected |= attendance.status != AttendanceStatus::Attended;
            entry.replied |= matches!(
                attendance.status,
                AttendanceStatus::Rsvp | AttendanceStatus::Waiting
            );
            entry.signed_in_at = match (entry.signed_in_at, attendance.signed_in_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            entry.would_host |= attendance.would_host;
            entry.issues.extend(attendance.issues.iter().copied());
        }
        let over = meeting.ends.unwrap_or(meeting.starts) < now;
        let mut attendees: Vec<Attendee> = by_person.into_values().collect();
        for attendee in &mut attendees {
            if attendee.status != AttendanceStatus::Attended
                && let Some(&(_, said)) = latest.get(&attendee.person)
            {
                attendee.status = said;
            }
            if over && attendee.status == AttendanceStatus::Rsvp {
                attendee.status = AttendanceStatus::NoShow;
            }
            // Someone signed in on two devices raised each issue once.
            for &issue in &attendee.issues {
                *turnout.issues.entry(issue).or_default() += 1;
            }
            match attendee.status {
                AttendanceStatus::Invited => turnout.invited += 1,
                AttendanceStatus::Rsvp => turnout.coming += 1,
                AttendanceStatus::Waiting => turnout.waiting += 1,
                AttendanceStatus::Declined => turnout.declined += 1,
                AttendanceStatus::NoShow => turnout.no_shows += 1,
                AttendanceStatus::Attended => {
                    turnout.came += 1;
                    if !attendee.expected {
                        turnout.walk_ins += 1;
                    }
                }
            }
            turnout.would_host += usize::from(attendee.would_host);
            turnout.replied += usize::from(attendee.replied);
            turnout.replied_and_came +=
                usize::from(attendee.replied && attendee.status == AttendanceStatus::Attended);
        }
        order::sort_by_key(&mut attendees, |a| {
            (a.signed_in_at.is_none(), a.signed_in_at, a.person)
        });
        if let Some(capacity) = meeting.capacity
            && !over
        {
            let taken = turnout.coming + turnout.came;
            let free = usize::try_from(capacity).unwrap_or(0).saturating_sub(taken);
            let mut queue: Vec<(AttendanceId, PersonId)> = attendees
                .iter()
                .filter(|a| a.status == AttendanceStatus::Waiting)
                .filter_map(|a| waiting_since.get(&a.person).map(|&since| (since, a.person)))
                .collect();
            order::sort(&mut queue);
            turnout.offer_next = queue.into_iter().take(free).map(|(_, p)| p).collect();
        }
        turnout.attendees = attendees;
        turnout
    }

    /// Whether `person` has signed in already.
    pub fn has_come(&self, person: PersonId) -> bool {
        self.attendees
            .iter()
            .any(|a| a.person == person && a.status == AttendanceStatus::Attended)
    }

    /// Whether the meeting has a capacity and its places are all taken or promised to people
    /// waiting: a reply now waits too, behind them.
    pub fn is_full(&self, meeting: &Meeting) -> bool {
        meeting.capacity.is_some_and(|capacity| {
            let claimed = self.coming + self.came + self.waiting;
            i64::try_from(claimed).unwrap_or(i64::MAX) >= capacity
        })
    }

    /// Whether `person` is on the meeting's list in any way (invited, replied, came).
    pub fn holds(&self, person: PersonId) -> bool {
        self.attendees.iter().any(|a| a.person == person)
    }
}

/// The sign-in form's values, as typed: nothing here is checked until
/// [`SignInDraft::steps`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SignInDraft {
    /// Their name.
    pub name: String,
    /// Their phone; blank for none.
    pub phone: String,
    /// Their email; blank for none.
    pub email: String,
    /// Their postcode; blank for none.
    pub postcode: String,
    /// The channels (of [`SIGN_IN_CONSENTS`]) they agree to be contacted by.
    pub consents: BTreeSet<ConsentTopic>,
    /// They would host a meeting.
    pub would_host: bool,
    /// What matters to them, from the area's issues.
    pub issues: BTreeSet<IssueId>,
    /// They are under 16: counted, nothing else kept.
    pub under_16: bool,
}

/// Whom someone at the kiosk said they are, of those [`SignInDraft::returning`] or a
/// prepared kit ([`crate::sign_in_kit::SignInKit::find`]) offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returning<'a> {
    /// A person the device holds: their record is brought up to date.
    Known(&'a Person),
    /// Someone a kit recognised, whose record the device does not hold: the attendance names
    /// them by the kit's token, with the consents they gave for the server to record.
    Recognised(&'a KitPerson),
}

impl Returning<'_> {
    /// Who.
    pub fn person(self) -> PersonId {
        match self {
            Returning::Known(person) => person.id,
            Returning::Recognised(kit) => kit.person,
        }
    }
}

/// What one sign-in did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignedIn {
    /// Counted, with nothing kept about who they are.
    Counted(Anonymous),
    /// Someone already known, now signed in.
    Welcomed(PersonId),
    /// Someone new, now a person met at a meeting.
    New(PersonId),
    /// They had signed in already: nothing more is written.
    AlreadyHere(PersonId),
}

impl SignInDraft {
    /// The people among `known` whose phone or email is the one typed (normalised as the
    /// person's record keeps them, an email in any case): whom the form asks "is this you?" about before signing
    /// them in as that person. A name and postcode alone never match, and a shared email
    /// matches everyone who shares it, so nobody is merged without being asked.
    pub fn returning<'a>(&self, known: impl IntoIterator<Item = &'a Person>) -> Vec<&'a Person> {
        if self.under_16 {
            return Vec::new();
        }
        let phone = normalise_phone(&self.phone).ok();
        // Mailboxes are matched whatever their case: nobody has two that differ only so.
        let email = normalise_email(self.email.trim())
            .ok()
            .map(|e| e.to_lowercase());
        if phone.is_none() && email.is_none() {
            return Vec::new();
        }
        known
            .into_iter()
            .filter(|person| {
                (phone.is_some() && person.phone == phone)
                    || (email.is_some() && person.email.as_deref().map(str::to_lowercase) == email)
            })
            .collect()
    }

    /// The steps that sign this person in to `meeting` at `at`, recorded by `by`: as
    /// `returning` if they said they are that person, else as someone new (or counted, if
    /// under 16 or agreeing to no contact). `turnout` is the meeting's as the device holds
    /// it, so that nobody is signed in twice. Either what it did and its steps, or every
    /// problem, named by the form's field.
    pub fn steps(
        &self,
        meeting: &Meeting,
        returning: Option<Returning<'_>>,
        turnout: &Turnout,
        by: UserId,
        at: Timestamp,
        mut mint: impl FnMut() -> RecordId,
    ) -> Result<(SignedIn, Vec<Step>), Vec<FieldProblem>> {
        let mut attendance = Attendance {
            id: AttendanceId(RecordId::from_u128(0)),
            area: meeting.area,
            created_by: by,
            meeting: meeting.id,
            person: None,
            status: AttendanceStatus::Attended,
            signed_in_at: Some(at),
            anonymous: None,
            would_host: false,
            issues: BTreeSet::new(),
            matched: None,
            returning: None,
            consents: BTreeSet::new(),
        };
        if self.under_16 {
            attendance.id = AttendanceId(mint());
            attendance.anonymous = Some(Anonymous::UnderSixteen);
            let step = Step::Created(attendance.normalised()?.to_record());
            return Ok((SignedIn::Counted(Anonymous::UnderSixteen), vec![step]));
        }
        attendance.issues = self.issues.clone();
        if let Some(returning) = returning
            && turnout.has_come(returning.person())
        {
            return Ok((SignedIn::AlreadyHere(returning.person()), Vec::new()));
        }
        if let Some(Returning::Recognised(kit)) = returning {
            attendance.id = AttendanceId(mint());
            attendance.matched = Some(kit.person);
            attendance.returning = Some(kit.token.clone());
            attendance.consents = self
                .consents
                .iter()
                .copied()
                .filter(|topic| SIGN_IN_CONSENTS.contains(topic))
                .collect();
            attendance.would_host = self.would_host;
            let step = Step::Created(attendance.normalised()?.to_record());
            return Ok((SignedIn::Welcomed(kit.person), vec![step]));
        }
        if let Some(Returning::Known(person)) = returning {
            // A blank field keeps what we hold: the form never shows it.
            let keep = |typed: &str, held: &Option<String>| {
                if typed.trim().is_empty() {
                    held.clone().unwrap_or_default()
                } else {
                    typed.to_owned()
                }
            };
            let (phone, email) = (
                keep(&self.phone, &person.phone),
                keep(&self.email, &person.email),
            );
            let mut consents = self.consents.clone();
            // Not ticking a box they ticked before is no withdrawal: the kiosk does not
            // show what they agreed to.
            consents.extend(
                SIGN_IN_CONSENTS
                    .into_iter()
                    .filter(|&topic| person.has_consent(topic)),
            );
            let mut steps = contact_steps(
                person,
                Said {
                    phone: &phone,
                    email: &email,
                    consents: &consents,
                    method: ConsentMethod::Meeting,
                    at,
                    skills: "",
                },
            )?;
            attendance.id = AttendanceId(mint());
            attendance.person = Some(person.id);
            attendance.would_host = self.would_host;
            steps.push(Step::Created(attendance.normalised()?.to_record()));
            return Ok((SignedIn::Welcomed(person.id), steps));
        }
        if self.consents.is_empty() {
            attendance.id = AttendanceId(mint());
            attendance.anonymous = Some(Anonymous::NoConsent);
            let step = Step::Created(attendance.normalised()?.to_record());
            return Ok((SignedIn::Counted(Anonymous::NoConsent), vec![step]));
        }
        let mut problems = Vec::new();
        if self.consents.contains(&ConsentTopic::Email) && self.email.trim().is_empty() {
            problems.push(FieldProblem::new("email", Problem::Missing));
        }
        if (self.consents.contains(&ConsentTopic::Phone)
            || self.consents.contains(&ConsentTopic::Sms))
            && self.phone.trim().is_empty()
        {
            problems.push(FieldProblem::new("phone", Problem::Missing));
        }
        let person = Person {
            phone: Some(self.phone.clone()),
            email: Some(self.email.clone()),
            postcode: Some(self.postcode.clone()),
            consents: self
                .consents
                .iter()
                .filter(|topic| SIGN_IN_CONSENTS.contains(topic))
                .map(|&topic| {
                    let consent = Consent {
                        given: true,
                        at,
                        method: ConsentMethod::Meeting,
                    };
                    (topic, consent)
                })
                .collect(),
            ..Person::new(
                PersonId(mint()),
                meeting.area,
                by,
                self.name.clone(),
                Source::Meeting,
            )
        };
        let person = match person.normalised() {
            Ok(person) => Some(person),
            Err(found) => {
                problems.extend(found);
                None
            }
        };
        let Some(person) = person.filter(|_| problems.is_empty()) else {
            return Err(problems);
        };
        attendance.id = AttendanceId(mint());
        attendance.person = Some(person.id);
        attendance.would_host = self.would_host;
        let attendance = attendance.normalised()?;
        let id = person.id;
        Ok((
            SignedIn::New(id),
            vec![
                Step::Created(person.to_record()),
                Step::Created(attendance.to_record()),
            ],
        ))
    }
}

/// The steps that record that `person` cannot come to `meeting` after all (they told the host),
/// recorded by `by`: nothing unless they were invited, had a place or were waiting.
pub fn decline_steps(
    meeting: &Meeting,
    person: PersonId,
    turnout: &Turnout,
    by: UserId,
    mint: impl FnOnce() -> RecordId,
) -> Vec<Step> {
    let expected = turnout.attendees.iter().any(|a| {
        a.person == person
            && matches!(
                a.status,
                AttendanceStatus::Invited | AttendanceStatus::Rsvp | AttendanceStatus::Waiting
            )
    });
    if !expected {
        return Vec::new();
    }
    entry_steps(meeting, person, AttendanceStatus::Declined, by, mint)
}

/// The steps that give `person`, waiting, a place at `meeting` that has come free (the host
/// tells them), recorded by `by`: nothing unless they are next in line for one.
pub fn offer_place_steps(
    meeting: &Meeting,
    person: PersonId,
    turnout: &Turnout,
    by: UserId,
    mint: impl FnOnce() -> RecordId,
) -> Vec<Step> {
    if !turnout.offer_next.contains(&person) {
        return Vec::new();
    }
    entry_steps(meeting, person, AttendanceStatus::Rsvp, by, mint)
}

/// One new entry for `person` at `meeting` with `status`.
fn entry_steps(
    meeting: &Meeting,
    person: PersonId,
    status: AttendanceStatus,
    by: UserId,
    mint: impl FnOnce() -> RecordId,
) -> Vec<Step> {
    let attendance = Attendance {
        id: AttendanceId(mint()),
        area: meeting.area,
        created_by: by,
        meeting: meeting.id,
        person: Some(person),
        status,
        signed_in_at: None,
        anonymous: None,
        would_host: false,
        issues: BTreeSet::new(),
        matched: None,
        returning: None,
        consents: BTreeSet::new(),
    };
    vec![Step::Created(attendance.to_record())]
}

/// The steps that invite `person` to `meeting`, recorded by `by`: nothing if they are on
/// its list already.
pub fn invite_steps(
    meeting: &Meeting,
    person: PersonId,
    turnout: &Turnout,
    by: UserId,
    id: RecordId,
) -> Result<Vec<Step>, Vec<FieldProblem>> {
    if turnout.holds(person) {
        return Ok(Vec::new());
    }
    Ok(entry_steps(
        meeting,
        person,
        AttendanceStatus::Invited,
        by,
        || id,
    ))
}

/// The steps that approve `meeting` (a volunteer's proposal), by `by`; with `trust`, the id
/// for a new role assignment, its host also becomes a trusted host of its area (the host
/// role), whose later meetings need no approval.
pub fn approve_steps(meeting: &Meeting, by: UserId, trust: Option<RecordId>) -> Vec<Step> {
    let key = RecordKey {
        collection: Collection::Meeting,
        id: meeting.id.0,
    };
    let mut steps = vec![Step::Set {
        key,
        field: "status",
        before: meeting.status.into(),
        after: MeetingStatus::Approved.into(),
    }];
    if let Some(id) = trust {
        let role = RoleAssignment {
            id: RoleAssignmentId(id),
            area: meeting.area,
            created_by: by,
            user: meeting.host,
            role: Role::Host,
        };
        steps.push(Step::Created(role.to_record()));
    }
    steps
}

/// How long after a meeting its organiser has to arrange a one-to-one with each person who
/// came: a week.
pub const FOLLOW_UP_WITHIN_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// When the one-to-ones after `meeting` are due: a week after it ends (or starts, when it
/// has no end).
pub fn follow_up_due(meeting: &Meeting) -> Timestamp {
    Timestamp(meeting.ends.unwrap_or(meeting.starts).0 + FOLLOW_UP_WITHIN_MS)
}

/// The people to follow up after a meeting: everyone with a record who came, in the order
/// they signed in. (Those counted without a record left nothing to follow up.)
pub fn to_follow_up(turnout: &Turnout) -> Vec<PersonId> {
    turnout
        .attendees
        .iter()
        .filter(|a| a.status == AttendanceStatus::Attended)
        .map(|a| a.person)
        .collect()
}

/// Where a meeting sits in the chain of meetings that grew from one another: the one its
/// host came from, and those whose hosts came from it, earliest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chain {
    /// The meeting it grew from, if the phone holds it.
    pub grew_from: Option<Meeting>,
    /// The meetings that grew from it.
    pub led_to: Vec<Meeting>,
}

impl Chain {
    /// `meeting`'s place among `meetings` (any order; cancelled ones left out).
    pub fn of(meeting: &Meeting, meetings: &[Meeting]) -> Chain {
        let live = |m: &&Meeting| m.status != MeetingStatus::Cancelled;
        let grew_from = meeting
            .grew_from
            .and_then(|id| meetings.iter().filter(live).find(|m| m.id == id))
            .cloned();
        let mut led_to: Vec<Meeting> = meetings
            .iter()
            .filter(live)
            .filter(|m| m.grew_from == Some(meeting.id))
            .cloned()
            .collect();
        order::sort_by_key(&mut led_to, |m| (m.starts, m.id));
        Chain { grew_from, led_to }
    }
}

/// The people among `others` who may be `person` under another record: the same name (in
/// any case) and the same postcode. Never merged by the app: an organiser reviews them, since
/// a name and postcode alone may be two neighbours, or a parent and child.
pub fn maybe_the_same<'a>(
    person: &Person,
    others: impl IntoIterator<Item = &'a Person>,
) -> Vec<&'a Person> {
    let Some(postcode) = &person.postcode else {
        return Vec::new();
    };
    let name = person.name.to_lowercase();
    others
        .into_iter()
        .filter(|other| {
            other.id != person.id
                && other.postcode.as_ref() == Some(postcode)
                && other.name.to_lowercase() == name
        })
        .collect()
}
