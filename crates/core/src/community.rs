//! The community map as organisers read it: a ward's organisations with their leaders,
//! contacts and members, how far each relationship has come and when we last had contact;
//! the *gaps* (the kinds of institution a ward has nobody in touch with lately); and the
//! relationship graph, laid out here so the client only draws it.
//!
//! Who leads an organisation, who is our contact there and who belongs to it, and who knows
//! whom, are [`Link`]s alone. An organisation's last contact is the latest day of a one-to-one
//! that named it or was held with someone linked to it.
//!
//! Everything is read from the typed records the caller passes (what the device holds, which
//! the sync scope already limits to what the reader may see) and a `today` passed in.

use crate::area::AreaTree;
use crate::calendar::{Day, london_midnight};
use crate::id::{AreaId, LinkId, OrganisationId, PersonId, RecordId, Timestamp};
use crate::model::{
    Conversation, Link, LinkKind, OneToOne, Organisation, OrganisationKind, Person, Relationship,
};
use crate::order;
use crate::record::Choice;
use crate::results::Period;
use std::collections::{BTreeMap, BTreeSet};
use std::f64::consts::{FRAC_PI_2, TAU};

/// How many days back a contact keeps an organisation off the gaps: one contacted on or after
/// the day this many days before today is in touch.
pub const GAP_DAYS: i32 = 90;

/// The most nodes the graph stays readable with on a phone (people labelled by name around
/// a circle a phone's width across). Past it the client shows the ward's map as the list only
/// ([`map`]) and says why; [`Graph::is_readable`] tells.
pub const MAX_GRAPH_NODES: usize = 40;

/// The graph's coordinates run from 0 to this, both ways (an SVG `viewBox` of this square).
pub const GRAPH_SIZE: i32 = 1000;

/// The radius of the circle the organisations stand on.
const INNER_RADIUS: f64 = 220.0;
/// The radius of the circle the people stand on, leaving room for their labels inside the box.
const OUTER_RADIUS: f64 = 420.0;
/// People stand at least a turn divided by this apart (a twenty-fourth: about 110 units on
/// the outer circle), closer only when there are more of them than this.
const MIN_SPACING_SLOTS: usize = 24;

/// Someone tied to an organisation, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedPerson {
    /// Who.
    pub person: PersonId,
    /// The link that says so (to edit its role, or delete it).
    pub link: LinkId,
    /// Their role there, in the organiser's words.
    pub role: Option<String>,
}

/// One organisation of a ward's map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedOrganisation {
    /// Its id.
    pub organisation: OrganisationId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: OrganisationKind,
    /// How far our relationship with it has come.
    pub stage: Relationship,
    /// Its leaders.
    pub leaders: Vec<LinkedPerson>,
    /// Our contacts there.
    pub contacts: Vec<LinkedPerson>,
    /// Its members.
    pub members: Vec<LinkedPerson>,
    /// The last day we had contact ([`last_contact`]), if ever.
    pub last_contact: Option<Day>,
}

/// The latest day of a one-to-one that names `organisation` or was held with a person linked
/// to it (as its leader, contact or member), if any.
pub fn last_contact(
    organisation: OrganisationId,
    links: &[Link],
    one_to_ones: &[OneToOne],
) -> Option<Day> {
    let linked: BTreeSet<PersonId> = links
        .iter()
        .filter(|l| l.organisation == Some(organisation))
        .map(|l| l.person)
        .collect();
    one_to_ones
        .iter()
        .filter(|o| o.organisation == Some(organisation) || linked.contains(&o.person))
        .map(|o| o.held_on)
        .max()
}

