//! One module per screen.

pub mod audit;
pub mod campaigns;
pub mod community;
pub mod conflicts;
pub mod dashboard;
pub mod door;
pub mod duplicates;
pub mod home;
pub mod join;
pub mod kiosk;
pub mod kit;
pub mod ladder;
pub mod list_setup;
pub mod lists;
pub mod meetings;
pub mod not_found;
pub mod people;
pub mod person;
pub mod results;
pub mod retention;
pub mod rsvp;
pub mod settings;
pub mod sign_in;
pub mod subject_access;
pub mod team;
pub mod their_data;
pub mod training;
pub mod volunteers;
pub mod week;
pub mod withdraw;

/// Now, by this device's clock: what a screen stamps a record with or judges "today" by.
pub fn now() -> organise_core::id::Timestamp {
    organise_core::id::Timestamp(web_sys::js_sys::Date::now() as i64)
}
