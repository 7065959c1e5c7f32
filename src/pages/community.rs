//! The community map (`/map`): an area's organisations with their leaders, contacts and
//! members and how far our relationship has come; adding an organisation and linking people to
//! organisations and to each other; a ward's relationship graph drawn as an SVG; and the gaps
//! (kinds of organisation nobody has been in touch with for ninety days) beside each ward's
//! listening. Core's `community` decides every row, gap and position; nothing is worked out
//! here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use organise_core::area::{Area, AreaKind, AreaTree};
use organise_core::calendar::london_day;
use organise_core::community::{self, GAP_DAYS, Graph, LinkedPerson, MappedOrganisation, NodeKind};
use organise_core::id::{AreaId, LinkId, OrganisationId, PersonId, RecordId};
use organise_core::model::{
    Conversation, Link, LinkKind, OneToOne, Organisation, OrganisationKind, Person, Relationship,
};
use organise_core::record::{Choice, Collection, Entity, Value};
use organise_core::sync::wire::RecordKey;

use crate::components::area_picker::{AreaPicker, chosen_area, organised_areas};
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::i18n::t;
use crate::pages::now;
use crate::pages::people::found_people;
use crate::pages::week::day_words;
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// An organisation's kind in words.
pub fn kind_words(kind: OrganisationKind) -> &'static str {
    match kind {
        OrganisationKind::School => t::map_kind_school(),
        OrganisationKind::FaithGroup => t::map_kind_faith_group(),
        OrganisationKind::Union => t::map_kind_union(),
        OrganisationKind::TenantsAssociation => t::map_kind_tenants(),
        OrganisationKind::CommunityGroup => t::map_kind_community_group(),
        OrganisationKind::Charity => t::map_kind_charity(),
        OrganisationKind::LocalParty => t::map_kind_local_party(),
        OrganisationKind::Other => t::map_kind_other(),
    }
}

/// A relationship's stage in words.
fn stage_words(stage: Relationship) -> &'static str {
    match stage {
        Relationship::NotContacted => t::map_stage_not_contacted(),
        Relationship::Contacted => t::map_stage_contacted(),
        Relationship::Met => t::map_stage_met(),
        Relationship::Partner => t::map_stage_partner(),
        Relationship::Declined => t::map_stage_declined(),
    }
}

/// A link's kind in words.
fn link_words(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Leader => t::map_link_leader(),
        LinkKind::Contact => t::map_link_contact(),
        LinkKind::Member => t::map_link_member(),
        LinkKind::Knows => t::map_link_knows(),
        LinkKind::Family => t::map_link_family(),
        LinkKind::Neighbour => t::map_link_neighbour(),
        LinkKind::Colleague => t::map_link_colleague(),
        LinkKind::Introduced => t::map_link_introduced(),
    }
}

/// A person's name, or words for someone not on this device.
fn person_name(person: PersonId) -> String {
    sync::read(|replica| replica.one::<Person>(person.0))
        .flatten()
        .map(|p| p.name)
        .unwrap_or_else(|| t::map_someone().to_owned())
}

