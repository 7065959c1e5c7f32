//! Possible duplicates (`/people/duplicates`): the pairs of people core's `duplicates` finds
//! likely to be one person, side by side, for an organiser to merge (keeping the record they
//! choose) or to mark as two different people; the pairs so marked, each to suggest again;
//! and the merges on this phone not undone, newest first, each with its undo. Core's `merge`
//! decides everything a merge and its undo write, core's `duplicates` how a pair is marked
//! (on the people's records, so every organiser's phone stops suggesting it after a sync),
//! and `Permissions::can_merge` whom both are offered to; this screen only draws and asks.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use organise_core::area::{Area, AreaTree};
use organise_core::change;
use organise_core::duplicates::{self, Reason, Suggestion};
use organise_core::id::{AreaId, MergeId, PersonId, UserId};
use organise_core::merge::{self, Refused, Undone};
use organise_core::model::{Merge, Person, User};
use organise_core::order;
use organise_core::permission::{Actor, Permissions};
use organise_core::person_file::PersonFile;
use organise_core::record::Collection;
use organise_core::search::fold;
use organise_core::sync::Replica;

use crate::i18n::{self, t};
use crate::pages::now;
use crate::session::{Session, require_session};
use crate::sync::{self, SyncContext, WriteError};

/// How many pairs the screen shows at first, and how many more each "Show more" adds.
const PAGE: usize = 20;

/// How many of the newest merges not undone are listed to undo.
const RECENT: usize = 20;

/// What the screen finds among the people on the phone who are not merged into someone.
#[derive(Clone, Debug, Default)]
struct Found {
    /// The pairs suggested, strongest first, leaving out those marked as different people.
    suggestions: Vec<Suggestion>,
    /// The pairs marked as different people, by name.
    apart: Vec<(Someone, Someone)>,
}

/// One of a pair marked as different people.
#[derive(Clone, Debug)]
struct Someone {
    id: PersonId,
    name: String,
    area: AreaId,
}

thread_local! {
    /// What was found among the phone's people, with the replica and the generation of its
    /// people it was found in: found again only when a person changed.
    static FOUND: RefCell<Option<(u64, u64, Found)>> = const { RefCell::new(None) };
}

/// The suggestions and the pairs marked as different people among the people on the phone.
fn found_among(replica: &Replica) -> Found {
    let instance = replica.instance();
    let generation = replica.generation_of(&[Collection::Person]);
    FOUND.with_borrow_mut(|cached| {
        if let Some((i, g, found)) = cached.as_ref()
            && (*i, *g) == (instance, generation)
        {
            return found.clone();
        }
        let mut people = Vec::new();
        replica.each::<Person>(|person| {
            if person.merged_into.is_none() {
                people.push(person);
            }
        });
        let by_id: BTreeMap<PersonId, &Person> = people.iter().map(|p| (p.id, p)).collect();
        let someone = |id| {
            by_id.get(&id).map(|p: &&Person| Someone {
                id: p.id,
                name: p.name.clone(),
                area: p.area,
            })
        };
        let mut apart: Vec<(Someone, Someone)> = duplicates::pairs_set_apart(&people)
            .into_iter()
            .filter_map(|(a, b)| Some((someone(a)?, someone(b)?)))
            .collect();
        order::sort_by_key(&mut apart, |(a, b)| {
            (fold(&a.name), fold(&b.name), a.id, b.id)
        });
        let found = Found {
            suggestions: duplicates::suggestions(&people),
            apart,
        };
        *cached = Some((instance, generation, found.clone()));
        found
    })
}

/// The permission rules for whoever is signed in, over the areas this phone holds.
fn may_merge(session: Session, replica: &Replica) -> impl Fn(AreaId, AreaId) -> bool {
    let actor = session
        .user()
        .map(|u| Actor::with_roles(u.id, u.roles.iter().map(|r| (r.role, r.area))));
    let tree = AreaTree::new(&replica.all::<Area>());
    move |kept, gone| {
        actor
            .as_ref()
            .is_some_and(|actor| Permissions::new(actor, &tree).can_merge(kept, gone))
    }
}

/// A reason in words.
fn reason_words(reason: Reason) -> &'static str {
    match reason {
        Reason::SamePhone => t::duplicates_reason_phone(),
        Reason::SameEmail => t::duplicates_reason_email(),
        Reason::CloseNameSameAddress => t::duplicates_reason_name(),
    }
}

