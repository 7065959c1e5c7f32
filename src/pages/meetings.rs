//! Meetings: those in reach (waiting for approval, coming up, held), making one (an
//! organiser's is approved at once, a volunteer's waits), and one meeting: approving it,
//! changing its time and place, inviting people from the phone's records, who came, and
//! starting sign-in on this device (the kiosk, `kiosk.rs`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use organise_core::canvass;
use organise_core::change;
use organise_core::id::{MeetingId, PersonId, RecordId, Timestamp};
use organise_core::meetings::{self, Attendee, MeetingDraft, Turnout};
use organise_core::model::{
    Attendance, AttendanceStatus, ConsentTopic, Issue, Meeting, MeetingKind, MeetingStatus, Person,
};
use organise_core::order;
use organise_core::record::{Choice, Collection, Entity};
use organise_core::rsvp::MeetingLinks;
use organise_core::sync::wire::RecordKey;
use organise_core::validate::{FieldProblem, Problem};
use organise_core::{Area, AreaTree};
use wasm_bindgen::JsValue;
use web_sys::js_sys::Date;

use crate::api;
use crate::components::area_picker::{AreaPicker, chosen_area};
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::components::share::LinkToShare;
use crate::i18n::{self, t};
use crate::pages::kiosk::{self, KioskMode};
use crate::pages::kit;
use crate::pages::ladder::MoveUpFromMeeting;
use crate::pages::now;
use crate::pages::people::found_people;
use crate::pages::training::{RecordFromMeeting, records_trainings};
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// A `datetime-local` field's value as a moment in this device's time zone; `None` when empty
/// or not a time.
fn moment(typed: &str) -> Option<Timestamp> {
    if typed.trim().is_empty() {
        return None;
    }
    let ms = Date::new(&JsValue::from_str(typed)).get_time();
    (!ms.is_nan()).then_some(Timestamp(ms as i64))
}

/// `at` as a `datetime-local` field writes it, in this device's time zone.
fn local_input(at: Timestamp) -> String {
    let d = Date::new(&JsValue::from_f64(at.0 as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// A meeting kind in words.
pub fn kind_words(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::HouseMeeting => t::meetings_kind_house(),
        MeetingKind::LaunchMeeting => t::meetings_kind_launch(),
        MeetingKind::Training => t::meetings_kind_training(),
        MeetingKind::PublicMeeting => t::meetings_kind_public(),
    }
}

/// The attendances at `meeting` that the phone holds.
pub fn attendances(replica: &organise_core::sync::Replica, meeting: MeetingId) -> Vec<Attendance> {
    canvass::typed(replica.holding(Collection::Attendance, "meeting", meeting.0))
}

/// One row of the meetings list.
#[derive(Clone, Debug, PartialEq, Eq)]
struct MeetingRow {
    id: MeetingId,
    title: String,
    when: String,
    place: String,
    kind: &'static str,
    turnout: String,
}

/// The meetings list's sections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct MeetingRows {
    proposed: Vec<MeetingRow>,
    coming: Vec<MeetingRow>,
    held: Vec<MeetingRow>,
}

/// What a meeting's row says of who is coming or came.
fn turnout_words(turnout: &Turnout, held: bool) -> String {
    if !held {
        return t::meetings_coming(turnout.coming, turnout.invited);
    }
    let mut words = vec![t::meetings_came(turnout.came)];
    if turnout.replied > 0 {
        words.push(t::meetings_of_replies(
            turnout.replied_and_came,
            turnout.replied,
        ));
    }
    if turnout.would_host > 0 {
        words.push(t::meetings_hosts_found(turnout.would_host));
    }
    words.join(" ")
}

/// The meetings in reach, by where they stand.
#[component]
pub fn Meetings() -> impl IntoView {
    let _session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let rows = Memo::new(move |_| {
        revision.track();
        let now = now();
        sync::read(|replica| {
            let mut all = replica.all::<Meeting>();
            order::sort_by_key(&mut all, |m| m.starts);
            let mut rows = MeetingRows::default();
            for meeting in all {
                if meeting.status == MeetingStatus::Cancelled {
                    continue;
                }
                let turnout = Turnout::of(&meeting, &attendances(replica, meeting.id), now);
                let held = meeting.ends.unwrap_or(meeting.starts) < now;
                let row = MeetingRow {
                    id: meeting.id,
                    title: meeting.title.clone(),
                    when: i18n::date_time(meeting.starts),
                    place: meeting.place.clone(),
                    kind: kind_words(meeting.kind),
                    turnout: turnout_words(&turnout, held),
                };
                match (meeting.status, held) {
                    (MeetingStatus::Proposed, false) => rows.proposed.push(row),
                    (_, false) => rows.coming.push(row),
                    (_, true) => rows.held.push(row),
                }
            }
            rows.held.reverse();
            rows
        })
        .unwrap_or_default()
    });
    let section = move |heading: &'static str, pick: fn(&MeetingRows) -> Vec<MeetingRow>| {
        view! {
            <Show when=move || rows.with(|r| !pick(r).is_empty())>
                <h2>{heading}</h2>
                <ul class="list">
                    <For each=move || rows.with(pick) key=|r| r.id let(row)>
                        <li class="list__item">
                            <A href=format!("/meetings/{}", row.id.0) attr:class="list__link">
                                <span class="list__title">{row.title}</span>
                                <span class="list__detail">{format!("{} · {}", row.kind, row.when)}</span>
                                <span class="list__detail">{row.place}</span>
                                <span>{row.turnout}</span>
                            </A>
                        </li>
                    </For>
                </ul>
            </Show>
        }
    };
    view! {
        <h1>{t::meetings()}</h1>
        <A href="/meetings/new" attr:class="button">{t::meetings_new()}</A>
        <Show when=move || rows.with(|r| r.proposed.is_empty() && r.coming.is_empty() && r.held.is_empty())>
            <p class="muted">{t::meetings_none()}</p>
        </Show>
        {section(t::meetings_waiting(), |r| r.proposed.clone())}
        {section(t::meetings_coming_up(), |r| r.coming.clone())}
        {section(t::meetings_held(), |r| r.held.clone())}
    }
}

