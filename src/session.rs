//! The signed-in session every screen shares: [`use_session`] hands a screen a [`Session`],
//! a `Copy` handle with the reads that screens repeat (who is signed in, the areas they
//! organise), and [`require_session`] sends a visitor with no session to sign in.
//!
//! The handle keeps the signal's `Option` in one place, so a screen asks
//! `session.user_id_untracked()` rather than reaching through `Option<SessionInfo>` itself.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use organise_core::area::{Area, AreaTree};
use organise_core::id::{AreaId, UserId};
use organise_core::model::Role;
use organise_core::record::Record;
use organise_core::session::{SessionInfo, SessionUser};

/// The session shared by every screen: `None` until someone signs in. Screens read it
/// through [`use_session`].
#[derive(Clone, Copy)]
pub struct CurrentSession(pub RwSignal<Option<SessionInfo>>);

/// Whether start-up has read the device's saved session (screens wait for it before sending
/// anyone to sign in).
#[derive(Clone, Copy)]
pub struct Booted(pub RwSignal<bool>);

/// The session and whether start-up has looked for one, as one handle. Reads without
/// `_untracked` subscribe whatever runs them; the `_untracked` ones are for event handlers.
#[derive(Clone, Copy)]
pub struct Session {
    info: RwSignal<Option<SessionInfo>>,
    booted: RwSignal<bool>,
}

/// Provides a new, empty session (and start-up not yet done) to everything under the
/// calling component. Called once, by the app's root.
pub fn provide_session() -> Session {
    let session = Session {
        info: RwSignal::new(None),
        booted: RwSignal::new(false),
    };
    provide_context(CurrentSession(session.info));
    provide_context(Booted(session.booted));
    session
}

/// The session the app's root provided.
pub fn use_session() -> Session {
    let CurrentSession(info) = expect_context();
    let Booted(booted) = expect_context();
    Session { info, booted }
}

/// Sends a visitor with no session to the sign-in screen, once start-up has looked, and
/// hands the screen its session.
pub fn require_session() -> Session {
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if session.booted.get() && !session.is_signed_in() {
            navigate("/sign-in", Default::default());
        }
    });
    session
}

impl Session {
    /// Someone signed in (`Some`), or signed out (`None`).
    pub fn set(self, info: Option<SessionInfo>) {
        self.info.set(info);
    }

    /// Start-up has read the device's saved session, and screens may send anyone without one
    /// to sign in.
    pub fn mark_booted(self) {
        self.booted.set(true);
    }

    /// Whether someone is signed in.
    pub fn is_signed_in(self) -> bool {
        self.info.with(Option::is_some)
    }

    /// Who is signed in, without subscribing: for an event handler that records who acted.
    pub fn user_id(self) -> Option<UserId> {
        self.info.with(|s| s.as_ref().map(|s| s.user.id))
    }

    /// Who is signed in, for an event handler (no subscription).
    pub fn user_id_untracked(self) -> Option<UserId> {
        self.info.with_untracked(|s| s.as_ref().map(|s| s.user.id))
    }

    /// Who is signed in, with their roles, without subscribing: for an event handler that
    /// judges by core's rules what the user's action makes.
    pub fn user(self) -> Option<SessionUser> {
        self.info
            .with_untracked(|s| s.as_ref().map(|s| s.user.clone()))
    }

    /// The name shown for whoever is signed in.
    pub fn display_name(self) -> Option<String> {
        self.info
            .with(|s| s.as_ref().map(|s| s.user.display_name.clone()))
    }

    /// The session's CSRF token, without subscribing: for a request an event handler sends.
    pub fn csrf_token_untracked(self) -> Option<String> {
        self.info
            .with_untracked(|s| s.as_ref().map(|s| s.csrf_token.clone()))
    }

    /// The areas the signed-in user organises (see [`SessionUser::organised_areas`]); none
    /// when nobody is signed in.
    ///
    /// [`SessionUser::organised_areas`]: organise_core::session::SessionUser::organised_areas
    pub fn organised_areas(self) -> Vec<AreaId> {
        self.info.with(|s| {
            s.as_ref()
                .map(|s| s.user.organised_areas())
                .unwrap_or_default()
        })
    }

    /// Whether the signed-in user organises anywhere.
    pub fn is_organiser(self) -> bool {
        self.info.with(|s| {
            s.as_ref()
                .is_some_and(|s| !s.user.organised_areas().is_empty())
        })
    }

    /// The session's CSRF token, subscribing whatever runs this (a resource that calls the
    /// server asks again when someone else signs in).
    pub fn csrf_token(self) -> Option<String> {
        self.info.with(|s| s.as_ref().map(|s| s.csrf_token.clone()))
    }

    /// Whether the signed-in user may erase `person`: core's rule, over the areas this phone
    /// holds.
    pub fn may_erase(self, person: &Record) -> bool {
        let Some(tree) = crate::sync::read(|replica| AreaTree::new(&replica.all::<Area>())) else {
            return false;
        };
        self.info
            .with(|s| s.as_ref().is_some_and(|s| s.user.may_erase(person, &tree)))
    }

    /// Whether the signed-in user holds `role` anywhere.
    pub fn holds(self, role: Role) -> bool {
        self.info.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.user.roles.iter().any(|r| r.role == role))
        })
    }

    /// The areas where the signed-in user holds `role`; none when nobody is signed in.
    pub fn areas_where(self, role: Role) -> Vec<AreaId> {
        self.info.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.user
                        .roles
                        .iter()
                        .filter(|r| r.role == role)
                        .map(|r| r.area)
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// The areas where the signed-in user holds any role; none when nobody is signed in.
    pub fn role_areas(self) -> Vec<AreaId> {
        self.info.with(|s| {
            s.as_ref()
                .map(|s| s.user.roles.iter().map(|r| r.area).collect())
                .unwrap_or_default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use organise_core::model::Role;
    use organise_core::session::{RoleInArea, SessionUser};

    fn signed_in(roles: &[(Role, AreaId)]) -> SessionInfo {
        SessionInfo {
            user: SessionUser {
                id: UserId::from_u128(0xB1),
                email: "olu.organiser@example.org".into(),
                display_name: "Olu Organiser".into(),
                roles: roles
                    .iter()
                    .map(|&(role, area)| RoleInArea { role, area })
                    .collect(),
            },
            csrf_token: "token".into(),
            expires_at: 0,
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_handle_reads_the_session_that_the_root_provided() {
        let owner = Owner::new();
        owner.with(|| {
            let session = provide_session();
            let seen = use_session();
            assert!(!seen.is_signed_in());
            assert_eq!(seen.user_id_untracked(), None);
            assert!(seen.organised_areas().is_empty() && !seen.is_organiser());

            let ward = AreaId::from_u128(0xA3);
            let constituency = AreaId::from_u128(0xA2);
            session.set(Some(signed_in(&[
                (Role::Volunteer, ward),
                (Role::Organiser, constituency),
            ])));
            assert!(seen.is_signed_in());
            assert_eq!(seen.user_id_untracked(), Some(UserId::from_u128(0xB1)));
            assert_eq!(seen.display_name().as_deref(), Some("Olu Organiser"));
            assert_eq!(seen.csrf_token_untracked().as_deref(), Some("token"));
            assert_eq!(seen.organised_areas(), [constituency]);
            assert!(seen.is_organiser());
            assert_eq!(seen.role_areas(), [ward, constituency]);

            session.set(Some(signed_in(&[(Role::Volunteer, ward)])));
            assert!(!seen.is_organiser(), "a volunteer organises nowhere");
            session.set(None);
            assert!(!seen.is_signed_in());
        });
    }
}