/// "Name (role)" for each person linked one way.
fn people_words(people: &[LinkedPerson]) -> String {
    people
        .iter()
        .map(|p| match &p.role {
            Some(role) => t::map_person_role(&person_name(p.person), role),
            None => person_name(p.person),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the map shows for one chosen area, read once per change of data.
#[derive(Clone, Debug, PartialEq)]
struct MapView {
    organisations: Vec<MappedOrganisation>,
    gaps: Vec<WardGapRow>,
    /// The chosen ward's graph; `None` when the area is not a ward.
    graph: Option<Graph>,
}

/// One ward's gaps, named for the screen.
#[derive(Clone, Debug, PartialEq)]
struct WardGapRow {
    ward: String,
    kinds: Vec<OrganisationKind>,
    conversations: usize,
    one_to_ones: usize,
}

fn map_view(within: AreaId) -> Option<MapView> {
    sync::read(|replica| {
        let areas = replica.all::<Area>();
        let tree = AreaTree::new(&areas);
        let organisations: Vec<Organisation> = replica
            .all::<Organisation>()
            .into_iter()
            .filter(|o| tree.is_within(o.area, within))
            .collect();
        let links = replica.all::<Link>();
        let one_to_ones = replica.all::<OneToOne>();
        let wards: Vec<&Area> = areas
            .iter()
            .filter(|a| a.kind == AreaKind::Ward && tree.is_within(a.id, within))
            .collect();
        let ward_ids: Vec<AreaId> = wards.iter().map(|a| a.id).collect();
        let conversations = replica.all::<Conversation>();
        let gaps = community::gaps(
            &ward_ids,
            &tree,
            &organisations,
            &links,
            &one_to_ones,
            &conversations,
            london_day(now()),
        )
        .into_iter()
        .map(|g| WardGapRow {
            ward: wards
                .iter()
                .find(|w| w.id == g.ward)
                .map(|w| w.name.clone())
                .unwrap_or_default(),
            kinds: g.gaps.iter().map(|gap| gap.kind).collect(),
            conversations: g.conversations_held,
            one_to_ones: g.one_to_ones_held,
        })
        .collect();
        let graph = (tree.kind(within) == Some(AreaKind::Ward)).then(|| {
            let mut linked: Vec<Person> = Vec::new();
            for link in &links {
                for person in [Some(link.person), link.other].into_iter().flatten() {
                    if !linked.iter().any(|p| p.id == person)
                        && let Some(found) = replica.one::<Person>(person.0)
                    {
                        linked.push(found);
                    }
                }
            }
            community::graph(within, &tree, &organisations, &linked, &links)
        });
        MapView {
            organisations: community::map(&organisations, &links, &one_to_ones),
            gaps,
            graph,
        }
    })
}

/// The community map of an area the organiser picks.
#[component]
pub fn CommunityMap() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let areas = organised_areas(session);
    let area = RwSignal::new(String::new());
    let within = Memo::new(move |_| {
        let chosen = area.get();
        areas.with(|areas| chosen_area(areas, &chosen))
    });
    let shown = Memo::new(move |_| {
        revision.track();
        within.get().and_then(map_view)
    });
    let organisations = move || {
        shown.with(|v| {
            v.as_ref()
                .map(|v| v.organisations.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <h1>{t::map_title()}</h1>
        <Show when=move || session.is_organiser() fallback=|| view! { <p>{t::map_for_organisers()}</p> }>
            <div class="form">
                <label for="map-area">{t::map_area()}</label>
                <AreaPicker id="map-area" areas=areas chosen=area described_by="map-area-note"
                    invalid=Signal::derive(|| false) />
                <p id="map-area-note" class="muted">{t::map_area_note()}</p>
            </div>
            <section aria-labelledby="map-organisations-heading">
                <h2 id="map-organisations-heading">{t::map_organisations()}</h2>
                <Show when=move || organisations().is_empty()>
                    <p class="muted">{t::map_none()}</p>
                </Show>
                <ul class="list">
                    <For each=organisations key=|o| format!("{o:?}") let(row)>
                        <OrganisationRow row=row />
                    </For>
                </ul>
            </section>
            {move || shown.with(|v| v.as_ref().and_then(|v| v.graph.clone())).map(|graph| view! { <RelationshipGraph graph=graph /> })}
            <AddOrganisation areas=areas />
            <LinkSomeone organisations=Signal::derive(organisations) />
            <section aria-labelledby="map-gaps-heading">
                <h2 id="map-gaps-heading">{t::map_gaps()}</h2>
                <p class="muted">{t::map_gaps_note(usize::try_from(GAP_DAYS).unwrap_or_default())}</p>
                <div class="table-scroll">
                    <table class="map-gaps">
                        <thead>
                            <tr>
                                <th scope="col">{t::map_gaps_ward()}</th>
                                <th scope="col">{t::map_gaps_kinds()}</th>
                                <th scope="col">{t::map_gaps_conversations()}</th>
                                <th scope="col">{t::map_gaps_one_to_ones()}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || shown.with(|v| v.as_ref().map(|v| v.gaps.clone()).unwrap_or_default())
                                key=|g| (g.ward.clone(), g.kinds.clone(), g.conversations, g.one_to_ones) let(row)>
                                <tr data-ward=row.ward.clone() data-gaps=row.kinds.len()>
                                    <th scope="row">{row.ward.clone()}</th>
                                    <td>{if row.kinds.is_empty() {
                                        t::map_gaps_none().to_owned()
                                    } else {
                                        row.kinds.iter().map(|k| kind_words(*k)).collect::<Vec<_>>().join(", ")
                                    }}</td>
                                    <td>{row.conversations}</td>
                                    <td>{row.one_to_ones}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
            </section>
        </Show>
    }
}

/// One organisation: its kind, stage (changed in place), people and last contact.
#[component]
fn OrganisationRow(row: MappedOrganisation) -> impl IntoView {
    let id = row.organisation;
    let said = RwSignal::new(None::<String>);
    let select = format!("stage-{}", id.0);
    let change_stage = move |event: leptos::ev::Event| {
        let Some(stage) = Relationship::parse(&event_target_value(&event)) else {
            return;
        };
        spawn_local(async move {
            let key = RecordKey {
                collection: Collection::Organisation,
                id: id.0,
            };
            let result = sync::write(|replica| {
                replica.set_field(key, "relationship", Value::Text(stage.as_str().to_owned()))
            })
            .await;
            said.set(Some(match result {
                Ok(_) => t::map_stage_saved().to_owned(),
                Err(e) => e.to_string(),
            }));
        });
    };
    let stage = row.stage;
    let last = match row.last_contact {
        Some(day) => t::map_last_contact(&day_words(day)),
        None => t::map_no_contact().to_owned(),
    };
    let line = |label: &'static str, people: &[LinkedPerson]| {
        (!people.is_empty()).then(|| {
            view! {
                <span class="list__detail">{format!("{label}: {}", people_words(people))}</span>
            }
        })
    };
    view! {
        <li class="list__item organisation" data-organisation=row.name.clone()
            data-leaders=row.leaders.len() data-stage=stage.as_str()>
            <div class="organisation__text">
                <span class="list__title">{row.name.clone()}</span>
                <span class="list__detail">{kind_words(row.kind)}</span>
                {line(t::map_leaders(), &row.leaders)}
                {line(t::map_contacts(), &row.contacts)}
                {line(t::map_members(), &row.members)}
                <span class="list__detail">{last}</span>
            </div>
            <div class="organisation__stage">
                <label for=select.clone()>{t::map_stage_of(&row.name)}</label>
                <select id=select on:change=change_stage>
                    {Relationship::ALL.iter().map(|&s| view! {
                        <option value=s.as_str() selected=s == stage>{stage_words(s)}</option>
                    }).collect_view()}
                </select>
                <span role="status" class="muted">{move || said.get()}</span>
            </div>
        </li>
    }
}

/// A ward's organisations and people as a graph, drawn from core's layout. The same links
/// are listed above in words, so the drawing is hidden from screen readers.
#[component]
fn RelationshipGraph(graph: Graph) -> impl IntoView {
    if graph.nodes.is_empty() {
        return view! { <p class="muted">{t::map_graph_empty()}</p> }.into_any();
    }
    if !graph.is_readable() {
        return view! { <p class="muted">{t::map_graph_too_big()}</p> }.into_any();
    }
    let at = |id: RecordId| graph.nodes.iter().find(|n| n.id == id).map(|n| (n.x, n.y));
    let edges = graph
        .edges
        .iter()
        .filter_map(|e| {
            let (x1, y1) = at(e.from)?;
            let (x2, y2) = at(e.to)?;
            let class = if e.kind.is_to_organisation() {
                "graph__edge"
            } else {
                "graph__edge graph__edge--people"
            };
            Some(view! { <line x1=x1 y1=y1 x2=x2 y2=y2 class=class /> })
        })
        .collect_view();
    let nodes = graph
        .nodes
        .iter()
        .map(|n| {
            let label = n
                .label
                .clone()
                .unwrap_or_else(|| t::map_someone().to_owned());
            let (class, r) = match n.kind {
                NodeKind::Organisation => ("graph__node graph__node--organisation", 26),
                NodeKind::Person => ("graph__node", 16),
            };
            view! {
                <g class=class>
                    <circle cx=n.x cy=n.y r=r />
                    <text x=n.x y=n.y + r + 28 text-anchor="middle">{label}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="map-graph-heading">
            <h2 id="map-graph-heading">{t::map_graph()}</h2>
            <svg class="graph" viewBox="-120 -60 1240 1140" aria-hidden="true">
                {edges}
                {nodes}
            </svg>
            <p class="muted">{t::map_graph_note()}</p>
        </section>
    }
    .into_any()
}

/// Adding an organisation to the map, in an area the organiser organises.
#[component]
fn AddOrganisation(areas: Memo<Vec<organise_core::area::Outlined>>) -> impl IntoView {
    let session = require_session();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(OrganisationKind::School.as_str().to_owned());
    let area = RwSignal::new(String::new());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        problems.clear();
        error.set(None);
        saved.set(None);
        let Some(where_) = areas.with_untracked(|a| chosen_area(a, &area.get_untracked())) else {
            problems.say("area", t::map_choose_area());
            return;
        };
        let organisation = Organisation {
            id: OrganisationId(sync::mint_id()),
            area: where_,
            created_by: by,
            name: name.get_untracked(),
            kind: OrganisationKind::parse(&kind.get_untracked()).unwrap_or(OrganisationKind::Other),
            relationship: Relationship::NotContacted,
            notes: None,
        };
        let organisation = match organisation.normalised() {
            Ok(valid) => valid,
            Err(found) => {
                let rest = problems.show(&found, |f| matches!(f, "name" | "kind" | "area"));
                error.set(Some(check_fields(rest)));
                return;
            }
        };
        spawn_local(async move {
            match sync::write(|replica| replica.create(&organisation.to_record())).await {
                Ok(_) => {
                    saved.set(Some(t::map_added(&organisation.name)));
                    name.set(String::new());
                }
                Err(e) => {
                    error.set(problems.show_unsaved(&e, |f| matches!(f, "name" | "kind" | "area")))
                }
            }
        });
    };
    view! {
        <section aria-labelledby="map-add-heading">
            <h2 id="map-add-heading">{t::map_add()}</h2>
            <form class="form" on:submit=add novalidate>
                <label for="organisation-name">{t::map_name()}</label>
                <input id="organisation-name" bind:value=name autocomplete="off"
                    aria-describedby="organisation-name-problem" aria-invalid=problems.invalid("name") />
                <p id="organisation-name-problem" class="form__error">{problems.message("name")}</p>
                <label for="organisation-kind">{t::map_kind()}</label>
                <select id="organisation-kind" bind:value=kind>
                    {OrganisationKind::ALL.iter().map(|&k| view! {
                        <option value=k.as_str()>{kind_words(k)}</option>
                    }).collect_view()}
                </select>
                <label for="organisation-area">{t::map_where()}</label>
                <AreaPicker id="organisation-area" areas=areas chosen=area
                    described_by="organisation-area-problem" invalid=problems.is_wrong("area") />
                <p id="organisation-area-problem" class="form__error">{problems.message("area")}</p>
                <p class="form__error" role="alert">{move || error.get()}</p>
                <button type="submit" class="button">{t::map_add_save()}</button>
                <p class="form__saved" role="status">{move || saved.get()}</p>
            </form>
        </section>
    }
}

/// Linking someone to an organisation (as a leader, contact or member, with their role) or to
/// another person.
#[component]
fn LinkSomeone(#[prop(into)] organisations: Signal<Vec<MappedOrganisation>>) -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let search = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<(PersonId, String)>);
    let found = Memo::new(move |_| {
        revision.track();
        search.with(|typed| found_people(typed, 6))
    });
    let other_search = RwSignal::new(String::new());
    let other = RwSignal::new(None::<(PersonId, String)>);
    let other_found = Memo::new(move |_| {
        revision.track();
        other_search.with(|typed| found_people(typed, 6))
    });
    let to_organisation = RwSignal::new(String::new());
    let kind = RwSignal::new(LinkKind::Leader.as_str().to_owned());
    let role = RwSignal::new(String::new());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let to_person =
        move || kind.with(|k| LinkKind::parse(k).is_some_and(|k| !k.is_to_organisation()));
    let fields = |f: &str| matches!(f, "person" | "organisation" | "other" | "kind" | "role");
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        problems.clear();
        error.set(None);
        saved.set(None);
        let Some((person, _)) = chosen.get_untracked() else {
            problems.say("person", t::map_choose_person());
            return;
        };
        let Some(person_record) = sync::read(|replica| replica.one::<Person>(person.0)).flatten()
        else {
            problems.say("person", t::map_choose_person());
            return;
        };
        let kind = LinkKind::parse(&kind.get_untracked()).unwrap_or(LinkKind::Leader);
        let (organisation, other_person) = if kind.is_to_organisation() {
            (
                to_organisation
                    .get_untracked()
                    .parse::<RecordId>()
                    .ok()
                    .map(OrganisationId),
                None,
            )
        } else {
            (None, other.get_untracked().map(|(p, _)| p))
        };
        let typed_role = role.get_untracked();
        let link = Link {
            id: LinkId(sync::mint_id()),
            area: person_record.area,
            created_by: by,
            person,
            organisation,
            other: other_person,
            kind,
            role: (!typed_role.trim().is_empty()).then_some(typed_role),
        };
        let link = match link.normalised() {
            Ok(valid) => valid,
            Err(found) => {
                let rest = problems.show(&found, fields);
                error.set(Some(check_fields(rest)));
                return;
            }
        };
        spawn_local(async move {
            match sync::write(|replica| replica.create(&link.to_record())).await {
                Ok(_) => {
                    saved.set(Some(t::map_linked().to_owned()));
                    chosen.set(None);
                    other.set(None);
                    role.set(String::new());
                    search.set(String::new());
                    other_search.set(String::new());
                }
                Err(e) => error.set(problems.show_unsaved(&e, fields)),
            }
        });
    };
    view! {
        <section aria-labelledby="map-link-heading">
            <h2 id="map-link-heading">{t::map_link()}</h2>
            <form class="form" on:submit=save novalidate>
                <label for="link-person">{t::map_link_person()}</label>
                {move || match chosen.get() {
                    Some((_, name)) => view! {
                        <p class="map__chosen">
                            <strong>{name.clone()}</strong>
                            <button type="button" class="button button--secondary"
                                on:click=move |_| chosen.set(None)>{t::map_change_person()}</button>
                        </p>
                    }.into_any(),
                    None => ().into_any(),
                }}
                <input id="link-person" type="search" bind:value=search autocomplete="off"
                    aria-describedby="link-person-problem" aria-invalid=problems.invalid("person") />
                <p id="link-person-problem" class="form__error">{problems.message("person")}</p>
                <ChooseFound found=found chosen=chosen />
                <label for="link-kind">{t::map_link_kind()}</label>
                <select id="link-kind" bind:value=kind aria-describedby="link-kind-problem"
                    aria-invalid=problems.invalid("kind")>
                    {LinkKind::TO_ORGANISATION.iter().chain(LinkKind::TO_PERSON.iter()).map(|&k| view! {
                        <option value=k.as_str()>{link_words(k)}</option>
                    }).collect_view()}
                </select>
                <p id="link-kind-problem" class="form__error">{problems.message("kind")}</p>
                <Show when=move || !to_person() fallback=move || view! {
                    <label for="link-other">{t::map_link_other()}</label>
                    {move || other.get().map(|(_, name)| view! { <p class="map__chosen"><strong>{name}</strong></p> })}
                    <input id="link-other" type="search" bind:value=other_search autocomplete="off"
                        aria-describedby="link-other-problem" aria-invalid=problems.invalid("other") />
                    <p id="link-other-problem" class="form__error">{problems.message("other")}</p>
                    <ChooseFound found=other_found chosen=other />
                }>
                    <label for="link-organisation">{t::map_link_organisation()}</label>
                    <select id="link-organisation" bind:value=to_organisation
                        aria-describedby="link-organisation-problem" aria-invalid=problems.invalid("organisation")>
                        <option value="">{t::map_choose_organisation()}</option>
                        <For each=move || organisations.get() key=|o| (o.organisation, o.name.clone()) let(o)>
                            <option value=o.organisation.0.to_string()>{o.name}</option>
                        </For>
                    </select>
                    <p id="link-organisation-problem" class="form__error">{problems.message("organisation")}</p>
                    <label for="link-role">{t::map_role()}</label>
                    <input id="link-role" bind:value=role autocomplete="off"
                        aria-describedby="link-role-problem" aria-invalid=problems.invalid("role") />
                    <p id="link-role-problem" class="form__error">{problems.message("role")}</p>
                </Show>
                <p class="form__error" role="alert">{move || error.get()}</p>
                <button type="submit" class="button">{t::map_link_save()}</button>
                <p class="form__saved" role="status">{move || saved.get()}</p>
            </form>
        </section>
    }
}

/// The people a search found, each a button that chooses them; none once someone is chosen.
#[component]
fn ChooseFound(
    found: Memo<Vec<(PersonId, String)>>,
    chosen: RwSignal<Option<(PersonId, String)>>,
) -> impl IntoView {
    let shown = move || {
        if chosen.with(|c| c.is_some()) {
            Vec::new()
        } else {
            found.get()
        }
    };
    view! {
        <ul class="list">
            <For each=shown key=|(id, name)| (*id, name.clone()) let((id, name))>
                <li><button type="button" class="button button--secondary map__found"
                    on:click={let name = name.clone(); move |_| chosen.set(Some((id, name.clone())))}>
                    {name.clone()}
                </button></li>
            </For>
        </ul>
    }
}
