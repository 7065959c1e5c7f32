//! The audit log, for admins: who did what, to whom, where and when, within the areas they
//! administer (the server decides what they may read), narrowed by action, area, dates and
//! the person or user acted on; and the entries shown, downloaded as CSV for a spreadsheet.
//! It reads the server, so it needs a connection; names come from what the phone holds.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use organise_core::area::Outlined;
use organise_core::audit::{ACTIONS, AuditRow};
use organise_core::canvass;
use organise_core::csv;
use organise_core::id::{AreaId, RecordId};
use organise_core::model::Role;
use organise_core::order;
use organise_core::record::Collection;
use organise_core::sync::replica::Replica;
use organise_core::sync::wire::RecordKey;
use web_sys::js_sys::Date;

use crate::api::{self, AuditFilter};
use crate::components::area_picker::indented;
use crate::components::download::save_file;
use crate::i18n::{self, t};
use crate::pages::people::text;
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// One entry as the screen shows it: the ids put into words.
#[derive(Clone, Debug, PartialEq, Eq)]
struct EntryRow {
    id: i64,
    when: String,
    what: String,
    who: String,
    about: String,
    area: String,
    detail: String,
    entry: AuditRow,
}

/// The audit log screen.
#[component]
pub fn Audit() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let subject = use_query_map()
        .with_untracked(|q| q.get("subject").and_then(|id| id.parse::<RecordId>().ok()));
    let subject = RwSignal::new(subject);
    let action = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let entries = RwSignal::new(Vec::<AuditRow>::new());
    let next = RwSignal::new(None::<i64>);
    let loading = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let dates_problem = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);

    // The users this phone holds, by name: whose actions to show.
    let users = Memo::new(move |_| {
        revision.track();
        let mut users: Vec<(String, RecordId)> = sync::read(|replica| {
            let mut users = Vec::new();
            replica.each_of(Collection::User, |record| {
                users.push((text(&record, "name"), record.id))
            });
            users
        })
        .unwrap_or_default();
        order::sort(&mut users);
        users
    });
    let admin_areas = Memo::new(move |_| {
        revision.track();
        let admin = session.areas_where(Role::Admin);
        sync::read(|replica| canvass::areas_on_offer(replica, &admin)).unwrap_or_default()
    });

    let load = move |more: bool| {
        let Some(csrf) = session.csrf_token_untracked() else {
            return;
        };
        let (Ok(from_at), Ok(until_at)) = (
            day_start(&from.get_untracked()),
            day_start(&until.get_untracked()),
        ) else {
            dates_problem.set(Some(t::audit_bad_date().to_owned()));
            return;
        };
        dates_problem.set(None);
        let filter = AuditFilter {
            before: if more { next.get_untracked() } else { None },
            action: Some(action.get_untracked()).filter(|a| !a.is_empty()),
            actor: actor.get_untracked().parse().ok(),
            subject: subject.get_untracked(),
            area: area.get_untracked().parse().ok().map(AreaId),
            from: from_at,
            // The last day chosen is included: up to the start of the next.
            until: until_at.map(|at| at + DAY_MS),
        };
        loading.set(true);
        problem.set(None);
        spawn_local(async move {
            match api::audit(&csrf, &filter).await {
                Ok(page) => {
                    if more {
                        entries.update(|e| e.extend(page.entries));
                    } else {
                        entries.set(page.entries);
                    }
                    next.set(page.next);
                }
                Err(error) => problem.set(Some(error.to_string())),
            }
            loading.set(false);
        });
    };
    // The latest entries as soon as the session is known.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || session.csrf_token().is_none() {
            return done.unwrap_or(false);
        }
        load(false);
        true
    });

    let rows = Memo::new(move |_| {
        revision.track();
        entries.with(|entries| {
            sync::read(|replica| {
                entries
                    .iter()
                    .map(|e| worded(replica, e))
                    .collect::<Vec<EntryRow>>()
            })
            .unwrap_or_default()
        })
    });

    let download = move |_| {
        let table = rows.with(|rows| {
            csv::table(
                &[
                    "when", "action", "who", "who_id", "about", "about_id", "area", "area_id",
                    "detail",
                ],
                rows.iter().map(|row| {
                    let id = |id: Option<String>| id.unwrap_or_default();
                    vec![
                        row.when.clone(),
                        row.entry.action.clone(),
                        row.who.clone(),
                        id(row.entry.actor.map(|a| a.to_string())),
                        row.about.clone(),
                        id(row.entry.subject.map(|s| s.to_string())),
                        row.area.clone(),
                        id(row.entry.area.map(|a| a.to_string())),
                        row.detail.clone(),
                    ]
                }),
            )
        });
        said.set(Some(
            match save_file(table.as_bytes(), "text/csv", "audit-log.csv") {
                Ok(()) => t::audit_downloaded().to_owned(),
                Err(_) => t::audit_not_saved().to_owned(),
            },
        ));
    };

    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        load(false);
    };
    let subject_name = move || {
        revision.track();
        subject.get().map(|id| {
            sync::read(|replica| named(replica, id))
                .flatten()
                .unwrap_or_else(|| t::audit_someone().to_owned())
        })
    };

    view! {
        <h1>{t::audit()}</h1>
        <Show when=move || session.holds(Role::Admin) fallback=|| view! {
            <p>{t::audit_admins_only()}</p>
        }>
            <form class="form audit__filters" on:submit=search novalidate>
                <Show when=move || subject.with(Option::is_some)>
                    <p class="audit__about">
                        {move || subject_name().map(|name| t::audit_about(&name))}
                        " "
                        <button type="button" class="button button--secondary"
                            on:click=move |_| { subject.set(None); load(false); }>
                            {t::audit_everyone()}
                        </button>
                    </p>
                </Show>
                <label for="audit-action">{t::audit_action()}</label>
                <select id="audit-action" on:change=move |e| action.set(event_target_value(&e))>
                    <option value="" selected=true>{t::audit_every_action()}</option>
                    {ACTIONS.into_iter().map(|a| view! { <option value=a>{action_words(a)}</option> }).collect_view()}
                </select>
                <label for="audit-actor">{t::audit_actor()}</label>
                <select id="audit-actor" on:change=move |e| actor.set(event_target_value(&e))>
                    <option value="" selected=true>{t::audit_anyone()}</option>
                    {move || users.get().into_iter().map(|(name, id)| view! {
                        <option value=id.to_string()>{name}</option>
                    }).collect_view()}
                </select>
                <label for="audit-area">{t::audit_area()}</label>
                <select id="audit-area" on:change=move |e| area.set(event_target_value(&e))>
                    <option value="" selected=true>{t::audit_every_area()}</option>
                    {move || admin_areas.get().into_iter().map(|Outlined { area: a, depth }| view! {
                        <option value=a.id.to_string()>{indented(depth, &a.name)}</option>
                    }).collect_view()}
                </select>
                <label for="audit-from">{t::audit_from()}</label>
                <input id="audit-from" type="date" bind:value=from aria-describedby="audit-dates-problem" />
                <label for="audit-until">{t::audit_until()}</label>
                <input id="audit-until" type="date" bind:value=until aria-describedby="audit-dates-problem" />
                <p id="audit-dates-problem" class="form__error">{move || dates_problem.get()}</p>
                <button type="submit" class="button" disabled=move || loading.get()>{t::audit_show()}</button>
            </form>
            <p class="form__error" role="alert">{move || problem.get()}</p>
            <p class="muted" role="status">{move || t::audit_shown(rows.with(Vec::len))}</p>
            <ul class="list" aria-label=t::audit_entries()>
                <For each=move || rows.get() key=|row| (row.id, row.who.clone(), row.about.clone(), row.area.clone()) let(row)>
                    <li class="list__item audit__entry">
                        <span class="list__title">{row.what.clone()}</span>
                        <span class="list__detail">{t::audit_by(&row.who, &row.when)}</span>
                        <Show when={let about = row.about.clone(); move || !about.is_empty()}>
                            <span class="list__detail">{t::audit_about(&row.about)}</span>
                        </Show>
                        <Show when={let area = row.area.clone(); move || !area.is_empty()}>
                            <span class="list__detail">{row.area.clone()}</span>
                        </Show>
                        <Show when={let detail = row.detail.clone(); move || !detail.is_empty()}>
                            <span class="list__detail">{row.detail.clone()}</span>
                        </Show>
                    </li>
                </For>
            </ul>
            <div class="button-row">
                <Show when=move || next.with(Option::is_some)>
                    <button type="button" class="button button--secondary" disabled=move || loading.get()
                        on:click=move |_| load(true)>{t::audit_older()}</button>
                </Show>
                <button type="button" class="button button--secondary" on:click=download
                    disabled=move || rows.with(Vec::is_empty)>{t::audit_download()}</button>
            </div>
            <p role="status">{move || said.get()}</p>
        </Show>
    }
}