/// Every organisation's last contact at once ([`last_contact`] for each), in one pass over
/// the one-to-ones.
pub fn last_contacts(links: &[Link], one_to_ones: &[OneToOne]) -> BTreeMap<OrganisationId, Day> {
    let mut linked_to: BTreeMap<PersonId, BTreeSet<OrganisationId>> = BTreeMap::new();
    for link in links {
        if let Some(organisation) = link.organisation {
            linked_to
                .entry(link.person)
                .or_default()
                .insert(organisation);
        }
    }
    let mut latest: BTreeMap<OrganisationId, Day> = BTreeMap::new();
    for one_to_one in one_to_ones {
        let through_person = linked_to.get(&one_to_one.person).into_iter().flatten();
        for &organisation in one_to_one.organisation.iter().chain(through_person) {
            let day = latest.entry(organisation).or_insert(one_to_one.held_on);
            *day = (*day).max(one_to_one.held_on);
        }
    }
    latest
}

/// The map of `organisations` (those of an area, as the caller chooses), by name: each with
/// its leaders, contacts and members (someone linked twice the same way, as two organisers
/// offline may do, is listed once, by the link with a role if one has one), its stage and its
/// last contact.
pub fn map(
    organisations: &[Organisation],
    links: &[Link],
    one_to_ones: &[OneToOne],
) -> Vec<MappedOrganisation> {
    let contacts = last_contacts(links, one_to_ones);
    let mut by_organisation: BTreeMap<OrganisationId, Vec<&Link>> = BTreeMap::new();
    for link in links.iter().filter(|l| l.other.is_none()) {
        if let Some(organisation) = link.organisation {
            by_organisation.entry(organisation).or_default().push(link);
        }
    }
    let mut rows: Vec<MappedOrganisation> = organisations
        .iter()
        .map(|organisation| {
            let theirs = by_organisation
                .get(&organisation.id)
                .map_or(&[][..], Vec::as_slice);
            MappedOrganisation {
                organisation: organisation.id,
                name: organisation.name.clone(),
                kind: organisation.kind,
                stage: organisation.relationship,
                leaders: linked_as(theirs, LinkKind::Leader),
                contacts: linked_as(theirs, LinkKind::Contact),
                members: linked_as(theirs, LinkKind::Member),
                last_contact: contacts.get(&organisation.id).copied(),
            }
        })
        .collect();
    order::sort_by(&mut rows, |a, b| {
        (a.name.to_lowercase(), a.organisation).cmp(&(b.name.to_lowercase(), b.organisation))
    });
    rows
}

/// The people `links` tie to their organisation as `kind`, once each, by person.
fn linked_as(links: &[&Link], kind: LinkKind) -> Vec<LinkedPerson> {
    let mut chosen: BTreeMap<PersonId, &Link> = BTreeMap::new();
    for &link in links.iter().filter(|l| l.kind == kind) {
        let better = |held: &Link| (link.role.is_none(), link.id) < (held.role.is_none(), held.id);
        match chosen.get(&link.person) {
            Some(held) if !better(held) => {}
            _ => {
                chosen.insert(link.person, link);
            }
        }
    }
    chosen
        .into_values()
        .map(|link| LinkedPerson {
            person: link.person,
            link: link.id,
            role: link.role.clone(),
        })
        .collect()
}

/// A kind of institution a ward has nobody in touch with lately.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    /// The kind.
    pub kind: OrganisationKind,
    /// How many organisations of that kind the ward has on the map (none: nobody has mapped
    /// one; some: none of them contacted in the last [`GAP_DAYS`] days).
    pub mapped: usize,
}

/// One ward's gaps, with its listening and organising beside them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WardGaps {
    /// The ward.
    pub ward: AreaId,
    /// The kinds (every [`OrganisationKind`] but `Other`, in their order) with no organisation
    /// in the ward contacted in the last [`GAP_DAYS`] days.
    pub gaps: Vec<Gap>,
    /// The listening conversations held in the ward in those days.
    pub conversations_held: usize,
    /// The one-to-ones held in the ward in those days.
    pub one_to_ones_held: usize,
}

/// One kind of organisation in one ward, as [`gaps`] finds it.
#[derive(Clone, Copy, Debug, Default)]
struct KindMapped {
    /// How many the ward has on the map.
    mapped: usize,
    /// Whether any of them was contacted in the window.
    in_touch: bool,
}

