//! The client's sync engine: the rules of one pass (push the whole outbox, then pull until
//! caught up), how a failed pass is classified, and how long to wait before the next.
//!
//! The engine is generic over two small traits, so the same pass runs in the browser (over
//! the JSON API and IndexedDB) and natively in tests (over the reference server and the
//! memory store): a [`Transport`] carries pushes and pulls, and a [`Device`] holds the
//! replica and saves what it changed. The browser's driver keeps the timers, the Web Lock and
//! the status line; what a pass does, and when to try again, is decided here.
//!
//! A pass never holds the replica across a wait: it reaches it through
//! [`Device::with_replica`] for one step at a time, so the screens read and write it while a
//! request is on its way.

use super::replica::{Replica, StuckPush};
use super::server::MAX_PAGE;
use super::wire::{
    MAX_PUSH_BATCH, PullRefusal, PullRequest, PullResponse, PushRefusal, PushRequest, PushResponse,
};
use std::fmt::Display;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

/// The wait after the first failure, in milliseconds.
pub const FIRST_WAIT_MS: u64 = 5_000;

/// The longest wait between attempts before jitter, in milliseconds: five minutes.
pub const MAX_WAIT_MS: u64 = 5 * 60 * 1_000;

/// How many refused pushes in a row a pass retries at once; the next refusal ends it.
pub const MAX_REFUSALS_IN_A_ROW: u32 = 2;

/// Why a request got no answer from the protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// The server could not be reached.
    Offline,
    /// The server no longer knows the session (it expired, or was ended elsewhere).
    SignedOut,
    /// Anything else (an answer the app did not understand, a refusal of the request
    /// itself), as a sentence for the person holding the phone.
    Other(String),
}

/// The protocol's answer to a request (its response, or its refusal of the whole request),
/// or why there was none.
pub type Answer<T, R> = Result<Result<T, R>, TransportError>;

/// How pushes and pulls reach the server. The browser's goes over the JSON API; a test's
/// over the reference server, ready at once.
pub trait Transport {
    /// Sends a batch of the outbox.
    fn push(
        &self,
        request: &PushRequest,
    ) -> impl Future<Output = Answer<PushResponse, PushRefusal>>;

    /// Asks for a page of changes.
    fn pull(
        &self,
        request: &PullRequest,
    ) -> impl Future<Output = Answer<PullResponse, PullRefusal>>;
}

/// The device's side of a pass: where the replica is, and how what it changed is saved.
pub trait Device {
    /// Why a save failed; shown to the person as it displays.
    type Error: Display;

    /// Runs `step` on the replica; `None` if there is none any more (someone signed out
    /// during the pass), which ends the pass quietly.
    fn with_replica<T>(&self, step: impl FnOnce(&mut Replica) -> T) -> Option<T>;

    /// Saves what the replica changed since its last save, in one transaction. It must take
    /// the changes from the replica before its first wait: a pass fetches the next page while
    /// the last one is saved, and that page must not be saved with it.
    fn save(&self) -> impl Future<Output = Result<(), Self::Error>>;
}

/// Why a pass stopped, which decides what the driver does next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The server could not be reached: show the phone as offline and try again after
    /// [`retry_wait_ms`].
    Offline,
    /// The session has ended: ask the person to sign in again, and try nothing until they
    /// have (everything on the phone is kept).
    SignedOut,
    /// The phone could not save what it received, or the transport failed some other way:
    /// show the sentence (the device's or the transport's own) until a pass succeeds, and
    /// try again after [`retry_wait_ms`].
    Problem(String),
    /// The server has lost changes it had acknowledged: they stay on the phone, and sending
    /// them again cannot help until an operator restores the server. The driver words it
    /// (with "tell your organiser"); core keeps no sentences of its own.
    Stuck(StuckPush),
    /// The server refused the pushed changes more than [`MAX_REFUSALS_IN_A_ROW`] times in a
    /// row; this is the last refusal.
    PushRefused(PushRefusal),
    /// The server refused to send changes.
    PullRefused(PullRefusal),
}

impl From<TransportError> for Failure {
    fn from(error: TransportError) -> Failure {
        match error {
            TransportError::Offline => Failure::Offline,
            TransportError::SignedOut => Failure::SignedOut,
            TransportError::Other(sentence) => Failure::Problem(sentence),
        }
    }
}