/// The fields of the meeting forms, by the names core's rules give their problems.
const MEETING_FIELDS: [&str; 7] = [
    "kind", "title", "place", "starts", "ends", "capacity", "area",
];

fn on_meeting_form(field: &str) -> bool {
    MEETING_FIELDS.contains(&field)
}

/// Shows `found` beside the meeting form's fields, in the form's words where core's would
/// name another field by its key.
fn show_meeting_problems(
    problems: FieldProblems,
    error: RwSignal<Option<String>>,
    found: &[FieldProblem],
) {
    let rest = problems.show(found, on_meeting_form);
    if found
        .iter()
        .any(|p| p.field.as_str() == "ends" && matches!(p.problem, Problem::NotAfter { .. }))
    {
        problems.say("ends", t::meetings_ends_after_start());
    }
    if found
        .iter()
        .any(|p| p.field.as_str() == "capacity" && matches!(p.problem, Problem::WrongType { .. }))
    {
        problems.say("capacity", t::meetings_capacity_number());
    }
    error.set(Some(check_fields(rest)));
}

/// Making a meeting: an organiser's is approved at once; a volunteer's waits for approval.
#[component]
pub fn NewMeeting() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let areas = Memo::new(move |_| {
        revision.track();
        // Wherever they hold a role: a volunteer's meeting there waits for approval.
        let roles = session.role_areas();
        sync::read(|replica| canvass::areas_on_offer(replica, &roles)).unwrap_or_default()
    });
    let kind = RwSignal::new("house_meeting".to_owned());
    let title = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let starts = RwSignal::new(String::new());
    let ends = RwSignal::new(String::new());
    let capacity = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let grew_from = RwSignal::new(String::new());
    // The meetings a host may have come from: those held already, latest first.
    let earlier = Memo::new(move |_| {
        revision.track();
        let now = now();
        let mut held: Vec<(MeetingId, String)> = sync::read(|replica| {
            let mut all = replica.all::<Meeting>();
            all.retain(|m| m.starts < now && m.status != MeetingStatus::Cancelled);
            order::sort_by_key(&mut all, |m| std::cmp::Reverse(m.starts));
            all.into_iter()
                .map(|m| (m.id, format!("{} ({})", m.title, i18n::date(m.starts))))
                .collect()
        })
        .unwrap_or_default();
        held.truncate(50);
        held
    });
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(user) = session.user() else {
            return;
        };
        problems.clear();
        error.set(None);
        let chosen = area.get_untracked();
        let draft = MeetingDraft {
            kind: MeetingKind::parse(&kind.get_untracked()).unwrap_or(MeetingKind::HouseMeeting),
            title: title.get_untracked(),
            place: place.get_untracked(),
            starts: moment(&starts.get_untracked()),
            ends: moment(&ends.get_untracked()),
            capacity: capacity.get_untracked(),
            area: areas.with_untracked(|areas| chosen_area(areas, &chosen)),
            campaign: None,
            grew_from: grew_from
                .get_untracked()
                .parse::<RecordId>()
                .ok()
                .map(MeetingId),
        };
        let tree = sync::read(|replica| AreaTree::new(&replica.all::<Area>()))
            .unwrap_or_else(|| AreaTree::new(&[]));
        let meeting = match draft.meeting(MeetingId(sync::mint_id()), &user, &tree) {
            Ok(meeting) => meeting,
            Err(found) => return show_meeting_problems(problems, error, &found),
        };
        let record = meeting.to_record();
        let navigate = navigate.clone();
        spawn_local(async move {
            match sync::write(|replica| replica.create(&record)).await {
                Ok(_) => navigate(&format!("/meetings/{}", record.id), Default::default()),
                Err(e) => error.set(problems.show_unsaved(&e, on_meeting_form)),
            }
        });
    };
    view! {
        <h1>{t::meetings_new()}</h1>
        <Show when=move || !session.is_organiser()>
            <p class="muted">{t::meetings_proposal_waits()}</p>
        </Show>
        <form class="form" on:submit=save novalidate>
            <label for="meeting-kind">{t::meetings_kind()}</label>
            <select id="meeting-kind" bind:value=kind>
                <option value="house_meeting">{t::meetings_kind_house()}</option>
                <option value="launch_meeting">{t::meetings_kind_launch()}</option>
                <option value="training">{t::meetings_kind_training()}</option>
                <option value="public_meeting">{t::meetings_kind_public()}</option>
            </select>
            <label for="meeting-title">{t::meetings_title()}</label>
            <input id="meeting-title" bind:value=title aria-describedby="meeting-title-problem"
                aria-invalid=problems.invalid("title") />
            <p id="meeting-title-problem" class="form__error">{problems.message("title")}</p>
            <label for="meeting-area">{t::meetings_area()}</label>
            <AreaPicker id="meeting-area" areas=areas chosen=area described_by="meeting-area-problem"
                invalid=problems.is_wrong("area") />
            <p id="meeting-area-problem" class="form__error">{problems.message("area")}</p>
            <TimeAndPlace starts=starts ends=ends place=place problems=problems />
            <Show when=move || earlier.with(|e| !e.is_empty())>
                <label for="meeting-grew-from">{t::meetings_grew_from_choice()}</label>
                <select id="meeting-grew-from" bind:value=grew_from>
                    <option value="">{t::meetings_grew_from_none()}</option>
                    <For each=move || earlier.get() key=|(id, _)| *id let((id, title))>
                        <option value=id.0.to_string()>{title}</option>
                    </For>
                </select>
            </Show>
            <label for="meeting-capacity">{t::meetings_capacity()}</label>
            <input id="meeting-capacity" inputmode="numeric" bind:value=capacity
                aria-describedby="meeting-capacity-problem" aria-invalid=problems.invalid("capacity") />
            <p id="meeting-capacity-problem" class="form__error">{problems.message("capacity")}</p>
            <p class="form__error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button">{t::meetings_save()}</button>
        </form>
    }
}