/// The first day of the last [`GAP_DAYS`] days up to `today`.
pub fn gap_window_start(today: Day) -> Day {
    today.add_days(-GAP_DAYS)
}

/// The gaps of each of `wards`, in the order given. A record is in a ward when its area is
/// the ward or lies within it (as `tree` places it); an organisation's contact is its
/// [`last_contact`]. A conversation counts as [`crate::results`] counts it
/// ([`Conversation::was_held`], by the time it was had, a fast device clock's later time
/// included); a one-to-one by the day it was held.
pub fn gaps(
    wards: &[AreaId],
    tree: &AreaTree,
    organisations: &[Organisation],
    links: &[Link],
    one_to_ones: &[OneToOne],
    conversations: &[Conversation],
    today: Day,
) -> Vec<WardGaps> {
    let since = gap_window_start(today);
    let period = Period {
        from: london_midnight(since),
        to: Timestamp(i64::MAX),
    };
    let index: BTreeMap<AreaId, usize> = wards.iter().enumerate().map(|(i, &w)| (w, i)).collect();
    // Each ward given that `area` is, or lies within.
    let wards_of = |area: AreaId| {
        tree.ancestors(area)
            .filter_map(|a| index.get(&a).copied())
            .collect::<BTreeSet<usize>>()
    };
    let mut rows: Vec<WardGaps> = wards
        .iter()
        .map(|&ward| WardGaps {
            ward,
            gaps: Vec::new(),
            conversations_held: 0,
            one_to_ones_held: 0,
        })
        .collect();
    let contacts = last_contacts(links, one_to_ones);
    let mut kinds: Vec<BTreeMap<OrganisationKind, KindMapped>> = vec![BTreeMap::new(); wards.len()];
    for organisation in organisations {
        let lately = contacts
            .get(&organisation.id)
            .is_some_and(|&day| day >= since);
        for i in wards_of(organisation.area) {
            let kind = kinds[i].entry(organisation.kind).or_default();
            kind.mapped += 1;
            kind.in_touch |= lately;
        }
    }
    for conversation in conversations {
        if conversation.was_held() && period.contains(conversation.at) {
            for i in wards_of(conversation.area) {
                rows[i].conversations_held += 1;
            }
        }
    }
    for one_to_one in one_to_ones.iter().filter(|o| o.held_on >= since) {
        for i in wards_of(one_to_one.area) {
            rows[i].one_to_ones_held += 1;
        }
    }
    for (row, kinds) in rows.iter_mut().zip(&kinds) {
        row.gaps = OrganisationKind::ALL
            .iter()
            .filter(|&&kind| kind != OrganisationKind::Other)
            .filter_map(|&kind| {
                let seen = kinds.get(&kind).copied().unwrap_or_default();
                (!seen.in_touch).then_some(Gap {
                    kind,
                    mapped: seen.mapped,
                })
            })
            .collect();
    }
    rows
}

/// Whether a node of the graph is a person or an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    /// An organisation, on the inner circle.
    Organisation,
    /// A person, on the outer circle.
    Person,
}

/// A node of the graph, where it is drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// The organisation's or the person's id.
    pub id: RecordId,
    /// Which of the two it is.
    pub kind: NodeKind,
    /// Its name; `None` when the device holds no such record (someone a link names whom the
    /// reader may not see), for the client to word.
    pub label: Option<String>,
    /// Across, from 0 to [`GRAPH_SIZE`].
    pub x: i32,
    /// Down, from 0 to [`GRAPH_SIZE`].
    pub y: i32,
}

/// An edge of the graph: one link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The link.
    pub link: LinkId,
    /// Its person.
    pub from: RecordId,
    /// The organisation or the other person.
    pub to: RecordId,
    /// What the link says.
    pub kind: LinkKind,
}

/// A ward's relationship graph, laid out in a [`GRAPH_SIZE`] square.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graph {
    /// The organisations (around the inner circle, from the top, clockwise, by name), then
    /// the people (in their order round the outer circle, clockwise).
    pub nodes: Vec<Node>,
    /// Every link of the ward's people, by link id.
    pub edges: Vec<Edge>,
}