impl Failure {
    /// Whether the driver should try again by itself after a wait; a signed-out device
    /// waits for the person instead.
    pub fn retries(&self) -> bool {
        !matches!(self, Failure::SignedOut)
    }
}

/// How long to wait, in milliseconds, after `failures` failed passes in a row (the first
/// counts as 1): 5 s, doubling with each failure to at most five minutes, then spread by
/// `random` (in `[0, 1)`, from the caller's random source) over three quarters to five
/// quarters of that, so that phones cut off together do not all come back at once.
pub fn retry_wait_ms(failures: u32, random: f64) -> u64 {
    let doublings = failures.clamp(1, 16) - 1;
    let base = (FIRST_WAIT_MS << doublings).min(MAX_WAIT_MS);
    // Out-of-range randomness must not stretch the wait past its bounds.
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.5
    };
    (base as f64 * (0.75 + 0.5 * random)) as u64
}

/// One pass: pushes the whole outbox in batches of [`MAX_PUSH_BATCH`], then pulls pages of
/// up to [`MAX_PAGE`] until caught up, saving after every answer.
///
/// A refused push (a gap, a malformed batch) is sent again from the first pending mutation,
/// up to [`MAX_REFUSALS_IN_A_ROW`] times in a row; a server that has lost acknowledged
/// mutations stops the pass at once, since sending again cannot help. The pulls are
/// pipelined: while one page is saved the next is already on its way, since the next request
/// depends only on the replica, which takes the page in before its save begins. A stale page
/// (a duplicate, or one overtaken by another) is ignored, and the next pull starts from where
/// the replica is.
pub async fn sync_once<D: Device, T: Transport>(device: &D, transport: &T) -> Result<(), Failure> {
    push_all(device, transport).await?;
    pull_all(device, transport).await
}

/// The stored changes' problem, as the person reads it.
fn storage<E: Display>(error: E) -> Failure {
    Failure::Problem(error.to_string())
}

async fn push_all<D: Device, T: Transport>(device: &D, transport: &T) -> Result<(), Failure> {
    let mut refusals = 0;
    loop {
        device.save().await.map_err(storage)?;
        // Nothing left to send, or no replica any more (then the pulls find none either).
        let Some(Some(request)) = device.with_replica(|r| r.push_request(MAX_PUSH_BATCH)) else {
            return Ok(());
        };
        match transport.push(&request).await? {
            Ok(response) => {
                refusals = 0;
                device.with_replica(|r| r.apply_push_response(&response));
                device.save().await.map_err(storage)?;
            }
            Err(refusal) => {
                if let Some(Err(stuck)) = device.with_replica(|r| r.apply_push_refusal(&refusal)) {
                    return Err(Failure::Stuck(stuck));
                }
                // A gap or a malformed batch: the next push starts from the first pending
                // change again. Refused again and again means something is wrong; back off.
                refusals += 1;
                if refusals > MAX_REFUSALS_IN_A_ROW {
                    return Err(Failure::PushRefused(refusal));
                }
            }
        }
    }
}

async fn pull_all<D: Device, T: Transport>(device: &D, transport: &T) -> Result<(), Failure> {
    let request = || device.with_replica(|r| r.pull_request(MAX_PAGE));
    let Some(first) = request() else {
        return Ok(());
    };
    let mut page = transport.pull(&first).await?;
    loop {
        let page_now = page.map_err(Failure::PullRefused)?;
        let more = page_now.more;
        let applied = device.with_replica(|r| r.apply_pull(page_now));
        // A stale page is not the end, whatever it says: pull again from where the replica is.
        if matches!(applied, Some(Ok(_))) && !more {
            return device.save().await.map_err(storage);
        }
        let Some(next) = request() else {
            return Ok(());
        };
        let (saved, next_page) = join(device.save(), transport.pull(&next)).await;
        saved.map_err(storage)?;
        page = next_page?;
    }
}

/// Both futures' outputs, polling each while the other waits: a save and the next pull at
/// once, without an async crate.
async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut a_out, mut b_out) = (None, None);
    poll_fn(move |context| {
        if a_out.is_none()
            && let Poll::Ready(out) = a.as_mut().poll(context)
        {
            a_out = Some(out);
        }
        if b_out.is_none()
            && let Poll::Ready(out) = b.as_mut().poll(context)
        {
            b_out = Some(out);
        }
        match (a_out.take(), b_out.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (a_out, b_out) = (a, b);
                Poll::Pending
            }
        }
    })
    .await
}