/// The fields a host may change: where, and from when to when.
#[component]
fn TimeAndPlace(
    starts: RwSignal<String>,
    ends: RwSignal<String>,
    place: RwSignal<String>,
    problems: FieldProblems,
) -> impl IntoView {
    view! {
        <label for="meeting-place">{t::meetings_place()}</label>
        <input id="meeting-place" bind:value=place aria-describedby="meeting-place-problem"
            aria-invalid=problems.invalid("place") />
        <p id="meeting-place-problem" class="form__error">{problems.message("place")}</p>
        <label for="meeting-starts">{t::meetings_starts()}</label>
        <input id="meeting-starts" type="datetime-local" bind:value=starts
            aria-describedby="meeting-starts-problem" aria-invalid=problems.invalid("starts") />
        <p id="meeting-starts-problem" class="form__error">{problems.message("starts")}</p>
        <label for="meeting-ends">{t::meetings_ends()}</label>
        <input id="meeting-ends" type="datetime-local" bind:value=ends
            aria-describedby="meeting-ends-problem" aria-invalid=problems.invalid("ends") />
        <p id="meeting-ends-problem" class="form__error">{problems.message("ends")}</p>
    }
}

/// One attendee's row.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AttendeeRow {
    person: PersonId,
    name: String,
    status: String,
    /// How they agreed to be contacted, and what they said matters to them, in words.
    said: String,
    /// People on the phone with the same name and postcode, for an organiser to review.
    maybe_same: Vec<(PersonId, String)>,
    /// Whether they were expected (invited, coming or waiting), so may say they cannot come.
    expected: bool,
    /// Whether they came, so an organiser may move them up the ladder from here.
    came: bool,
}

/// A new entry for someone at a meeting, by core's rules: they cannot come, or they are given
/// a place that came free.
type EntryChange = fn(&Meeting, PersonId, &Turnout, organise_core::id::UserId) -> Vec<change::Step>;

/// What the meeting's page shows, read once per change of data.
#[derive(Clone, Debug, PartialEq)]
struct MeetingView {
    meeting: Meeting,
    turnout: Turnout,
    attendees: Vec<AttendeeRow>,
    may_approve: bool,
    may_move: bool,
    host: String,
    /// The meeting it grew from and those that grew from it, as links.
    grew_from: Option<(MeetingId, String)>,
    led_to: Vec<(MeetingId, String)>,
    /// Once it is over: the people to follow up, and by when.
    follow_up: Option<(String, Vec<AttendeeRow>)>,
    /// Who speaks, by name, if anyone is named.
    speaker: Option<String>,
}

/// How someone stands for a meeting, in words.
pub(crate) fn attendance_words(status: AttendanceStatus) -> &'static str {
    match status {
        AttendanceStatus::Invited => t::meetings_status_invited(),
        AttendanceStatus::Rsvp => t::meetings_status_coming(),
        AttendanceStatus::Waiting => t::meetings_status_waiting(),
        AttendanceStatus::Attended => t::meetings_status_came(),
        AttendanceStatus::NoShow => t::meetings_status_no_show(),
        AttendanceStatus::Declined => t::meetings_status_declined(),
    }
}

