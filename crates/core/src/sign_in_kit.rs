//! *Prepare sign-in*: what a host's device takes, while it has signal, to recognise on the
//! night someone the organisation already knows but the host may not see.
//!
//! A host sees only the people of their own meetings (the permission rules), so the device
//! cannot match a returning member of the ward by the records it holds. The kit carries, for
//! each live person in the meeting's area, their first name (to ask "Welcome back, Sam?"),
//! digests of their phone and email, and a token the server made for that meeting and that
//! person; never a phone, an email, a surname or anything else. The digests are salted per
//! kit, so two kits cannot be joined, and a phone or email is only ever compared after the
//! person at the kiosk has typed it.
//!
//! Someone recognised so is signed in with an attendance whose `matched` names them and whose
//! `returning` holds the token. The reference rule lets a writer name only what they may see;
//! the token is the server's word that this writer was shown this person for this meeting,
//! so the server's store accepts `matched` on its strength
//! ([`crate::sync::server::ServerStore::vouched`]). `matched` is not `person`: it hands the
//! host nothing more to see, and the organiser sees the person's attendance, with no
//! duplicate made.
//!
//! A digest is the first [`DIGEST_HEX`] hex digits of the SHA-256 of [`digest_input`]; the
//! server computes it, and the device the same of what is typed.

use serde::{Deserialize, Serialize};

use crate::id::{MeetingId, PersonId, Timestamp};
use crate::validate::{normalise_email, normalise_phone};

/// Hex digits kept of each digest: 128 bits, far beyond a chance collision in any area.
pub const DIGEST_HEX: usize = 32;

/// The most people a kit holds: a ward, with room to spare. A meeting placed higher (a
/// constituency's launch) gets the first this many and says it is not complete.
pub const MAX_KIT_PEOPLE: usize = 20_000;

/// `POST /api/meetings/{id}/sign-in-kit`: what the device keeps for the night.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignInKit {
    /// The meeting it is for.
    pub meeting: MeetingId,
    /// When the server made it.
    pub prepared_at: Timestamp,
    /// This kit's salt, hashed in before every value ([`digest_input`]).
    pub salt: String,
    /// The people it can recognise.
    pub people: Vec<KitPerson>,
    /// Whether it holds everyone in the meeting's area (false past [`MAX_KIT_PEOPLE`]).
    pub complete: bool,
}

/// One person a kit can recognise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KitPerson {
    /// Who.
    pub person: PersonId,
    /// The server's word that this kit's meeting may name them (see the module's notes).
    pub token: String,
    /// Their first name, to ask whether it is them.
    pub first_name: String,
    /// The digest of their phone, if they have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The digest of their email, in lower case, if they have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// What is hashed for `value` under `salt`.
pub fn digest_input(salt: &str, value: &str) -> String {
    format!("{salt}\n{value}")
}

/// The phone as a kit compares it: as a person's record keeps it (E.164), if it is one.
pub fn phone_key(typed: &str) -> Option<String> {
    normalise_phone(typed).ok()
}

/// The email as a kit compares it: as a person's record keeps it, in lower case (nobody has
/// two mailboxes that differ only so), if it is one.
pub fn email_key(typed: &str) -> Option<String> {
    normalise_email(typed.trim()).ok().map(|e| e.to_lowercase())
}

/// The first name of `name`, as a kit shows it: its first word.
pub fn first_name(name: &str) -> String {
    name.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The digests of what was typed, as hex ([`DIGEST_HEX`] digits), each computed by the
/// caller of [`digest_input`] of the [`phone_key`] and [`email_key`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Typed {
    /// Of the phone, if one was typed.
    pub phone: Option<String>,
    /// Of the email, if one was typed.
    pub email: Option<String>,
}

impl SignInKit {
    /// The people whose phone or email is the one typed: a shared email matches everyone who
    /// shares it, so nobody is taken for another without being asked.
    pub fn find(&self, typed: &Typed) -> Vec<&KitPerson> {
        let same = |held: &Option<String>, typed: &Option<String>| matches!((held, typed), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
        self.people
            .iter()
            .filter(|p| same(&p.phone, &typed.phone) || same(&p.email, &typed.email))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::RecordId;

    fn kit() -> SignInKit {
        let person = |n: u128, phone: Option<&str>, email: Option<&str>| KitPerson {
            person: PersonId(RecordId::from_u128(n)),
            token: format!("t{n}"),
            first_name: format!("P{n}"),
            phone: phone.map(str::to_owned),
            email: email.map(str::to_owned),
        };
        SignInKit {
            meeting: MeetingId(RecordId::from_u128(1)),
            prepared_at: Timestamp(0),
            salt: "s".into(),
            people: vec![
                person(10, Some("aa"), Some("ff")),
                person(11, None, Some("ff")),
                person(12, Some("bb"), None),
            ],
            complete: true,
        }
    }

    #[test]
    fn a_shared_email_finds_everyone_who_shares_it_and_a_phone_only_its_owner() {
        let kit = kit();
        let found = |phone: Option<&str>, email: Option<&str>| -> Vec<String> {
            let typed = Typed {
                phone: phone.map(str::to_owned),
                email: email.map(str::to_owned),
            };
            kit.find(&typed)
                .into_iter()
                .map(|p| p.first_name.clone())
                .collect()
        };
        assert_eq!(found(None, Some("FF")), ["P10", "P11"]);
        assert_eq!(found(Some("bb"), None), ["P12"]);
        assert_eq!(found(Some("cc"), Some("dd")), Vec::<String>::new());
        assert_eq!(found(None, None), Vec::<String>::new());
    }

    #[test]
    fn keys_are_what_a_record_keeps_and_a_first_name_is_the_first_word() {
        assert_eq!(phone_key("07700 900123").as_deref(), Some("+447700900123"));
        assert_eq!(phone_key("not a phone"), None);
        assert_eq!(
            email_key(" Sam.Synthetic@Example.ORG ").as_deref(),
            Some("sam.synthetic@example.org")
        );
        assert_eq!(first_name("  Sam   Synthetic "), "Sam");
        assert_eq!(digest_input("salt", "v"), "salt\nv");
    }
}
