//! The app shell: routes, start-up (the session and the device's data), and the frame every
//! screen sits in.
//!
//! At start the app opens the device's store and, if someone signed in here before, shows
//! their data at once, with or without signal; then it asks the server whether the session
//! still holds. An expired session keeps everything and asks to sign in again.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;
use organise_core::change;
use organise_core::id::MeetingId;

use crate::api::{self, ApiError};
use crate::components::later::screen_loaded_later;
use crate::components::sync_status::SyncBar;
use crate::components::update_banner::UpdateBanner;
use crate::i18n::{self, Speaking, t};
use crate::pages::audit::Audit;
use crate::pages::campaigns::{CampaignPage, Campaigns, NewCampaign};
use crate::pages::community::CommunityMap;
use crate::pages::conflicts::{Conflicts, Rejected};
use crate::pages::door::{DoorPage, JustSaved, LastSaved};
use crate::pages::duplicates::Duplicates;
use crate::pages::join::Join;
use crate::pages::kiosk::{self, Kiosk, KioskMode};
use crate::pages::ladder::LadderPage;
use crate::pages::lists::{ListPage, Lists, NewList};
use crate::pages::meetings::{MeetingPage, Meetings, NewMeeting};
use crate::pages::people::{People, PersonPage};
use crate::pages::results::Results;
use crate::pages::retention::Retention;
use crate::pages::rsvp::{Rsvp, SelfSignInPage};
use crate::pages::subject_access::SubjectAccess;
use crate::pages::team::Team;
use crate::pages::training::TrainingPage;
use crate::pages::volunteers::VolunteersPage;
use crate::pages::week::{LogOneToOne, MyWeekPage};
use crate::pages::withdraw::Withdraw;
use crate::pages::{home::Home, not_found::NotFound, settings::Settings, sign_in::SignIn};
use crate::pwa::{self, UpdateAvailable};
use crate::session::{Session, provide_session};
use crate::sign_out;
use crate::sync::{self, SyncContext};

// The screens a volunteer at the door does not need: their code loads when first opened.
screen_loaded_later!(SettingsLater, settings_screen, Settings);
screen_loaded_later!(PeopleLater, people_screen, People);
screen_loaded_later!(PersonLater, person_screen, PersonPage);
screen_loaded_later!(ConflictsLater, conflicts_screen, Conflicts);
screen_loaded_later!(RejectedLater, rejected_screen, Rejected);
screen_loaded_later!(ResultsLater, results_screen, Results);
screen_loaded_later!(NewListLater, new_list_screen, NewList);
screen_loaded_later!(TeamLater, team_screen, Team);
screen_loaded_later!(JoinLater, join_screen, Join);
screen_loaded_later!(AuditLater, audit_screen, Audit);
screen_loaded_later!(SubjectAccessLater, subject_access_screen, SubjectAccess);
screen_loaded_later!(WithdrawLater, withdraw_screen, Withdraw);
screen_loaded_later!(RetentionLater, retention_screen, Retention);
screen_loaded_later!(MeetingsLater, meetings_screen, Meetings);
screen_loaded_later!(NewMeetingLater, new_meeting_screen, NewMeeting);
screen_loaded_later!(MeetingLater, meeting_screen, MeetingPage);
screen_loaded_later!(KioskLater, kiosk_screen, Kiosk, meeting: MeetingId);
screen_loaded_later!(RsvpLater, rsvp_screen, Rsvp);
screen_loaded_later!(SelfSignInLater, self_sign_in_screen, SelfSignInPage);
screen_loaded_later!(MyWeekLater, my_week_screen, MyWeekPage);
screen_loaded_later!(LogOneToOneLater, log_one_to_one_screen, LogOneToOne);
screen_loaded_later!(LadderLater, ladder_screen, LadderPage);
screen_loaded_later!(CommunityMapLater, community_map_screen, CommunityMap);
screen_loaded_later!(DuplicatesLater, duplicates_screen, Duplicates);
screen_loaded_later!(VolunteersLater, volunteers_screen, VolunteersPage);
screen_loaded_later!(TrainingLater, training_screen, TrainingPage);
screen_loaded_later!(CampaignsLater, campaigns_screen, Campaigns);
screen_loaded_later!(NewCampaignLater, new_campaign_screen, NewCampaign);
screen_loaded_later!(CampaignLater, campaign_screen, CampaignPage);