fn status_words(attendee: &Attendee) -> String {
    let status = attendance_words(attendee.status);
    if attendee.would_host {
        t::meetings_status_would_host(status)
    } else {
        status.to_owned()
    }
}

/// How someone at a meeting agreed to be contacted and what they said matters to them.
fn said_words(
    replica: &organise_core::sync::Replica,
    attendee: &Attendee,
    person: Option<&Person>,
) -> String {
    let ways: Vec<&str> = meetings::SIGN_IN_CONSENTS
        .into_iter()
        .filter(|&topic| person.is_some_and(|p| p.has_consent(topic)))
        .map(|topic| match topic {
            ConsentTopic::Sms => t::meetings_by_text(),
            ConsentTopic::Phone => t::meetings_by_phone(),
            _ => t::meetings_by_email(),
        })
        .collect();
    let issues: Vec<String> = attendee
        .issues
        .iter()
        .filter_map(|id| replica.one::<Issue>(id.0).map(|i| i.name))
        .collect();
    let mut said = Vec::new();
    if !ways.is_empty() {
        said.push(t::meetings_contact_by(&ways.join(", ")));
    }
    if !issues.is_empty() {
        said.push(t::meetings_raised(&issues.join(", ")));
    }
    said.join(" ")
}

/// One meeting: approving it, its time and place, who is invited and who came, inviting
/// people, and starting sign-in.
#[component]
pub fn MeetingPage() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let params = use_params_map();
    let meeting_id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<RecordId>().ok())
            .map(MeetingId)
    };
    let shown = Memo::new(move |_| {
        revision.track();
        let id = meeting_id()?;
        let user = session.user_id()?;
        let organises = session.organised_areas();
        sync::read(|replica| {
            let meeting = replica.one::<Meeting>(id.0)?;
            let turnout = Turnout::of(&meeting, &attendances(replica, id), now());
            let attendees: Vec<AttendeeRow> = turnout
                .attendees
                .iter()
                .map(|a| {
                    let person = replica.one::<Person>(a.person.0);
                    let maybe_same = person
                        .as_ref()
                        .and_then(|p| p.postcode.clone().map(|pc| (p, pc)))
                        .map(|(p, postcode)| {
                            let near: Vec<Person> = canvass::typed(replica.with_text(
                                Collection::Person,
                                "postcode",
                                &postcode,
                            ));
                            meetings::maybe_the_same(p, &near)
                                .into_iter()
                                .map(|q| (q.id, q.name.clone()))
                                .collect()
                        })
                        .unwrap_or_default();
                    AttendeeRow {
                        person: a.person,
                        said: said_words(replica, a, person.as_ref()),
                        name: person
                            .map(|p| p.name)
                            .unwrap_or_else(|| t::meetings_someone().to_owned()),
                        status: status_words(a),
                        maybe_same,
                        expected: matches!(
                            a.status,
                            AttendanceStatus::Invited
                                | AttendanceStatus::Rsvp
                                | AttendanceStatus::Waiting
                        ),
                        came: a.status == AttendanceStatus::Attended,
                    }
                })
                .collect();
            let tree = AreaTree::new(&replica.all::<Area>());
            let may_approve = organises.iter().any(|&a| tree.is_within(meeting.area, a));
            let users = canvass::user_names(replica);
            let chain = meetings::Chain::of(&meeting, &replica.all::<Meeting>());
            let link = |m: Meeting| (m.id, m.title);
            let over = meeting.ends.unwrap_or(meeting.starts) < now();
            let follow_up = over.then(|| {
                let due = i18n::date(meetings::follow_up_due(&meeting));
                let people = meetings::to_follow_up(&turnout);
                let rows: Vec<AttendeeRow> = attendees
                    .iter()
                    .filter(|a| people.contains(&a.person))
                    .cloned()
                    .collect();
                (due, rows)
            });
            let speaker = meeting.speaker.map(|p| {
                replica
                    .one::<Person>(p.0)
                    .map_or_else(|| t::meetings_someone().to_owned(), |p| p.name)
            });
            Some(MeetingView {
                speaker,
                host: canvass::user_name(&users, meeting.host),
                may_move: may_approve || meeting.host == user,
                may_approve,
                grew_from: chain.grew_from.map(link),
                led_to: chain.led_to.into_iter().map(link).collect(),
                follow_up,
                meeting,
                turnout,
                attendees,
            })
        })
        .flatten()
    });
    let error = RwSignal::new(None::<String>);
    // Someone expected tells the host they cannot come, or a place that came free is given
    // to whoever waited longest: one new entry each, by core's rules.
    let record = move |person: PersonId, change: EntryChange| {
        let (Some(view), Some(user)) = (shown.get_untracked(), session.user_id_untracked()) else {
            return;
        };
        let steps = change(&view.meeting, person, &view.turnout, user);
        spawn_local(async move {
            if let Err(e) = crate::change::make_all(&steps).await {
                error.set(Some(e.to_string()));
            }
        });
    };
    let next_in_line = move || {
        shown.with(|v| {
            let v = v.as_ref().filter(|v| v.may_move)?;
            let next = *v.turnout.offer_next.first()?;
            let row = v.attendees.iter().find(|a| a.person == next)?;
            Some((next, row.name.clone()))
        })
    };
    // Approving a proposal; trusting its host too makes their next meetings need none.
    let approve = move |trust: bool| {
        let (Some(view), Some(user)) = (shown.get_untracked(), session.user_id_untracked()) else {
            return;
        };
        let trust = trust.then(sync::mint_id);
        let steps = meetings::approve_steps(&view.meeting, user, trust);
        spawn_local(async move {
            if let Err(e) = crate::change::make_all(&steps).await {
                error.set(Some(e.to_string()));
            }
        });
    };
    view! {
        <Show when=move || shown.with(Option::is_some)
            fallback=|| view! { <h1>{t::meetings_not_here()}</h1> <A href="/meetings">{t::meetings()}</A> }>
            <h1>{move || shown.with(|v| v.as_ref().map(|v| v.meeting.title.clone()))}</h1>
            <p class="muted">{move || shown.with(|v| v.as_ref().map(|v| format!("{} · {}", kind_words(v.meeting.kind), i18n::date_time(v.meeting.starts))))}</p>
            <p>{move || shown.with(|v| v.as_ref().map(|v| v.meeting.place.clone()))}</p>
            <p class="muted">{move || shown.with(|v| v.as_ref().map(|v| t::meetings_hosted_by(&v.host)))}</p>
            <p>{move || shown.with(|v| v.as_ref().and_then(|v| v.speaker.as_ref()).map(|name| t::meetings_speaker_is(name)))}</p>
            <Show when=move || shown.with(|v| v.as_ref().is_some_and(|v| v.meeting.status == MeetingStatus::Proposed))>
                <p role="status" class="notice">{t::meetings_waiting_for_approval()}</p>
                <Show when=move || shown.with(|v| v.as_ref().is_some_and(|v| v.may_approve))>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| approve(false)>
                            {t::meetings_approve()}
                        </button>
                        <button type="button" class="button button--secondary" on:click=move |_| approve(true)>
                            {t::meetings_approve_and_trust()}
                        </button>
                    </div>
                    <p class="muted">{t::meetings_trust_explained()}</p>
                </Show>
            </Show>
            <p class="form__error" role="alert">{move || error.get()}</p>
            <h2>{t::meetings_turnout()}</h2>
            <p>{move || shown.with(|v| v.as_ref().map(|v| turnout_summary(&v.turnout)))}</p>
            {move || next_in_line().map(|(person, name)| view! {
                <p role="status" class="notice">{t::meetings_place_free(&name)}</p>
                <button type="button" class="button"
                    on:click=move |_| record(person, |meeting, person, turnout, by| {
                        meetings::offer_place_steps(meeting, person, turnout, by, sync::mint_id)
                    })>
                    {t::meetings_give_place(&name)}
                </button>
            })}
            <ul class="list">
                <For each=move || shown.with(|v| v.as_ref().map(|v| v.attendees.clone()).unwrap_or_default())
                    key=|row| (row.person, row.status.clone())
                    children=move |row| {
                        let (person, expected, came) = (row.person, row.expected, row.came);
                        let cannot_come = t::meetings_decline(&row.name);
                        let name = row.name.clone();
                        view! {
                            <li class="list__item">
                                <A href=format!("/people/{}", person.0) attr:class="list__link">
                                    <span class="list__title">{row.name}</span>
                                    <span class="list__detail">{row.status}</span>
                                    <span class="list__detail">{row.said}</span>
                                </A>
                                {row.maybe_same.into_iter().map(|(other, other_name)| view! {
                                    <A href=format!("/people/{}", other.0) attr:class="list__link">
                                        <span class="form__error">{t::meetings_maybe_same(&other_name)}</span>
                                    </A>
                                }).collect_view()}
                                <Show when=move || expected && shown.with(|v| v.as_ref().is_some_and(|v| v.may_move))>
                                    <button type="button" class="button button--secondary"
                                        on:click=move |_| record(person, |meeting, person, turnout, by| {
                                            meetings::decline_steps(meeting, person, turnout, by, sync::mint_id)
                                        })>
                                        {cannot_come.clone()}
                                    </button>
                                </Show>
                                <Show when=move || came && shown.with(|v| v.as_ref().is_some_and(|v| v.may_approve))>
                                    {let name = name.clone(); move || meeting_id().map(|meeting| view! {
                                        <MoveUpFromMeeting person=person meeting=meeting name=name.clone() />
                                    })}
                                </Show>
                            </li>
                        }
                    } />
            </ul>
            <Show when=move || shown.with(|v| v.as_ref().is_some_and(|v| v.follow_up.is_some()))>
                <h2>{t::meetings_follow_up()}</h2>
                <p>{move || shown.with(|v| v.as_ref().and_then(|v| v.follow_up.as_ref()).map(|(due, rows)| t::meetings_follow_up_by(rows.len(), due)))}</p>
                <ul class="list">
                    <For each=move || shown.with(|v| v.as_ref().and_then(|v| v.follow_up.as_ref()).map(|(_, rows)| rows.clone()).unwrap_or_default())
                        key=|row| row.person let(row)>
                        <li class="list__item">
                            <A href=format!("/people/{}", row.person.0) attr:class="list__link">
                                <span class="list__title">{row.name}</span>
                            </A>
                        </li>
                    </For>
                </ul>
            </Show>
            <Show when=move || shown.with(|v| v.as_ref().is_some_and(|v| v.grew_from.is_some() || !v.led_to.is_empty()))>
                <h2>{t::meetings_chain()}</h2>
                <ul class="list">
                    {move || shown.with(|v| v.as_ref().and_then(|v| v.grew_from.clone())).map(|(id, title)| view! {
                        <li class="list__item">
                            <A href=format!("/meetings/{}", id.0) attr:class="list__link">
                                <span class="list__detail">{t::meetings_grew_from()}</span>
                                <span class="list__title">{title}</span>
                            </A>
                        </li>
                    })}
                    <For each=move || shown.with(|v| v.as_ref().map(|v| v.led_to.clone()).unwrap_or_default())
                        key=|(id, _)| *id let((id, title))>
                        <li class="list__item">
                            <A href=format!("/meetings/{}", id.0) attr:class="list__link">
                                <span class="list__detail">{t::meetings_led_to()}</span>
                                <span class="list__title">{title}</span>
                            </A>
                        </li>
                    </For>
                </ul>
            </Show>
            // Drawn once per meeting, so that a sync landing keeps what is typed in them.
            {move || meeting_id().map(|id| view! {
                <Show when=move || shown.with(|v| v.as_ref().is_some_and(|v| v.may_move && organise_core::rsvp::has_links(&v.meeting)))>
                    <ShareReplyLink meeting=id />
                </Show>
                <StartSignIn meeting=id />
                <Invite meeting=id
                    may_name_speaker=Signal::derive(move || shown.with(|v| v.as_ref().is_some_and(|v| v.may_approve && v.meeting.kind == MeetingKind::LaunchMeeting))) />
                <Show when=move || shown.with(|v| v.as_ref().is_some_and(|v| v.may_move))>
                    <MoveMeeting meeting=id />
                </Show>
                <Show when=move || shown.with(|v| v.as_ref().is_some_and(|v| records_trainings(&v.meeting, v.may_approve)))>
                    <RecordFromMeeting meeting=id />
                </Show>
            })}
        </Show>
    }
}