impl Graph {
    /// Whether it has few enough nodes ([`MAX_GRAPH_NODES`]) to draw; past that the client
    /// shows the list only.
    pub fn is_readable(&self) -> bool {
        self.nodes.len() <= MAX_GRAPH_NODES
    }
}

/// The relationship graph of `ward`: its organisations, every link of the people in it (a
/// link's area is its person's) and whatever those links name, even outside the ward.
///
/// The layout is computed here, so the client only draws it, and is the same whatever order
/// the records come in: organisations evenly around an inner circle from the top, by name (a
/// lone one in the middle); people around an outer circle, each as near where they would like
/// to be (the mean direction of the organisations they are linked to, or failing that of the
/// people they are linked to who have one) as standing a twenty-fourth of a turn apart allows,
/// or evenly all the way round in that order when there are too many to keep apart. People
/// tied to no organisation at all, even through others, stand in the widest gap. It stays
/// readable up to [`MAX_GRAPH_NODES`] nodes ([`Graph::is_readable`]); past that the client
/// shows the list ([`map`]) only.
pub fn graph(
    ward: AreaId,
    tree: &AreaTree,
    organisations: &[Organisation],
    people: &[Person],
    links: &[Link],
) -> Graph {
    let names: BTreeMap<RecordId, &str> = organisations
        .iter()
        .map(|o| (o.id.0, o.name.as_str()))
        .chain(people.iter().map(|p| (p.id.0, p.name.as_str())))
        .collect();
    let label = |id: RecordId| names.get(&id).map(|&name| name.to_owned());
    // The ward's people's links that name one thing (one whose other person was erased
    // names nothing, and is left out).
    let mut drawn: Vec<&Link> = links
        .iter()
        .filter(|l| tree.is_within(l.area, ward))
        .filter(|l| named(l).is_some())
        .collect();
    order::sort_by_key(&mut drawn, |l| l.id);

    // The organisations: the ward's, and those its people are linked to.
    let mut organisation_ids: BTreeSet<RecordId> = organisations
        .iter()
        .filter(|o| tree.is_within(o.area, ward))
        .map(|o| o.id.0)
        .collect();
    organisation_ids.extend(drawn.iter().filter_map(|l| l.organisation).map(|o| o.0));
    let mut ring: Vec<RecordId> = organisation_ids.into_iter().collect();
    order::sort_by_key(&mut ring, |&id| {
        (label(id).is_none(), label(id).map(|l| l.to_lowercase()), id)
    });
    let angle_of: BTreeMap<RecordId, f64> = ring
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, slot(i, ring.len(), 0.0)))
        .collect();
    let mut nodes: Vec<Node> = ring
        .iter()
        .map(|&id| {
            let radius = if ring.len() == 1 { 0.0 } else { INNER_RADIUS };
            let (x, y) = point(angle_of[&id], radius);
            Node {
                id,
                kind: NodeKind::Organisation,
                label: label(id),
                x,
                y,
            }
        })
        .collect();

    // The people, and where each would like to be.
    let mut to_organisations: BTreeMap<RecordId, Vec<f64>> = BTreeMap::new();
    let mut to_people: BTreeMap<RecordId, BTreeSet<RecordId>> = BTreeMap::new();
    for link in &drawn {
        let person = link.person.0;
        match (link.organisation, link.other) {
            (Some(organisation), _) => {
                let angle = angle_of.get(&organisation.0).copied().unwrap_or(0.0);
                to_organisations.entry(person).or_default().push(angle);
            }
            (None, Some(other)) => {
                to_people.entry(person).or_default().insert(other.0);
                to_people.entry(other.0).or_default().insert(person);
            }
            (None, None) => {}
        }
    }
    let everyone: BTreeSet<RecordId> = to_organisations
        .keys()
        .chain(to_people.keys())
        .copied()
        .collect();
    let mut wish: BTreeMap<RecordId, f64> = BTreeMap::new();
    for (&person, angles) in &mut to_organisations {
        // In one order whatever order the links came in, so the sums are the same.
        order::sort_by(angles, f64::total_cmp);
        wish.insert(person, mean_direction(angles));
    }
    // Those linked only to people take their place from them, a round at a time, so the
    // result does not hang on the order anyone is visited in.
    loop {
        let round: BTreeMap<RecordId, f64> = everyone
            .iter()
            .filter(|p| !wish.contains_key(p))
            .filter_map(|&person| {
                let angles: Vec<f64> = to_people
                    .get(&person)
                    .into_iter()
                    .flatten()
                    .filter_map(|other| wish.get(other).copied())
                    .collect();
                (!angles.is_empty()).then(|| (person, mean_direction(&angles)))
            })
            .collect();
        if round.is_empty() {
            break;
        }
        wish.extend(round);
    }
    // From the top, clockwise; those with no wish last; then by name.
    let from_top = |angle: f64| (angle + FRAC_PI_2).rem_euclid(TAU);
    let mut circle: Vec<RecordId> = everyone.into_iter().collect();
    order::sort_by(&mut circle, |a, b| {
        let (wa, wb) = (
            wish.get(a).map(|&w| from_top(w)),
            wish.get(b).map(|&w| from_top(w)),
        );
        wa.is_none()
            .cmp(&wb.is_none())
            .then_with(|| wa.unwrap_or(0.0).total_cmp(&wb.unwrap_or(0.0)))
            .then_with(|| label(*a).cmp(&label(*b)))
            .then(a.cmp(b))
    });
    let wishes: Vec<f64> = circle
        .iter()
        .filter_map(|person| wish.get(person).map(|&w| from_top(w)))
        .collect();
    let places = spread(&wishes, circle.len());
    for (&person, &place) in circle.iter().zip(&places) {
        let (x, y) = point(place - FRAC_PI_2, OUTER_RADIUS);
        nodes.push(Node {
            id: person,
            kind: NodeKind::Person,
            label: label(person),
            x,
            y,
        });
    }
    let edges = drawn
        .iter()
        .filter_map(|l| {
            Some(Edge {
                link: l.id,
                from: l.person.0,
                to: named(l)?,
                kind: l.kind,
            })
        })
        .collect();
    Graph { nodes, edges }
}

