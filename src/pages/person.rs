//! A person's file on their page: everything this device holds about them, gathered by core
//! (`person_file`): contact details with each consent, skills and tags, follow-ups, and their
//! history (conversations, one-to-ones, meetings, stories, campaigns, trainings). What the
//! reader may not see is not on the device, so a volunteer's page simply has less.

use leptos::prelude::*;
use leptos_router::components::A;
use organise_core::calendar::{Day, london_day};
use organise_core::id::{IssueId, PersonId};
use organise_core::model::{
    Consent, ConsentMethod, ConsentTopic, Issue, OneToOneKind, Person, StoryConsent,
};
use organise_core::person_file::{FollowUp, PersonFile};
use organise_core::record::Choice;
use std::collections::BTreeSet;

use crate::i18n::{self, t};
use crate::pages::door::outcome_words;
use crate::pages::meetings::attendance_words;
use crate::pages::now;
use crate::pages::week::day_words;
use crate::sync::{self, SyncContext};

/// Everything held about `person`, in sections; nothing when the device does not hold them.
#[component]
pub fn PersonFileView(person: PersonId) -> impl IntoView {
    let SyncContext { revision, .. } = expect_context();
    let file = Memo::new(move |_| {
        revision.track();
        sync::read(|replica| {
            PersonFile::read(replica, person).map(|file| {
                let issues = issue_names(replica, &file);
                (file, issues)
            })
        })
        .flatten()
    });
    move || {
        file.get().map(|(file, issues)| {
            let today = london_day(now());
            let item = |parts: Vec<AnyView>| view! { <li class="person-file__item">{parts}</li> };
            let list = |items: Vec<_>| view! { <ul class="person-file__list">{items}</ul> };
            let follow_ups = list(
                file.follow_ups
                    .iter()
                    .map(|f| item(vec![
                        view! { <span>{f.what.clone()}</span> }.into_any(),
                        view! {
                            <span class="person-file__when" data-state=follow_up_state(f, today)>
                                {follow_up_words(f, today)}
                            </span>
                        }.into_any(),
                    ]))
                    .collect(),
            );
            let conversations = list(
                file.conversations
                    .iter()
                    .map(|c| item(vec![
                        view! { <span>{outcome_words(c.outcome)}</span> }.into_any(),
                        when(i18n::date(c.at)),
                        detail(named(&issues, &c.issues)),
                    ]))
                    .collect(),
            );
            let one_to_ones = list(
                file.one_to_ones
                    .iter()
                    .map(|o| item(vec![
                        view! { <span>{one_to_one_kind(o.kind)}</span> }.into_any(),
                        when(day_words(o.held_on)),
                        detail(named(&issues, &o.issues)),
                    ]))
                    .collect(),
            );
            let meetings = list(
                file.meetings
                    .iter()
                    .map(|m| item(vec![
                        link(format!("/meetings/{}", m.meeting.id), m.meeting.title.clone()),
                        when(i18n::date(m.meeting.starts)),
                        detail(attendance_words(m.status).to_owned()),
                    ]))
                    .collect(),
            );
            let stories = list(
                file.stories
                    .iter()
                    .map(|s| item(vec![
                        view! { <blockquote class="person-file__story">{s.text.clone()}</blockquote> }
                            .into_any(),
                        detail(story_consent(s.consent).to_owned()),
                    ]))
                    .collect(),
            );
            let campaigns = list(
                file.campaigns
                    .iter()
                    .map(|c| item(vec![link(format!("/campaigns/{}", c.id), c.name.clone())]))
                    .collect(),
            );
            let trainings = list(
                file.trainings
                    .iter()
                    .map(|tr| item(vec![
                        view! { <span>{tr.module.clone()}</span> }.into_any(),
                        when(day_words(tr.on)),
                    ]))
                    .collect(),
            );
            let none = |empty: bool| empty.then(t::person_none_yet);
            view! {
                <Contact person=file.person.clone() merged=file.merged.iter().map(|p| p.name.clone()).collect() />
                <Section id="person-skills" heading=t::person_skills_heading()
                    empty=(file.person.skills.is_empty() && file.person.tags.is_empty()).then(t::person_no_skills)>
                    <Labels heading=t::person_skills() labels=file.person.skills.clone() />
                    <Labels heading=t::person_tags() labels=file.person.tags.clone() />
                </Section>
                <Section id="person-follow-ups" heading=t::person_follow_ups()
                    empty=file.follow_ups.is_empty().then(t::person_no_follow_ups)>
                    {follow_ups}
                </Section>
                <Section id="person-conversations" heading=t::person_conversations()
                    empty=none(file.conversations.is_empty())>
                    {conversations}
                </Section>
                <Section id="person-one-to-ones" heading=t::person_one_to_ones()
                    empty=none(file.one_to_ones.is_empty())>
                    {one_to_ones}
                </Section>
                <Section id="person-meetings" heading=t::person_meetings()
                    empty=none(file.meetings.is_empty())>
                    {meetings}
                </Section>
                <Section id="person-stories" heading=t::person_stories()
                    empty=none(file.stories.is_empty())>
                    {stories}
                </Section>
                <Section id="person-campaigns" heading=t::person_campaigns()
                    empty=none(file.campaigns.is_empty())>
                    {campaigns}
                </Section>
                <Section id="person-training" heading=t::person_training()
                    empty=none(file.trainings.is_empty())>
                    {trainings}
                </Section>
            }
        })
    }
}

