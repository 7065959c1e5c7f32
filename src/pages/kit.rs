//! *Prepare sign-in* on the device: the meeting's sign-in kit ([`organise_core::sign_in_kit`])
//! and the link for signing in on one's own phone, fetched while there is signal and kept in
//! the device's store until the host leaves sign-in (or anyone signs out), so the kiosk can
//! recognise people of the area who have met us before with no network all evening.
//!
//! What is typed is compared by its digest only: the browser's own SHA-256 (Web Crypto), so
//! no hashing code ships in the app.

use organise_core::id::{MeetingId, PersonId};
use organise_core::meetings::SignInDraft;
use organise_core::sign_in_kit::{
    DIGEST_HEX, KitPerson, SignInKit, Typed, digest_input, email_key, phone_key,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{ArrayBuffer, Uint8Array};

use crate::api::{self, ApiError};
use crate::sync;

/// What a prepared device holds for one meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prepared {
    /// Whom it can recognise.
    pub kit: SignInKit,
    /// The link for signing in on one's own phone, shown as a QR code.
    pub sign_in_link: String,
}

fn key(meeting: MeetingId) -> String {
    format!("sign-in-kit/{}", meeting.0)
}

/// Asks the server for the kit and the link, and keeps them on the device.
pub async fn prepare(csrf: &str, meeting: MeetingId) -> Result<Prepared, ApiError> {
    let links = api::meeting_links(csrf, meeting).await?;
    let kit = api::sign_in_kit(csrf, meeting).await?;
    let prepared = Prepared {
        kit,
        sign_in_link: links.sign_in,
    };
    // A device that cannot keep it still has it for this sign-in.
    let _ = sync::keep(&key(meeting), &prepared).await;
    Ok(prepared)
}

/// What was prepared for `meeting` on this device, if anything.
pub async fn prepared(meeting: MeetingId) -> Option<Prepared> {
    sync::kept(&key(meeting)).await.ok().flatten()
}

/// Forgets what was prepared for `meeting`: the night is over.
pub async fn forget(meeting: MeetingId) {
    let _ = sync::forget_kept(&key(meeting)).await;
}

/// The first [`DIGEST_HEX`] hex digits of the SHA-256 of `text`, from the browser.
async fn digest(text: &str) -> Option<String> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let promise = subtle
        .digest_with_str_and_u8_array("SHA-256", text.as_bytes())
        .ok()?;
    let buffer: ArrayBuffer = JsFuture::from(promise).await.ok()?.into();
    let bytes = Uint8Array::new(&buffer).to_vec();
    let mut hex = String::with_capacity(DIGEST_HEX);
    for byte in bytes.iter().take(DIGEST_HEX / 2) {
        hex.push_str(&format!("{byte:02x}"));
    }
    Some(hex)
}

/// The people `kit` recognises by the phone or email in `draft`, leaving out anyone in
/// `held` (the device's own records, which it matches itself).
pub async fn recognise(kit: &SignInKit, draft: &SignInDraft, held: &[PersonId]) -> Vec<KitPerson> {
    let mut typed = Typed::default();
    if let Some(phone) = phone_key(&draft.phone) {
        typed.phone = digest(&digest_input(&kit.salt, &phone)).await;
    }
    if let Some(email) = email_key(&draft.email) {
        typed.email = digest(&digest_input(&kit.salt, &email)).await;
    }
    kit.find(&typed)
        .into_iter()
        .filter(|p| !held.contains(&p.person))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    async fn the_browsers_digest_is_sha_256_cut_to_the_kits_length() {
        // SHA-256("abc"), a standard test vector, to its first 32 hex digits.
        assert_eq!(
            digest("abc").await.as_deref(),
            Some("ba7816bf8f01cfea414140de5dae2223")
        );
    }
}
