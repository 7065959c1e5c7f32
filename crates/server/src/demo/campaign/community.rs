//! The demo organiser's community map, so that the map opens on a believable neighbourhood:
//! nine organisations in the constituency's two wards (schools, a church, a mosque and a
//! chapel, a tenants' association, a union branch, a youth football club and a local party)
//! at every stage from not contacted to partner, each with one to three people linked as its
//! leaders, our contacts there or its members, in roles such as "Head teacher", "Branch
//! secretary" and "Chair"; and a few ties between people (family, neighbours, who introduced
//! whom).
//!
//! Everyone linked is someone the campaign has met. Those linked to an organisation we have
//! met, work with or were turned down by include someone the organiser has held a one-to-one
//! with, so the map shows when we were last in touch; those linked to one we have only
//! contacted, or not yet, were talked to at a door and never in a one-to-one, so it shows no
//! contact. Some kinds of organisation are mapped in one ward and not the other, and none is
//! a charity, so each ward's gaps show kinds nobody has mapped beside kinds mapped but out of
//! touch. No one-to-one names an organisation: they were logged before the map was drawn, and
//! the app names one only as a one-to-one is logged.
//!
//! Each organisation and link is made as core's [`Organisation`] and [`Link`] on the
//! organiser's phone and pushed as the rest of the campaign is, so the server authorises and
//! validates every one. The choices come from their own seed and are made after the rest of
//! the campaign, so they change nothing in it.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, anyhow, bail};
use organise_core::area::Area;
use organise_core::calendar::Day;
use organise_core::change::Step;
use organise_core::id::{AreaId, LinkId, OrganisationId, PersonId, Timestamp};
use organise_core::model::{
    Conversation, Link, LinkKind, OneToOne, Organisation, OrganisationKind, Outcome, Person,
    Relationship,
};
use organise_core::record::{Entity, Record};

use super::{Campaign, MINUTE, id_at};
use crate::synthetic::Rng;

/// The seed of the map's choices.
const COMMUNITY_SEED: u64 = 67;

/// Whom a link to an organisation is drawn from, among those the campaign has met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Met {
    /// Someone the organiser has held a one-to-one with: the organisation's last contact is
    /// theirs.
    InAOneToOne,
    /// Someone talked to at a door and never in a one-to-one: no contact follows.
    AtTheDoor,
}

/// An organisation as the organiser maps it.
struct Mapped {
    /// Its name; `{ward}` stands for the ward's.
    name: &'static str,
    kind: OrganisationKind,
    stage: Relationship,
    /// The ward, by its place in [`super::Cast::wards`].
    ward: usize,
    notes: Option<&'static str>,
    /// Who is linked to it, how, in what role, and whom they are drawn from.
    links: &'static [(LinkKind, Option<&'static str>, Met)],
}

use LinkKind::{Contact, Leader, Member};
use Met::{AtTheDoor, InAOneToOne};

/// The map, in the order the organiser adds it. The first ward, where the talks at the doors
/// are of damp, rents and repairs, has its estate's tenants and the church hall where they
/// meet; the second, where they are of buses and the cost of living, has the bus garage's
/// branch, a mosque and a chapel. Neither has a charity; the second's only school has not
/// been contacted.
const MAP: &[Mapped] = &[
    Mapped {
        name: "{ward} Estate Tenants' Association",
        kind: OrganisationKind::TenantsAssociation,
        stage: Relationship::Partner,
        ward: 0,
        notes: Some("Meets on the first Monday of the month in St Luke's hall."),
        links: &[
            (Leader, Some("Chair"), InAOneToOne),
            (Contact, Some("Secretary"), InAOneToOne),
            (Member, None, AtTheDoor),
        ],
    },
    Mapped {
        name: "St Luke's Church",
        kind: OrganisationKind::FaithGroup,
        stage: Relationship::Partner,
        ward: 0,
        notes: Some(
            "Runs the Friday food bank. The hall is ours for meetings if we ask a week ahead.",
        ),
        links: &[
            (Leader, Some("Vicar"), InAOneToOne),
            (Contact, Some("Runs the food bank"), AtTheDoor),
        ],
    },
    Mapped {
        name: "{ward} Primary School",
        kind: OrganisationKind::School,
        stage: Relationship::Met,
        ward: 0,
        notes: Some("Parents talk about the damp in the infants' classrooms."),
        links: &[
            (Leader, Some("Head teacher"), InAOneToOne),
            (Contact, Some("Parent governor"), AtTheDoor),
        ],
    },
    Mapped {
        name: "Synthetic Vale Residents' Party",
        kind: OrganisationKind::LocalParty,
        stage: Relationship::Contacted,
        ward: 0,
        notes: None,
        links: &[(Contact, Some("Ward councillor"), AtTheDoor)],
    },
    Mapped {
        name: "{ward} Bus Garage Branch",
        kind: OrganisationKind::Union,
        stage: Relationship::Contacted,
        ward: 1,
        notes: Some("Drivers on the routes that were cut. Wrote to the branch secretary."),
        links: &[
            (Leader, Some("Branch secretary"), AtTheDoor),
            (Member, Some("Driver"), AtTheDoor),
        ],
    },
    Mapped {
        name: "Masjid an-Nur",
        kind: OrganisationKind::FaithGroup,
        stage: Relationship::Met,
        ward: 1,
        notes: Some("Ask the trustees before leafleting after Friday prayers."),
        links: &[
            (Leader, Some("Imam"), InAOneToOne),
            (Contact, Some("Chair of trustees"), AtTheDoor),
        ],
    },
    Mapped {
        name: "{ward} Youth Football Club",
        kind: OrganisationKind::CommunityGroup,
        stage: Relationship::Met,
        ward: 1,
        notes: None,
        links: &[
            (Leader, Some("Coach"), InAOneToOne),
            (Contact, Some("Treasurer"), AtTheDoor),
        ],
    },
    Mapped {
        name: "New Life Pentecostal Chapel",
        kind: OrganisationKind::FaithGroup,
        stage: Relationship::Declined,
        ward: 1,
        notes: Some("The pastor said not this year. Ask again after Easter."),
        links: &[(Leader, Some("Pastor"), InAOneToOne)],
    },
    Mapped {
        name: "{ward} Academy",
        kind: OrganisationKind::School,
        stage: Relationship::NotContacted,
        ward: 1,
        notes: None,
        links: &[(Leader, Some("Deputy head"), AtTheDoor)],
    },
];

