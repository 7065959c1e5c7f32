//! Inviting people: an organiser names someone, a role and an area, and gets a link to send
//! by text or WhatsApp (the phone's share sheet, or a copy). Below, the invitations into their
//! areas and where each stands, with a new link for one that was lost or ran out, and a way to
//! withdraw one.
//!
//! Invitations live on the server (a link's token is shown once and only its hash is kept),
//! so this screen needs a connection; it says so, and nothing else in the app does.

use leptos::html::H2;
use leptos::prelude::*;
use leptos::task::spawn_local;
use organise_core::area::Outlined;
use organise_core::id::{AreaId, RecordId};
use organise_core::invite::{CreatedInvite, Invite, InviteStatus, NewInvite};
use organise_core::model::Role;
use organise_core::record::Choice;
use organise_core::validate::{FieldProblem, normalise_name};

use crate::api::{self, ApiError};
use crate::components::area_picker::{AreaPicker, chosen_area, organised_areas};
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::components::share::LinkToShare;
use crate::i18n::{self, t};
use crate::session::{Session, require_session};

/// A role's name, as the invitation screens say it.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Volunteer => t::team_role_volunteer(),
        Role::Host => t::team_role_host(),
        Role::Organiser => t::team_role_organiser(),
        Role::Admin => t::team_role_admin(),
    }
}

/// The roles this user may offer: volunteers and hosts for an organiser, every role for an
/// admin. The server decides; this only keeps choices that would be refused off the form.
fn roles_on_offer(session: Session) -> Vec<Role> {
    let mut roles = vec![Role::Volunteer, Role::Host];
    if session.holds(Role::Admin) {
        roles.extend([Role::Organiser, Role::Admin]);
    }
    roles
}

/// An area's name, from the phone's copy of the map.
fn area_name(areas: &[Outlined], id: AreaId) -> String {
    areas
        .iter()
        .find(|a| a.area.id == id)
        .map(|a| a.area.name.clone())
        .unwrap_or_default()
}

