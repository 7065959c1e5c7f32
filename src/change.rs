//! Making a change of [`Step`]s on the device: the steps and their undo are core's
//! ([`organise_core::change`]); this writes them to the store in one transaction.

pub use organise_core::change::Step;

use crate::sync::{self, WriteError};

/// Makes every step of a save in one change: all of them are saved, or none.
pub async fn make_all(steps: &[Step]) -> Result<(), WriteError> {
    sync::write(|replica| organise_core::change::make(steps, replica)).await
}
