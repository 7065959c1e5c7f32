//! Passwords: what a new one must be, Argon2id hashing, and the bound on how many hashes run
//! at once.
//!
//! Each Argon2id hash holds 19 MiB for tens of milliseconds. Unbounded, 150 concurrent sign-ins
//! took the server from 1 GB to 3.7 GB; so every hash or check goes through [`PasswordHashing`],
//! which runs as many at once as there are cores, lets a few more wait a short while, and
//! answers the rest `503` with `Retry-After` straight away.
//!
//! The strength rules live here rather than in core's validation because they need
//! `zxcvbn`'s dictionaries (about a megabyte), which the phone's bundle should not carry; the
//! server gives the app a field problem on `password` to show.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use organise_core::validate::Problem;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{AppError, AppResult};

/// The shortest password accepted, in characters, not counting spaces at either end.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted, in bytes. Longer ones are refused before they are hashed.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Hashes a password with Argon2id and a fresh random salt. Slow on purpose: call it on a
/// blocking thread through [`PasswordHashing`], except from the command line.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))
}

/// Whether `password` is the one `hash` was made from.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A precomputed hash that unknown emails are checked against, so a wrong email takes as long
/// as a wrong password and response times do not reveal who has an account.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, never matches").expect("hashing works"))
}

/// A password given to be checked (at sign-in, or as the current one): refused unhashed when
/// it is longer than any password this server accepts.
pub fn check_given(password: &str) -> Result<(), Problem> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Problem::TooLong {
            max: MAX_PASSWORD_BYTES,
        });
    }
    Ok(())
}

/// Why a new password was refused: the field problem, and a sentence of advice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The problem with the `password` field.
    pub problem: Problem,
    /// What to do instead, as a sentence.
    pub advice: String,
}

/// Checks a new password for the account with `email` and `name`: between
/// [`MIN_PASSWORD_CHARS`] characters (spaces at either end do not count, so all spaces is
/// refused) and [`MAX_PASSWORD_BYTES`] bytes; not the email, its part before the `@`, or the
/// name; and hard to guess by `zxcvbn`'s measure (score 3 of 4 or more: at least 10^10
/// guesses), which knows common passwords, words, names, dates, keyboard patterns and repeats,
/// and is given the account's own details.
pub fn check_new(password: &str, email: &str, name: &str) -> Result<(), Refused> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Refused {
            problem: Problem::TooLong {
                max: MAX_PASSWORD_BYTES,
            },
            advice: format!("the password must be at most {MAX_PASSWORD_BYTES} bytes long"),
        });
    }
    let trimmed = password.trim();
    if trimmed.is_empty() {
        return Err(Refused {
            problem: Problem::Empty,
            advice: "the password must not be only spaces".into(),
        });
    }
    if trimmed.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Refused {
            problem: Problem::TooShort {
                min: MIN_PASSWORD_CHARS,
            },
            advice: format!("the password must be at least {MIN_PASSWORD_CHARS} characters long"),
        });
    }
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default().to_owned();
    let name = name.trim().to_lowercase();
    let squashed = |text: &str| text.split_whitespace().collect::<String>();
    let lowered = trimmed.to_lowercase();
    let own = [email.as_str(), local.as_str(), name.as_str()];
    if own
        .iter()
        .any(|detail| !detail.is_empty() && squashed(&lowered) == squashed(detail))
    {
        return Err(Refused {
            problem: Problem::Guessable,
            advice: "the password must not be your email or your name".into(),
        });
    }
    let mut inputs: Vec<&str> = own.to_vec();
    inputs.extend(name.split_whitespace());
    inputs.push("organise");
    let strength = zxcvbn::zxcvbn(password, &inputs);
    if strength.score() < zxcvbn::Score::Three {
        let mut advice = "the password is too easy to guess".to_owned();
        if let Some(warning) = strength.feedback().and_then(|f| f.warning()) {
            advice.push_str(&format!(" ({})", warning.to_string().trim_end_matches('.')));
        }
        advice.push_str(
            ": use four or more unrelated words, or a password manager's random password",
        );
        return Err(Refused {
            problem: Problem::Guessable,
            advice,
        });
    }
    Ok(())
}

/// How many password hashes may run at once, and how many more may wait, how long.
#[derive(Clone, Copy, Debug)]
pub struct HashingLimits {
    /// Hashes running at once: one per core by default.
    pub concurrent: usize,
    /// Requests that may wait for a free slot; any more are answered `503` at once.
    pub queue: usize,
    /// How long a request waits for a slot before it is answered `503`.
    pub wait: Duration,
}

impl Default for HashingLimits {
    fn default() -> HashingLimits {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        HashingLimits {
            concurrent: cores,
            queue: 4 * cores,
            wait: Duration::from_secs(2),
        }
    }
}

/// How long a caller turned away by [`PasswordHashing`] is asked to wait.
pub const HASHING_RETRY_AFTER_SECS: u64 = 1;