/// Why a merge or an undo was not made, in words.
#[derive(Clone, Debug)]
enum Failed {
    /// Core's rules refused it.
    Refused(Refused),
    /// The merge to undo is not on this phone.
    MergeMissing,
    /// The phone could not save it.
    NotSaved(WriteError),
}

impl Failed {
    fn words(&self) -> String {
        match self {
            Failed::Refused(refused) => match refused {
                Refused::SamePerson => t::duplicates_refused_same_person(),
                Refused::KeptMissing => t::duplicates_refused_kept_missing(),
                Refused::GoneMissing => t::duplicates_refused_gone_missing(),
                Refused::KeptMerged => t::duplicates_refused_kept_merged(),
                Refused::GoneMerged => t::duplicates_refused_gone_merged(),
                Refused::AlreadyUndone => t::duplicates_refused_already_undone(),
                Refused::NotThisMerge => t::duplicates_refused_not_this_merge(),
            }
            .to_owned(),
            Failed::MergeMissing => t::duplicates_merge_missing().to_owned(),
            Failed::NotSaved(error) => error.to_string(),
        }
    }
}

/// Merges `gone` into `kept` on this phone, as `by`, in one change: core's steps, then the
/// merge they made.
async fn merge_people(kept: PersonId, gone: PersonId, by: UserId) -> Result<Merge, Failed> {
    sync::write(|replica| {
        let referring = merge::referring(replica, gone);
        let merged = merge::merge(
            replica.one::<Person>(kept.0).as_ref(),
            replica.one::<Person>(gone.0).as_ref(),
            &referring,
            by,
            now(),
            sync::mint_id,
        );
        match merged {
            Ok(merged) => {
                change::make(&merged.steps, replica)?;
                Ok(Ok(merged.merge))
            }
            Err(refused) => Ok(Err(Failed::Refused(refused))),
        }
    })
    .await
    .map_err(Failed::NotSaved)?
}

/// Takes the merge `id` back on this phone, as `by`, with core's undo (never the steps' plain
/// undo, which would delete the merge's record): the sentences saying what it did and what
/// it left as it is.
async fn undo_merge(id: MergeId, by: UserId) -> Result<Vec<String>, Failed> {
    sync::write(|replica| {
        let Some(merge) = replica.one::<Merge>(id.0) else {
            return Ok(Err(Failed::MergeMissing));
        };
        let kept = replica.one::<Person>(merge.kept.0);
        let gone = replica.one::<Person>(merge.gone.0);
        let current = merge::repointed(replica, &merge);
        let undone = merge::undo(
            &merge,
            kept.as_ref(),
            gone.as_ref(),
            &current,
            by,
            now(),
            sync::mint_id,
        );
        match undone {
            Ok(undone) => {
                change::make(&undone.steps, replica)?;
                let name = |p: Option<Person>| p.map(|p| p.name).unwrap_or_default();
                Ok(Ok(undone_words(&name(kept), &name(gone), &undone)))
            }
            Err(refused) => Ok(Err(Failed::Refused(refused))),
        }
    })
    .await
    .map_err(Failed::NotSaved)?
}

/// Marks `a` and `b` on this phone as two different people, with core's step: they are no
/// longer suggested here at once, nor on any organiser's phone once it has synced.
async fn set_apart(a: PersonId, b: PersonId) -> Result<(), WriteError> {
    sync::write(|replica| change::make(&duplicates::set_apart(a, b), replica)).await
}

/// Takes back [`set_apart`] for `a` and `b`, so they are suggested again if they still look
/// alike.
async fn suggest_again(a: PersonId, b: PersonId) -> Result<(), WriteError> {
    sync::write(|replica| {
        let steps = match (replica.one::<Person>(a.0), replica.one::<Person>(b.0)) {
            (Some(a), Some(b)) => duplicates::suggest_again(&a, &b),
            _ => Vec::new(),
        };
        change::make(&steps, replica)
    })
    .await
}

/// What an undo did, and what it left as it is: the kept person's fields edited since, and
/// the records that no longer name them.
fn undone_words(kept: &str, gone: &str, undone: &Undone) -> Vec<String> {
    let mut words = vec![t::duplicates_undone(gone, kept)];
    if !undone.kept_edits.is_empty() {
        let fields: Vec<String> = undone
            .kept_edits
            .iter()
            .map(|f| i18n::field_words(f))
            .collect();
        words.push(t::duplicates_kept_edits(kept, &fields.join(", ")));
    }
    if !undone.left.is_empty() {
        words.push(t::duplicates_left(undone.left.len(), kept));
    }
    words
}

