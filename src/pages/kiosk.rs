//! Sign-in at a meeting, on the host's phone or tablet: a form that fills the screen, clears
//! after each person, never shows who signed in before, and needs the host's PIN to leave.
//! It works with no network all evening (every sign-in is saved on the device and sent when
//! there is a connection) and survives a reload and the phone locking: the kiosk is kept in
//! `localStorage` (the meeting's id and a salted digest of the PIN, nothing about anyone) and
//! the app opens on it at start.

use organise_core::order;
use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use organise_core::canvass;
use organise_core::change;
use organise_core::id::{IssueId, MeetingId, PersonId, Timestamp};
use organise_core::meetings::{Returning, SIGN_IN_CONSENTS, SignInDraft, SignedIn, Turnout};
use organise_core::model::{Anonymous, ConsentTopic, Meeting, Person};
use organise_core::record::Collection;
use organise_core::sign_in_kit::{KitPerson, SignInKit};
use organise_core::sync::LocalRefusal;
use organise_core::validate::{normalise_email, normalise_phone};
use serde::{Deserialize, Serialize};
use web_sys::js_sys::Date;

use crate::components::field_problems::{FieldProblems, check_fields};
use crate::i18n::t;
use crate::pages::door::toggle;
use crate::pages::kit;
use crate::pages::meetings::attendances;
use crate::session::use_session;
use crate::sync::{self, SyncContext};

/// Where the kiosk is kept between reloads.
const KEY: &str = "organise-kiosk";

/// The User Timing measure of one sign-in, from *Sign in* to the blank form drawn for the
/// next person (its save included), which `cargo xtask bench` reads.
pub const SIGN_IN_MEASURE: &str = "organise-sign-in";
const SIGN_IN_START: &str = "organise-sign-in-start";

/// A device in sign-in mode: which meeting, and what unlocks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskLock {
    /// The meeting people sign in to.
    pub meeting: MeetingId,
    salt: u64,
    digest: u64,
    /// The link for signing in on one's own phone, shown as a QR code, when the server could
    /// be asked for it as sign-in started.
    #[serde(default)]
    pub sign_in_link: Option<String>,
}

/// Whether this device is in sign-in mode, for the whole app: while it is, the app shows the
/// kiosk and nothing else.
#[derive(Clone, Copy)]
pub struct KioskMode(pub RwSignal<Option<KioskLock>>);

/// A salted FNV-1a digest of `pin`. A PIN of a few digits cannot be kept from someone who
/// can read this browser's storage and try them all; the digest only keeps it from being read
/// there at a glance.
fn digest(salt: u64, pin: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ salt;
    for byte in pin.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The kiosk this device was left in, if any.
pub fn saved() -> Option<KioskLock> {
    let text = storage()?.get_item(KEY).ok()??;
    serde_json::from_str(&text).ok()
}

/// Whether `pin` may lock a kiosk: 4 to 8 digits.
pub fn pin_is_good(pin: &str) -> bool {
    let pin = pin.trim();
    (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

/// Puts this device into sign-in mode for `meeting`, left with `pin`, showing
/// `sign_in_link` as a QR code; `None`, and nothing changed, unless the PIN is 4 to 8 digits.
pub fn lock(meeting: MeetingId, pin: &str, sign_in_link: Option<String>) -> Option<KioskLock> {
    if !pin_is_good(pin) {
        return None;
    }
    let pin = pin.trim();
    let salt = sync::mint_id().0.as_u64_pair().1;
    let lock = KioskLock {
        meeting,
        salt,
        digest: digest(salt, pin),
        sign_in_link,
    };
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&lock)) {
        let _ = storage.set_item(KEY, &text);
    }
    Some(lock)
}

/// Whether `pin` unlocks `lock`; if it does, the device leaves sign-in mode.
pub fn unlock(lock: &KioskLock, pin: &str) -> bool {
    let opens = digest(lock.salt, pin.trim()) == lock.digest;
    if opens && let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
    opens
}

/// Forgets the kiosk (signing out wipes the device).
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}

/// `text` as a QR code: its width in modules and an SVG path drawing its dark modules, with
/// a quiet zone of four modules around it. `None` if it does not fit in a QR code.
fn qr_path(text: &str) -> Option<(i32, String)> {
    let code = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    Some((size + 8, path))
}

