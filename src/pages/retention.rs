//! Retention, for admins: the organisation's rule (set by an admin of the whole organisation,
//! core's `retention`), whom it catches in the areas they administer, by area, and erasing
//! them in one action: first counted in a dry run, then erased for good, each erasure audited
//! as retention. Everyone is chosen to begin with; unticking someone keeps them. It reads the
//! server, so it needs a connection.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use organise_core::id::PersonId;
use organise_core::model::Role;
use organise_core::retention::{
    Caught, MAX_MONTHS, MIN_MONTHS, RetentionErased, RetentionReview, SUGGESTED_MONTHS,
};

use crate::api::{self, ApiError};
use crate::components::field_problems::FieldProblems;
use crate::i18n::{self, t};
use crate::pages::audit::area_name;
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// The retention screen.
#[component]
pub fn Retention() -> impl IntoView {
    let session = require_session();
    let review = RwSignal::new(None::<RetentionReview>);
    let problem = RwSignal::new(None::<String>);
    // Who stays chosen for erasure; everyone caught, until unticked.
    let chosen = RwSignal::new(BTreeSet::<PersonId>::new());
    let load = move || {
        let Some(csrf) = session.csrf_token_untracked() else {
            return;
        };
        problem.set(None);
        spawn_local(async move {
            match api::retention_review(&csrf).await {
                Ok(found) => {
                    chosen.set(found.caught.iter().map(|c| c.person).collect());
                    review.set(Some(found));
                }
                Err(error) => problem.set(Some(error.to_string())),
            }
        });
    };
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || session.csrf_token().is_none() {
            return done.unwrap_or(false);
        }
        load();
        true
    });
    // An admin of the country sets the rule: the server says who is.
    let national = move || review.with(|r| r.as_ref().is_some_and(|r| r.may_set));

    view! {
        <h1>{t::retention()}</h1>
        <Show when=move || session.holds(Role::Admin) fallback=|| view! {
            <p>{t::retention_admins_only()}</p>
        }>
            <p class="form__error" role="alert">{move || problem.get()}</p>
            <Show when=move || review.with(Option::is_some) fallback=|| view! {
                <p class="muted" role="status">{t::retention_loading()}</p>
            }>
                <section class="panel" aria-labelledby="retention-rule">
                    <h2 id="retention-rule">{t::retention_rule_heading()}</h2>
                    {move || review.with(|r| r.as_ref().map(|r| match r.rule {
                        Some(rule) => view! {
                            <p>{t::retention_rule(&rule.months.to_string())}</p>
                            <p class="muted">{t::retention_set_when(&i18n::date(rule.set_at))}</p>
                        }.into_any(),
                        None => view! { <p>{t::retention_no_rule()}</p> }.into_any(),
                    }))}
                    <Show when=national>
                        <RuleForm review on_saved=load />
                    </Show>
                </section>
                <Review review chosen on_erased=load />
            </Show>
        </Show>
    }
}

/// The rule's period, for an admin of the whole organisation, with its problem beside it.
#[component]
fn RuleForm(
    review: RwSignal<Option<RetentionReview>>,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = require_session();
    let current = review.with_untracked(|r| r.as_ref().and_then(|r| r.rule).map(|r| r.months));
    let months = RwSignal::new(current.unwrap_or(SUGGESTED_MONTHS).to_string());
    let problems = FieldProblems::new();
    let said = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let send = move |value: Option<u32>| {
        let Some(csrf) = session.csrf_token_untracked() else {
            return;
        };
        busy.set(true);
        said.set(None);
        problems.clear();
        spawn_local(async move {
            match api::set_retention(&csrf, value).await {
                Ok(_) => {
                    said.set(Some(
                        match value {
                            Some(_) => t::retention_saved(),
                            None => t::retention_removed(),
                        }
                        .to_owned(),
                    ));
                    on_saved();
                }
                Err(ApiError::Refused { fields, .. }) if !fields.is_empty() => {
                    problems.show(&fields, |f| f == "months");
                }
                Err(error) => said.set(Some(error.to_string())),
            }
            busy.set(false);
        });
    };
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match months.get_untracked().trim().parse::<u32>() {
            Ok(n) if (MIN_MONTHS..=MAX_MONTHS).contains(&n) => send(Some(n)),
            _ => problems.say("months", t::retention_months_wrong()),
        }
    };
    view! {
        <form class="form" on:submit=save novalidate>
            <label for="retention-months">{t::retention_months()}</label>
            <input id="retention-months" type="number" inputmode="numeric" min=MIN_MONTHS max=MAX_MONTHS
                bind:value=months aria-invalid=problems.invalid("months")
                aria-describedby="retention-months-hint retention-months-problem" />
            <p id="retention-months-hint" class="muted">{t::retention_months_hint()}</p>
            <p id="retention-months-problem" class="form__error">{problems.message("months")}</p>
            <div class="button-row">
                <button type="submit" class="button" disabled=move || busy.get()>{t::retention_save()}</button>
                <Show when=move || review.with(|r| r.as_ref().is_some_and(|r| r.rule.is_some()))>
                    <button type="button" class="button button--secondary" disabled=move || busy.get()
                        on:click=move |_| send(None)>{t::retention_remove()}</button>
                </Show>
            </div>
            <p role="status">{move || said.get()}</p>
        </form>
    }
}