/// What the screen last did, said at its top.
#[derive(Clone, Debug, PartialEq)]
enum Note {
    /// A merge just made: its words, and its undo beside them.
    Merged { merge: MergeId, words: String },
    /// Sentences alone: an undo and what it left, a pair set aside.
    Said(Vec<String>),
}

/// One of a pair, as their card shows them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Side {
    id: PersonId,
    area: AreaId,
    name: String,
    phone: Option<String>,
    email: Option<String>,
    /// Their street address and postcode, as far as known.
    address: Option<String>,
    skills: Vec<String>,
    conversations: usize,
    one_to_ones: usize,
    /// Everything the phone holds of their history: conversations, one-to-ones, meetings and
    /// stories. The side with more is kept unless the organiser chooses otherwise.
    history: usize,
}

impl Side {
    fn read(replica: &Replica, id: PersonId) -> Option<Side> {
        let file = PersonFile::read(replica, id)?;
        let person = file.person;
        let address = match (person.address, person.postcode) {
            (Some(address), Some(postcode)) => Some(format!("{address}, {postcode}")),
            (address, postcode) => address.or(postcode),
        };
        Some(Side {
            id,
            area: person.area,
            name: person.name,
            phone: person.phone,
            email: person.email,
            address,
            skills: person.skills.into_iter().collect(),
            conversations: file.conversations.len(),
            one_to_ones: file.one_to_ones.len(),
            history: file.conversations.len()
                + file.one_to_ones.len()
                + file.meetings.len()
                + file.stories.len(),
        })
    }
}

/// Two people who may be one, as a card shows them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Pair {
    a: Side,
    b: Side,
    reasons: Vec<Reason>,
    /// Whether the signed-in user may merge them (they organise both areas).
    may_merge: bool,
}

/// The duplicates screen: for organisers, the pairs and the recent merges; for anyone else,
/// a sentence saying whose it is.
#[component]
pub fn Duplicates() -> impl IntoView {
    let session = require_session();
    view! {
        <h1>{t::duplicates_title()}</h1>
        <Show when=move || session.is_organiser() fallback=|| view! {
            <p>{t::duplicates_for_organisers()}</p>
        }>
            <Organising session=session />
        </Show>
        <A href="/people" attr:class="back">{t::people_back()}</A>
    }
}