/// Making invitations, and the invitations already made.
#[component]
pub fn Team() -> impl IntoView {
    let session = require_session();
    let areas = organised_areas(session);
    // Moves whenever an invitation is made, renewed or withdrawn, so the list is asked again.
    let changed = RwSignal::new(0_u32);
    let invites = LocalResource::new(move || {
        changed.track();
        let csrf = session.csrf_token();
        async move {
            match csrf {
                Some(csrf) => api::invites(&csrf).await,
                None => Err(ApiError::SignedOut),
            }
        }
    });
    // The link made last, shown until another is made.
    let made = RwSignal::new(None::<CreatedInvite>);
    let on_made = move |created: CreatedInvite| {
        made.set(Some(created));
        changed.update(|n| *n += 1);
    };
    // What the last action on a listed invitation did, kept while the list is read again.
    let said = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    view! {
        <h1>{t::team()}</h1>
        <Show when=move || !areas.with(Vec::is_empty)
            fallback=|| view! { <p class="muted">{t::team_no_area()}</p> }>
            <InviteForm session areas on_made />
        </Show>
        {move || made.get().map(|created| view! { <LinkReady created areas /> })}
        <h2 id="invitations">{t::team_invitations()}</h2>
        <p role="status">{move || said.get()}</p>
        <p class="form__error" role="alert">{move || error.get()}</p>
        <Suspense fallback=|| view! { <p class="muted">{t::team_loading()}</p> }>
            {move || Suspend::new(async move {
                match invites.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="muted">{t::team_none()}</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <InviteList list areas on_made changed said error />
                    }.into_any(),
                    Err(ApiError::Offline) => view! {
                        <p class="muted" role="status">{t::team_needs_connection()}</p>
                    }.into_any(),
                    Err(error) => view! {
                        <p class="form__error" role="alert">{error.to_string()}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The invitation form's fields, by the names the server gives their problems.
fn on_invite_form(field: &str) -> bool {
    matches!(field, "name" | "role" | "area")
}

/// Who, which role, where: makes the invitation and hands its link up.
#[component]
fn InviteForm(
    session: Session,
    areas: Memo<Vec<Outlined>>,
    on_made: impl Fn(CreatedInvite) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Volunteer.as_str().to_owned());
    let area = RwSignal::new(String::new());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(csrf) = session.csrf_token_untracked() else {
            return;
        };
        problems.clear();
        error.set(None);
        let chosen = area.get_untracked();
        let Some(area) = areas.with_untracked(|areas| chosen_area(areas, &chosen)) else {
            return;
        };
        let role = Role::parse(&role.get_untracked()).unwrap_or(Role::Volunteer);
        // The server's rule for a name, checked here first so that it answers without signal.
        let name_typed = name.get_untracked();
        if let Err(problem) = normalise_name(&name_typed) {
            let rest = problems.show(&[FieldProblem::new("name", problem)], on_invite_form);
            error.set(Some(check_fields(rest)));
            return;
        }
        let new = NewInvite {
            name: name_typed,
            role,
            area,
        };
        busy.set(true);
        spawn_local(async move {
            match api::invite(&csrf, &new).await {
                Ok(created) => {
                    name.set(String::new());
                    on_made(created);
                }
                Err(ApiError::Refused { status: 403, .. }) => {
                    problems.say("role", t::team_not_allowed());
                    error.set(Some(check_fields(None)));
                }
                Err(ApiError::Refused { fields, .. }) if !fields.is_empty() => {
                    let rest = problems.show(&fields, on_invite_form);
                    error.set(Some(check_fields(rest)));
                }
                Err(ApiError::Offline) => error.set(Some(t::team_needs_connection().to_owned())),
                Err(other) => error.set(Some(other.to_string())),
            }
            busy.set(false);
        });
    };
    let roles = roles_on_offer(session);
    view! {
        <h2 id="invite-someone">{t::team_new()}</h2>
        <form class="form" aria-labelledby="invite-someone" on:submit=submit novalidate>
            <label for="invite-name">{t::team_name()}</label>
            <input id="invite-name" name="name" autocomplete="off" required bind:value=name
                aria-describedby="invite-name-problem" aria-invalid=problems.invalid("name") />
            <p id="invite-name-problem" class="form__error">{problems.message("name")}</p>
            <label for="invite-role">{t::team_role()}</label>
            <select id="invite-role" bind:value=role aria-describedby="invite-role-problem"
                aria-invalid=problems.invalid("role")>
                {roles.into_iter().map(|r| view! {
                    <option value=r.as_str()>{role_name(r)}</option>
                }).collect_view()}
            </select>
            <p id="invite-role-problem" class="form__error">{problems.message("role")}</p>
            <label for="invite-area">{t::team_area()}</label>
            <AreaPicker id="invite-area" areas=areas chosen=area described_by="invite-area-problem"
                invalid=problems.is_wrong("area") />
            <p id="invite-area-problem" class="form__error">{problems.message("area")}</p>
            <p class="form__error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button" disabled=move || busy.get()>{t::team_make_link()}</button>
        </form>
    }
}

/// The link just made, to share or copy.
#[component]
fn LinkReady(created: CreatedInvite, areas: Memo<Vec<Outlined>>) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let url = format!("{origin}{}", created.path);
    let invite = created.invite;
    let area = areas.with_untracked(|areas| area_name(areas, invite.area));
    let text = t::team_share_text(&area, &role_name(invite.role).to_lowercase());
    let label = t::team_link_label(&invite.name);
    // The link appears where the person is looking, and a screen reader says so.
    let heading = NodeRef::<H2>::new();
    Effect::new(move || {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    view! {
        <section class="panel link-ready" aria-labelledby="link-ready">
            <h2 id="link-ready" tabindex="-1" node_ref=heading>{t::team_link_ready(&invite.name)}</h2>
            <LinkToShare id="invite-link" label url text>
                <p class="muted">{t::team_link_once(&i18n::date(invite.expires_at), &invite.name)}</p>
            </LinkToShare>
        </section>
    }
}

/// The invitations into the user's areas, newest first, each with what can still be done.
#[component]
fn InviteList(
    list: Vec<Invite>,
    areas: Memo<Vec<Outlined>>,
    on_made: impl Fn(CreatedInvite) + Copy + Send + Sync + 'static,
    changed: RwSignal<u32>,
    said: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = require_session();
    // The invitation whose withdrawal is being confirmed.
    let confirming = RwSignal::new(None::<RecordId>);
    let act = move |invite: Invite, withdraw: bool| {
        let Some(csrf) = session.csrf_token_untracked() else {
            return;
        };
        error.set(None);
        said.set(None);
        spawn_local(async move {
            let done = if withdraw {
                api::withdraw_invite(&csrf, invite.id).await.map(|()| {
                    said.set(Some(t::team_withdrawn(&invite.name)));
                    changed.update(|n| *n += 1);
                })
            } else {
                api::renew_invite(&csrf, invite.id).await.map(on_made)
            };
            confirming.set(None);
            match done {
                Ok(()) => {}
                Err(ApiError::Offline) => error.set(Some(t::team_needs_connection().to_owned())),
                Err(other) => error.set(Some(other.to_string())),
            }
        });
    };
    let rows = list
        .into_iter()
        .map(|invite| {
            let area = areas.with_untracked(|areas| area_name(areas, invite.area));
            let role = role_name(invite.role);
            let status = match invite.status {
                InviteStatus::Pending => t::team_status_pending(&i18n::date(invite.expires_at)),
                InviteStatus::Accepted => t::team_status_accepted().to_owned(),
                InviteStatus::Withdrawn => t::team_status_withdrawn().to_owned(),
                InviteStatus::Expired => t::team_status_expired(&i18n::date(invite.expires_at)),
            };
            let id = invite.id;
            let (renewable, pending) = (
                invite.status.may_renew(),
                invite.status == InviteStatus::Pending,
            );
            let (for_renew, for_withdraw, for_confirm) =
                (invite.clone(), invite.clone(), invite.clone());
            view! {
                <li class="list__item invite">
                    <span class="list__title">{invite.name.clone()}</span>
                    <span class="list__detail">{t::team_invited_as(role, &area)}</span>
                    <span class="list__detail">{status}</span>
                    <Show when=move || confirming.get() == Some(id)
                        fallback=move || {
                            let (for_renew, for_withdraw) = (for_renew.clone(), for_withdraw.clone());
                            view! {
                                <div class="actions">
                                    <Show when=move || renewable>
                                        <button type="button" class="button button--secondary"
                                            aria-label=t::team_renew_for(&for_renew.name)
                                            on:click={
                                                let invite = for_renew.clone();
                                                move |_| act(invite.clone(), false)
                                            }>
                                            {t::team_renew()}
                                        </button>
                                    </Show>
                                    <Show when=move || pending>
                                        <button type="button" class="button button--secondary"
                                            aria-label=t::team_withdraw_for(&for_withdraw.name)
                                            on:click=move |_| confirming.set(Some(id))>
                                            {t::team_withdraw()}
                                        </button>
                                    </Show>
                                </div>
                            }
                        }>
                        <p role="alert">{t::team_withdraw_confirm(&for_confirm.name)}</p>
                        <div class="actions">
                            <button type="button" class="button"
                                on:click={
                                    let invite = for_confirm.clone();
                                    move |_| act(invite.clone(), true)
                                }>
                                {t::team_withdraw_yes()}
                            </button>
                            <button type="button" class="button button--secondary"
                                on:click=move |_| confirming.set(None)>
                                {t::team_cancel()}
                            </button>
                        </div>
                    </Show>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="list" aria-labelledby="invitations">{rows}</ul> }
}