/// A day in milliseconds.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The start of the day `text` (`YYYY-MM-DD`, as a date field gives it) on this device's
/// clock; none for an empty field, an error for anything else.
fn day_start(text: &str) -> Result<Option<i64>, ()> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let mut parts = text.trim().splitn(3, '-').map(str::parse::<u32>);
    let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(());
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(());
    }
    let at = Date::new_with_year_month_day(year, month as i32 - 1, day as i32).get_time();
    if at.is_finite() {
        Ok(Some(at as i64))
    } else {
        Err(())
    }
}

/// An entry with its ids put into words from what `replica` holds.
fn worded(replica: &Replica, entry: &AuditRow) -> EntryRow {
    let who = match entry.actor {
        Some(user) => named(replica, user.0).unwrap_or_else(|| t::audit_someone().to_owned()),
        None => t::audit_nobody_signed_in().to_owned(),
    };
    let about = entry
        .subject
        .map(|id| {
            if replica.erased().contains(&id) {
                t::audit_erased_person().to_owned()
            } else {
                named(replica, id).unwrap_or_else(|| t::audit_someone().to_owned())
            }
        })
        .unwrap_or_default();
    let area = entry
        .area
        .map(|area| area_name(replica, area))
        .unwrap_or_default();
    EntryRow {
        id: entry.id,
        when: i18n::date_time(entry.at),
        what: action_words(&entry.action).to_owned(),
        who,
        about,
        area,
        detail: entry.detail.clone(),
        entry: entry.clone(),
    }
}