/// The turnout in one line: what came, then what else there is to say.
fn turnout_summary(turnout: &Turnout) -> String {
    let parts = [
        (
            turnout.invited,
            t::meetings_count_invited as fn(usize) -> String,
        ),
        (turnout.coming, t::meetings_count_coming),
        (turnout.waiting, t::meetings_count_waiting),
        (turnout.declined, t::meetings_count_declined),
        (turnout.walk_ins, t::meetings_count_walk_ins),
        (
            turnout.under_16 + turnout.no_consent,
            t::meetings_count_counted,
        ),
        (turnout.no_shows, t::meetings_count_no_shows),
        (turnout.would_host, t::meetings_count_would_host),
    ];
    std::iter::once(t::meetings_count_came(turnout.came))
        .chain(
            parts
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, words)| words(n)),
        )
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Inviting people the phone holds: search by name, phone or email, then *Invite*.
#[component]
fn Invite(meeting: MeetingId, #[prop(into)] may_name_speaker: Signal<bool>) -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let search = RwSignal::new(String::new());
    let found = Memo::new(move |_| {
        revision.track();
        search.with(|typed| found_people(typed, 10))
    });
    let said = RwSignal::new(None::<String>);
    let invite = move |person: PersonId, name: String| {
        let Some(user) = session.user_id_untracked() else {
            return;
        };
        spawn_local(async move {
            let done = sync::write(|replica| {
                let Some(meeting) = replica.one::<Meeting>(meeting.0) else {
                    return Ok(false);
                };
                let turnout = Turnout::of(&meeting, &attendances(replica, meeting.id), now());
                let steps =
                    meetings::invite_steps(&meeting, person, &turnout, user, sync::mint_id())
                        .map_err(organise_core::sync::LocalRefusal::Invalid)?;
                change::make(&steps, replica)?;
                Ok(!steps.is_empty())
            })
            .await;
            said.set(Some(match done {
                Ok(true) => t::meetings_invited(&name),
                Ok(false) => t::meetings_invited_already(&name),
                Err(e) => e.to_string(),
            }));
        });
    };
    // A launch meeting's speaker, named by an organiser of its area.
    let make_speaker = move |person: PersonId, name: String| {
        let key = RecordKey {
            collection: Collection::Meeting,
            id: meeting.0,
        };
        spawn_local(async move {
            let done = sync::write(|replica| {
                replica.set_field(key, "speaker", organise_core::Value::Id(person.0))
            })
            .await;
            said.set(Some(match done {
                Ok(_) => t::meetings_speaker_named(&name),
                Err(e) => e.to_string(),
            }));
        });
    };
    view! {
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">{t::meetings_invite()}</h2>
            <div class="form">
                <label for="invite-search">{t::meetings_invite_search()}</label>
                <input id="invite-search" type="search" bind:value=search autocomplete="off" />
            </div>
            <p role="status">{move || said.get()}</p>
            <ul class="list">
                <For each=move || found.get() key=|(id, _)| *id let((id, name))>
                    <li class="list__item meeting__person">
                        <span class="meeting__name">{name.clone()}</span>
                        <button type="button" class="button button--secondary"
                            aria-label=t::meetings_invite_person(&name)
                            on:click={
                                let name = name.clone();
                                move |_| invite(id, name.clone())
                            }>
                            {t::meetings_invite_one()}
                        </button>
                        <Show when=move || may_name_speaker.get()>
                            <button type="button" class="button button--secondary"
                                aria-label=t::meetings_make_speaker_person(&name)
                                on:click={
                                    let name = name.clone();
                                    move |_| make_speaker(id, name.clone())
                                }>
                                {t::meetings_make_speaker()}
                            </button>
                        </Show>
                    </li>
                </For>
            </ul>
        </section>
    }
}

