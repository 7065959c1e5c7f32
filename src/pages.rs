//! One module per screen.

pub mod conflicts;
pub mod home;
pub mod not_found;
pub mod people;
pub mod settings;
pub mod sign_in;
