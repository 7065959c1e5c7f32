//! Meetings (house meetings, launch meetings, trainings, public meetings) and attendance at
//! them.

use crate::id::{
    AreaId, AttendanceId, CampaignId, MeetingId, PersonId, RecordId, Timestamp, UserId,
};
use crate::record::{Collection, Entity, Reader, Record, choice};
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
        };
        r.finish(meeting)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.title = self.title.trim().to_owned();
        self.place = self.place.trim().to_owned();
        p.text("title", &self.title, MAX_SHORT_TEXT);
        p.text("place", &self.place, MAX_SHORT_TEXT);
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
    /// The person.
    pub person: PersonId,
    /// Their status.
    pub status: AttendanceStatus,
    /// When they signed in, for `attended`.
    pub signed_in_at: Option<Timestamp>,
}

impl Entity for Attendance {
    const COLLECTION: Collection = Collection::Attendance;

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
        .with("person", self.person.0)
        .with("status", self.status)
        .with("signed_in_at", self.signed_in_at)
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Attendance);
        let attendance = Attendance {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            meeting: r.id("meeting"),
            person: r.id("person"),
            status: r.choice("status"),
            signed_in_at: r.opt_time("signed_in_at"),
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
        p.finish().map(|()| self)
    }
}