/// The ties between people the organiser has learnt of, by ward: each is about someone
/// already linked to one of the ward's organisations.
const TIES: &[(usize, LinkKind)] = &[
    (0, LinkKind::Family),
    (0, LinkKind::Introduced),
    (1, LinkKind::Neighbour),
    (1, LinkKind::Introduced),
];

/// The street of an address ("Flat 2, 14 Mill Lane" and "9 Mill Lane" are both on Mill
/// Lane), as [`crate::synthetic`] writes addresses.
fn street(address: &str) -> Option<&str> {
    let door = address.rsplit(", ").next()?;
    door.split_once(' ').map(|(_, street)| street)
}

/// The street `person` lives on, if their address says.
fn street_of(person: &Person) -> Option<&str> {
    person.address.as_deref().and_then(street)
}

impl Campaign {
    /// The organiser maps the community (see the module's documentation).
    pub(super) async fn map_the_community(&mut self) -> anyhow::Result<()> {
        self.organiser.sync(&self.db, &self.trees).await?;
        let mut rng = Rng::new(COMMUNITY_SEED);
        let replica = &self.organiser.replica;

        let wards: Vec<(AreaId, String)> = self
            .cast
            .wards
            .iter()
            .map(|&ward| {
                replica
                    .one::<Area>(ward.0)
                    .map(|area| (ward, area.name))
                    .context("a demo ward is not on the organiser's phone")
            })
            .collect::<anyhow::Result<_>>()?;
        // Everyone in an order that does not depend on ids minted afresh each time.
        let mut people: Vec<Person> = replica.all();
        people.sort_by(|a, b| (&a.name, &a.address, a.id).cmp(&(&b.name, &b.address, b.id)));
        let talked: BTreeSet<PersonId> = replica
            .all::<Conversation>()
            .iter()
            .filter(|c| c.outcome == Outcome::Held)
            .map(|c| c.person)
            .collect();
        // The day of each person's first one-to-one with the organiser.
        let mut first_one_to_one: BTreeMap<PersonId, Day> = BTreeMap::new();
        for one in replica.all::<OneToOne>() {
            let day = first_one_to_one.entry(one.person).or_insert(one.held_on);
            *day = (*day).min(one.held_on);
        }
        let met = |person: &Person, from: Met| match from {
            Met::InAOneToOne => first_one_to_one.contains_key(&person.id),
            Met::AtTheDoor => {
                talked.contains(&person.id) && !first_one_to_one.contains_key(&person.id)
            }
        };

        // Each record is made a minute after the one before, the last a minute before the
        // demo is made, so their ids sort in the order they were added.
        let now = self.now;
        let total = MAP.len() + MAP.iter().map(|m| m.links.len()).sum::<usize>() + TIES.len();
        let mut minted = 0;
        let mut mint = move || {
            minted += 1;
            id_at(Timestamp(now.0 - (total + 1 - minted) as i64 * MINUTE))
        };
        let mut records: Vec<Record> = Vec::new();

        let mut linked: BTreeSet<PersonId> = BTreeSet::new();
        // Those linked to each ward's organisations, in the order they were linked.
        let mut leading: Vec<Vec<PersonId>> = vec![Vec::new(); wards.len()];
        for planned in MAP {
            let (ward, ward_name) = wards
                .get(planned.ward)
                .context("the demo has fewer wards than its map")?;
            let organisation = Organisation {
                id: OrganisationId(mint()),
                area: *ward,
                created_by: self.cast.organiser,
                name: planned.name.replace("{ward}", ward_name),
                kind: planned.kind,
                relationship: planned.stage,
                notes: planned.notes.map(str::to_owned),
            }
            .normalised()
            .map_err(|problems| anyhow!("a demo organisation is not valid: {problems:?}"))?;
            records.push(organisation.to_record());
            for &(kind, role, from) in planned.links {
                let candidates: Vec<&Person> = people
                    .iter()
                    .filter(|p| p.area == *ward && met(p, from) && !linked.contains(&p.id))
                    .collect();
                if candidates.is_empty() {
                    bail!("nobody {from:?} is left to link to {}", organisation.name);
                }
                let person = candidates[rng.below(candidates.len())];
                linked.insert(person.id);
                leading[planned.ward].push(person.id);
                records.push(valid(Link {
                    id: LinkId(mint()),
                    area: person.area,
                    created_by: self.cast.organiser,
                    person: person.id,
                    organisation: Some(organisation.id),
                    other: None,
                    kind,
                    role: role.map(str::to_owned),
                })?);
            }
        }

        // The ties: each about the first of the ward's linked people (in the order they were
        // linked) not yet tied who has someone to be tied to.
        let by_id: BTreeMap<PersonId, &Person> = people.iter().map(|p| (p.id, p)).collect();
        let mut tied: BTreeSet<PersonId> = BTreeSet::new();
        for &(ward, kind) in TIES {
            let mut made = None;
            for &id in &leading[ward] {
                if tied.contains(&id) {
                    continue;
                }
                let person = by_id[&id];
                let others: Vec<&Person> = people
                    .iter()
                    .filter(|o| o.id != id && !linked.contains(&o.id))
                    .filter(|o| match kind {
                        // Someone at the same address.
                        LinkKind::Family => {
                            o.household.is_some() && o.household == person.household
                        }
                        // Someone met on the same street, in another household.
                        LinkKind::Neighbour => {
                            o.household != person.household
                                && (talked.contains(&o.id) || first_one_to_one.contains_key(&o.id))
                                && street_of(o).is_some()
                                && street_of(o) == street_of(person)
                        }
                        // Someone in the ward whom the organiser first met, in a one-to-one,
                        // after them.
                        LinkKind::Introduced => {
                            o.area == person.area
                                && first_one_to_one.get(&id).is_some_and(|&theirs| {
                                    first_one_to_one.get(&o.id).is_some_and(|&day| day > theirs)
                                })
                        }
                        // The map draws no other ties between people.
                        _ => false,
                    })
                    .collect();
                if !others.is_empty() {
                    made = Some((person, others[rng.below(others.len())]));
                    break;
                }
            }
            let (person, other) =
                made.with_context(|| format!("nobody in the demo's map has a {kind} tie"))?;
            tied.insert(person.id);
            linked.insert(other.id);
            records.push(valid(Link {
                id: LinkId(mint()),
                area: person.area,
                created_by: self.cast.organiser,
                person: person.id,
                organisation: None,
                other: Some(other.id),
                kind,
                role: None,
            })?);
        }

        // Each saved on its own, as the map's forms save them.
        for record in records {
            self.organiser.make(&[Step::Created(record)])?;
        }
        self.organiser.sync(&self.db, &self.trees).await
    }
}

