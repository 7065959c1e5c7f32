//! Withdrawing consent through a link (`/consent/<token>`), for someone who has no account:
//! the organisation gives them the link with their data's export and in its messages. The
//! page asks which ways of contacting them must stop, and says so once done. It shows nothing
//! about them, so a forwarded link tells its reader nothing; a link that does not work, or no
//! longer does, says why in words.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use organise_core::model::ConsentTopic;
use organise_core::withdrawal::{LinkOffer, Withdrawal};

use crate::api::{self, ApiError};
use crate::i18n::{self, t};

/// The words for a consent the page offers to withdraw.
fn topic_words(topic: ConsentTopic) -> &'static str {
    match topic {
        ConsentTopic::Email => t::consent_topic_email(),
        ConsentTopic::Sms => t::consent_topic_sms(),
        ConsentTopic::Phone => t::consent_topic_phone(),
        _ => t::consent_topic_contact(),
    }
}

/// The sentence for a link that does not work, from the server's answer.
fn broken(error: &ApiError) -> &'static str {
    match error {
        ApiError::Refused { status: 410, .. } => t::consent_expired(),
        ApiError::Refused { status: 429, .. } => t::consent_too_many(),
        ApiError::Offline | ApiError::TimedOut => t::consent_offline(),
        _ => t::consent_not_a_link(),
    }
}

/// What a withdrawal said, once done.
fn done(topics: &[ConsentTopic]) -> String {
    if topics.contains(&ConsentTopic::Contact) {
        return t::consent_done_everything().to_owned();
    }
    let words: Vec<&str> = topics.iter().map(|&topic| topic_words(topic)).collect();
    t::consent_done(&words.join(", ").to_lowercase())
}

/// The consent page.
#[component]
pub fn Withdraw() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let offer = LocalResource::new(move || {
        let token = token();
        async move { api::consent_offer(&token).await.map_err(|e| broken(&e)) }
    });
    view! {
        <h1>{t::consent()}</h1>
        <Suspense fallback=|| view! { <p class="muted">{t::consent_checking()}</p> }>
            {move || Suspend::new(async move {
                match offer.await {
                    Ok(offer) => view! { <WithdrawForm offer token=token() /> }.into_any(),
                    Err(why) => view! { <p role="alert">{why}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The ways to stop, each a checkbox; a problem beside them, and nothing chosen lost.
#[component]
fn WithdrawForm(offer: LinkOffer, token: String) -> impl IntoView {
    let chosen = RwSignal::new(BTreeSet::<ConsentTopic>::new());
    let problem = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let topics: Vec<ConsentTopic> = chosen.get_untracked().into_iter().collect();
        if topics.is_empty() {
            problem.set(Some(t::consent_none_chosen()));
            return;
        }
        problem.set(None);
        error.set(None);
        busy.set(true);
        let token = token.clone();
        spawn_local(async move {
            match api::withdraw_consent(&token, &Withdrawal { topics }).await {
                Ok(withdrawn) => said.set(Some(done(&withdrawn.topics))),
                Err(refused @ ApiError::Refused { status: 400, .. }) => {
                    error.set(Some(refused.to_string()));
                }
                Err(other) => error.set(Some(broken(&other).to_owned())),
            }
            busy.set(false);
        });
    };
    let topics = offer.topics;
    let boxes = move || {
        topics
            .iter()
            .map(|&topic| {
                view! {
                    <label class="choice">
                        <input type="checkbox" name="consent-topic"
                            aria-describedby="consent-problem"
                            prop:checked=move || chosen.with(|c| c.contains(&topic))
                            on:change=move |event| {
                                let on = event_target_checked(&event);
                                chosen.update(|c| {
                                    if on {
                                        c.insert(topic);
                                    } else {
                                        c.remove(&topic);
                                    }
                                });
                                if on {
                                    problem.set(None);
                                }
                            } />
                        {topic_words(topic)}
                    </label>
                }
            })
            .collect_view()
    };
    let expires_at = offer.expires_at;
    view! {
        <Show when=move || said.get().is_none()
            fallback=move || view! {
                <p role="status" class="consent-done">{move || said.get()}</p>
                <p>{t::consent_change_mind()}</p>
            }>
            <p>{t::consent_intro()}</p>
            <form class="form" on:submit=submit.clone() novalidate>
                <fieldset class="choices">
                    <legend>{t::consent_choose()}</legend>
                    {boxes.clone()()}
                    <p id="consent-problem" class="form__error" aria-live="polite">{move || problem.get()}</p>
                </fieldset>
                <button type="submit" class="button button--danger" disabled=move || busy.get()>
                    {t::consent_submit()}
                </button>
                <p role="alert" class="form__error">{move || error.get()}</p>
            </form>
            <p class="muted">{t::consent_until(&i18n::date(expires_at))}</p>
        </Show>
    }
}