/// The sign-in link as a QR code, for attendees to sign in on their own phones.
#[component]
fn SignInCode(link: String) -> impl IntoView {
    let url = format!("{}{link}", window().location().origin().unwrap_or_default());
    qr_path(&url).map(|(width, path)| {
        view! {
            <figure class="kiosk__code">
                <svg viewBox=format!("0 0 {width} {width}") role="img"
                    aria-label=t::kiosk_code_label() shape-rendering="crispEdges">
                    <rect width="100%" height="100%" fill="#fff" />
                    <path d=path fill="#000" />
                </svg>
                <figcaption class="muted">{t::kiosk_code_caption()}</figcaption>
            </figure>
        }
    })
}

/// The fields of the sign-in form, by the names core's rules give their problems.
const SIGN_IN_FIELDS: [&str; 4] = ["name", "phone", "email", "postcode"];

fn on_sign_in_form(field: &str) -> bool {
    SIGN_IN_FIELDS.contains(&field)
}

/// The first word of a name: all the kiosk says of a returning person.
fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_owned()
}

/// Someone the person at the kiosk may be.
#[derive(Clone, Debug, PartialEq)]
enum Candidate {
    /// A person this device holds, by their first name.
    Held(PersonId, String),
    /// Someone the prepared kit recognised, whom the device does not hold.
    Recognised(KitPerson),
}

impl Candidate {
    fn person(&self) -> PersonId {
        match self {
            Candidate::Held(id, _) => *id,
            Candidate::Recognised(kit) => kit.person,
        }
    }

    fn first_name(&self) -> String {
        match self {
            Candidate::Held(_, name) => name.clone(),
            Candidate::Recognised(kit) => kit.first_name.clone(),
        }
    }
}

/// Whom the person at the kiosk may be: the device's own people whose phone or email is the
/// one typed, then whom the prepared `kit` recognises among the rest.
async fn candidates(draft: &SignInDraft, kit: Option<&SignInKit>) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = returning(draft)
        .into_iter()
        .map(|(id, name)| Candidate::Held(id, name))
        .collect();
    let Some(kit) = kit else {
        return found;
    };
    let held: Vec<PersonId> = found.iter().map(Candidate::person).collect();
    for recognised in kit::recognise(kit, draft, &held).await {
        // Someone the device holds after all (their phone changed here since) is theirs.
        let here = sync::read(|replica| replica.one::<Person>(recognised.person.0)).flatten();
        found.push(match here {
            Some(person) => Candidate::Held(person.id, first_name(&person.name)),
            None => Candidate::Recognised(recognised),
        });
    }
    found
}

/// The people this device holds whose phone or email is the one typed, found through the
/// replica's indexes rather than by reading everyone.
fn returning(draft: &SignInDraft) -> Vec<(PersonId, String)> {
    sync::read(|replica| {
        let mut found = Vec::new();
        if let Ok(phone) = normalise_phone(&draft.phone) {
            found.extend(replica.with_text(Collection::Person, "phone", &phone));
        }
        if let Ok(email) = normalise_email(draft.email.trim()) {
            found.extend(replica.with_text(Collection::Person, "email", &email));
            let lower = email.to_lowercase();
            if lower != email {
                found.extend(replica.with_text(Collection::Person, "email", &lower));
            }
        }
        let people: Vec<Person> = canvass::typed(found);
        let mut matched: Vec<(PersonId, String)> = draft
            .returning(&people)
            .into_iter()
            .map(|p| (p.id, first_name(&p.name)))
            .collect();
        order::sort(&mut matched);
        matched.dedup();
        matched
    })
    .unwrap_or_default()
}

/// The sign-in form's values, shared by the kiosk and the sign-in page on one's own phone.
#[derive(Clone, Copy)]
pub struct SignInValues {
    name: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    postcode: RwSignal<String>,
    consents: RwSignal<BTreeSet<ConsentTopic>>,
    would_host: RwSignal<bool>,
    raised: RwSignal<BTreeSet<IssueId>>,
    under_16: RwSignal<bool>,
}

impl SignInValues {
    /// A blank form.
    pub fn new() -> SignInValues {
        SignInValues {
            name: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            postcode: RwSignal::new(String::new()),
            consents: RwSignal::new(BTreeSet::new()),
            would_host: RwSignal::new(false),
            raised: RwSignal::new(BTreeSet::new()),
            under_16: RwSignal::new(false),
        }
    }

    /// What is typed and ticked, for core to check.
    pub fn draft(&self) -> SignInDraft {
        SignInDraft {
            name: self.name.get_untracked(),
            phone: self.phone.get_untracked(),
            email: self.email.get_untracked(),
            postcode: self.postcode.get_untracked(),
            consents: self.consents.get_untracked(),
            would_host: self.would_host.get_untracked(),
            issues: self.raised.get_untracked(),
            under_16: self.under_16.get_untracked(),
        }
    }