/// The pairs to look at, what was last done, the pairs marked as different people, and the
/// merges to undo.
#[component]
fn Organising(session: Session) -> impl IntoView {
    let SyncContext { revision, .. } = expect_context();
    let shown = RwSignal::new(PAGE);
    let note = RwSignal::new(None::<Note>);
    let found = Memo::new(move |_| {
        revision.track();
        sync::read(|replica| found_among(replica).suggestions).unwrap_or_default()
    });
    let pairs = Memo::new(move |_| {
        revision.track();
        let shown = shown.get();
        found
            .with(|found| {
                sync::read(|replica| {
                    let may = may_merge(session, replica);
                    found
                        .iter()
                        .take(shown)
                        .filter_map(|s| {
                            let a = Side::read(replica, s.a)?;
                            let b = Side::read(replica, s.b)?;
                            Some(Pair {
                                may_merge: may(a.area, b.area) && may(b.area, a.area),
                                reasons: s.reasons.iter().copied().collect(),
                                a,
                                b,
                            })
                        })
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
    });
    let total = move || found.with(Vec::len);
    let left = move || total().saturating_sub(shown.get());
    view! {
        <p>{t::duplicates_intro()}</p>
        <p class="muted">{t::duplicates_set_apart_note()}</p>
        <NoteShown note=note session=session />
        <h2 id="duplicates-pairs">{t::duplicates_pairs()}</h2>
        <p class="muted">{move || match total() {
            0 => t::duplicates_none().to_owned(),
            n => t::duplicates_count(n),
        }}</p>
        <ul class="duplicates" aria-labelledby="duplicates-pairs">
            <For each=move || pairs.get() key=|pair| pair.clone() let(pair)>
                <PairCard pair=pair note=note session=session />
            </For>
        </ul>
        <Show when=move || { left() > 0 }>
            <button type="button" class="button button--secondary"
                on:click=move |_| shown.update(|n| *n += PAGE)>
                {move || t::duplicates_show_more(left().min(PAGE))}
            </button>
        </Show>
        <SetApartPairs note=note session=session />
        <RecentMerges note=note session=session />
    }
}

/// What the screen last did, with the undo of a merge just made beside it.
#[component]
fn NoteShown(note: RwSignal<Option<Note>>, session: Session) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let undo = move |merge: MergeId| {
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        problem.set(None);
        spawn_local(async move {
            match undo_merge(merge, by).await {
                Ok(words) => note.set(Some(Note::Said(words))),
                Err(failed) => problem.set(Some(failed.words())),
            }
        });
    };
    view! {
        <div role="status">
            {move || note.get().map(|shown| match shown {
                Note::Merged { merge, words } => view! {
                    <div class="panel duplicates__note">
                        <p>{words}</p>
                        <button type="button" class="button button--secondary"
                            on:click=move |_| undo(merge)>
                            {t::duplicates_undo()}
                        </button>
                        <p class="form__error">{move || problem.get()}</p>
                    </div>
                }
                .into_any(),
                Note::Said(sentences) => view! {
                    <div class="panel duplicates__note">
                        {sentences.into_iter().map(|s| view! { <p>{s}</p> }).collect_view()}
                    </div>
                }
                .into_any(),
            })}
        </div>
    }
}

/// The facts of one side of a pair, and the choice to keep them.
fn side_view(side: Side, keep: RwSignal<PersonId>, group: String, choosing: bool) -> AnyView {
    let id = side.id;
    let or_nothing =
        |value: Option<String>| value.unwrap_or_else(|| t::duplicates_nothing().into());
    let skills = (!side.skills.is_empty()).then(|| side.skills.join(", "));
    let history = t::duplicates_history_counts(
        &t::count_conversations(side.conversations),
        &t::duplicates_one_to_ones(side.one_to_ones),
    );
    let name = if choosing {
        view! {
            <label class="choice duplicate__keep">
                <input type="radio" name=group value=id.0.to_string()
                    prop:checked=move || keep.get() == id
                    on:change=move |_| keep.set(id) />
                {t::duplicates_keep_person(&side.name)}
            </label>
        }
        .into_any()
    } else {
        view! { <p class="duplicate__name">{side.name}</p> }.into_any()
    };
    view! {
        <div class="duplicate__person" data-person=id.0.to_string()>
            {name}
            <dl class="duplicate__facts">
                <dt>{t::duplicates_phone()}</dt>
                <dd class="duplicate__phone">{or_nothing(side.phone)}</dd>
                <dt>{t::duplicates_email()}</dt>
                <dd>{or_nothing(side.email)}</dd>
                <dt>{t::duplicates_address()}</dt>
                <dd>{or_nothing(side.address)}</dd>
                <dt>{t::duplicates_skills()}</dt>
                <dd>{or_nothing(skills)}</dd>
                <dt>{t::duplicates_history()}</dt>
                <dd>{history}</dd>
            </dl>
        </div>
    }
    .into_any()
}

/// One pair: both people side by side (stacked on a phone), why they look like one, and,
/// for whoever may merge them, which to keep, *Merge* with its confirmation, and *Not the
/// same person*.
#[component]
fn PairCard(pair: Pair, note: RwSignal<Option<Note>>, session: Session) -> impl IntoView {
    let Pair {
        a,
        b,
        reasons,
        may_merge,
    } = pair;
    let (a_id, b_id) = (a.id, b.id);
    let keep = RwSignal::new(if b.history > a.history { b_id } else { a_id });
    let confirming = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let names = StoredValue::new((a.name.clone(), b.name.clone()));
    let name_of = move |id: PersonId| {
        names.with_value(|(a_name, b_name)| {
            if id == a_id {
                a_name.clone()
            } else {
                b_name.clone()
            }
        })
    };
    let other = move |id: PersonId| if id == a_id { b_id } else { a_id };
    let heading = format!("pair-{}-{}", a_id.0, b_id.0);
    let confirm_id = format!("{heading}-confirm");
    let group = format!("{heading}-keep");
    let title = t::duplicates_pair(&a.name, &b.name);
    let reasons = reasons
        .into_iter()
        .map(|r| view! { <li>{reason_words(r)}</li> })
        .collect_view();
    let sides = view! {
        <div class="duplicate__sides">
            {side_view(a, keep, group.clone(), may_merge)}
            {side_view(b, keep, group, may_merge)}
        </div>
    };
    let sides = if may_merge {
        view! {
            <fieldset class="duplicate__choose">
                <legend>{t::duplicates_keep()}</legend>
                {sides}
            </fieldset>
        }
        .into_any()
    } else {
        sides.into_any()
    };
    let merge_now = move |_| {
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        let kept = keep.get_untracked();
        let gone = other(kept);
        let words = t::duplicates_merged(&name_of(gone), &name_of(kept));
        problem.set(None);
        spawn_local(async move {
            match merge_people(kept, gone, by).await {
                Ok(merge) => note.set(Some(Note::Merged {
                    merge: merge.id,
                    words,
                })),
                Err(failed) => {
                    problem.set(Some(failed.words()));
                    confirming.set(false);
                }
            }
        });
    };
    let mark_different = move |_| {
        problem.set(None);
        let words = t::duplicates_set_apart_done(&name_of(a_id), &name_of(b_id));
        spawn_local(async move {
            match set_apart(a_id, b_id).await {
                Ok(()) => note.set(Some(Note::Said(vec![words]))),
                Err(error) => problem.set(Some(error.to_string())),
            }
        });
    };
    let actions = move || {
        if !may_merge {
            return view! { <p class="muted">{t::duplicates_cannot_merge()}</p> }.into_any();
        }
        if confirming.get() {
            let kept = keep.get();
            return view! {
                <div class="duplicate__confirm" role="group" aria-labelledby=confirm_id.clone()>
                    <p id=confirm_id.clone()>
                        {t::duplicates_confirm(&name_of(kept), &name_of(other(kept)))}
                    </p>
                    <div class="actions">
                        <button type="button" class="button" on:click=merge_now>
                            {t::duplicates_confirm_merge()}
                        </button>
                        <button type="button" class="button button--secondary"
                            on:click=move |_| confirming.set(false)>
                            {t::duplicates_cancel()}
                        </button>
                    </div>
                </div>
            }
            .into_any();
        }
        view! {
            <div class="actions">
                <button type="button" class="button" on:click=move |_| {
                    problem.set(None);
                    confirming.set(true);
                }>
                    {t::duplicates_merge()}
                </button>
                <button type="button" class="button button--secondary" on:click=mark_different>
                    {t::duplicates_not_same()}
                </button>
            </div>
        }
        .into_any()
    };
    let labelled_by = heading.clone();
    view! {
        <li class="duplicate" aria-labelledby=labelled_by>
            <h3 id=heading class="duplicate__title">{title}</h3>
            <ul class="duplicate__reasons">{reasons}</ul>
            {sides}
            {actions}
            <p class="form__error" role="alert">{move || problem.get()}</p>
        </li>
    }
}

/// A pair marked as two different people, as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ApartRow {
    a: PersonId,
    b: PersonId,
    names: String,
    /// Whether the signed-in user may suggest them again (they organise both areas).
    may_undo: bool,
}

/// The pairs among the people on this phone marked as different people, by name, each to
/// suggest again.
#[component]
fn SetApartPairs(note: RwSignal<Option<Note>>, session: Session) -> impl IntoView {
    let SyncContext { revision, .. } = expect_context();
    let shown = RwSignal::new(PAGE);
    let rows = Memo::new(move |_| {
        revision.track();
        sync::read(|replica| {
            let may = may_merge(session, replica);
            found_among(replica)
                .apart
                .into_iter()
                .map(|(a, b)| ApartRow {
                    names: t::duplicates_pair(&a.name, &b.name),
                    may_undo: may(a.area, b.area) && may(b.area, a.area),
                    a: a.id,
                    b: b.id,
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    let total = move || rows.with(Vec::len);
    let left = move || total().saturating_sub(shown.get());
    view! {
        <section aria-labelledby="set-apart">
            <h2 id="set-apart">{t::duplicates_set_apart()}</h2>
            <p class="muted">{move || match total() {
                0 => t::duplicates_set_apart_none().to_owned(),
                n => t::duplicates_set_apart_count(n),
            }}</p>
            <ul class="list" aria-labelledby="set-apart">
                <For each=move || rows.with(|rows| rows.iter().take(shown.get()).cloned().collect::<Vec<_>>())
                    key=|row| row.clone() let(row)>
                    <ApartRowShown row=row note=note />
                </For>
            </ul>
            <Show when=move || { left() > 0 }>
                <button type="button" class="button button--secondary"
                    on:click=move |_| shown.update(|n| *n += PAGE)>
                    {move || t::duplicates_show_more(left().min(PAGE))}
                </button>
            </Show>
        </section>
    }
}

/// One pair marked as different people, and its *Suggest again*.
#[component]
fn ApartRowShown(row: ApartRow, note: RwSignal<Option<Note>>) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let ApartRow {
        a,
        b,
        names,
        may_undo,
    } = row;
    let label = t::duplicates_suggest_again_pair(&names);
    let words = t::duplicates_suggested_again(&names);
    let again = move |_| {
        problem.set(None);
        let words = words.clone();
        spawn_local(async move {
            match suggest_again(a, b).await {
                Ok(()) => note.set(Some(Note::Said(vec![words]))),
                Err(error) => problem.set(Some(error.to_string())),
            }
        });
    };
    view! {
        <li class="list__item merge-row">
            <span class="list__title">{names}</span>
            <Show when=move || may_undo>
                <button type="button" class="button button--secondary merge-row__undo"
                    aria-label=label.clone() on:click=again.clone()>
                    {t::duplicates_suggest_again()}
                </button>
            </Show>
            <p class="form__error" role="alert">{move || problem.get()}</p>
        </li>
    }
}

/// One merge to undo, as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct MergeRow {
    id: MergeId,
    kept: String,
    gone: String,
    when: String,
    /// Whether the signed-in user may undo it (they organise both people's areas).
    may_undo: bool,
}

/// The merges on this phone not undone, newest first, each with its undo.
#[component]
fn RecentMerges(note: RwSignal<Option<Note>>, session: Session) -> impl IntoView {
    let SyncContext { revision, .. } = expect_context();
    let rows = Memo::new(move |_| {
        revision.track();
        sync::read(|replica| {
            let mut merges = Vec::new();
            replica.each::<Merge>(|merge| {
                if merge.undone.is_none() {
                    merges.push(merge);
                }
            });
            merges.sort_by_key(|m| (Reverse(m.at), m.id));
            merges.truncate(RECENT);
            let may = may_merge(session, replica);
            let person = |id: PersonId| replica.one::<Person>(id.0);
            merges
                .into_iter()
                .map(|merge| {
                    let (kept, gone) = (person(merge.kept), person(merge.gone));
                    let may_undo = match (&kept, &gone) {
                        (Some(k), Some(g)) => may(k.area, g.area),
                        _ => false,
                    };
                    let name = |p: Option<Person>| {
                        p.map(|p| p.name)
                            .unwrap_or_else(|| t::duplicates_someone().to_owned())
                    };
                    let by = replica
                        .one::<User>(merge.made_by.0)
                        .map(|u| u.name)
                        .unwrap_or_else(|| t::duplicates_someone().to_owned());
                    MergeRow {
                        id: merge.id,
                        kept: name(kept),
                        gone: name(gone),
                        when: t::duplicates_recent_when(&i18n::date(merge.at), &by),
                        may_undo,
                    }
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    view! {
        <section aria-labelledby="recent-merges">
            <h2 id="recent-merges">{t::duplicates_recent()}</h2>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="muted">{t::duplicates_recent_none()}</p>
            </Show>
            <ul class="list" aria-labelledby="recent-merges">
                <For each=move || rows.get() key=|row| row.clone() let(row)>
                    <MergeRowShown row=row note=note session=session />
                </For>
            </ul>
        </section>
    }
}

/// One merge: who went into whom, when and by whom, and its undo.
#[component]
fn MergeRowShown(row: MergeRow, note: RwSignal<Option<Note>>, session: Session) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let MergeRow {
        id,
        kept,
        gone,
        when,
        may_undo,
    } = row;
    let label = t::duplicates_undo_merge(&gone, &kept);
    let undo = move |_| {
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        problem.set(None);
        spawn_local(async move {
            match undo_merge(id, by).await {
                Ok(words) => note.set(Some(Note::Said(words))),
                Err(failed) => problem.set(Some(failed.words())),
            }
        });
    };
    view! {
        <li class="list__item merge-row">
            <span class="list__title">{t::duplicates_recent_merge(&gone, &kept)}</span>
            <span class="list__detail">{when}</span>
            <Show when=move || may_undo>
                <button type="button" class="button button--secondary merge-row__undo"
                    aria-label=label.clone() on:click=undo>
                    {t::duplicates_undo()}
                </button>
            </Show>
            <p class="form__error" role="alert">{move || problem.get()}</p>
        </li>
    }
}