/// Whom the rule catches, by area, each with a box to keep them out; the dry run's count, and
/// then the erasure of exactly whom it counted.
#[component]
fn Review(
    review: RwSignal<Option<RetentionReview>>,
    chosen: RwSignal<BTreeSet<PersonId>>,
    on_erased: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = require_session();
    // The last dry run, while the choice is what it counted.
    let counted = RwSignal::new(None::<RetentionErased>);
    let problem = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let run = move |dry_run: bool| {
        let Some(csrf) = session.csrf_token_untracked() else {
            return;
        };
        let people: Vec<PersonId> = if dry_run {
            chosen.get_untracked().into_iter().collect()
        } else {
            counted.with_untracked(|c| c.as_ref().map(|c| c.erased.clone()).unwrap_or_default())
        };
        if people.is_empty() {
            problem.set(Some(t::retention_none_chosen().to_owned()));
            return;
        }
        problem.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::retention_erase(&csrf, people, dry_run).await {
                Ok(done) if dry_run => counted.set(Some(done)),
                Ok(done) => {
                    counted.set(None);
                    said.set(Some(t::retention_erased(done.erased.len())));
                    // The erasures come back in the next pull, which purges them here.
                    sync::request_sync();
                    on_erased();
                }
                Err(error) => problem.set(Some(error.to_string())),
            }
            busy.set(false);
        });
    };
    let toggle = move |person: PersonId, on: bool| {
        chosen.update(|c| {
            if on {
                c.insert(person);
            } else {
                c.remove(&person);
            }
        });
        counted.set(None);
    };
    let SyncContext { revision, .. } = expect_context();
    let groups = move || {
        // Areas are named from what the phone holds, which may still be arriving.
        revision.track();
        review.with(|r| {
            let caught = r.as_ref().map(|r| r.caught.clone()).unwrap_or_default();
            by_area(caught)
        })
    };
    view! {
        <section class="panel" aria-labelledby="retention-review">
            <h2 id="retention-review">{t::retention_review_heading()}</h2>
            <Show when=move || review.with(|r| r.as_ref().is_some_and(|r| r.rule.is_some()))>
                {move || {
                    let n = review.with(|r| r.as_ref().map_or(0, |r| r.caught.len()));
                    if n == 0 {
                        view! { <p>{t::retention_none_caught()}</p> }.into_any()
                    } else {
                        view! {
                            <p>{t::retention_caught(n)}</p>
                            <p class="muted">{t::retention_untick()}</p>
                        }.into_any()
                    }
                }}
                {move || groups().into_iter().map(|(area, people)| {
                    let heading = t::retention_in_area(&area, &people.len().to_string());
                    view! {
                        <h3>{heading.clone()}</h3>
                        <ul class="list" aria-label=heading>
                            {people.into_iter().map(|caught| {
                                let person = caught.person;
                                view! {
                                    <li class="list__item">
                                        <label class="choice retention__person">
                                            <input type="checkbox"
                                                prop:checked=move || chosen.with(|c| c.contains(&person))
                                                on:change=move |e| toggle(person, event_target_checked(&e)) />
                                            <span class="retention__name">{caught.name.clone()}</span>
                                            <span class="list__detail">
                                                {t::retention_last_contact(&i18n::date(caught.last_contact))}
                                            </span>
                                        </label>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                }).collect_view()}
                <Show when=move || review.with(|r| r.as_ref().is_some_and(|r| !r.caught.is_empty()))>
                    <div class="button-row">
                        <button type="button" class="button button--secondary" disabled=move || busy.get()
                            on:click=move |_| run(true)>{t::retention_dry_run()}</button>
                    </div>
                </Show>
                {move || counted.get().map(|c| {
                    let n = c.erased.len();
                    view! {
                        <p role="status">{t::retention_would(n)}</p>
                        <Show when=move || c.left != 0>
                            <p class="muted">{t::retention_left(c.left)}</p>
                        </Show>
                        <Show when=move || n != 0>
                            <button type="button" class="button button--danger" disabled=move || busy.get()
                                on:click=move |_| run(false)>{t::retention_erase(n)}</button>
                        </Show>
                    }
                })}
                <p class="form__error" role="alert">{move || problem.get()}</p>
            </Show>
            <p role="status">{move || said.get()}</p>
        </section>
    }
}

/// The people caught, by the name of their area (as this phone names it), in the review's
/// order.
fn by_area(caught: Vec<Caught>) -> Vec<(String, Vec<Caught>)> {
    let mut groups: Vec<(String, Vec<Caught>)> = Vec::new();
    for person in caught {
        let name = sync::read(|replica| area_name(replica, person.area)).unwrap_or_default();
        match groups.last_mut() {
            Some((last, people)) if *last == name => people.push(person),
            _ => groups.push((name, vec![person])),
        }
    }
    groups
}