/// What `link` ties its person to: its organisation or its other person, when it names
/// exactly one.
fn named(link: &Link) -> Option<RecordId> {
    match (link.organisation, link.other) {
        (Some(organisation), None) => Some(organisation.0),
        (None, Some(other)) => Some(other.0),
        _ => None,
    }
}

/// Where `count` people stand around a circle, as angles from the top, clockwise: the first
/// `wishes.len()` wish to stand at those angles (ascending, from 0 to a turn), the rest
/// anywhere. Each stands as near their wish as keeping [`MIN_SPACING_SLOTS`] apart allows
/// (clusters of neighbours who crowd each other spread evenly round the mean of their
/// wishes, until no two clusters crowd each other); those with no wish stand in the widest
/// gap. When that cannot keep everyone apart all the way round, they stand evenly round the
/// whole circle in the same order, turned to their wishes.
fn spread(wishes: &[f64], count: usize) -> Vec<f64> {
    let Some(&first) = wishes.first() else {
        return (0..count).map(|i| slot(i, count, FRAC_PI_2)).collect();
    };
    let spacing = TAU / count.max(MIN_SPACING_SLOTS) as f64;
    // Cut the circle open at the widest gap between wishes (the first of the widest), so the
    // line runs round from just after it.
    let after = |i: usize| wishes.get(i + 1).copied().unwrap_or(first + TAU);
    let mut widest = 0;
    for i in 1..wishes.len() {
        if after(i) - wishes[i] > after(widest) - wishes[widest] {
            widest = i;
        }
    }
    let gap = after(widest) - wishes[widest];
    let cut = (widest + 1) % wishes.len();
    // Everyone's place on the line, wishes wrapped past a turn after the cut.
    let mut line: Vec<OnLine> = (0..wishes.len())
        .map(|j| {
            let person = (cut + j) % wishes.len();
            let wrap = if person < cut { TAU } else { 0.0 };
            OnLine {
                person,
                wish: wishes[person] + wrap,
            }
        })
        .collect();
    let last = line.last().map_or(first, |p| p.wish);
    line.extend((wishes.len()..count).map(|person| OnLine {
        person,
        wish: last + gap / 2.0,
    }));
    // Pool crowding neighbours into clusters, each placed at the mean of its members' wishes
    // less their offsets in it.
    let mut clusters: Vec<Cluster> = Vec::new();
    for (j, &OnLine { wish, .. }) in line.iter().enumerate() {
        clusters.push(Cluster {
            first: j,
            size: 1,
            sum: wish,
        });
        while let [.., before, after] = clusters.as_slice()
            && before.start() + before.size as f64 * spacing > after.start()
        {
            let (before, after) = (*before, *after);
            clusters.pop();
            let merged = clusters.last_mut().expect("two clusters");
            merged.size += after.size;
            merged.sum += after.sum - (after.size * before.size) as f64 * spacing;
        }
    }
    let mut places = vec![0.0; count];
    let (start, end) = (clusters[0].start(), {
        let tail = clusters[clusters.len() - 1];
        tail.start() + tail.size as f64 * spacing
    });
    if end - start > TAU + 1e-9 {
        // Too crowded to keep apart: evenly all the way round, turned to the wishes.
        let even = TAU / count as f64;
        let turn = line
            .iter()
            .take(wishes.len())
            .enumerate()
            .map(|(j, p)| p.wish - j as f64 * even)
            .sum::<f64>()
            / wishes.len() as f64;
        for (j, p) in line.iter().enumerate() {
            places[p.person] = turn + j as f64 * even;
        }
    } else {
        for cluster in &clusters {
            for j in cluster.first..cluster.first + cluster.size {
                places[line[j].person] = cluster.start() + (j - cluster.first) as f64 * spacing;
            }
        }
    }
    places
}