/// Changing a meeting's time and place: its host may, as may an organiser of its area.
#[component]
fn MoveMeeting(meeting: MeetingId) -> impl IntoView {
    let held = sync::read(|replica| replica.one::<Meeting>(meeting.0)).flatten();
    let starts = RwSignal::new(
        held.as_ref()
            .map(|m| local_input(m.starts))
            .unwrap_or_default(),
    );
    let ends = RwSignal::new(
        held.as_ref()
            .and_then(|m| m.ends)
            .map(local_input)
            .unwrap_or_default(),
    );
    let place = RwSignal::new(held.map(|m| m.place).unwrap_or_default());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problems.clear();
        error.set(None);
        said.set(None);
        let Some(current) = sync::read(|replica| replica.one::<Meeting>(meeting.0)).flatten()
        else {
            return;
        };
        let Some(new_start) = moment(&starts.get_untracked()) else {
            problems.say("starts", t::problem_missing());
            return;
        };
        let moved = Meeting {
            starts: new_start,
            ends: moment(&ends.get_untracked()),
            place: place.get_untracked(),
            ..current.clone()
        };
        let moved = match moved.normalised() {
            Ok(moved) => moved,
            Err(found) => return show_meeting_problems(problems, error, &found),
        };
        let (old, new) = (current.to_record(), moved.to_record());
        let key = RecordKey {
            collection: Collection::Meeting,
            id: meeting.0,
        };
        spawn_local(async move {
            let done = sync::write(|replica| {
                for field in organise_core::model::HOST_FIELDS {
                    if old.get(field) != new.get(field) {
                        replica.set_field(key, field, new.get(field).clone())?;
                    }
                }
                Ok(())
            })
            .await;
            match done {
                Ok(()) => said.set(Some(t::meetings_moved().to_owned())),
                Err(e) => error.set(problems.show_unsaved(&e, on_meeting_form)),
            }
        });
    };
    view! {
        <section aria-labelledby="move-heading">
            <h2 id="move-heading">{t::meetings_move()}</h2>
            <form class="form" on:submit=save novalidate>
                <TimeAndPlace starts=starts ends=ends place=place problems=problems />
                <p class="form__error" role="alert">{move || error.get()}</p>
                <p role="status">{move || said.get()}</p>
                <button type="submit" class="button button--secondary">{t::meetings_move_save()}</button>
            </form>
        </section>
    }
}

