//! The *Area* picker: the areas on offer drawn as the tree they are (a region, its
//! constituencies indented under it, their wards under those), the user's own area first and
//! chosen until another is.

use leptos::prelude::*;
use organise_core::area::Outlined;
use organise_core::canvass;
use organise_core::id::AreaId;

use crate::session::Session;
use crate::sync::{self, SyncContext};

/// One option: the area's name, indented by its depth in the outline.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct AreaOption {
    id: AreaId,
    label: String,
}

/// The areas `session`'s user organises, and every area within them, as the tree is drawn:
/// what an organiser's form offers (core's rule), read again whenever the phone's data moves.
pub fn organised_areas(session: Session) -> Memo<Vec<Outlined>> {
    let SyncContext { revision, .. } = expect_context();
    Memo::new(move |_| {
        revision.track();
        let organises = session.organised_areas();
        sync::read(|replica| canvass::areas_on_offer(replica, &organises)).unwrap_or_default()
    })
}

/// An option's label: `label` indented by `depth`, so that the options draw the tree.
pub fn indented(depth: usize, label: &str) -> String {
    // Non-breaking spaces: a select's options keep their leading space only so.
    format!("{}{label}", "\u{a0}\u{a0}\u{a0}".repeat(depth))
}

/// The chosen area: the one whose id `chosen` holds, or else the outline's first (the top of
/// the user's own area), so that what is used is always what is shown.
pub fn chosen_area(areas: &[Outlined], chosen: &str) -> Option<AreaId> {
    areas
        .iter()
        .find(|a| a.area.id.to_string() == chosen)
        .or(areas.first())
        .map(|a| a.area.id)
}

/// A `<select>` with `id`, choosing among `areas` (an outline from core) into `chosen`.
/// `described_by` names the element that shows the field's problem.
#[component]
pub fn AreaPicker(
    id: &'static str,
    #[prop(into)] areas: Signal<Vec<Outlined>>,
    chosen: RwSignal<String>,
    described_by: &'static str,
    #[prop(into)] invalid: Signal<bool>,
) -> impl IntoView {
    let options = move || {
        areas.with(|areas| {
            areas
                .iter()
                .map(|a| AreaOption {
                    id: a.area.id,
                    label: indented(a.depth, &a.area.name),
                })
                .collect::<Vec<_>>()
        })
    };
    let selected = move || {
        let wanted = chosen.get();
        areas.with(|areas| chosen_area(areas, &wanted).map(|a| a.to_string()))
    };
    view! {
        <select id=id
            on:change=move |event| chosen.set(event_target_value(&event))
            aria-describedby=described_by
            aria-invalid=move || invalid.get().then_some("true")>
            <For each=options key=|o| o.clone() let(AreaOption { id, label })>
                <option value=id.to_string()
                    prop:selected=move || selected().as_deref() == Some(id.to_string().as_str())>
                    {label}
                </option>
            </For>
        </select>
    }
}