async fn boot(session: Session, context: SyncContext) {
    let saved = match sync::open(context).await {
        Ok(saved) => saved,
        Err(error) => {
            context
                .status
                .update(|s| s.problem = Some(error.to_string()));
            None
        }
    };
    // A sign-out the server has not heard yet is finished first, and signs nobody in.
    if !sign_out::at_start(saved.as_ref()).await {
        session.mark_booted();
        return;
    }
    if let Some(saved) = &saved {
        session.set(Some(saved.clone()));
        if let Err(error) = sync::start(saved).await {
            context
                .status
                .update(|s| s.problem = Some(error.to_string()));
        }
        // The phone's own session is enough to work; the server is asked below.
        session.mark_booted();
    }
    match api::current_session().await {
        Ok(fresh) => {
            let same = saved.as_ref().is_some_and(|s| s.user.id == fresh.user.id);
            session.set(Some(fresh.clone()));
            let done = if same {
                sync::refresh_session(&fresh).await
            } else {
                sync::start(&fresh).await
            };
            if let Err(error) = done {
                context
                    .status
                    .update(|s| s.problem = Some(error.to_string()));
            }
        }
        Err(ApiError::SignedOut) if saved.is_some() => sync::mark_signed_out(),
        // Offline, or no one signed in here: carry on with what the device holds.
        Err(_) => {}
    }
    // With nothing saved here, screens wait for the server's answer before sending anyone
    // to sign in: the cookie may still hold a session.
    session.mark_booted();
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let session = provide_session();
    let context = SyncContext::new();
    provide_context(context);
    let update = RwSignal::new(false);
    provide_context(UpdateAvailable(update));
    let last_saved = RwSignal::new(None::<JustSaved>);
    provide_context(LastSaved(last_saved));
    // A save whose person was erased since (the erasure reached this phone) is forgotten with
    // its undo: core's `change::stands`.
    Effect::new(move |_| {
        context.revision.track();
        let gone = last_saved.with_untracked(|saved| {
            saved.as_ref().is_some_and(|saved| {
                sync::read(|replica| !change::stands(&saved.steps, replica)).unwrap_or(false)
            })
        });
        if gone {
            last_saved.set(None);
        }
    });
    // A device left in sign-in mode opens on it, and shows nothing else until the host's PIN.
    let kiosk_mode = RwSignal::new(kiosk::saved());
    provide_context(KioskMode(kiosk_mode));
    let speaking = RwSignal::new(i18n::language());
    provide_context(Speaking(speaking));
    pwa::start(update);
    spawn_local(boot(session, context));
    // Once someone is signed in, ask the browser to keep their data (once per page load).
    Effect::new(move |asked: Option<bool>| {
        if asked == Some(true) || !session.is_signed_in() {
            return asked.unwrap_or(false);
        }
        spawn_local(async {
            pwa::request_persistence().await;
        });
        true
    });
    // Everything is drawn again in a new language; the data and the session stay.
    move || {
        speaking.track();
        if let Some(lock) = kiosk_mode.get() {
            return view! {
                <Router>
                    <main class="screen screen--kiosk">
                        <Show when=move || session.is_signed_in()
                            fallback=|| view! { <p class="muted">{t::app_loading()}</p> }>
                            <KioskLater meeting=lock.meeting />
                        </Show>
                    </main>
                </Router>
            }
            .into_any();
        }
        view! {
            <Router>
                <header class="app-bar">
                    <A href="/" attr:class="app-bar__title">{t::app_name()}</A>
                    <Show when=move || session.is_signed_in()>
                        <nav class="app-bar__nav" aria-label=t::app_nav_main()>
                            <A href="/lists">{t::app_nav_lists()}</A>
                            <A href="/people">{t::app_nav_people()}</A>
                            <A href="/settings">{t::app_nav_settings()}</A>
                        </nav>
                    </Show>
                </header>
                <Show when=move || session.is_signed_in()>
                    <SyncBar />
                </Show>
                <main class="screen">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Home />
                        <Route path=path!("/sign-in") view=SignIn />
                        <Route path=path!("/join/:token") view=JoinLater />
                        <Route path=path!("/consent/:token") view=WithdrawLater />
                        <Route path=path!("/rsvp/:token") view=RsvpLater />
                        <Route path=path!("/sign-in-at/:token") view=SelfSignInLater />
                        <Route path=path!("/team") view=TeamLater />
                        <Route path=path!("/settings") view=SettingsLater />
                        <Route path=path!("/people") view=PeopleLater />
                        <Route path=path!("/people/duplicates") view=DuplicatesLater />
                        <Route path=path!("/people/:id") view=PersonLater />
                        <Route path=path!("/people/:id/data") view=SubjectAccessLater />
                        <Route path=path!("/audit") view=AuditLater />
                        <Route path=path!("/retention") view=RetentionLater />
                        <Route path=path!("/conflicts") view=ConflictsLater />
                        <Route path=path!("/rejected") view=RejectedLater />
                        <Route path=path!("/results") view=ResultsLater />
                        <Route path=path!("/meetings") view=MeetingsLater />
                        <Route path=path!("/meetings/new") view=NewMeetingLater />
                        <Route path=path!("/meetings/:id") view=MeetingLater />
                        <Route path=path!("/week") view=MyWeekLater />
                        <Route path=path!("/one-to-ones/new") view=LogOneToOneLater />
                        <Route path=path!("/ladder") view=LadderLater />
                        <Route path=path!("/map") view=CommunityMapLater />
                        <Route path=path!("/volunteers") view=VolunteersLater />
                        <Route path=path!("/training") view=TrainingLater />
                        <Route path=path!("/campaigns") view=CampaignsLater />
                        <Route path=path!("/campaigns/new") view=NewCampaignLater />
                        <Route path=path!("/campaigns/:id") view=CampaignLater />
                        <Route path=path!("/lists") view=Lists />
                        <Route path=path!("/lists/new") view=NewListLater />
                        <Route path=path!("/lists/:id") view=ListPage />
                        <Route path=path!("/lists/:id/doors/:n") view=DoorPage />
                    </Routes>
                </main>
                <UpdateBanner />
            </Router>
        }
        .into_any()
    }
}