/// Someone on the outer circle cut open into a line.
#[derive(Clone, Copy, Debug)]
struct OnLine {
    /// Their index among those being spread.
    person: usize,
    /// Where they would stand, along the line.
    wish: f64,
}

/// Neighbours on the outer circle placed together, evenly spaced.
#[derive(Clone, Copy, Debug)]
struct Cluster {
    /// Its first member's place on the line.
    first: usize,
    /// How many it holds.
    size: usize,
    /// The sum over its members of their wish less their offset in it.
    sum: f64,
}

impl Cluster {
    /// Where its first member stands.
    fn start(&self) -> f64 {
        self.sum / self.size as f64
    }
}

/// The angle of the `i`th of `n` places evenly around a circle, from the top, clockwise (SVG's
/// y runs down), turned by `turn`.
fn slot(i: usize, n: usize, turn: f64) -> f64 {
    let fraction = i as f64 / n.max(1) as f64;
    -FRAC_PI_2 + turn + TAU * fraction
}

/// The mean direction of `angles` (the first, when they cancel out).
fn mean_direction(angles: &[f64]) -> f64 {
    let (x, y) = angles
        .iter()
        .fold((0.0, 0.0), |(x, y), a| (x + a.cos(), y + a.sin()));
    if x.hypot(y) < 1e-9 {
        angles.first().copied().unwrap_or(0.0)
    } else {
        y.atan2(x)
    }
}

/// Where the point at `angle` on a circle of `radius` round the middle of the box is, in whole
/// units, kept inside the box.
fn point(angle: f64, radius: f64) -> (i32, i32) {
    let middle = f64::from(GRAPH_SIZE) / 2.0;
    // Rounded and clamped to the box first, so the conversion loses nothing.
    let place = |v: f64| v.round().clamp(0.0, f64::from(GRAPH_SIZE)) as i32;
    (
        place(middle + radius * angle.cos()),
        place(middle + radius * angle.sin()),
    )
}
