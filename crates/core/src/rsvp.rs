//! Replying to a meeting and signing in at one on one's own phone, without an account: the
//! wire types of a meeting's public links (`/rsvp/<token>` until it starts, `/sign-in-at/<token>`
//! on the night), the checks on what someone types there (a person's own rules), whom a reply
//! comes from, and what it writes.
//!
//! The public pages show the meeting and nothing about who is coming: not the host, not how
//! many, only whether it is full. What someone types is checked alike whoever they turn out to
//! be, and the answer never says whether they were known.
//!
//! Someone is taken for a person already held only when their name (normalised, in any case)
//! and their phone or email are that person's: a shared family email with another name is a
//! second person. A known person's phone and email are never replaced from a public form (only
//! added where none was held), and a consent they had is never withdrawn by a box left
//! unticked.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::area::AreaTree;
use crate::canvass::draft::{Said, contact_steps};
use crate::change::Step;
use crate::id::{AreaId, AttendanceId, IssueId, PersonId, RecordId, Timestamp, UserId};
use crate::meetings::{Returning, SIGN_IN_CONSENTS, SignInDraft, SignedIn, Turnout};
use crate::model::{
    Attendance, AttendanceStatus, Consent, ConsentMethod, ConsentTopic, Issue, Meeting,
    MeetingKind, MeetingStatus, Person, Source,
};
use crate::record::{Choice, Entity};
use crate::validate::{FieldProblem, Problem, normalise_name};

/// The consent topics a public form asks about: the channels we may contact someone on.
pub const FORM_CONSENTS: [ConsentTopic; 3] = SIGN_IN_CONSENTS;

/// How long sign-in stays open after a meeting ends: people sign in late, or after the
/// meeting when the queue was long.
pub const SIGN_IN_AFTER_END_MS: i64 = 2 * 60 * 60 * 1000;

/// How long a meeting with no end is taken to last.
pub const LENGTH_WITHOUT_END_MS: i64 = 3 * 60 * 60 * 1000;

/// When replies to `meeting` close: when it starts.
pub fn replies_close(meeting: &Meeting) -> Timestamp {
    meeting.starts
}

/// When sign-in at `meeting` closes: [`SIGN_IN_AFTER_END_MS`] after its end (or after its
/// start and [`LENGTH_WITHOUT_END_MS`], when it has none).
pub fn sign_in_closes(meeting: &Meeting) -> Timestamp {
    let ends = meeting
        .ends
        .unwrap_or(Timestamp(meeting.starts.0 + LENGTH_WITHOUT_END_MS));
    Timestamp(ends.0 + SIGN_IN_AFTER_END_MS)
}

/// Whether `meeting` may have public links: only an approved one (a proposal is not going
/// ahead yet, a cancelled meeting no longer is).
pub fn has_links(meeting: &Meeting) -> bool {
    meeting.status == MeetingStatus::Approved
}

/// A meeting's public links (`POST /api/meetings/{id}/links`): paths to put after the app's
/// address, each with when it stops working.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MeetingLinks {
    /// The reply page (`/rsvp/<token>`), to share before the meeting.
    pub rsvp: String,
    /// When replies close: the meeting's start.
    pub rsvp_expires: Timestamp,
    /// The sign-in page (`/sign-in-at/<token>`), to show as a QR code on the night.
    pub sign_in: String,
    /// When sign-in closes: two hours after the meeting's end.
    pub sign_in_expires: Timestamp,
}

/// A meeting as its public pages show it: nothing about who is coming.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PublicMeeting {
    /// Its title.
    pub title: String,
    /// What kind of meeting.
    pub kind: MeetingKind,
    /// When it starts.
    pub starts: Timestamp,
    /// When it ends, if said.
    pub ends: Option<Timestamp>,
    /// Where.
    pub place: String,
    /// Whether it has a capacity and as many people have said they will come (a reply now
    /// goes on the waiting list).
    pub full: bool,
}

impl PublicMeeting {
    /// `meeting` as its public pages show it, given its `attendances` (others are ignored).
    pub fn of<'a>(
        meeting: &Meeting,
        attendances: impl IntoIterator<Item = &'a Attendance>,
    ) -> PublicMeeting {
        PublicMeeting {
            title: meeting.title.clone(),
            kind: meeting.kind,
            starts: meeting.starts,
            ends: meeting.ends,
            place: meeting.place.clone(),
            full: is_full(meeting, attendances),
        }
    }
}