    /// Blank again, for the next person.
    pub fn clear(&self) {
        for field in [self.name, self.phone, self.email, self.postcode] {
            field.set(String::new());
        }
        self.consents.set(BTreeSet::new());
        self.raised.set(BTreeSet::new());
        self.would_host.set(false);
        self.under_16.set(false);
    }

    /// Puts the sentences for a missing detail a consent needs beside its field, in the
    /// form's words, once `problems` shows what the rules found.
    pub fn say_what_is_needed(&self, problems: FieldProblems) {
        if problems.has("email") && self.email.with_untracked(|e| e.trim().is_empty()) {
            problems.say("email", t::kiosk_email_needed());
        }
        if problems.has("phone") && self.phone.with_untracked(|p| p.trim().is_empty()) {
            problems.say("phone", t::kiosk_phone_needed());
        }
    }
}

impl Default for SignInValues {
    fn default() -> Self {
        SignInValues::new()
    }
}

/// The sign-in form's fields: under 16 first (which hides the rest), name, phone, email,
/// postcode, the ways to keep in touch, hosting, and the issues offered. With `reply_only`,
/// a reply before the meeting: only who they are and how to keep in touch.
#[component]
pub fn SignInFields(
    values: SignInValues,
    problems: FieldProblems,
    #[prop(into)] issues: Signal<Vec<(IssueId, String)>>,
    #[prop(optional)] reply_only: bool,
) -> impl IntoView {
    let SignInValues {
        name,
        phone,
        email,
        postcode,
        consents,
        would_host,
        raised,
        under_16,
    } = values;
    let consent_label = |topic: ConsentTopic| match topic {
        ConsentTopic::Sms => t::kiosk_consent_sms(),
        ConsentTopic::Phone => t::kiosk_consent_phone(),
        _ => t::kiosk_consent_email(),
    };
    let not_under_16 = move || !under_16.get();
    view! {
        <Show when=move || !reply_only>
            <label class="choice">
                <input type="checkbox" prop:checked=move || under_16.get()
                    on:change=move |_| under_16.update(|u| *u = !*u) />
                {t::kiosk_under_16()}
            </label>
        </Show>
        <Show when=not_under_16>
            <label for="kiosk-name">{t::kiosk_name()}</label>
            <input id="kiosk-name" autocomplete="off" bind:value=name
                aria-describedby="kiosk-name-problem" aria-invalid=problems.invalid("name") />
            <p id="kiosk-name-problem" class="form__error">{problems.message("name")}</p>
            <label for="kiosk-phone">{t::kiosk_phone()}</label>
            <input id="kiosk-phone" type="tel" autocomplete="off" bind:value=phone
                aria-describedby="kiosk-phone-problem" aria-invalid=problems.invalid("phone") />
            <p id="kiosk-phone-problem" class="form__error">{problems.message("phone")}</p>
            <label for="kiosk-email">{t::kiosk_email()}</label>
            <input id="kiosk-email" type="email" autocomplete="off" bind:value=email
                aria-describedby="kiosk-email-problem" aria-invalid=problems.invalid("email") />
            <p id="kiosk-email-problem" class="form__error">{problems.message("email")}</p>
            <label for="kiosk-postcode">{t::kiosk_postcode()}</label>
            <input id="kiosk-postcode" autocomplete="off" bind:value=postcode
                aria-describedby="kiosk-postcode-problem" aria-invalid=problems.invalid("postcode") />
            <p id="kiosk-postcode-problem" class="form__error">{problems.message("postcode")}</p>
            <fieldset class="choices">
                <legend>{t::kiosk_may_we()}</legend>
                {SIGN_IN_CONSENTS.into_iter().map(|topic| view! {
                    <label class="choice">
                        <input type="checkbox"
                            prop:checked=move || consents.with(|c| c.contains(&topic))
                            on:change=move |_| toggle(consents, topic) />
                        {consent_label(topic)}
                    </label>
                }).collect_view()}
                <Show when=move || !reply_only>
                    <p class="muted">{t::kiosk_no_consent_kept()}</p>
                </Show>
            </fieldset>
            <Show when=move || !reply_only>
                <label class="choice">
                    <input type="checkbox" prop:checked=move || would_host.get()
                        on:change=move |_| would_host.update(|w| *w = !*w) />
                    {t::kiosk_would_host()}
                </label>
            </Show>
        </Show>
        <Show when=move || !reply_only && issues.with(|i| !i.is_empty())>
            <fieldset class="choices">
                <legend>{t::kiosk_what_matters()}</legend>
                <For each=move || issues.get() key=|(id, _)| *id let((id, issue))>
                    <label class="choice">
                        <input type="checkbox"
                            prop:checked=move || raised.with(|r| r.contains(&id))
                            on:change=move |_| toggle(raised, id) />
                        {issue}
                    </label>
                </For>
            </fieldset>
        </Show>
    }
}