/// A date or day in a file entry.
fn when(words: String) -> AnyView {
    view! { <span class="person-file__when">{words}</span> }.into_any()
}

/// A link in a file entry.
fn link(href: String, words: String) -> AnyView {
    view! { <A href=href>{words}</A> }.into_any()
}

/// The quieter part of a file entry.
fn detail(words: String) -> AnyView {
    view! { <span class="person-file__detail">{words}</span> }.into_any()
}

/// A section of the file: its heading, then `children`, or `empty` in their place.
#[component]
fn Section(
    id: &'static str,
    heading: &'static str,
    empty: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="panel person-file" aria-labelledby=id>
            <h2 id=id>{heading}</h2>
            {match empty {
                Some(words) => view! { <p class="muted">{words}</p> }.into_any(),
                None => children().into_any(),
            }}
        </section>
    }
}

/// Their contact details, each channel with its consent, and who was merged into them.
#[component]
fn Contact(person: Person, merged: Vec<String>) -> impl IntoView {
    let details: Vec<(&'static str, String)> = [
        (t::person_phone(), person.phone.clone()),
        (t::person_email(), person.email.clone()),
        (t::person_address(), person.address.clone()),
        (t::person_postcode(), person.postcode.clone()),
    ]
    .into_iter()
    .filter_map(|(label, value)| Some((label, value?)))
    .collect();
    let consents: Vec<(&'static str, String)> = ConsentTopic::ALL
        .iter()
        .map(|&topic| {
            (
                topic_words(topic),
                consent_words(person.consents.get(&topic)),
            )
        })
        .collect();
    let merged = (!merged.is_empty()).then(|| t::person_also_recorded_as(&merged.join(", ")));
    view! {
        <section class="panel person-file" aria-labelledby="person-contact">
            <h2 id="person-contact">{t::person_contact()}</h2>
            {if details.is_empty() {
                view! { <p class="muted">{t::person_no_contact()}</p> }.into_any()
            } else {
                view! {
                    <dl class="person-file__details">
                        {details.into_iter().map(|(label, value)| view! {
                            <dt>{label}</dt>
                            <dd>{value}</dd>
                        }).collect_view()}
                    </dl>
                }.into_any()
            }}
            <h3>{t::person_consents()}</h3>
            <dl class="person-file__details">
                {consents.into_iter().map(|(label, value)| view! {
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                }).collect_view()}
            </dl>
            {merged.map(|words| view! { <p class="muted">{words}</p> })}
        </section>
    }
}

/// A set of labels (skills or tags) under a small heading, if there are any.
#[component]
fn Labels(heading: &'static str, labels: BTreeSet<String>) -> impl IntoView {
    (!labels.is_empty()).then(|| {
        view! {
            <h3>{heading}</h3>
            <ul class="chips">
                {labels.into_iter().map(|label| view! { <li class="chip">{label}</li> }).collect_view()}
            </ul>
        }
    })
}

/// The names of the issues the file mentions, by id.
fn issue_names(
    replica: &organise_core::sync::replica::Replica,
    file: &PersonFile,
) -> Vec<(IssueId, String)> {
    let ids: BTreeSet<IssueId> = file
        .conversations
        .iter()
        .flat_map(|c| c.issues.iter())
        .chain(file.one_to_ones.iter().flat_map(|o| o.issues.iter()))
        .copied()
        .collect();
    ids.into_iter()
        .filter_map(|id| Some((id, replica.one::<Issue>(id.0)?.name)))
        .collect()
}

/// `ids` by name, joined; those the device cannot name are left out.
fn named(names: &[(IssueId, String)], ids: &BTreeSet<IssueId>) -> String {
    names
        .iter()
        .filter(|(id, _)| ids.contains(id))
        .map(|(_, name)| name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a follow-up stands on `today`: "done", "overdue", "due" or "open" (no date).
fn follow_up_state(follow_up: &FollowUp, today: Day) -> &'static str {
    match follow_up.due {
        _ if follow_up.done => "done",
        Some(due) if due < today => "overdue",
        Some(_) => "due",
        None => "open",
    }
}

/// A follow-up's date in words: done, overdue since a day, due on a day, or no date.
fn follow_up_words(follow_up: &FollowUp, today: Day) -> String {
    match (follow_up_state(follow_up, today), follow_up.due) {
        ("done", _) => t::person_follow_up_done().to_owned(),
        ("overdue", Some(due)) => t::person_follow_up_overdue(&day_words(due)),
        (_, Some(due)) => t::person_follow_up_due(&day_words(due)),
        _ => t::person_follow_up_no_date().to_owned(),
    }
}

fn topic_words(topic: ConsentTopic) -> &'static str {
    match topic {
        ConsentTopic::Phone => t::person_consent_phone(),
        ConsentTopic::Sms => t::person_consent_sms(),
        ConsentTopic::Email => t::person_consent_email(),
        ConsentTopic::Contact => t::person_consent_contact(),
        ConsentTopic::StoreStory => t::person_consent_store_story(),
        ConsentTopic::ShareStory => t::person_consent_share_story(),
    }
}

/// A consent in words: yes or no, how and when; or never asked.
fn consent_words(consent: Option<&Consent>) -> String {
    match consent {
        None => t::person_consent_never_asked().to_owned(),
        Some(consent) => {
            let how = method_words(consent.method);
            let when = i18n::date(consent.at);
            if consent.given {
                t::person_consent_given(how, &when)
            } else {
                t::person_consent_refused(how, &when)
            }
        }
    }
}

fn method_words(method: ConsentMethod) -> &'static str {
    match method {
        ConsentMethod::Doorstep => t::person_method_doorstep(),
        ConsentMethod::Form => t::person_method_form(),
        ConsentMethod::Meeting => t::person_method_meeting(),
        ConsentMethod::Phone => t::person_method_phone(),
        ConsentMethod::Email => t::person_method_email(),
        ConsentMethod::Sms => t::person_method_sms(),
        ConsentMethod::Link => t::person_method_link(),
    }
}

fn one_to_one_kind(kind: OneToOneKind) -> &'static str {
    match kind {
        OneToOneKind::Introduction => t::week_kind_introduction(),
        OneToOneKind::Maintenance => t::week_kind_maintenance(),
        OneToOneKind::Escalation => t::week_kind_escalation(),
    }
}

fn story_consent(consent: StoryConsent) -> &'static str {
    match consent {
        StoryConsent::Private => t::door_story_private(),
        StoryConsent::Anonymised => t::door_story_anonymised(),
        StoryConsent::Named => t::door_story_named(),
    }
}
