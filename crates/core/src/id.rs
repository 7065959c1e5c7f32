//! Timestamps and identifiers: UUIDv7 ids built from a passed-in time and passed-in random
//! bytes, and one typed id per collection so a person id cannot be passed where a meeting id
//! is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// A moment as Unix milliseconds. Client timestamps are display data only: the sync protocol
/// never orders anything by them, because device clocks are skewed.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

/// The id of any record in any collection: a UUID, normally a version 7 one minted by the
/// device that created the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct RecordId(pub Uuid);

impl RecordId {
    /// Mints a UUIDv7 from the creation time and ten random bytes supplied by the caller.
    ///
    /// Ids are made on the client so a record can be created, referenced and edited offline;
    /// the time prefix keeps them roughly ordered for database indexes, and the random bytes
    /// (74 bits are used) make collisions between devices practically impossible. A time
    /// before 1970 is clamped to zero rather than wrapping.
    pub fn new_v7(at: Timestamp, random: [u8; 10]) -> Self {
        let millis = u64::try_from(at.0).unwrap_or(0);
        Self(uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid())
    }

    /// When a UUIDv7 was minted (the time written into its first 48 bits); `None` for any
    /// other kind of UUID.
    pub fn minted_at(self) -> Option<Timestamp> {
        if self.0.get_version_num() != 7 {
            return None;
        }
        let millis = (self.0.as_u128() >> 80) as i64;
        Some(Timestamp(millis))
    }

    /// A deterministic id for tests and fixtures: `RecordId::from_u128(1)` reads better in a
    /// snapshot than a random UUID.
    pub const fn from_u128(n: u128) -> Self {
        Self(Uuid::from_u128(n))
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for RecordId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self)
    }
}

/// Declares a typed id: a [`RecordId`] that names which collection it points into.
macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(pub RecordId);

        impl $name {
            /// A deterministic id for tests and fixtures.
            pub const fn from_u128(n: u128) -> Self {
                Self(RecordId::from_u128(n))
            }
        }

        impl From<$name> for RecordId {
            fn from(id: $name) -> RecordId {
                id.0
            }
        }

        impl From<RecordId> for $name {
            fn from(id: RecordId) -> $name {
                $name(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

typed_id!(
    /// A nation or region, constituency or ward.
    AreaId
);
typed_id!(
    /// A person the organisation is in contact with (not a user of the app).
    PersonId
);
typed_id!(
    /// A household: people living at the same address share one.
    HouseholdId
);
typed_id!(
    /// A community organisation (school, faith group, union…).
    OrganisationId
);
typed_id!(
    /// A conversation: a doorstep, one-to-one, phone call…
    ConversationId
);
typed_id!(
    /// An issue in an area's taxonomy.
    IssueId
);
typed_id!(
    /// A person's story.
    StoryId
);
typed_id!(
    /// A house meeting, launch meeting, training or public meeting.
    MeetingId
);
typed_id!(
    /// One attendance entry: a person invited to, replying to or attending a meeting.
    AttendanceId
);
typed_id!(
    /// A campaign on a winnable local issue.
    CampaignId
);
typed_id!(
    /// A walk list or call list.
    ListId
);
typed_id!(
    /// A script for conversations.
    ScriptId
);
typed_id!(
    /// A survey.
    SurveyId
);
typed_id!(
    /// One person's answers to a survey.
    SurveyResponseId
);
typed_id!(
    /// A user of the app: staff or volunteer.
    UserId
);
typed_id!(
    /// A role given to a user in an area.
    RoleAssignmentId
);
typed_id!(
    /// An organiser's one-to-one with a person.
    OneToOneId
);
typed_id!(
    /// An organiser's weekly target of one-to-ones, from a given week.
    WeeklyTargetId
);
typed_id!(
    /// A rung of the organisation's ladder of engagement.
    RungId
);
typed_id!(
    /// One move of a person to a rung of the ladder.
    LadderMoveId
);
typed_id!(
    /// A link on the community map: a person's tie to an organisation or to another person.
    LinkId
);
typed_id!(
    /// One person merged into another.
    MergeId
);
typed_id!(
    /// An action in a campaign's log: something done, or planned with a due date.
    CampaignActionId
);
typed_id!(
    /// A record that a person was trained in a module.
    TrainingId
);