/// Sign-in on the night: preparing this device while there is signal (whom it can recognise,
/// and the code for signing in on one's own phone), then starting it with a PIN that is needed
/// to leave it.
#[component]
fn StartSignIn(meeting: MeetingId) -> impl IntoView {
    let session = require_session();
    let KioskMode(mode) = expect_context();
    let pin = RwSignal::new(String::new());
    let problems = FieldProblems::new();
    // What this device holds for the night: `None` until read.
    let ready = RwSignal::new(None::<Option<Readiness>>);
    let preparing = RwSignal::new(false);
    let prepare_error = RwSignal::new(None::<String>);
    // Kept no longer than the night: once sign-in has closed, what was prepared goes.
    let closed = sync::read(|replica| replica.one::<Meeting>(meeting.0))
        .flatten()
        .is_some_and(|m| organise_core::rsvp::sign_in_closes(&m) <= now());
    spawn_local(async move {
        if closed {
            kit::forget(meeting).await;
        }
        let held = kit::prepared(meeting).await;
        ready.set(Some(held.as_ref().map(Readiness::of)));
    });
    let prepare = move || async move {
        let csrf = session.csrf_token_untracked()?;
        preparing.set(true);
        prepare_error.set(None);
        let made = kit::prepare(&csrf, meeting).await;
        preparing.set(false);
        match made {
            Ok(prepared) => {
                ready.set(Some(Some(Readiness::of(&prepared))));
                Some(prepared)
            }
            Err(api::ApiError::Offline | api::ApiError::TimedOut) => {
                prepare_error.set(Some(t::meetings_prepare_needs_connection().to_owned()));
                None
            }
            Err(other) => {
                prepare_error.set(Some(other.to_string()));
                None
            }
        }
    };
    let start = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problems.clear();
        let typed = pin.get_untracked();
        if !kiosk::pin_is_good(&typed) {
            problems.say("pin", t::kiosk_pin_rule());
            return;
        }
        // Prepared earlier, or now while there is signal; without it, the kiosk works all
        // the same, recognising only people on this phone and showing no code.
        spawn_local(async move {
            let prepared = match kit::prepared(meeting).await {
                Some(prepared) => Some(prepared),
                None => prepare().await,
            };
            let link = prepared.map(|p| p.sign_in_link);
            if let Some(lock) = kiosk::lock(meeting, &typed, link) {
                pin.set(String::new());
                mode.set(Some(lock));
            }
        });
    };
    let area = sync::read(|replica| {
        let meeting = replica.one::<Meeting>(meeting.0)?;
        replica.one::<Area>(meeting.area.0).map(|a| a.name)
    })
    .flatten()
    .unwrap_or_default();
    view! {
        <section aria-labelledby="sign-in-heading">
            <h2 id="sign-in-heading">{t::meetings_sign_in()}</h2>
            <p class="muted">{t::meetings_prepare_explained(&area)}</p>
            <p role="status">{move || ready.get().map(|ready| match ready {
                Some(ready) => {
                    let mut said = t::meetings_prepared(ready.people, ready.at);
                    if !ready.complete {
                        said = format!("{said} {}", t::meetings_prepared_partly());
                    }
                    said
                }
                None => t::meetings_not_prepared().to_owned(),
            })}</p>
            <button type="button" class="button button--secondary" id="prepare-sign-in"
                disabled=move || preparing.get()
                on:click=move |_| spawn_local(async move { let _ = prepare().await; })>
                {move || if preparing.get() {
                    t::meetings_preparing()
                } else if matches!(ready.get(), Some(Some(_))) {
                    t::meetings_prepare_again()
                } else {
                    t::meetings_prepare()
                }}
            </button>
            <p class="form__error" role="alert">{move || prepare_error.get()}</p>
            <p class="muted">{t::meetings_sign_in_explained()}</p>
            <form class="form" on:submit=start novalidate>
                <label for="kiosk-pin">{t::kiosk_choose_pin()}</label>
                <input id="kiosk-pin" type="password" inputmode="numeric" autocomplete="off"
                    bind:value=pin aria-describedby="kiosk-pin-problem" aria-invalid=problems.invalid("pin") />
                <p id="kiosk-pin-problem" class="form__error">{problems.message("pin")}</p>
                <button type="submit" class="button">{t::meetings_start_sign_in()}</button>
            </form>
        </section>
    }
}