/// Whether `meeting` is full: it has a capacity, and its places are all taken (by people,
/// each once however many entries, who said they will come or came) or promised to people
/// waiting ([`Turnout::is_full`]).
pub fn is_full<'a>(
    meeting: &Meeting,
    attendances: impl IntoIterator<Item = &'a Attendance>,
) -> bool {
    Turnout::of(meeting, attendances, meeting.starts).is_full(meeting)
}

/// An issue the sign-in page offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IssueChoice {
    /// The issue.
    pub id: IssueId,
    /// Its name.
    pub name: String,
}

/// The issues someone at a meeting in `area` can say matter to them: those the door offers
/// there ([`crate::canvass::broad_issues_near`]), from `issues`.
pub fn issues_near(
    tree: &AreaTree,
    issues: impl IntoIterator<Item = Issue>,
    area: AreaId,
) -> Vec<IssueChoice> {
    crate::canvass::broad_issues_near(tree, issues, area)
        .into_iter()
        .map(|i| IssueChoice {
            id: i.id,
            name: i.name,
        })
        .collect()
}

/// The sign-in page (`GET /api/sign-in-at/{token}`): the meeting and the issues it offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PublicSignIn {
    /// The meeting.
    pub meeting: PublicMeeting,
    /// What someone may say matters to them, by name.
    pub issues: Vec<IssueChoice>,
}

/// A reply to a meeting (`POST /api/rsvp/{token}`), as typed. Checked by
/// [`RsvpForm::checked`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RsvpForm {
    /// Their name.
    pub name: String,
    /// Their phone; blank for none. A phone or an email is needed.
    pub phone: String,
    /// Their email; blank for none.
    pub email: String,
    /// Their postcode; blank for none.
    pub postcode: String,
    /// The channels (of [`FORM_CONSENTS`]) they agree to be contacted by.
    pub consents: Vec<ConsentTopic>,
}

/// Where a reply left someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RsvpStatus {
    /// They have a place.
    Rsvp,
    /// The meeting is full: they are on the waiting list.
    Waiting,
}

impl RsvpStatus {
    fn attendance(self) -> AttendanceStatus {
        match self {
            RsvpStatus::Rsvp => AttendanceStatus::Rsvp,
            RsvpStatus::Waiting => AttendanceStatus::Waiting,
        }
    }
}

/// The answer to a reply: where it left them, and nothing about whether they were known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RsvpAnswer {
    /// A place, or the waiting list.
    pub status: RsvpStatus,
}

/// Signing in at a meeting on one's own phone (`POST /api/sign-in-at/{token}`), as typed:
/// [`SignInDraft`]'s values. Checked by [`SelfSignIn::checked`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SelfSignIn {
    /// Their name.
    pub name: String,
    /// Their phone; blank for none.
    pub phone: String,
    /// Their email; blank for none.
    pub email: String,
    /// Their postcode; blank for none.
    pub postcode: String,
    /// The channels (of [`FORM_CONSENTS`]) they agree to be contacted by; none, and they are
    /// counted with nothing kept about who they are.
    pub consents: Vec<ConsentTopic>,
    /// They would host a meeting.
    pub would_host: bool,
    /// What matters to them, from the issues the page offered.
    pub issues: Vec<IssueId>,
    /// They are under 16: counted, nothing else kept.
    pub under_16: bool,
}

impl From<SignInDraft> for SelfSignIn {
    /// The kiosk's form, as one's own phone sends it.
    fn from(draft: SignInDraft) -> SelfSignIn {
        SelfSignIn {
            name: draft.name,
            phone: draft.phone,
            email: draft.email,
            postcode: draft.postcode,
            consents: draft.consents.into_iter().collect(),
            would_host: draft.would_host,
            issues: draft.issues.into_iter().collect(),
            under_16: draft.under_16,
        }
    }
}

/// The answer to a sign-in: whether they were only counted (under 16, or agreeing to no
/// contact), as the form alone decides; never whether they were known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignedInAnswer {
    /// Counted with nothing kept about who they are.
    pub counted_only: bool,
}

/// How to reach someone, as a public form gave it and a person's own rules checked it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// Their name, normalised.
    pub name: String,
    /// Their phone, normalised; none if left blank.
    pub phone: Option<String>,
    /// Their email, normalised; none if left blank.
    pub email: Option<String>,
    /// Their postcode, normalised; none if left blank.
    pub postcode: Option<String>,
    /// The channels they agree to be contacted by.
    pub consents: BTreeSet<ConsentTopic>,
}

