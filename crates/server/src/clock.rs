//! The server's one source of time. Tests replace it with a clock they move by hand.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub use organise_core::Timestamp;

/// The wall clock, or in tests a fixed clock that only moves when told.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock stopped at `at` until [`Clock::advance`] moves it.
    pub fn fixed(at: Timestamp) -> Clock {
        Clock {
            fixed: Some(Arc::new(AtomicI64::new(at.0))),
        }
    }

    /// Moves a fixed clock forward; does nothing to the system clock.
    pub fn advance(&self, millis: i64) {
        if let Some(fixed) = &self.fixed {
            fixed.fetch_add(millis, Ordering::SeqCst);
        }
    }

    /// The current time.
    pub fn now(&self) -> Timestamp {
        match &self.fixed {
            Some(fixed) => Timestamp(fixed.load(Ordering::SeqCst)),
            None => Timestamp(
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_millis() as i64)
                    .unwrap_or(0),
            ),
        }
    }
}
