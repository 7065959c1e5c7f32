//! Conflicts to resolve and rejected changes to fix or discard: nothing anyone saved
//! disappears without someone deciding so.

use leptos::prelude::*;
use leptos::task::spawn_local;
use organise_core::id::RecordId;
use organise_core::record::{Collection, Value};
use organise_core::sync::conflicts::{OpenConflict, SetBy, open_conflicts};
use organise_core::sync::wire::{ConflictId, Op, RecordKey, Seq};

use crate::i18n::{self, t};
use crate::pages::people::text;
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// A value as a person reads it.
pub fn shown(value: &Value) -> String {
    match value {
        Value::Null => t::conflicts_empty().to_owned(),
        Value::Text(text) => text.clone(),
        Value::Bool(true) => t::conflicts_yes().to_owned(),
        Value::Bool(false) => t::conflicts_no().to_owned(),
        Value::Int(n) => n.to_string(),
        Value::Time(at) => i18n::date(*at),
        Value::Texts(texts) if texts.is_empty() => t::conflicts_empty().to_owned(),
        Value::Texts(texts) => texts.iter().cloned().collect::<Vec<_>>().join(", "),
        Value::Id(id) => named(std::slice::from_ref(id)),
        Value::Ids(ids) if ids.is_empty() => t::conflicts_empty().to_owned(),
        Value::Ids(ids) => named(&ids.iter().copied().collect::<Vec<_>>()),
        Value::Map(fields) => fields
            .iter()
            .map(|(field, value)| format!("{}: {}", i18n::field_words(field), shown(value)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::List(items) if items.is_empty() => t::conflicts_empty().to_owned(),
        Value::List(items) => items.iter().map(shown).collect::<Vec<_>>().join("; "),
    }
}

/// Records named by a value: the first few by name (people, users, areas, lists and
/// meetings on this phone), and how many more there are.
fn named(ids: &[RecordId]) -> String {
    const SHOWN: usize = 5;
    const NAMED: [Collection; 5] = [
        Collection::Person,
        Collection::User,
        Collection::Area,
        Collection::List,
        Collection::Meeting,
    ];
    let names: Vec<String> = sync::read(|replica| {
        ids.iter()
            .take(SHOWN)
            .map(|&id| {
                NAMED
                    .iter()
                    .filter_map(|&collection| replica.get(RecordKey { collection, id }))
                    .map(|record| text(&record, "name"))
                    .find(|name| !name.is_empty())
                    .unwrap_or_else(|| t::conflicts_a_record().to_owned())
            })
            .collect()
    })
    .unwrap_or_default();
    match ids.len().saturating_sub(names.len()) {
        0 => names.join(", "),
        more => format!("{} {}", names.join(", "), t::conflicts_more(more)),
    }
}

/// What a record is called on screen: a person's name, or its collection.
fn label(key: RecordKey) -> String {
    sync::read(|replica| replica.get(key))
        .flatten()
        .map(|record| text(&record, "name"))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| key.collection.to_string())
}

/// Who set a value, in words: "you", the user's name if their record is on this phone, or
/// "someone else" for a user it does not hold; nothing while the phone does not know yet.
fn set_by(by: SetBy) -> Option<String> {
    let user = match by {
        SetBy::You => return Some(t::conflicts_by_you().to_owned()),
        SetBy::NotKnown => return None,
        SetBy::User(user) => user,
    };
    let name = sync::read(|replica| {
        replica.get(RecordKey {
            collection: Collection::User,
            id: user.0,
        })
    })
    .flatten()
    .map(|record| text(&record, "name"))
    .filter(|name| !name.is_empty())
    .unwrap_or_else(|| t::conflicts_someone_else().to_owned());
    Some(t::conflicts_by(&name))
}

/// The open conflicts, each with the value now and the value overwritten, who set each, and
/// a button to keep either.
#[component]
pub fn Conflicts() -> impl IntoView {
    require_session();
    let SyncContext { revision, .. } = expect_context();
    let error = RwSignal::new(None::<String>);
    let conflicts = move || {
        revision.track();
        sync::read(open_conflicts).unwrap_or_default()
    };
    let resolve = move |conflict: ConflictId, value: Value| {
        spawn_local(async move {
            if let Err(e) = sync::write(|replica| replica.resolve_conflict(conflict, value)).await {
                error.set(Some(e.to_string()));
            }
        });
    };
    view! {
        <h1>{t::conflicts()}</h1>
        <p class="muted">{t::conflicts_intro()}</p>
        <p class="form__error" role="alert">{move || error.get()}</p>
        <Show when=move || conflicts().is_empty()>
            <p>{t::conflicts_none()}</p>
        </Show>
        <ul class="list" aria-label=t::conflicts_list()>
            // A row is drawn again when the value now changes (a pull, or an edit here).
            <For each=conflicts key=|c| (c.id, format!("{:?}", c.now)) let(conflict)>
                {
                    let id = conflict.id;
                    let OpenConflict { now, kept, .. } = conflict.clone();
                    let heading = t::conflicts_title(&label(conflict.key), &i18n::field_words(conflict.field.as_str()));
                    let keep_label = t::conflicts_keep(&shown(&now.value));
                    let use_label = t::conflicts_use(&shown(&kept.value));
                    let (now_value, kept_value) = (now.value.clone(), kept.value.clone());
                    view! {
                        <li class="list__item conflict">
                            <h2 class="conflict__title">{heading}</h2>
                            <p>{t::conflicts_now()} " " <strong>{shown(&now.value)}</strong> {set_by(now.by).map(|by| format!(" {by}"))}</p>
                            <p>{t::conflicts_overwritten()} " " <strong>{shown(&kept.value)}</strong> {set_by(kept.by).map(|by| format!(" {by}"))}</p>
                            <div class="button-row">
                                <button type="button" class="button" on:click=move |_| resolve(id, now_value.clone())>{keep_label}</button>
                                <button type="button" class="button button--secondary" on:click=move |_| resolve(id, kept_value.clone())>{use_label}</button>
                            </div>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}

/// What a rejected change tried to do, in words.
fn describe(op: &Op, key: RecordKey) -> String {
    let what = label(key);
    match op {
        Op::Create { .. } => t::rejected_create(&what),
        Op::SetField { field, value, .. } => {
            t::rejected_set_field(&i18n::field_words(field.as_str()), &what, &shown(value))
        }
        Op::AddToSet { field, .. } => {
            t::rejected_add_to_set(&i18n::field_words(field.as_str()), &what)
        }
        Op::RemoveFromSet { field, .. } => {
            t::rejected_remove_from_set(&i18n::field_words(field.as_str()), &what)
        }
        Op::Delete { .. } => t::rejected_delete(&what),
        Op::ResolveConflict { .. } => t::rejected_resolve_conflict(&what),
        Op::Void => t::rejected_withdrawn().to_owned(),
    }
}

/// The changes the server refused, each with the reason and a button to discard it.
#[component]
pub fn Rejected() -> impl IntoView {
    require_session();
    let SyncContext { revision, .. } = expect_context();
    let error = RwSignal::new(None::<String>);
    let rejected = move || {
        revision.track();
        sync::read(|replica| {
            replica
                .rejected()
                .map(|r| {
                    (
                        r.mutation.seq,
                        describe(&r.mutation.op, r.mutation.key()),
                        i18n::rejection(&r.rejection),
                    )
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    let discard = move |seq: Seq| {
        spawn_local(async move {
            if let Err(e) = sync::write(|replica| Ok(replica.discard_rejected(seq))).await {
                error.set(Some(e.to_string()));
            }
        });
    };
    view! {
        <h1>{t::rejected()}</h1>
        <p class="muted">{t::rejected_intro()}</p>
        <p class="form__error" role="alert">{move || error.get()}</p>
        <Show when=move || rejected().is_empty()>
            <p>{t::rejected_none()}</p>
        </Show>
        <ul class="list" aria-label=t::rejected_list()>
            <For each=rejected key=|r| r.0 let((seq, what, why))>
                <li class="list__item">
                    <p class="list__title">{what.clone()}</p>
                    <p>{t::rejected_why(&why)}</p>
                    <button type="button" class="button button--secondary"
                        aria-label=t::rejected_discard_change(&what)
                        on:click=move |_| discard(seq)>{t::rejected_discard()}</button>
                </li>
            </For>
        </ul>
    }
}