/// Where the kiosk is: the form, asking a returning person whether they are who we think,
/// or the host leaving.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Form,
    IsItYou(Vec<Candidate>),
    Leaving,
}

/// The sign-in form, full screen.
#[component]
pub fn Kiosk(meeting: MeetingId) -> impl IntoView {
    let session = use_session();
    let SyncContext { revision, .. } = expect_context();
    let KioskMode(mode) = expect_context();
    let meeting_id = meeting;
    let meeting = Memo::new(move |_| {
        revision.track();
        sync::read(|replica| replica.one::<Meeting>(meeting_id.0)).flatten()
    });
    let issues = Memo::new(move |_| {
        revision.track();
        let Some(area) = meeting.with(|m| m.as_ref().map(|m| m.area)) else {
            return Vec::new();
        };
        sync::read(|replica| {
            canvass::issues_near(replica, area)
                .into_iter()
                .map(|i| (i.id, i.name))
                .collect::<Vec<(IssueId, String)>>()
        })
        .unwrap_or_default()
    });
    let came = Memo::new(move |_| {
        revision.track();
        let Some(meeting) = meeting.get() else {
            return 0;
        };
        let now = Timestamp(Date::now() as i64);
        sync::read(|replica| Turnout::of(&meeting, &attendances(replica, meeting.id), now).came)
            .unwrap_or(0)
    });
    // What was prepared for the night, read once: it does not change while sign-in is on.
    let kit = RwSignal::new(None::<Arc<SignInKit>>);
    spawn_local(async move {
        if let Some(prepared) = kit::prepared(meeting_id).await {
            kit.set(Some(Arc::new(prepared.kit)));
        }
    });
    let values = SignInValues::new();
    let stage = RwSignal::new(Stage::Form);
    let thanks = RwSignal::new(None::<String>);
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let clear = move || {
        values.clear();
        problems.clear();
        error.set(None);
        stage.set(Stage::Form);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    };
    let finish = move |candidate: Option<Candidate>| {
        let Some(user) = session.user_id_untracked() else {
            return;
        };
        let draft = values.draft();
        spawn_local(async move {
            let at = Timestamp(Date::now() as i64);
            let done = sync::write(|replica| {
                let meeting = replica
                    .one::<Meeting>(meeting_id.0)
                    .ok_or(LocalRefusal::Invalid(Vec::new()))?;
                let held = match &candidate {
                    Some(Candidate::Held(id, _)) => replica.one::<Person>(id.0),
                    _ => None,
                };
                let returning = match &candidate {
                    Some(Candidate::Recognised(kit)) => Some(Returning::Recognised(kit)),
                    _ => held.as_ref().map(Returning::Known),
                };
                let turnout = Turnout::of(&meeting, &attendances(replica, meeting.id), at);
                let (did, steps) = draft
                    .steps(&meeting, returning, &turnout, user, at, sync::mint_id)
                    .map_err(LocalRefusal::Invalid)?;
                change::make(&steps, replica)?;
                Ok(did)
            })
            .await;
            match done {
                Ok(did) => {
                    clear();
                    // Measured once the blank form is drawn for the next person.
                    request_animation_frame(|| sync::measure(SIGN_IN_MEASURE, SIGN_IN_START));
                    thanks.set(Some(
                        match did {
                            SignedIn::Counted(Anonymous::UnderSixteen) => t::kiosk_thanks_counted(),
                            SignedIn::Counted(Anonymous::NoConsent) => {
                                t::kiosk_thanks_nothing_kept()
                            }
                            SignedIn::AlreadyHere(_) => t::kiosk_thanks_already(),
                            SignedIn::Welcomed(_) | SignedIn::New(_) => t::kiosk_thanks(),
                        }
                        .to_owned(),
                    ));
                }
                Err(e) => {
                    stage.set(Stage::Form);
                    let rest = problems.show_unsaved(&e, on_sign_in_form);
                    values.say_what_is_needed(problems);
                    error.set(Some(check_fields(rest.filter(|r| !r.is_empty()))));
                }
            }
        });
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        thanks.set(None);
        sync::mark(SIGN_IN_START);
        let draft = values.draft();
        if draft.under_16 {
            finish(None);
            return;
        }
        let kit = kit.get_untracked();
        spawn_local(async move {
            let found = candidates(&draft, kit.as_deref()).await;
            if found.is_empty() {
                finish(None);
            } else {
                stage.set(Stage::IsItYou(found));
            }
        });
    };
    // After a question answered, the measure runs from the answer.
    let answer = move |candidate: Option<Candidate>| {
        sync::mark(SIGN_IN_START);
        finish(candidate);
    };
    let pin = RwSignal::new(String::new());
    let pin_problems = FieldProblems::new();
    let leave = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        pin_problems.clear();
        let opens = mode.with_untracked(|lock| {
            lock.as_ref()
                .is_some_and(|lock| unlock(lock, &pin.get_untracked()))
        });
        if opens {
            mode.set(None);
            spawn_local(kit::forget(meeting_id));
            let _ = window()
                .location()
                .set_href(&format!("/meetings/{}", meeting_id.0));
        } else {
            pin.set(String::new());
            pin_problems.say("pin", t::kiosk_wrong_pin());
        }
    };
    view! {
        <div class="kiosk">
            <h1>{move || meeting.with(|m| m.as_ref().map(|m| t::kiosk_welcome(&m.title)))}</h1>
            <p class="muted" role="status">{move || t::kiosk_signed_in_so_far(came.get())}</p>
            <p class="notice" role="status">{move || thanks.get()}</p>
            {mode.get_untracked().and_then(|lock| lock.sign_in_link).map(|link| view! { <SignInCode link /> })}
            <Show when=move || matches!(stage.get(), Stage::IsItYou(_))>
                <section class="kiosk__ask" aria-labelledby="is-it-you">
                    <h2 id="is-it-you">{t::kiosk_is_it_you()}</h2>
                    <For each=move || match stage.get() { Stage::IsItYou(c) => c, _ => Vec::new() }
                        key=Candidate::person
                        children=move |candidate| {
                            let label = t::kiosk_yes_i_am(&candidate.first_name());
                            view! {
                                <button type="button" class="button"
                                    on:click=move |_| answer(Some(candidate.clone()))>{label}</button>
                            }
                        } />
                    <button type="button" class="button button--secondary" on:click=move |_| answer(None)>
                        {t::kiosk_no_new()}
                    </button>
                </section>
            </Show>
            <Show when=move || stage.get() == Stage::Form>
                <form class="form" on:submit=submit novalidate>
                    <SignInFields values problems issues />
                    <p class="form__error" role="alert">{move || error.get()}</p>
                    <button type="submit" class="button">{t::kiosk_sign_in()}</button>
                </form>
            </Show>
            <Show when=move || stage.get() == Stage::Leaving
                fallback=move || view! {
                    <button type="button" class="button button--secondary kiosk__leave"
                        on:click=move |_| stage.set(Stage::Leaving)>{t::kiosk_leave()}</button>
                }>
                <form class="form" on:submit=leave novalidate>
                    <label for="kiosk-leave-pin">{t::kiosk_host_pin()}</label>
                    <input id="kiosk-leave-pin" type="password" inputmode="numeric" autocomplete="off"
                        bind:value=pin aria-describedby="kiosk-leave-pin-problem"
                        aria-invalid=pin_problems.invalid("pin") />
                    <p id="kiosk-leave-pin-problem" class="form__error">{pin_problems.message("pin")}</p>
                    <div class="button-row">
                        <button type="submit" class="button">{t::kiosk_leave_now()}</button>
                        <button type="button" class="button button--secondary"
                            on:click=move |_| { pin.set(String::new()); stage.set(Stage::Form) }>
                            {t::kiosk_stay()}
                        </button>
                    </div>
                </form>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_pin_opens_its_own_lock_only() {
        let salt = 0x5A17;
        assert_eq!(digest(salt, "2468"), digest(salt, "2468"));
        assert_ne!(digest(salt, "2468"), digest(salt, "2469"));
        assert_ne!(digest(salt, "2468"), digest(salt + 1, "2468"));
    }

    #[wasm_bindgen_test]
    fn a_link_becomes_a_code_with_a_quiet_zone() {
        let (width, path) = qr_path("https://example.invalid/sign-in-at/00ff").unwrap();
        // A version 3 code (29 modules) at medium correction, four modules clear each side.
        assert_eq!(width, 29 + 8);
        assert!(
            path.starts_with("M4,4h1v1h-1z"),
            "the finder pattern's corner is dark"
        );
        assert!(!path.contains("M0,"), "nothing dark in the quiet zone");
    }

    #[wasm_bindgen_test]
    fn a_returning_person_is_greeted_by_first_name_only() {
        assert_eq!(first_name("Sam Quinn Synthetic"), "Sam");
        assert_eq!(first_name(""), "");
    }
}