/// Checks what a public form says about someone by a person's own rules ([`Entity::normalised`]):
/// a name; a phone or an email (else a problem on both); the detail every consent needs (email
/// on `email`, texts and calls on `phone`); only [`FORM_CONSENTS`], else a problem on
/// `consents`. Every problem, by the form's field.
pub fn contact(
    name: &str,
    phone: &str,
    email: &str,
    postcode: &str,
    consents: &[ConsentTopic],
) -> Result<Contact, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    if consents.iter().any(|t| !FORM_CONSENTS.contains(t)) {
        problems.push(FieldProblem::new(
            "consents",
            Problem::NotAChoice {
                allowed: FORM_CONSENTS
                    .iter()
                    .map(|t| t.as_str().to_owned())
                    .collect(),
            },
        ));
    }
    let consents: BTreeSet<ConsentTopic> = consents
        .iter()
        .copied()
        .filter(|t| FORM_CONSENTS.contains(t))
        .collect();
    let blank = |s: &str| s.trim().is_empty();
    let mut missing = BTreeSet::new();
    if blank(phone) && blank(email) {
        missing.extend(["phone", "email"]);
    }
    if consents.contains(&ConsentTopic::Email) && blank(email) {
        missing.insert("email");
    }
    if (consents.contains(&ConsentTopic::Phone) || consents.contains(&ConsentTopic::Sms))
        && blank(phone)
    {
        missing.insert("phone");
    }
    // The order the form shows them in.
    for field in ["phone", "email"] {
        if missing.contains(field) {
            problems.push(FieldProblem::new(field, Problem::Missing));
        }
    }
    let typed = Person {
        phone: Some(phone.to_owned()),
        email: Some(email.to_owned()),
        postcode: Some(postcode.to_owned()),
        ..Person::new(
            PersonId(RecordId::from_u128(0)),
            AreaId(RecordId::from_u128(0)),
            UserId(RecordId::from_u128(0)),
            name,
            Source::OnlineForm,
        )
    };
    match typed.normalised() {
        Ok(person) if problems.is_empty() => Ok(Contact {
            name: person.name,
            phone: person.phone,
            email: person.email,
            postcode: person.postcode,
            consents,
        }),
        Ok(_) => Err(problems),
        Err(found) => {
            problems.extend(found);
            Err(problems)
        }
    }
}

impl Contact {
    /// Whether `person` is the one who gave these details: the same name (normalised, in
    /// any case) and the same phone or email (an email in any case). A name and postcode
    /// alone never match, nor a shared email under another name.
    pub fn is(&self, person: &Person) -> bool {
        let same_name = normalise_name(&person.name)
            .is_ok_and(|held| held.to_lowercase() == self.name.to_lowercase());
        let same_phone = self.phone.is_some() && person.phone == self.phone;
        let same_email = self.email.as_ref().is_some_and(|email| {
            person
                .email
                .as_ref()
                .is_some_and(|held| held.to_lowercase() == email.to_lowercase())
        });
        same_name && (same_phone || same_email)
    }

    /// The one among `known` who gave these details ([`Contact::is`]), the earliest made
    /// when several would do.
    pub fn returning<'a>(&self, known: impl IntoIterator<Item = &'a Person>) -> Option<&'a Person> {
        known
            .into_iter()
            .filter(|person| self.is(person))
            .min_by_key(|person| person.id)
    }
}

impl RsvpForm {
    /// What the form says, checked (see [`contact`]).
    pub fn checked(&self) -> Result<Contact, Vec<FieldProblem>> {
        contact(
            &self.name,
            &self.phone,
            &self.email,
            &self.postcode,
            &self.consents,
        )
    }
}

/// A sign-in that passed its checks: what it is, before anyone is looked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckedSignIn {
    /// Counted only: under 16, or agreeing to no contact. No one is looked for.
    Counted,
    /// Someone to sign in, returning or new.
    Someone(Contact),
}