/// The gate every password hash or check passes (see the module's documentation).
#[derive(Debug)]
pub struct PasswordHashing {
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    limits: HashingLimits,
}

/// A slot to hash in, held until the hash is done.
#[derive(Debug)]
pub struct HashingSlot {
    _permit: OwnedSemaphorePermit,
}

impl PasswordHashing {
    /// A gate with `limits`.
    pub fn new(limits: HashingLimits) -> PasswordHashing {
        PasswordHashing {
            slots: Arc::new(Semaphore::new(limits.concurrent.max(1))),
            waiting: AtomicUsize::new(0),
            limits,
        }
    }

    /// Takes a slot, waiting at most [`HashingLimits::wait`] behind at most
    /// [`HashingLimits::queue`] others; otherwise [`AppError::Busy`].
    pub async fn slot(&self) -> AppResult<HashingSlot> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Ok(HashingSlot { _permit: permit });
        }
        let busy = AppError::Busy {
            retry_after_secs: HASHING_RETRY_AFTER_SECS,
        };
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.limits.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(busy);
        }
        let waited =
            tokio::time::timeout(self.limits.wait, self.slots.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match waited {
            Ok(Ok(permit)) => Ok(HashingSlot { _permit: permit }),
            _ => Err(busy),
        }
    }
}

impl HashingSlot {
    /// Runs `work` (hashing or checking) on a blocking thread. The slot stays taken until the
    /// work ends, even if the request that asked for it is dropped first.
    pub async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        tokio::task::spawn_blocking(move || {
            let _slot = self;
            work()
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::Poll;

    use super::*;

    #[test]
    fn password_hash_round_trip() {
        let hash = hash_password("correct horse battery staple").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("Correct horse battery staple", &hash));
    }

    #[tokio::test]
    async fn hashing_runs_only_so_many_at_once_and_turns_away_the_rest() {
        let gate = PasswordHashing::new(HashingLimits {
            concurrent: 1,
            queue: 1,
            wait: Duration::from_millis(50),
        });
        let first = gate.slot().await.unwrap();
        // One may wait; it gives up after the wait.
        assert!(matches!(
            gate.slot().await,
            Err(AppError::Busy {
                retry_after_secs: 1
            })
        ));
        let waiting = gate.slot();
        tokio::pin!(waiting);
        assert!(futures_poll_once(waiting.as_mut()).await.is_none());
        // A third, while one waits, is turned away at once.
        assert!(matches!(gate.slot().await, Err(AppError::Busy { .. })));
        drop(first);
        assert!(waiting.await.is_ok());
    }

    /// Polls `future` once, returning its output if it was ready.
    async fn futures_poll_once<F: Future + Unpin>(future: F) -> Option<F::Output> {
        let mut future = future;
        std::future::poll_fn(|cx| {
            Poll::Ready(match Pin::new(&mut future).poll(cx) {
                Poll::Ready(output) => Some(output),
                Poll::Pending => None,
            })
        })
        .await
    }

    #[test]
    fn new_passwords_must_be_long_unguessable_and_not_the_users_own_details() {
        let email = "alex.example@test.organise.invalid";
        let name = "Alex Example";
        let problem = |password: &str| check_new(password, email, name).err().map(|r| r.problem);
        assert_eq!(problem("a long synthetic test password"), None);
        // What the benchmarks and end-to-end tests use.
        for (password, email, name) in [
            (
                "a long synthetic benchmark password",
                "bench-1@test.organise.invalid",
                "Bench Admin",
            ),
            (
                "a long synthetic volunteer password",
                "kestrel@example.invalid",
                "Bench Kestrel",
            ),
        ] {
            assert_eq!(check_new(password, email, name), Ok(()), "{password}");
        }
        assert_eq!(problem("vivid-lantern-orbit-42-moss"), None);
        assert_eq!(problem(&" ".repeat(12)), Some(Problem::Empty));
        assert_eq!(
            problem("   short   "),
            Some(Problem::TooShort {
                min: MIN_PASSWORD_CHARS
            })
        );
        assert_eq!(
            problem(&"x".repeat(900 * 1024)),
            Some(Problem::TooLong {
                max: MAX_PASSWORD_BYTES
            })
        );
        assert_eq!(problem(email), Some(Problem::Guessable));
        assert_eq!(
            problem(" Alex.Example@Test.Organise.Invalid "),
            Some(Problem::Guessable)
        );
        assert_eq!(problem("Alex.Example"), Some(Problem::Guessable));
        assert_eq!(problem("alex example alex"), Some(Problem::Guessable));
        assert_eq!(problem("password1234"), Some(Problem::Guessable));
        assert_eq!(problem("qwertyuiopasdf"), Some(Problem::Guessable));
        assert_eq!(problem("aaaaaaaaaaaaaaaa"), Some(Problem::Guessable));
        let refused = check_new("password1234", email, name).unwrap_err();
        assert!(
            refused
                .advice
                .starts_with("the password is too easy to guess"),
            "{}",
            refused.advice
        );
    }
}
