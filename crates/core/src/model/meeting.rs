//! Meetings (house meetings, launch meetings, trainings, public meetings) and attendance at
//! them.

use std::collections::BTreeSet;

use crate::id::{
    AreaId, AttendanceId, CampaignId, ConversationId, IssueId, MeetingId, PersonId, RecordId,
    Timestamp, UserId,
};
use crate::model::ConsentTopic;
use crate::model::id_set;
use crate::record::{Choice, Collection, Entity, Reader, Record, Value, choice};
use crate::validate::{FieldProblem, MAX_SHORT_TEXT, Problem, Problems};
use serde::{Deserialize, Serialize};

choice! {
    /// What kind of meeting.
    pub enum MeetingKind {
        /// A small meeting in someone's home.
        HouseMeeting = "house_meeting",
        /// The public launch of a campaign.
        LaunchMeeting = "launch_meeting",
        /// A training.
        Training = "training",
        /// A public meeting (an assembly, an accountability meeting).
        PublicMeeting = "public_meeting",
    }
}

choice! {
    /// Where a meeting stands. A volunteer's proposal waits for an organiser of its area to
    /// approve it; an organiser's meeting, and a trusted host's (someone holding the host
    /// role there), is approved as it is made.
    pub enum MeetingStatus {
        /// Proposed by a volunteer, waiting for approval.
        Proposed = "proposed",
        /// Going ahead.
        Approved = "approved",
        /// Called off. Kept, with its attendance, as everything else is.
        Cancelled = "cancelled",
    }
}

/// The fields a meeting's host may change when they do not organise its area: its time and
/// place. Everything else (its title, kind, status, host) is the organisers'.
pub const HOST_FIELDS: [&str; 3] = ["starts", "ends", "place"];

/// The largest capacity accepted: bigger than any hall, small enough to catch a typo.
pub const MAX_CAPACITY: i64 = 100_000;

/// A meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Its id.
    pub id: MeetingId,
    /// The area it happens in.
    pub area: AreaId,
    /// Who created it.
    pub created_by: UserId,
    /// Its kind.
    pub kind: MeetingKind,
    /// Its title.
    pub title: String,
    /// The user hosting it; hosts see their meetings and their attendees.
    pub host: UserId,
    /// Who speaks, if anyone in particular.
    pub speaker: Option<PersonId>,
    /// Where.
    pub place: String,
    /// When it starts.
    pub starts: Timestamp,
    /// When it ends, if set.
    pub ends: Option<Timestamp>,
    /// How many people fit.
    pub capacity: Option<i64>,
    /// The campaign it serves.
    pub campaign: Option<CampaignId>,
    /// Proposed, approved or cancelled. A record written before meetings had a status reads
    /// as approved.
    pub status: MeetingStatus,
    /// The earlier meeting its host came from, so the chain of meetings that grew from one
    /// conversation can be followed.
    pub grew_from: Option<MeetingId>,
    /// The conversation (a one-to-one, a door) its host came from.
    pub from_conversation: Option<ConversationId>,
}

impl Entity for Meeting {
    const COLLECTION: Collection = Collection::Meeting;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::Meeting, self.id.0, self.area, self.created_by)
            .with("kind", self.kind)
            .with("title", self.title.clone())
            .with("host", self.host.0)
            .with("speaker", self.speaker.map(|s| s.0))
            .with("place", self.place.clone())
            .with("starts", self.starts)
            .with("ends", self.ends)
            .with("capacity", self.capacity)
            .with("campaign", self.campaign.map(|c| c.0))
            .with("status", self.status)
            .with("grew_from", self.grew_from.map(|m| m.0))
            .with("from_conversation", self.from_conversation.map(|c| c.0))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Meeting);
        let meeting = Meeting {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            kind: r.choice("kind"),
            title: r.text("title"),
            host: r.id("host"),
            speaker: r.opt_id("speaker"),
            place: r.text("place"),
            starts: r.time("starts"),
            ends: r.opt_time("ends"),
            capacity: r.opt_int("capacity"),
            campaign: r.opt_id("campaign"),
            status: r.opt_choice("status").unwrap_or(MeetingStatus::Approved),
            grew_from: r.opt_id("grew_from"),
            from_conversation: r.opt_id("from_conversation"),
        };
        r.finish(meeting)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.title = self.title.trim().to_owned();
        self.place = self.place.trim().to_owned();
        p.text("title", &self.title, MAX_SHORT_TEXT);
        p.text("place", &self.place, MAX_SHORT_TEXT);
        if self.grew_from == Some(self.id) {
            p.push("grew_from", Problem::SelfReference);
        }
        if let Some(ends) = self.ends
            && ends <= self.starts
        {
            p.push(
                "ends",
                Problem::NotAfter {
                    other: "starts".into(),
                },
            );
        }
        if let Some(capacity) = self.capacity
            && !(1..=MAX_CAPACITY).contains(&capacity)
        {
            p.push(
                "capacity",
                Problem::OutOfRange {
                    min: 1,
                    max: MAX_CAPACITY,
                },
            );
        }
        p.finish().map(|()| self)
    }
}

