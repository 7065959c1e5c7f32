//! The sync protocol (see `docs/sync-protocol.md` for the whole story).
//!
//! - [`wire`]: the types that travel: mutations, pushes, pulls, changes, purges, outcomes.
//! - [`decide`]: the pure decisions both servers make.
//! - [`schema`]: which record schemas the server accepts, and upgrading older mutations.
//! - [`server`]: the server side, generic over a [`ServerStore`]; the reference server runs
//!   it over maps and is the oracle for the SQL server's tests.
//! - [`replica`]: the client's replica: confirmed state, outbox, rejected list.
//! - [`conflicts`]: what the Conflicts screen shows of each open conflict: the value now and
//!   the value kept, and who set each.
//! - [`local`]: storing the replica piece by piece: the [`LocalStore`] trait the browser's
//!   IndexedDB store implements, and its in-memory twin.
//! - [`engine`]: the client's sync pass (push the outbox, then pull until caught up) over a
//!   transport and the device, how a failed pass is classified, and the wait before the next.

pub mod conflicts;
pub mod decide;
pub mod engine;
pub mod local;
pub mod replica;
pub mod schema;
pub mod server;
pub mod wire;

pub use local::{Changes, LocalStore, MemoryLocalStore, PartChanges, ReplicaMeta, ReplicaParts};
pub use replica::{LocalRefusal, RejectedMutation, Replica, StalePull, StuckPush};
pub use server::{EraseError, MemoryStore, ReferenceServer, ServerStore};
pub use wire::*;