impl SelfSignIn {
    /// Checks the form: the issues must be among those `offered`; unless they are only
    /// counted (under 16, or no consent), what it says about them as [`contact`] does.
    pub fn checked(&self, offered: &[IssueChoice]) -> Result<CheckedSignIn, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        if self
            .issues
            .iter()
            .any(|issue| !offered.iter().any(|o| o.id == *issue))
        {
            problems.push(FieldProblem::new("issues", Problem::UnknownReference));
        }
        let checked = if self.counted_only() {
            Ok(CheckedSignIn::Counted)
        } else {
            contact(
                &self.name,
                &self.phone,
                &self.email,
                &self.postcode,
                &self.consents,
            )
            .map(CheckedSignIn::Someone)
        };
        match checked {
            Ok(checked) if problems.is_empty() => Ok(checked),
            Ok(_) => Err(problems),
            Err(found) => {
                problems.extend(found);
                Err(problems)
            }
        }
    }

    /// Whether they are only counted, with nothing kept about who they are: under 16, or
    /// agreeing to no contact. The form alone decides, never who they turn out to be.
    pub fn counted_only(&self) -> bool {
        self.under_16 || self.consents.is_empty()
    }

    /// The steps that sign them in to `meeting` at `at`, recorded in `by`'s name: under 16
    /// or agreeing to no contact, counted with nothing kept but the issues (none under 16);
    /// else as `returning` if they are someone held (their phone and email kept, and added
    /// only where none was held; nothing new if they had signed in already), or as someone
    /// new met at a meeting. `attendances` are the meeting's. The rules are
    /// [`SignInDraft::steps`]'.
    pub fn steps<'a>(
        &self,
        meeting: &Meeting,
        returning: Option<&Person>,
        attendances: impl IntoIterator<Item = &'a Attendance>,
        by: UserId,
        at: Timestamp,
        mint: impl FnMut() -> RecordId,
    ) -> Result<(SignedIn, Vec<Step>), Vec<FieldProblem>> {
        let turnout = Turnout::of(meeting, attendances, at);
        let issues: BTreeSet<IssueId> = self.issues.iter().copied().collect();
        if self.counted_only() {
            // Nothing they typed is handed on: only what the count needs.
            let counted = SignInDraft {
                under_16: self.under_16,
                issues,
                ..SignInDraft::default()
            };
            return counted.steps(meeting, None, &turnout, by, at, mint);
        }
        let blank_if_held = |typed: &str, held: Option<&String>| match held {
            Some(_) => String::new(),
            None => typed.to_owned(),
        };
        let draft = SignInDraft {
            name: self.name.clone(),
            phone: blank_if_held(&self.phone, returning.and_then(|p| p.phone.as_ref())),
            email: blank_if_held(&self.email, returning.and_then(|p| p.email.as_ref())),
            postcode: self.postcode.clone(),
            consents: self.consents.iter().copied().collect(),
            would_host: self.would_host,
            issues,
            under_16: false,
        };
        draft.steps(
            meeting,
            returning.map(Returning::Known),
            &turnout,
            by,
            at,
            mint,
        )
    }
}