/// What a prepared device can do on the night, as the meeting page says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Readiness {
    people: usize,
    at: Timestamp,
    complete: bool,
}

impl Readiness {
    fn of(prepared: &kit::Prepared) -> Readiness {
        Readiness {
            people: prepared.kit.people.len(),
            at: prepared.kit.prepared_at,
            complete: prepared.kit.complete,
        }
    }
}

/// The meeting's public reply link, made on the server and sent through the phone's share
/// sheet or copied: for its host and its area's organisers, once it is approved.
#[component]
fn ShareReplyLink(meeting: MeetingId) -> impl IntoView {
    let session = require_session();
    let made = RwSignal::new(None::<MeetingLinks>);
    let error = RwSignal::new(None::<String>);
    let make = move |_| {
        let Some(csrf) = session.csrf_token_untracked() else {
            return;
        };
        error.set(None);
        spawn_local(async move {
            match api::meeting_links(&csrf, meeting).await {
                Ok(links) => made.set(Some(links)),
                Err(api::ApiError::Offline | api::ApiError::TimedOut) => {
                    error.set(Some(t::meetings_needs_connection().to_owned()));
                }
                Err(other) => error.set(Some(other.to_string())),
            }
        });
    };
    let held = sync::read(|replica| replica.one::<Meeting>(meeting.0)).flatten();
    view! {
        <section aria-labelledby="reply-link-heading">
            <h2 id="reply-link-heading">{t::meetings_reply_link()}</h2>
            <p class="muted">{t::meetings_reply_link_explained()}</p>
            {move || match (made.get(), held.clone()) {
                (Some(links), Some(held)) => {
                    let url = format!("{}{}", window().location().origin().unwrap_or_default(), links.rsvp);
                    let text = t::meetings_reply_link_text(&held.title, &i18n::date_time(held.starts), &held.place);
                    view! {
                        <LinkToShare id="reply-link" label=t::meetings_reply_link_label(&held.title) url text>
                            <p class="muted">{t::meetings_reply_link_until(&i18n::date_time(links.rsvp_expires))}</p>
                        </LinkToShare>
                    }.into_any()
                }
                _ => view! {
                    <button type="button" class="button button--secondary" on:click=make>
                        {t::meetings_reply_link_make()}
                    </button>
                }.into_any(),
            }}
            <p class="form__error" role="alert">{move || error.get()}</p>
        </section>
    }
}