/// The name of `area`, or words for an area this phone does not hold.
pub(crate) fn area_name(replica: &Replica, area: AreaId) -> String {
    replica
        .get(RecordKey {
            collection: Collection::Area,
            id: area.0,
        })
        .map(|r| text(&r, "name"))
        .unwrap_or_else(|| t::audit_an_area().to_owned())
}

/// The name of the person or user `id`, if this phone holds them.
fn named(replica: &Replica, id: RecordId) -> Option<String> {
    [Collection::Person, Collection::User]
        .into_iter()
        .find_map(|collection| replica.get(RecordKey { collection, id }))
        .map(|record| text(&record, "name"))
}

/// An action in words; one the app has no words for, as the log names it.
pub(crate) fn action_words(action: &str) -> &str {
    match action {
        "person.erase" => t::audit_person_erase(),
        "person.export" => t::audit_person_export(),
        "consent.withdraw" => t::audit_consent_withdraw(),
        "meeting.rsvp" => t::audit_meeting_rsvp(),
        "meeting.sign_in" => t::audit_meeting_sign_in(),
        "meeting.sign_in_kit" => t::audit_meeting_sign_in_kit(),
        "retention.rule" => t::audit_retention_rule(),
        "login" => t::audit_login(),
        "login.failed" => t::audit_login_failed(),
        "logout" => t::audit_logout(),
        "logout.everywhere" => t::audit_logout_everywhere(),
        "sessions.end" => t::audit_sessions_end(),
        "password.change" => t::audit_password_change(),
        "password.change.failed" => t::audit_password_change_failed(),
        "invite.create" => t::audit_invite_create(),
        "invite.renew" => t::audit_invite_renew(),
        "invite.withdraw" => t::audit_invite_withdraw(),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Every action the server audits is offered in the filter, and shown, in words: one
    /// added to core's list without words here would read as its dotted name.
    #[wasm_bindgen_test]
    fn every_audited_action_has_words() {
        for action in ACTIONS {
            let words = action_words(action);
            assert_ne!(words, action, "no words for {action}");
            assert!(!words.is_empty(), "{action}");
        }
    }
}