/// The steps a reply to `meeting` at `at` writes, in `by`'s name, and where it leaves them:
/// a place, or the waiting list when the meeting is full. `returning` is the person who
/// replied, if held: their consents given are recorded (method `form`) and none withdrawn,
/// their phone or email added where none was held; someone new is a person from an online
/// form in the meeting's area. Someone who has a place or came already gets nothing new, and
/// nor does someone waiting while it is still full. `attendances` are the meeting's.
pub fn rsvp_steps(
    meeting: &Meeting,
    contact: &Contact,
    returning: Option<&Person>,
    attendances: &[Attendance],
    by: UserId,
    at: Timestamp,
    mut mint: impl FnMut() -> RecordId,
) -> Result<(RsvpStatus, Vec<Step>), Vec<FieldProblem>> {
    let full = is_full(meeting, attendances);
    let mut steps = Vec::new();
    let person = match returning {
        Some(person) => {
            let mut consents = contact.consents.clone();
            consents.extend(
                FORM_CONSENTS
                    .into_iter()
                    .filter(|&topic| person.has_consent(topic)),
            );
            let (phone, email) = (
                person.phone.clone().or(contact.phone.clone()),
                person.email.clone().or(contact.email.clone()),
            );
            steps.extend(contact_steps(
                person,
                Said {
                    phone: phone.as_deref().unwrap_or_default(),
                    email: email.as_deref().unwrap_or_default(),
                    consents: &consents,
                    method: ConsentMethod::Form,
                    at,
                    skills: "",
                },
            )?);
            let statuses: BTreeSet<AttendanceStatus> = attendances
                .iter()
                .filter(|a| a.meeting == meeting.id && a.person == Some(person.id))
                .map(|a| a.status)
                .collect();
            if statuses.contains(&AttendanceStatus::Rsvp)
                || statuses.contains(&AttendanceStatus::Attended)
            {
                return Ok((RsvpStatus::Rsvp, steps));
            }
            if full && statuses.contains(&AttendanceStatus::Waiting) {
                return Ok((RsvpStatus::Waiting, steps));
            }
            person.id
        }
        None => {
            let person = Person {
                phone: contact.phone.clone(),
                email: contact.email.clone(),
                postcode: contact.postcode.clone(),
                consents: contact
                    .consents
                    .iter()
                    .map(|&topic| {
                        let consent = Consent {
                            given: true,
                            at,
                            method: ConsentMethod::Form,
                        };
                        (topic, consent)
                    })
                    .collect(),
                ..Person::new(
                    PersonId(mint()),
                    meeting.area,
                    by,
                    contact.name.clone(),
                    Source::OnlineForm,
                )
            }
            .normalised()?;
            let id = person.id;
            steps.push(Step::Created(person.to_record()));
            id
        }
    };
    let status = if full {
        RsvpStatus::Waiting
    } else {
        RsvpStatus::Rsvp
    };
    let attendance = Attendance {
        id: AttendanceId(mint()),
        area: meeting.area,
        created_by: by,
        meeting: meeting.id,
        person: Some(person),
        status: status.attendance(),
        signed_in_at: None,
        anonymous: None,
        would_host: false,
        issues: BTreeSet::new(),
        matched: None,
        returning: None,
        consents: BTreeSet::new(),
    }
    .normalised()?;
    steps.push(Step::Created(attendance.to_record()));
    Ok((status, steps))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::area::{Area, AreaKind};
    use crate::id::MeetingId;
    use crate::record::{Record, Value};
    use crate::sync::replica::Replica;
    use crate::sync::wire::ClientId;

    const AT: Timestamp = Timestamp(1_800_000_000_000);

    fn id(n: u128) -> RecordId {
        RecordId::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | n)
    }

    fn counter() -> impl FnMut() -> RecordId {
        let mut n = 1000;
        move || {
            n += 1;
            id(n)
        }
    }

    fn ward() -> AreaId {
        AreaId(id(2))
    }

    fn host() -> UserId {
        UserId(id(9))
    }

    fn meeting(capacity: Option<i64>) -> Meeting {
        Meeting {
            id: MeetingId(id(10)),
            area: ward(),
            created_by: host(),
            kind: MeetingKind::HouseMeeting,
            title: "Synthetic house meeting".into(),
            host: host(),
            speaker: None,
            place: "A synthetic front room".into(),
            starts: AT,
            ends: None,
            capacity,
            campaign: None,
            status: MeetingStatus::Approved,
            grew_from: None,
            from_conversation: None,
        }
    }

    fn form(name: &str, phone: &str, email: &str, consents: &[ConsentTopic]) -> RsvpForm {
        RsvpForm {
            name: name.into(),
            phone: phone.into(),
            email: email.into(),
            postcode: String::new(),
            consents: consents.to_vec(),
        }
    }

    fn fields(problems: &[FieldProblem]) -> Vec<(&str, &Problem)> {
        problems
            .iter()
            .map(|p| (p.field.as_str(), &p.problem))
            .collect()
    }

    fn attendance(n: u128, person: u128, status: AttendanceStatus) -> Attendance {
        Attendance {
            id: AttendanceId(id(n)),
            area: ward(),
            created_by: host(),
            meeting: meeting(None).id,
            person: Some(PersonId(id(person))),
            status,
            signed_in_at: (status == AttendanceStatus::Attended).then_some(AT),
            anonymous: None,
            would_host: false,
            issues: BTreeSet::new(),
            matched: None,
            returning: None,
            consents: BTreeSet::new(),
        }
    }

    #[test]
    fn a_form_needs_a_phone_or_an_email_and_the_detail_of_every_consent() {
        let neither = form("Ada Synthetic", " ", "", &[]).checked().unwrap_err();
        assert_eq!(
            fields(&neither),
            [("phone", &Problem::Missing), ("email", &Problem::Missing)]
        );
        let email_consent = form("Ada Synthetic", "07700 900123", "", &[ConsentTopic::Email])
            .checked()
            .unwrap_err();
        assert_eq!(fields(&email_consent), [("email", &Problem::Missing)]);
        let texts = form(
            "Ada Synthetic",
            "",
            "ada@example.invalid",
            &[ConsentTopic::Sms],
        )
        .checked()
        .unwrap_err();
        assert_eq!(fields(&texts), [("phone", &Problem::Missing)]);
        let story = form(
            "Ada Synthetic",
            "",
            "ada@example.invalid",
            &[ConsentTopic::ShareStory],
        )
        .checked()
        .unwrap_err();
        assert_eq!(fields(&story)[0].0, "consents");
        let bad = RsvpForm {
            postcode: "not a postcode".into(),
            ..form("Ada 5ynthetic", "call me", "ada@", &[])
        }
        .checked()
        .unwrap_err();
        assert_eq!(
            fields(&bad),
            [
                ("name", &Problem::BadName),
                ("phone", &Problem::BadPhone),
                ("email", &Problem::BadEmail),
                ("postcode", &Problem::BadPostcode),
            ]
        );
        let good = RsvpForm {
            postcode: "zz99 9zz".into(),
            ..form(
                "  Ada   Synthetic ",
                "07700 900123",
                "Ada@Example.INVALID",
                &[ConsentTopic::Email, ConsentTopic::Sms],
            )
        }
        .checked()
        .unwrap();
        assert_eq!(good.name, "Ada Synthetic");
        assert_eq!(good.phone.as_deref(), Some("+447700900123"));
        assert_eq!(good.email.as_deref(), Some("Ada@example.invalid"));
        assert_eq!(good.postcode.as_deref(), Some("ZZ99 9ZZ"));
    }

    #[test]
    fn a_returning_person_has_the_same_name_and_phone_or_email() {
        let held = Person {
            email: Some("family@example.invalid".into()),
            phone: Some("+447700900123".into()),
            ..Person::new(
                PersonId(id(1)),
                ward(),
                host(),
                "Ada Synthetic",
                Source::Doorstep,
            )
        };
        let contact =
            |name: &str, phone: &str, email: &str| form(name, phone, email, &[]).checked().unwrap();
        assert!(contact("ada  SYNTHETIC", "", "FAMILY@example.invalid").is(&held));
        assert!(contact("Ada Synthetic", "07700 900123", "").is(&held));
        assert!(
            !contact("Bo Synthetic", "", "family@example.invalid").is(&held),
            "a shared email under another name is someone else"
        );
        assert!(!contact("Ada Synthetic", "07700 900999", "ada@example.invalid").is(&held));
    }

    #[test]
    fn a_reply_makes_someone_new_with_a_place_or_on_the_waiting_list() {
        let contact = form(
            "Ada Synthetic",
            "",
            "ada@example.invalid",
            &[ConsentTopic::Email],
        )
        .checked()
        .unwrap();
        let (status, steps) = rsvp_steps(
            &meeting(Some(2)),
            &contact,
            None,
            &[],
            host(),
            AT,
            counter(),
        )
        .unwrap();
        assert_eq!(status, RsvpStatus::Rsvp);
        let [Step::Created(person), Step::Created(reply)] = steps.as_slice() else {
            panic!("a person and their attendance: {steps:?}");
        };
        let person = Person::read(person).unwrap();
        assert_eq!(person.source, Source::OnlineForm);
        assert_eq!(person.created_by, host());
        assert_eq!(person.area, ward());
        assert_eq!(
            person.consents[&ConsentTopic::Email],
            Consent {
                given: true,
                at: AT,
                method: ConsentMethod::Form
            }
        );
        let replied = Attendance::read(reply).unwrap();
        assert_eq!(replied.person, Some(person.id));
        assert_eq!(replied.status, AttendanceStatus::Rsvp);

        // Two others have places: the meeting is full, and the next reply waits.
        let taken = [
            attendance(501, 1, AttendanceStatus::Rsvp),
            attendance(502, 2, AttendanceStatus::Attended),
            attendance(503, 2, AttendanceStatus::Rsvp),
            attendance(504, 3, AttendanceStatus::Waiting),
        ];
        assert!(is_full(&meeting(Some(2)), &taken));
        // A third place is promised to the one waiting; a fourth is free.
        assert!(is_full(&meeting(Some(3)), &taken));
        assert!(!is_full(&meeting(Some(4)), &taken));
        assert!(!is_full(&meeting(None), &taken));
        let (status, _) = rsvp_steps(
            &meeting(Some(2)),
            &contact,
            None,
            &taken,
            host(),
            AT,
            counter(),
        )
        .unwrap();
        assert_eq!(status, RsvpStatus::Waiting);
    }

    #[test]
    fn a_known_person_replying_keeps_what_they_had_and_is_never_written_twice() {
        let mut held = Person {
            email: Some("ada@example.invalid".into()),
            phone: Some("+447700900123".into()),
            ..Person::new(
                PersonId(id(1)),
                ward(),
                host(),
                "Ada Synthetic",
                Source::Doorstep,
            )
        };
        held.consents.insert(
            ConsentTopic::Phone,
            Consent {
                given: true,
                at: Timestamp(AT.0 - 1000),
                method: ConsentMethod::Doorstep,
            },
        );
        // Another phone typed, texts agreed to, calls not ticked.
        let contact = form(
            "ADA SYNTHETIC",
            "07700 900999",
            "ada@example.invalid",
            &[ConsentTopic::Sms],
        )
        .checked()
        .unwrap();
        let (status, steps) = rsvp_steps(
            &meeting(None),
            &contact,
            Some(&held),
            &[attendance(1, 1, AttendanceStatus::Invited)],
            host(),
            AT,
            counter(),
        )
        .unwrap();
        assert_eq!(status, RsvpStatus::Rsvp);
        let written: Vec<String> = steps
            .iter()
            .map(|s| match s {
                Step::Set { field, .. } => (*field).to_owned(),
                Step::Created(record) => record.collection.to_string(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(written, ["consent_sms", "attendance"]);

        // They have a place already: nothing new, whatever the capacity says now.
        for status in [AttendanceStatus::Rsvp, AttendanceStatus::Attended] {
            let (answer, steps) = rsvp_steps(
                &meeting(Some(1)),
                &form("Ada Synthetic", "", "ada@example.invalid", &[])
                    .checked()
                    .unwrap(),
                Some(&held),
                &[attendance(1, 1, status)],
                host(),
                AT,
                counter(),
            )
            .unwrap();
            assert_eq!((answer, steps), (RsvpStatus::Rsvp, Vec::new()));
        }
    }

    #[test]
    fn someone_counted_at_sign_in_hands_on_nothing_they_typed() {
        let typed = SelfSignIn {
            name: "Ada Synthetic".into(),
            phone: "07700 900123".into(),
            email: "ada@example.invalid".into(),
            postcode: "ZZ99 9ZZ".into(),
            consents: vec![ConsentTopic::Email],
            would_host: true,
            issues: vec![IssueId(id(77))],
            under_16: true,
        };
        let offered = [IssueChoice {
            id: IssueId(id(77)),
            name: "Synthetic rents".into(),
        }];
        assert_eq!(typed.checked(&offered), Ok(CheckedSignIn::Counted));
        assert_eq!(
            fields(&typed.checked(&[]).unwrap_err()),
            [("issues", &Problem::UnknownReference)]
        );
        let (signed_in, steps) = typed
            .steps(&meeting(None), None, &[], host(), AT, counter())
            .unwrap();
        assert!(matches!(signed_in, SignedIn::Counted(_)));
        let [Step::Created(record)] = steps.as_slice() else {
            panic!("{steps:?}");
        };
        let text = format!("{record:?}");
        for typed in ["Ada", "07700", "900123", "example", "ZZ99"] {
            assert!(!text.contains(typed), "{typed} kept in {text}");
        }
        assert_eq!(record.get("issues"), &Value::Ids(BTreeSet::new()));

        // No consent: counted, with only what matters to them.
        let no_consent = SelfSignIn {
            consents: Vec::new(),
            under_16: false,
            ..typed
        };
        let (_, steps) = no_consent
            .steps(&meeting(None), None, &[], host(), AT, counter())
            .unwrap();
        let [Step::Created(record)] = steps.as_slice() else {
            panic!("{steps:?}");
        };
        assert_eq!(record.get("person"), &Value::Null);
        assert_eq!(record.get("would_host"), &Value::Bool(false));
        assert_eq!(record.get("issues"), &Value::Ids([id(77)].into()));
    }

    /// A country and a ward, the host (a host in the ward) and an organiser there, the
    /// host's meeting and someone the organiser met, on the reference server.
    fn organisation() -> (crate::sync::server::ReferenceServer, Meeting, Person) {
        use crate::id::RoleAssignmentId;
        use crate::model::{Role, RoleAssignment, User};
        let country = Area {
            id: AreaId(id(1)),
            created_by: host(),
            name: "Synthetic Country".into(),
            kind: AreaKind::Country,
            parent: None,
        };
        let here = Area {
            id: ward(),
            name: "Synthetic Ward".into(),
            kind: AreaKind::Ward,
            parent: Some(country.id),
            ..country.clone()
        };
        let organiser = UserId(id(8));
        let mut records = vec![country.to_record(), here.to_record()];
        for (n, user, role) in [(30, host(), Role::Host), (31, organiser, Role::Organiser)] {
            let account = User {
                id: user,
                area: ward(),
                created_by: organiser,
                name: "Synthetic User".into(),
                email: format!("user{n}@example.invalid"),
                person: None,
            };
            let assignment = RoleAssignment {
                id: RoleAssignmentId(id(n)),
                area: ward(),
                created_by: organiser,
                user,
                role,
            };
            records.extend([account.to_record(), assignment.to_record()]);
        }
        let met = Person::new(
            PersonId(id(40)),
            ward(),
            organiser,
            "Bo Synthetic",
            Source::Doorstep,
        );
        records.extend([meeting(None).to_record(), met.to_record()]);
        (
            crate::sync::server::ReferenceServer::seeded(records),
            meeting(None),
            met,
        )
    }

    #[test]
    fn the_organisation_writes_a_reply_in_the_hosts_name_and_hands_them_nobody_new() {
        use crate::record::Collection;
        use crate::sync::server::create_for_organisation;
        use crate::sync::wire::{RecordKey, Rejection};
        let (mut server, meeting, met) = organisation();
        let contact = form("Ada Synthetic", "", "ada@example.invalid", &[])
            .checked()
            .unwrap();
        let (_, steps) = rsvp_steps(&meeting, &contact, None, &[], host(), AT, counter()).unwrap();
        for step in steps {
            let Step::Created(record) = step else {
                panic!("{step:?}")
            };
            let Ok(written) = create_for_organisation(&mut server.store, host(), record);
            written.unwrap();
        }
        let seen = server.visible_to(host()).0;
        let people: Vec<RecordKey> = seen
            .keys()
            .filter(|k| k.collection == Collection::Person)
            .copied()
            .collect();
        assert_eq!(people.len(), 1, "the host sees whom they replied for");
        assert!(seen.keys().any(|k| k.collection == Collection::Attendance));

        // Someone the host never saw is no one the organisation hands them.
        let (_, steps) =
            rsvp_steps(&meeting, &contact, Some(&met), &[], host(), AT, counter()).unwrap();
        let Some(Step::Created(attendance)) = steps.last() else {
            panic!("{steps:?}")
        };
        let Ok(refused) = create_for_organisation(&mut server.store, host(), attendance.clone());
        assert_eq!(
            refused,
            Err(Rejection::Invalid {
                problems: vec![FieldProblem::new("person", Problem::UnknownReference)]
            })
        );
        assert!(!server.visible_to(host()).0.keys().any(|k| k.id == met.id.0));
    }

    #[test]
    fn the_issues_offered_are_those_the_door_offers() {
        let country = Area {
            id: AreaId(id(1)),
            created_by: host(),
            name: "Synthetic Country".into(),
            kind: AreaKind::Country,
            parent: None,
        };
        let region = Area {
            id: AreaId(id(3)),
            name: "Synthetic Region".into(),
            kind: AreaKind::Region,
            parent: Some(country.id),
            ..country.clone()
        };
        let constituency = Area {
            id: AreaId(id(4)),
            name: "Synthetic Vale".into(),
            kind: AreaKind::Constituency,
            parent: Some(region.id),
            ..country.clone()
        };
        let here = Area {
            id: ward(),
            name: "Synthetic Ward".into(),
            kind: AreaKind::Ward,
            parent: Some(constituency.id),
            ..country.clone()
        };
        let there = Area {
            id: AreaId(id(5)),
            name: "Other Ward".into(),
            kind: AreaKind::Ward,
            parent: Some(constituency.id),
            ..country.clone()
        };
        let issue = |n: u128, area: AreaId, name: &str, parent: Option<IssueId>| Issue {
            id: IssueId(id(n)),
            area,
            created_by: host(),
            name: name.into(),
            parent,
        };
        let issues = vec![
            issue(20, constituency.id, "rents", None),
            issue(21, here.id, "Buses", None),
            issue(22, there.id, "Next door's park", None),
            issue(23, here.id, "Bus fares", Some(IssueId(id(21)))),
        ];
        let areas = [country, region, constituency, here, there];
        let mut replica = Replica::new(ClientId(id(99)), host());
        let records: Vec<Record> = areas
            .iter()
            .map(Entity::to_record)
            .chain(issues.iter().map(Entity::to_record))
            .collect();
        for record in &records {
            replica.create(record).unwrap();
        }
        let door: Vec<IssueChoice> = crate::canvass::issues_near(&replica, ward())
            .into_iter()
            .map(|i| IssueChoice {
                id: i.id,
                name: i.name,
            })
            .collect();
        let offered = issues_near(&AreaTree::new(&areas), issues, ward());
        assert_eq!(offered, door);
        let names: Vec<&str> = offered.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["Buses", "rents"]);
    }
}
