//! Organise's pure domain: the model, validation, permission rules and the sync protocol.
//!
//! This crate does no IO and reads no clock: time, ids and randomness are passed in, so the
//! same code runs in the browser (compiled to WebAssembly), in the server and in the
//! deterministic simulation in `tests/it/sim.rs`.
//!
//! The modules, from the bottom up:
//! - [`id`]: timestamps and UUIDv7 record ids, with one typed id per collection.
//! - [`validate`]: [`FieldProblem`] and the normalisers for UK phone numbers, postcodes,
//!   names and email addresses.
//! - [`calendar`]: days, weeks from Monday and the UK's clock (Europe/London).
//! - [`area`]: nations and regions, constituencies and wards, and the [`AreaTree`].
//! - [`model`]: the typed records (people, conversations, meetings, lists…).
//! - [`record`]: the generic [`Record`] every collection travels as, and the conversions
//!   between it and the typed records.
//! - [`permission`]: who may read a record and who may apply a mutation.
//! - [`sync`]: the sync protocol: wire types, the pure decision functions, the reference
//!   server and the client replica.
//! - [`change`]: a change to the replica as steps, each with what takes it back (an undo).
//! - [`walk`]: walk lists as doors in walking order.
//! - [`canvass`]: what the walk list and door screens show, read from the replica.
//! - [`organising`]: an organiser's week: one-to-ones counted against their target.
//! - [`ladder`]: the ladder of engagement: each person's rung as their latest move, their
//!   history, and an area's ladder as a chart.
//! - [`community`]: the community map: a ward's organisations with their leaders, contacts
//!   and members, the kinds of institution nobody is in touch with, and the relationship
//!   graph laid out for drawing.
//! - [`campaigns`]: local campaigns: one started from a ward's ranked issue, its actions, and
//!   its page summed up.
//! - [`training`]: who was trained in which module: from a training meeting's attendance,
//!   and who in an area is trained in one.
//! - [`duplicates`]: likely duplicate people: a shared phone or email, close names at one
//!   address.
//! - [`merge`]: merging two records of one person into one, and taking a merge back.
//! - [`results`]: listening results: the issues people raise, per ward, list and volunteer.
//! - [`search`]: finding records by what someone types, a page at a time, with filters.
//! - [`person_file`]: everything held about one person, gathered for their page.
//! - [`volunteers`]: volunteers from listening: who raised an issue and offered to help, or
//!   has a skill, in a ward, saved as a list to call or visit.
//! - [`session`] and [`invite`]: the account wire types: signing in, errors, invitations.
//! - [`order`]: stable sorting through one shared copy of the standard sort (a size rule of
//!   the client's WebAssembly).

#[macro_use]
mod tagged;

pub mod area;
pub mod audit;
pub mod calendar;
pub mod campaigns;
pub mod canvass;
pub mod change;
pub mod community;
pub mod csv;
pub mod duplicates;
pub mod erasure;
pub mod id;
pub mod invite;
pub mod ladder;
pub mod meetings;
pub mod merge;
pub mod model;
pub mod order;
pub mod organising;
pub mod permission;
pub mod person_file;
pub mod record;
pub mod reference;
pub mod results;
pub mod retention;
pub mod rsvp;
pub mod search;
pub mod session;
pub mod sign_in_kit;
pub mod sync;
pub mod training;
pub mod validate;
pub mod volunteers;
pub mod walk;
pub mod withdrawal;

pub use area::{Area, AreaKind, AreaTree};
pub use id::{RecordId, Timestamp};
pub use record::{Collection, Element, FieldName, Record, Value};
pub use validate::{FieldProblem, Problem};
