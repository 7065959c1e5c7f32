//! Organise's pure domain: the model, validation, permission rules and the sync protocol.
//!
//! This crate does no IO and reads no clock: time, ids and randomness are passed in.