/// `link` as a record, once core's own rule has normalised it.
fn valid(link: Link) -> anyhow::Result<Record> {
    link.normalised()
        .map(|link| link.to_record())
        .map_err(|problems| anyhow!("a demo link is not valid: {problems:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_street_is_read_from_a_house_or_a_flat() {
        assert_eq!(street("9 Mill Lane"), Some("Mill Lane"));
        assert_eq!(street("Flat 2, 14 Mill Lane"), Some("Mill Lane"));
        assert_eq!(street("Mill"), None);
    }

    #[test]
    fn the_map_is_in_touch_with_those_it_has_met_and_not_with_those_it_has_not() {
        let stages: BTreeSet<Relationship> = MAP.iter().map(|m| m.stage).collect();
        assert_eq!(stages.len(), 5, "every stage");
        for mapped in MAP {
            let named = mapped
                .links
                .iter()
                .filter(|(kind, _, _)| matches!(kind, Leader | Contact))
                .count();
            assert!((1..=3).contains(&named), "{}", mapped.name);
            assert!(
                mapped
                    .links
                    .iter()
                    .all(|(kind, _, _)| kind.is_to_organisation())
            );
            let in_touch = mapped.links.iter().any(|&(_, _, from)| from == InAOneToOne);
            let reached = matches!(
                mapped.stage,
                Relationship::Met | Relationship::Partner | Relationship::Declined
            );
            // Those linked to an organisation we have only contacted, or not yet, have had
            // no one-to-one, or the map would show it in touch.
            assert_eq!(in_touch, reached, "{}", mapped.name);
        }
        for &(_, kind) in TIES {
            assert!(!kind.is_to_organisation());
        }
    }
}
