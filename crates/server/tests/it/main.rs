//! Router-level tests of the server: requests go through `app(...).oneshot`, no port is opened.
//!
//! The same tests run on SQLite (the default) and on PostgreSQL: `cargo xtask test` runs this
//! binary twice, the second time with `ORGANISE_TEST_BACKEND=postgres` and
//! `ORGANISE_TEST_POSTGRES_URL` pointing at a server where it may create databases.

/// The test harness: a fresh database per test, request helpers.
mod support;

/// Sign-in, sessions, sign-out, CSRF, throttling, expiry.
mod session;

/// Malformed, oversized and unknown requests get specific 4xx answers.
mod bad_input;

/// Serving the built client: types, caching, precompression, the SPA fallback, headers.
mod client_files;

/// Schema migrations and seeding, also from two processes at once.
mod migrations;

/// The SQL store answers exactly as the core's reference server.
mod sync_oracle;

/// Push and pull over HTTP: replays, refusals, bad input, sessions, audited role changes.
mod sync_api;

/// Erasure, subject access exports and the audit log.
mod erasure;

/// Signed links: a person withdrawing their consent without an account.
mod links;

/// The retention rule, its review and the erasures it leads to.
mod retention;

/// Invitation links: creating, accepting, withdrawing, expiry, who may invite whom.
mod invites;

/// The OpenAPI document, and that it matches the router.
mod openapi;

/// Every role against another area's records, through every signed-in endpoint.
mod isolation;

/// Merging duplicate people: a merge and its undo from one organiser's phone to another's.
mod merging;

/// Pushers and pullers at once: no pull stream ever misses a change.
mod concurrency;

/// Synthetic areas: deterministic, valid, households that hang together, stored and pulled.
mod synthetic;

/// The demo: a campaign under way, seen by its printed organiser and volunteer.
mod demo;

/// The database under contention, and its file on disk.
mod database;

/// Hackney North's wards, the people who organise there and the meetings they make: the
/// fixture the meeting tests share.
mod ward;

/// Meetings: proposals and approval, what a host may change, attendance, and nothing beyond
/// a host's own meetings.
mod meetings;

/// A meeting's public links: replies and sign-in on people's own phones, without an account.
mod meeting_links;

/// Sign-in kits: recognising at a meeting someone of its area whom its host cannot see, and
/// the consents they give there.
mod sign_in_kit;

/// Taking access away: deleted users, removed roles, invitations their inviter may no longer give.
mod access;

/// The real accept loop: connections that stall are closed.
mod connections;