choice! {
    /// Where a person stands with a meeting.
    pub enum AttendanceStatus {
        /// Invited.
        Invited = "invited",
        /// Said they will come.
        Rsvp = "rsvp",
        /// Came.
        Attended = "attended",
        /// Said they would come and did not.
        NoShow = "no_show",
        /// Said they would come when the meeting was full: offered a place if one frees up.
        Waiting = "waiting",
        /// Said, once invited or replied, that they cannot come after all: their place is free.
        Declined = "declined",
    }
}

choice! {
    /// Someone who came and is counted without a record of who they are.
    pub enum Anonymous {
        /// Under 16: counted, no personal data kept.
        UnderSixteen = "under_16",
        /// Gave no consent to be contacted: counted, no contact details kept.
        NoConsent = "no_consent",
    }
}

/// One attendance entry. Append-only: a person's progress from invited to attended is a
/// series of entries, and the latest (in the server's commit order) is their status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    /// Its id.
    pub id: AttendanceId,
    /// The meeting's area.
    pub area: AreaId,
    /// Who recorded it.
    pub created_by: UserId,
    /// The meeting.
    pub meeting: MeetingId,
    /// The person; none for someone counted without a record ([`Attendance::anonymous`]).
    pub person: Option<PersonId>,
    /// Their status.
    pub status: AttendanceStatus,
    /// When they signed in, for `attended`.
    pub signed_in_at: Option<Timestamp>,
    /// Why someone who came has no person: under 16, or no consent to be contacted.
    pub anonymous: Option<Anonymous>,
    /// They said at sign-in they would host a meeting.
    pub would_host: bool,
    /// What they said matters to them at sign-in, from the area's issues.
    pub issues: BTreeSet<IssueId>,
    /// Someone the organisation knew, recognised at sign-in by a prepared kit though the
    /// writer may not see them ([`crate::sign_in_kit`]): who. Unlike `person`, it hands the
    /// meeting's host nothing to see.
    pub matched: Option<PersonId>,
    /// The kit's token that vouches for `matched`.
    pub returning: Option<String>,
    /// The channels someone recognised by a kit agreed at sign-in to be contacted by: the
    /// server records them on their person, whom the writer cannot change.
    pub consents: BTreeSet<ConsentTopic>,
}

/// The longest token a kit gives.
pub const MAX_KIT_TOKEN: usize = 200;

impl Entity for Attendance {
    const COLLECTION: Collection = Collection::Attendance;
    const SET_FIELDS: &'static [&'static str] = &["issues", "consents"];

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(
            Collection::Attendance,
            self.id.0,
            self.area,
            self.created_by,
        )
        .with("meeting", self.meeting.0)
        .with("person", self.person.map(|p| p.0))
        .with("status", self.status)
        .with("signed_in_at", self.signed_in_at)
        .with("anonymous", self.anonymous)
        .with("would_host", self.would_host)
        .with("issues", id_set(&self.issues))
        .with("matched", self.matched.map(|p| p.0))
        .with("returning", self.returning.clone())
        .with(
            "consents",
            Value::Texts(
                self.consents
                    .iter()
                    .map(|c| c.as_str().to_owned())
                    .collect(),
            ),
        )
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Attendance);
        let attendance = Attendance {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            meeting: r.id("meeting"),
            person: r.opt_id("person"),
            status: r.choice("status"),
            signed_in_at: r.opt_time("signed_in_at"),
            anonymous: r.opt_choice("anonymous"),
            would_host: r.flag("would_host"),
            issues: r.ids("issues"),
            matched: r.opt_id("matched"),
            returning: r.opt_text("returning"),
            consents: r.choices("consents"),
        };
        r.finish(attendance)
    }

    fn normalised(self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        if self.signed_in_at.is_some() && self.status != AttendanceStatus::Attended {
            p.push(
                "signed_in_at",
                Problem::OnlyWhen {
                    condition: "the status is attended".into(),
                },
            );
        }
        match (self.matched, &self.returning) {
            (Some(_), Some(token)) => {
                if self.person.is_some() || self.status != AttendanceStatus::Attended {
                    p.push(
                        "matched",
                        Problem::OnlyWhen {
                            condition: "someone came whom the device does not hold".into(),
                        },
                    );
                }
                let well_formed = token.len() <= MAX_KIT_TOKEN
                    && !token.is_empty()
                    && token
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if !well_formed {
                    p.push(
                        "returning",
                        Problem::WrongType {
                            expected: "a sign-in kit's token".into(),
                        },
                    );
                }
            }
            (None, None) => {}
            (Some(_), None) => p.push("returning", Problem::Missing),
            (None, Some(_)) => p.push("matched", Problem::Missing),
        }
        if !self.consents.is_empty() && self.matched.is_none() {
            p.push(
                "consents",
                Problem::OnlyWhen {
                    condition: "someone was recognised by a sign-in kit".into(),
                },
            );
        }
        match (self.person.or(self.matched), self.anonymous) {
            (None, None) => p.push("person", Problem::Missing),
            (Some(_), Some(_)) => p.push(
                "anonymous",
                Problem::OnlyWhen {
                    condition: "there is no person".into(),
                },
            ),
            (None, Some(_)) if self.status != AttendanceStatus::Attended => p.push(
                "anonymous",
                Problem::OnlyWhen {
                    condition: "the status is attended".into(),
                },
            ),
            (None, Some(_)) if self.would_host => p.push(
                "would_host",
                Problem::OnlyWhen {
                    condition: "there is a person to ask".into(),
                },
            ),
            _ => {}
        }
        p.finish().map(|()| self)
    }
}
