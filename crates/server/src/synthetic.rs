//! Synthetic areas for demos and benchmarks: a constituency with wards, streets, households at
//! numbered addresses and the people living in them, all made up and all deterministic from a
//! seed.
//!
//! [`generate`] is pure: the same seed, parameters and placement give the same records, byte
//! for byte. [`store`] writes records through the protocol's seeding, a batch per transaction,
//! so a large area never holds one huge transaction; [`create`] does both for the command line
//! (`organise-server generate-area`).
//!
//! Nothing here is anyone's data. Phone numbers come from the ranges Ofcom keeps for drama
//! (07700 900000–900999 and 01632 960000–960999), emails end in `example.invalid` (a domain
//! that can never resolve), and postcodes, though shaped like real ones, begin with Q or V,
//! which no real postcode area does.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use organise_core::area::{Area, AreaKind};
use organise_core::id::{AreaId, HouseholdId, PersonId, RecordId, Timestamp};
use organise_core::model::{Consent, ConsentMethod, ConsentTopic, Person, Source};
use organise_core::record::{Choice, Collection, Entity, Record};
use organise_core::sync::server as protocol;
use organise_core::validate::{MAX_SHORT_TEXT, check_text};

use crate::accounts::{self, SETUP};
use crate::sync_store::{self, Access, StoreError, TreeCache};
use crate::{Clock, Db};

/// Records stored per transaction by [`store`].
pub const BATCH: usize = 2_000;

/// The most households one synthetic area may have.
pub const MAX_HOUSEHOLDS: usize = 100_000;

/// The most wards one synthetic area may have.
pub const MAX_WARDS: usize = 40;

/// The most streets one synthetic area may have, across all its wards.
pub const MAX_STREETS: usize = 1_500;

/// The shape of a synthetic area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Params {
    /// How many wards the constituency has.
    pub wards: usize,
    /// How many streets each ward has.
    pub streets_per_ward: usize,
    /// How many households there are in all (each street has at least one).
    pub households: usize,
}

impl Params {
    /// A plausible shape for `households`: a ward per 1,500 households or so (two to
    /// twenty), and streets of about forty households (longer when that would make more than
    /// [`MAX_STREETS`] streets).
    pub fn for_households(households: usize) -> Params {
        Params::shaped(households, None, None)
    }

    /// `households` in `wards` wards of `streets_per_ward` streets, choosing what is not
    /// given as [`Params::for_households`] does.
    pub fn shaped(
        households: usize,
        wards: Option<usize>,
        streets_per_ward: Option<usize>,
    ) -> Params {
        let wards = wards.unwrap_or_else(|| {
            households
                .div_ceil(1_500)
                .clamp(2, 20)
                .min(households.max(1))
        });
        let streets_per_ward = streets_per_ward.unwrap_or_else(|| {
            households
                .div_ceil(wards.max(1) * 40)
                .clamp(1, (MAX_STREETS / wards.max(1)).max(1))
        });
        Params {
            wards,
            streets_per_ward,
            households,
        }
    }

    fn check(&self) -> Result<(), SyntheticError> {
        let refuse = |why: String| Err(SyntheticError::Parameters(why));
        if !(1..=MAX_WARDS).contains(&self.wards) {
            return refuse(format!("the number of wards must be 1 to {MAX_WARDS}"));
        }
        if self.streets_per_ward == 0 || self.wards * self.streets_per_ward > MAX_STREETS {
            return refuse(format!(
                "there must be at least one street per ward and at most {MAX_STREETS} in all"
            ));
        }
        if self.households > MAX_HOUSEHOLDS {
            return refuse(format!("there can be at most {MAX_HOUSEHOLDS} households"));
        }
        if self.households < self.wards * self.streets_per_ward {
            return refuse(format!(
                "every street needs a household, and {} streets have only {}",
                self.wards * self.streets_per_ward,
                self.households
            ));
        }
        Ok(())
    }
}

/// Where a synthetic area goes and what it is called.
#[derive(Clone, Copy, Debug)]
pub struct Placement<'a> {
    /// The nation or region the constituency sits in.
    pub parent: AreaId,
    /// The constituency's name.
    pub name: &'a str,
    /// When the records are made: the time in their ids, and the latest time a consent was
    /// given.
    pub at: Timestamp,
    /// Names of areas that exist already, which no ward may take.
    pub taken_names: &'a BTreeSet<String>,
}

/// A generated area: the constituency, its wards, and the people in walking order (ward by
/// ward, street by street, door by door).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntheticArea {
    /// The constituency.
    pub constituency: Area,
    /// Its wards.
    pub wards: Vec<Area>,
    /// Everyone, in walking order.
    pub people: Vec<Person>,
    /// How many streets there are.
    pub streets: usize,
    /// How many households there are.
    pub households: usize,
}

impl SyntheticArea {
    /// The records to store: the constituency, then its wards, then the people (so every
    /// area is stored before anything in it).
    pub fn records(&self) -> Vec<Record> {
        std::iter::once(self.constituency.to_record())
            .chain(self.wards.iter().map(Entity::to_record))
            .chain(self.people.iter().map(Entity::to_record))
            .collect()
    }
}

/// Why a synthetic area was not made or not wholly stored.
#[derive(Debug, thiserror::Error)]
pub enum SyntheticError {
    /// The parameters or the name cannot make an area.
    #[error("{0}")]
    Parameters(String),
    /// No area has the parent's name.
    #[error("there is no area called {0:?}")]
    NoParent(String),
    /// Several areas have the parent's name.
    #[error("{count} areas are called {name:?}; rename one first")]
    AmbiguousParent {
        /// The name.
        name: String,
        /// How many areas have it.
        count: usize,
    },
    /// The parent is not a nation or region, so a constituency cannot go under it.
    #[error("{name:?} is a {kind}; a constituency goes under a nation or a region")]
    WrongParent {
        /// The parent's name.
        name: String,
        /// What kind of area it is.
        kind: &'static str,
    },
    /// An area with the new area's name exists already.
    #[error("an area called {0:?} already exists; choose another name")]
    NameTaken(String),
    /// A new area's parent is not an area.
    #[error("the parent of the area {0:?} does not exist")]
    ParentGone(String),
    /// The database failed before anything was stored.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The database failed after some batches had been stored; they stay stored.
    #[error("stored {stored} of {total} records, then the database failed: {source}")]
    Partial {
        /// How many records were stored.
        stored: usize,
        /// How many there were to store.
        total: usize,
        /// What failed.
        source: StoreError,
    },
}

/// Generates a constituency called `placement.name` under `placement.parent`, with
/// `params.wards` wards of `params.streets_per_ward` streets each and `params.households`
/// households of one to five people. Pure: the same arguments give the same area.
pub fn generate(
    seed: u64,
    params: &Params,
    placement: &Placement<'_>,
) -> Result<SyntheticArea, SyntheticError> {
    params.check()?;
    let name = placement.name.trim();
    check_text(name, MAX_SHORT_TEXT).map_err(|problem| {
        SyntheticError::Parameters(format!("the name is not valid: {problem}"))
    })?;
    let mut rng = Rng::new(seed);
    let at = placement.at;
    let constituency = Area {
        id: AreaId(rng.id(at)),
        created_by: SETUP,
        name: name.to_owned(),
        kind: AreaKind::Constituency,
        parent: Some(placement.parent),
    };

    let ward_names = ward_names(&mut rng, params.wards, name, placement.taken_names)?;
    let wards: Vec<Area> = ward_names
        .into_iter()
        .map(|ward| Area {
            id: AreaId(rng.id(at)),
            created_by: SETUP,
            name: ward,
            kind: AreaKind::Ward,
            parent: Some(constituency.id),
        })
        .collect();

    let street_count = params.wards * params.streets_per_ward;
    let street_names = street_names(&mut rng, street_count);
    let street_sizes = street_sizes(&mut rng, street_count, params.households);
    let mut postcodes = Postcodes::new(&mut rng);
    let book = NameBook::new();
    let mut taken = Taken::default();
    let mut people = Vec::with_capacity(params.households * 5 / 2);
    let mut households = 0;
    for (w, ward) in wards.iter().enumerate() {
        postcodes.next_district();
        for s in 0..params.streets_per_ward {
            let street = w * params.streets_per_ward + s;
            let doors = street_doors(&mut rng, &street_names[street], street_sizes[street]);
            let mut postcode = postcodes.next(&mut rng);
            let mut in_postcode = 0;
            let mut postcode_size = rng.range(8, 20);
            for door in doors {
                if door.first_flat && in_postcode >= postcode_size {
                    postcode = postcodes.next(&mut rng);
                    in_postcode = 0;
                    postcode_size = rng.range(8, 20);
                }
                in_postcode += 1;
                households += 1;
                let household = Household {
                    ward: ward.id,
                    address: door.address,
                    postcode: postcode.clone(),
                };
                household.people(&mut rng, at, &book, &mut taken, &mut people);
            }
        }
    }
    Ok(SyntheticArea {
        constituency,
        wards,
        people,
        streets: street_count,
        households,
    })
}

/// Stores `records` through the protocol's seeding, in order, `batch` records per transaction
/// ([`BATCH`] from the command line). Each area record is checked in the transaction that
/// stores it: its name must be new and its parent must exist. If not, neither that batch nor
/// any after it is stored; [`SyntheticArea::records`] puts the areas first, so with batches
/// larger than the number of areas a refusal stores nothing at all.
pub async fn store(
    db: &Db,
    trees: &Arc<TreeCache>,
    records: Vec<Record>,
    batch: usize,
) -> Result<(), SyntheticError> {
    let batch_size = batch.max(1);
    let total = records.len();
    let mut stored = 0;
    let mut records = records.into_iter().peekable();
    while records.peek().is_some() {
        let batch: Vec<Record> = records.by_ref().take(batch_size).collect();
        let count = batch.len();
        let outcome = sync_store::run(db, trees, Access::Write, move |store| {
            if let Err(refused) = check_new_areas(store, &batch)? {
                return Ok((Err(refused), false));
            }
            protocol::seed(store, batch)?;
            Ok((Ok(()), true))
        })
        .await;
        match outcome {
            Ok(Ok(())) => stored += count,
            Ok(Err(refused)) => return Err(refused),
            Err(source) if stored == 0 => return Err(SyntheticError::Store(source)),
            Err(source) => {
                return Err(SyntheticError::Partial {
                    stored,
                    total,
                    source,
                });
            }
        }
    }
    Ok(())
}

/// Refuses a batch whose area records would duplicate a name or hang under nothing.
fn check_new_areas(
    store: &mut sync_store::SqlStore<'_>,
    batch: &[Record],
) -> Result<Result<(), SyntheticError>, StoreError> {
    let new: Vec<Area> = batch
        .iter()
        .filter(|r| r.collection == Collection::Area)
        .filter_map(|r| Area::read(r).ok())
        .collect();
    if new.is_empty() {
        return Ok(Ok(()));
    }
    let existing = accounts::areas(store)?;
    let mut names: BTreeSet<&str> = existing.iter().map(|a| a.name.as_str()).collect();
    let mut ids: BTreeSet<AreaId> = existing.iter().map(|a| a.id).collect();
    for area in &new {
        if !names.insert(&area.name) {
            return Ok(Err(SyntheticError::NameTaken(area.name.clone())));
        }
        if area.parent.is_some_and(|parent| !ids.contains(&parent)) {
            return Ok(Err(SyntheticError::ParentGone(area.name.clone())));
        }
        ids.insert(area.id);
    }
    Ok(Ok(()))
}

/// What [`create`] made, in counts only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Created {
    /// How many wards.
    pub wards: usize,
    /// How many streets.
    pub streets: usize,
    /// How many households.
    pub households: usize,
    /// How many people.
    pub people: usize,
    /// How long generating took.
    pub generated_in: Duration,
    /// How long storing took.
    pub stored_in: Duration,
}

/// Generates a synthetic constituency called `name` under the nation or region called
/// `parent` and stores it (see [`generate`] and [`store`]). Refuses when the parent does not
/// exist or is not a nation or region, or an area called `name` exists already.
pub async fn create(
    db: &Db,
    trees: &Arc<TreeCache>,
    clock: &Clock,
    parent: &str,
    name: &str,
    seed: u64,
    params: &Params,
) -> Result<Created, SyntheticError> {
    let areas = sync_store::run(db, trees, Access::Read, |store| {
        Ok((accounts::areas(store)?, false))
    })
    .await?;
    let parents: Vec<&Area> = areas.iter().filter(|a| a.name == parent).collect();
    let parent = match parents.as_slice() {
        [] => return Err(SyntheticError::NoParent(parent.to_owned())),
        [area] => *area,
        _ => {
            return Err(SyntheticError::AmbiguousParent {
                name: parent.to_owned(),
                count: parents.len(),
            });
        }
    };
    if !AreaKind::Constituency.parent_kinds().contains(&parent.kind) {
        return Err(SyntheticError::WrongParent {
            name: parent.name.clone(),
            kind: parent.kind.as_str(),
        });
    }
    let name = name.trim();
    if areas.iter().any(|a| a.name == name) {
        return Err(SyntheticError::NameTaken(name.to_owned()));
    }
    let taken_names: BTreeSet<String> = areas.iter().map(|a| a.name.clone()).collect();
    let started = Instant::now();
    let area = generate(
        seed,
        params,
        &Placement {
            parent: parent.id,
            name,
            at: clock.now(),
            taken_names: &taken_names,
        },
    )?;
    let generated_in = started.elapsed();
    let created = Created {
        wards: area.wards.len(),
        streets: area.streets,
        households: area.households,
        people: area.people.len(),
        generated_in,
        stored_in: Duration::ZERO,
    };
    let records = area.records();
    drop(area);
    let started = Instant::now();
    store(db, trees, records, BATCH).await?;
    Ok(Created {
        stored_in: started.elapsed(),
        ..created
    })
}

/// SplitMix64: small, fast and fully determined by its seed, which is all synthetic data
/// needs (it is not for anything secret).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6f72_6761_6e69_7365)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    pub(crate) fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True `percent` times in a hundred.
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index into `weights`, chosen in proportion to them.
    pub(crate) fn weighted(&mut self, weights: &[usize]) -> usize {
        let mut roll = self.below(weights.iter().sum());
        for (i, &weight) in weights.iter().enumerate() {
            if roll < weight {
                return i;
            }
            roll -= weight;
        }
        unreachable!("the roll is below the sum of the weights")
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }

    /// A UUIDv7 at `at` with random bits from this generator.
    fn id(&mut self, at: Timestamp) -> RecordId {
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        random[8..].copy_from_slice(&self.next_u64().to_le_bytes()[..2]);
        RecordId::new_v7(at, random)
    }
}

/// Place-name pieces for wards: a stem and an ending ("Ash" + "ford").
const PLACE_STEMS: &[&str] = &[
    "Ash", "Bram", "Clay", "Elm", "Fern", "Hawk", "Kings", "Lark", "Marl", "Oak", "Red", "Stan",
    "Thorn", "Wil", "Brad", "Cold", "Hol", "Black", "Whit", "Brook", "Stone", "Green", "Hazel",
    "Sand", "Wind", "Heath", "Ald", "Bur", "Cran", "Lang", "Mill", "Nor", "West", "East", "Shaw",
    "Frog", "Pen",
];

const PLACE_ENDINGS: &[&str] = &[
    "ley", "ton", "field", "bury", "ford", "wood", "worth", "by", "ham", "well", "stead", "moor",
    "dale", "gate", "combe", "bridge", "hurst", "side", "hill",
];

/// What a ward's name may end with, when it is one part of a bigger place.
const WARD_SUFFIXES: &[&str] = &[
    "", " North", " South", " East", " West", " Central", " Park",
];

/// Street-name stems: trees, worthies, trades and landmarks.
const STREET_STEMS: &str = "\
    Acacia, Beech, Cedar, Elm, Hawthorn, Holly, Laurel, Linden, Maple, Oak, Poplar, Rowan, \
    Sycamore, Willow, Yew, Chestnut, Larch, Birch, Albert, Victoria, Alexandra, Gladstone, Nelson, \
    Wellington, Peel, Cobden, Brunel, Darwin, Pankhurst, Attlee, Bevan, Seacole, Wilberforce, \
    Stephenson, Station, Church, Mill, Market, Chapel, School, Park, Bridge, Canal, Castle, \
    Windmill, Quarry, Forge, Tannery, Brewery, Orchard, Meadow, Spring, Well, Hill, Brook, Moss, \
    Heath, Foundry, Weavers, Spinners, Colliers, Ropewalk, King, Queen, Prince, Princess, York, \
    Lancaster, Clarence, Cambridge, Oxford, Derby, Stanley, Grosvenor, Russell, Cavendish, \
    Primrose, Bluebell, Foxglove, Heather, Clover, Lilac, Jubilee, Coronation, Paradise, Union, \
    Cooperative, Temperance, Railway, Wharf, Lock, Dyers, Bank, Cross, Green, Valley, Ridge, \
    Fountain, Lime, Ivy";

const STREET_KINDS: &[&str] = &[
    "Road", "Street", "Lane", "Avenue", "Close", "Drive", "Grove", "Crescent", "Terrace", "Way",
    "Gardens", "Place", "Row", "Walk", "Mews", "Rise", "View", "Court",
];

/// `count` ward names, none of them taken or the constituency's own.
fn ward_names(
    rng: &mut Rng,
    count: usize,
    constituency: &str,
    taken: &BTreeSet<String>,
) -> Result<Vec<String>, SyntheticError> {
    let mut stems: Vec<String> = PLACE_STEMS
        .iter()
        .flat_map(|stem| PLACE_ENDINGS.iter().map(move |end| format!("{stem}{end}")))
        .collect();
    rng.shuffle(&mut stems);
    let mut names = Vec::with_capacity(count);
    let mut chosen = BTreeSet::new();
    // Plain names first; a compass point only when the plain ones are all taken.
    for suffix in WARD_SUFFIXES {
        for stem in &stems {
            if names.len() == count {
                return Ok(names);
            }
            let name = format!("{stem}{suffix}");
            if name != constituency && !taken.contains(&name) && chosen.insert(name.clone()) {
                names.push(name);
            }
        }
    }
    if names.len() == count {
        Ok(names)
    } else {
        Err(SyntheticError::Parameters(
            "every ward name this generator makes is taken".into(),
        ))
    }
}

/// `count` different street names.
fn street_names(rng: &mut Rng, count: usize) -> Vec<String> {
    let mut names: Vec<String> = list(STREET_STEMS)
        .into_iter()
        .flat_map(|stem| {
            STREET_KINDS
                .iter()
                .map(move |kind| format!("{stem} {kind}"))
        })
        .collect();
    debug_assert!(names.len() >= MAX_STREETS);
    rng.shuffle(&mut names);
    names.truncate(count);
    names
}

/// How many households each of `streets` streets has: at least one each, `households` in
/// all, a mix of closes, ordinary streets and long roads.
fn street_sizes(rng: &mut Rng, streets: usize, households: usize) -> Vec<usize> {
    let weights: Vec<usize> = (0..streets)
        .map(|_| match rng.weighted(&[25, 55, 20]) {
            0 => rng.range(5, 20),
            1 => rng.range(20, 60),
            _ => rng.range(60, 150),
        })
        .collect();
    let total: usize = weights.iter().sum();
    let spare = households - streets;
    let mut sizes: Vec<usize> = weights.iter().map(|w| 1 + spare * w / total).collect();
    let mut short = households - sizes.iter().sum::<usize>();
    let mut street = 0;
    while short > 0 {
        sizes[street % streets] += 1;
        short -= 1;
        street += 1;
    }
    sizes
}

/// A household's front door.
struct Door {
    /// "12 Mill Lane" or "Flat 2, 14 Mill Lane".
    address: String,
    /// Whether this is a building's first (or only) household, where a postcode may change.
    first_flat: bool,
}

/// `households` doors along `street` in walking order: numbered from 1, some houses split
/// into flats, and on some streets no number 13.
fn street_doors(rng: &mut Rng, street: &str, households: usize) -> Vec<Door> {
    let skip_13 = rng.chance(30);
    let flat_percent = *rng.pick(&[0, 0, 0, 10, 30]);
    let mut doors = Vec::with_capacity(households);
    let mut number = 0;
    while doors.len() < households {
        number += 1;
        if number == 13 && skip_13 {
            continue;
        }
        let left = households - doors.len();
        let flats = if rng.chance(flat_percent) {
            rng.range(2, 6).min(left)
        } else {
            1
        };
        for flat in 1..=flats {
            let address = if flats == 1 {
                format!("{number} {street}")
            } else {
                format!("Flat {flat}, {number} {street}")
            };
            doors.push(Door {
                address,
                first_flat: flat == 1,
            });
        }
    }
    doors
}

/// Letters a postcode's unit may use (Royal Mail never uses C, I, K, M, O or V there).
const UNIT_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// Letters a postcode area's second letter may be (never I, J or Z).
const AREA_SECOND_LETTERS: &[u8] = b"ABCDEFGHKLMNOPQRSTUVWXY";

/// Hands out postcodes that are each used once: a district per ward (a new one when a
/// district's 4,000 units run out), units in a shuffled order within it.
struct Postcodes {
    area: String,
    district: usize,
    units: Vec<(usize, u8, u8)>,
    /// Whether `units` has not yet been filled for this district.
    fresh: bool,
}

impl Postcodes {
    fn new(rng: &mut Rng) -> Postcodes {
        // No real postcode area starts with Q or V, so none of these is anyone's address.
        let first = *rng.pick(&['Q', 'V']);
        let second = *rng.pick(AREA_SECOND_LETTERS) as char;
        Postcodes {
            area: format!("{first}{second}"),
            district: rng.range(1, 20) - 1,
            units: Vec::new(),
            fresh: true,
        }
    }

    /// Moves to a fresh district.
    fn next_district(&mut self) {
        self.district += 1;
        // The limits on parameters keep this far off: 40 wards plus a few spilt districts.
        assert!(self.district <= 99, "postcode districts run to 99");
        self.units.clear();
        self.fresh = true;
    }

    /// A postcode not handed out before.
    fn next(&mut self, rng: &mut Rng) -> String {
        if self.units.is_empty() {
            if !self.fresh {
                self.next_district();
            }
            self.fill(rng);
            self.fresh = false;
        }
        let (sector, a, b) = self.units.pop().expect("a district has units");
        format!(
            "{}{} {sector}{}{}",
            self.area, self.district, a as char, b as char
        )
    }

    /// Every unit of the district, sector by sector in a random order, shuffled within each
    /// sector; popped from the end.
    fn fill(&mut self, rng: &mut Rng) {
        let mut sectors: Vec<usize> = (0..10).collect();
        rng.shuffle(&mut sectors);
        let mut units = Vec::with_capacity(10 * UNIT_LETTERS.len() * UNIT_LETTERS.len());
        for &sector in sectors.iter().rev() {
            let start = units.len();
            for &a in UNIT_LETTERS {
                for &b in UNIT_LETTERS {
                    units.push((sector, a, b));
                }
            }
            rng.shuffle(&mut units[start..]);
        }
        self.units = units;
    }
}

/// First names and surnames of one naming tradition (each a comma-separated list), and how
/// common it is here.
struct Names {
    weight: usize,
    first: &'static str,
    surnames: &'static str,
}

const NAMES: &[Names] = &[
    Names {
        weight: 42,
        first: "\
            Oliver, George, Harry, Jack, Charlie, Thomas, James, William, Daniel, Samuel, Joseph, \
            Benjamin, Matthew, Luke, Ryan, Liam, Kieran, Jordan, Nathan, Paul, Mark, David, \
            Stephen, Gary, Lee, Wayne, Keith, Graham, Peter, Alan, Brian, Derek, Kevin, Ian, \
            Olivia, Amelia, Ava, Emily, Sophie, Grace, Lily, Chloe, Jessica, Charlotte, Hannah, \
            Lucy, Ellie, Megan, Holly, Rebecca, Sarah, Emma, Laura, Claire, Karen, Julie, Tracey, \
            Joanne, Michelle, Susan, Margaret, Pauline, Jean, Brenda, Sandra, Linda, Gemma, \
            Stacey, Kayleigh, Zoë",
        surnames: "\
            Smith, Taylor, Brown, Wilson, Johnson, Wright, Walker, Robinson, Thompson, White, \
            Hughes, Green, Hall, Wood, Harris, Clarke, Jackson, Turner, Hill, Moore, Cooper, Ward, \
            Morris, King, Baker, Harrison, Allen, Parker, Shaw, Holt, Barlow, Lomax, Ashworth, \
            Entwistle, Hargreaves, Fairclough, Pilkington, Greenhalgh, Heywood, Whittaker, \
            Bradshaw, Kershaw, Butterworth, Openshaw, St. Clair, Lee",
    },
    Names {
        weight: 4,
        first: "\
            Rhys, Dafydd, Gethin, Owain, Iwan, Geraint, Rhodri, Emyr, Huw, Aled, Ifan, Gareth, \
            Dylan, Cerys, Seren, Angharad, Catrin, Ffion, Nia, Lowri, Gwen, Eleri, Siân, Carys, \
            Mared, Bethan, Alaw, Elin",
        surnames: "\
            Jones, Davies, Williams, Evans, Thomas, Roberts, Hughes, Lewis, Morgan, Griffiths, \
            Owen, Price, Pritchard, Parry, Pugh, Bowen, Powell, Llewellyn, ap Rhys, Vaughan, Rees, \
            Jenkins, Prosser",
    },
    Names {
        weight: 5,
        first: "\
            Callum, Fraser, Euan, Angus, Ruaridh, Hamish, Alasdair, Lachlan, Struan, Craig, Ewan, \
            Finlay, Mhairi, Eilidh, Isla, Kirsty, Morag, Catriona, Shona, Fiona, Ailsa, Iona, \
            Kirsteen, Rhona",
        surnames: "\
            MacDonald, MacLeod, Campbell, Stewart, Robertson, Murray, Fraser, Ross, McKenzie, \
            Grant, Henderson, Ferguson, Sutherland, McGregor, Cameron, Kerr, Buchanan, Gillespie, \
            Mackintosh, Urquhart, MacKinnon",
    },
    Names {
        weight: 6,
        first: "\
            Siobhán, Niamh, Aoife, Ciara, Saoirse, Orla, Róisín, Sinéad, Bríd, Maeve, Aisling, \
            Caoimhe, Seán, Ciarán, Pádraig, Eoin, Cathal, Declan, Conor, Darragh, Oisín, Tadhg, \
            Fionn, Dónal",
        surnames: "\
            O'Brien, O'Connor, O'Sullivan, Murphy, Kelly, Byrne, Ryan, Walsh, McCarthy, Doyle, \
            Gallagher, Quinn, O'Neill, McGuinness, Donnelly, Fitzgerald, Kavanagh, Brennan, \
            Flanagan, Ó Ceallaigh, Mac Giolla Phádraig",
    },
    Names {
        weight: 8,
        first: "\
            Mohammed, Muhammad, Imran, Asif, Tariq, Zubair, Bilal, Hamza, Shahid, Abdul, Rizwan, \
            Faisal, Adnan, Usman, Aisha, Fatima, Ayesha, Zainab, Maryam, Nusrat, Shabana, \
            Rukhsana, Nasreen, Farzana, Salma, Tahmina, Sadia, Hina",
        surnames: "\
            Khan, Hussain, Ahmed, Ali, Akhtar, Iqbal, Mahmood, Rahman, Uddin, Chowdhury, Miah, \
            Islam, Malik, Butt, Qureshi, Siddiqui, Haque",
    },
    Names {
        weight: 4,
        first: "\
            Arjun, Rohan, Sanjay, Vikram, Rajesh, Rahul, Nikhil, Amit, Dev, Kiran, Priya, Anjali, \
            Sunita, Kavita, Deepa, Pooja, Meera, Nisha, Hema, Asha",
        surnames: "\
            Patel, Shah, Sharma, Mistry, Desai, Parmar, Chauhan, Kumar, Joshi, Mehta, Lad, \
            Solanki, Pillai, Nair, Iyer, D'Souza, Fernandes",
    },
    Names {
        weight: 3,
        first: "\
            Harpreet, Gurpreet, Jaspreet, Mandeep, Navdeep, Amrit, Simran, Manpreet, Rajinder, \
            Baljit, Kuldip, Sukhwinder, Jaswinder, Parminder, Harjit, Kirandeep",
        surnames: "\
            Singh, Kaur, Gill, Sandhu, Bains, Sidhu, Dhillon, Grewal, Johal, Sahota, Atwal, Virdi",
    },
    Names {
        weight: 5,
        first: "\
            Piotr, Tomasz, Paweł, Łukasz, Krzysztof, Michał, Marcin, Jakub, Kacper, Wojciech, \
            Grzegorz, Mateusz, Agnieszka, Katarzyna, Magdalena, Małgorzata, Joanna, Zofia, Ewa, \
            Aleksandra, Natalia, Justyna, Dorota, Wiktoria",
        surnames: "\
            Nowak, Wójcik, Kowalczyk, Woźniak, Mazur, Krawczyk, Kaczmarek, Zając, Król, Wieczorek, \
            Dudek, Pawlak, Michalak, Sikora, Baran, Szewczyk",
    },
    Names {
        weight: 4,
        first: "\
            Delroy, Winston, Errol, Leroy, Clive, Desmond, Lloyd, Carlton, Marlon, Courtney, \
            Tyrone, Dwayne, Jermaine, Kemar, Marcia, Beverley, Claudette, Hyacinth, Paulette, \
            Sonia, Yvonne, Jacqueline, Shanice, Kerry-Ann, Tanisha, Simone, Precious",
        surnames: "\
            Campbell, Brown, Williams, Francis, Grant, Clarke, Baptiste, Thomas, Gordon, Reid, \
            Bailey, Henry, Lewis, Samuels, Forbes, McKenzie, Morrison, Alleyne, Joseph, Charles, \
            Bennett",
    },
    Names {
        weight: 5,
        first: "\
            Chinedu, Emeka, Obinna, Chidi, Oluwaseun, Tunde, Femi, Kwame, Kofi, Kwabena, Yaw, \
            Ibrahim, Babajide, Segun, Adebayo, Ousmane, Ngozi, Chiamaka, Adaeze, Funmilayo, \
            Folake, Yetunde, Bukola, Akosua, Abena, Ama, Efua, Adwoa, Temitope, Oluwakemi, Fatou, \
            Aminata",
        surnames: "\
            Okafor, Eze, Okonkwo, Nwosu, Adeyemi, Adebayo, Ogunleye, Balogun, Oyelaran, Mensah, \
            Boateng, Asante, Owusu, Osei, Appiah, Danquah, Adjei, Diallo, Sesay, Kamara, Bangura, \
            Conteh",
    },
    Names {
        weight: 2,
        first: "\
            Abdirahman, Abdullahi, Mohamed, Ahmed, Hassan, Yusuf, Said, Abdi, Hodan, Sahra, \
            Fadumo, Asha, Hibo, Ifrah, Amina, Ubah",
        surnames: "\
            Ali, Mohamed, Hassan, Abdi, Farah, Warsame, Jama, Egal, Osman, Nur, Ismail, Duale",
    },
    Names {
        weight: 3,
        first: "\
            Wei, Jun, Hao, Ka Ming, Chi Wai, Man Kit, Li, Ying, Mei Ling, Xiu Ying, Wing Yan, Siu \
            Fong, Jia Hui, Kevin, Jenny, Vincent",
        surnames: "\
            Chen, Wong, Li, Zhang, Liu, Lam, Cheung, Chan, Ho, Ng, Tang, Leung, Yip, Lau, Wang, \
            Huang",
    },
    Names {
        weight: 3,
        first: "\
            Andrei, Alexandru, Ionuț, Mihai, Florin, Adrian, Bogdan, Cristian, Ioana, Elena, \
            Andreea, Maria, Alexandra, Cristina, Daniela, Mădălina",
        surnames: "\
            Popescu, Ionescu, Popa, Dumitru, Stan, Stoica, Gheorghe, Matei, Constantin, Rusu, \
            Munteanu, Lungu",
    },
    Names {
        weight: 1,
        first: "\
            Giuseppe, Marco, Luca, Francesco, Giovanni, Alessandro, Giulia, Francesca, Chiara, \
            Sofia, Maria, Anna",
        surnames: "\
            Rossi, Russo, Bianchi, Romano, Colombo, Ricci, Esposito, De Luca, Di Stefano, \
            D'Angelo, Conti, Moretti",
    },
    Names {
        weight: 2,
        first: "\
            Mehmet, Mustafa, Ahmet, Emre, Can, Hasan, Serkan, Baran, Ayşe, Fatma, Elif, Zeynep, \
            Emine, Hatice, Şirin, Berfin",
        surnames: "\
            Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Öztürk, Aydın, Arslan, Doğan, Kılıç, Aslan",
    },
    Names {
        weight: 2,
        first: "\
            Omar, Khalid, Youssef, Ahmad, Sami, Karim, Tariq, Hussein, Layla, Noor, Rania, Huda, \
            Dalia, Samira, Yasmin, Mariam",
        surnames: "\
            Al-Hassan, Haddad, Saleh, Al-Rashid, Nasser, Mansour, Khalil, Abboud, Al-Amin, Hamdan, \
            Aziz, El-Sayed",
    },
];

/// Housing tags, by how common they are; the last (no tag) is the most common.
const TENURE: &[(&str, usize)] = &[
    ("private renter", 25),
    ("council tenant", 15),
    ("housing association", 10),
    ("", 50),
];

/// What some of those who volunteer, host or lead can do.
const SKILLS: &[&str] = &[
    "driving",
    "first aid",
    "translation",
    "British Sign Language",
    "design",
    "social media",
    "cooking",
    "childcare",
    "data entry",
    "public speaking",
    "photography",
];

/// One address's household, about to be filled with people.
struct Household {
    ward: AreaId,
    address: String,
    postcode: String,
}

impl Household {
    /// Appends the household's one to five people to `people`.
    fn people(
        self,
        rng: &mut Rng,
        at: Timestamp,
        book: &NameBook,
        taken: &mut Taken,
        people: &mut Vec<Person>,
    ) {
        let id = HouseholdId(rng.id(at));
        let size = 1 + rng.weighted(&[30, 34, 16, 13, 7]);
        let names = book.tradition(rng);
        let surname = family_name(rng, book, names);
        // A shared house: everyone from their own family.
        let shared = size > 1 && rng.chance(8);
        // The household's landline, which some of them give.
        let landline = rng
            .chance(25)
            .then(|| drama_number(rng, &mut taken.numbers, "+441632960", 1_000))
            .flatten();
        let tenure = TENURE[rng.weighted(&TENURE.iter().map(|t| t.1).collect::<Vec<_>>())].0;
        for member in 0..size {
            let (names, surname) = if shared && member > 0 {
                let names = book.tradition(rng);
                (names, family_name(rng, book, names))
            } else if member == 1 && rng.chance(20) {
                // A partner who kept their own surname, sometimes from another tradition.
                let names = if rng.chance(30) {
                    book.tradition(rng)
                } else {
                    names
                };
                (names, family_name(rng, book, names))
            } else {
                (names, surname.clone())
            };
            let first = if rng.chance(8) {
                let other = book.tradition(rng);
                *rng.pick(&other.first)
            } else {
                *rng.pick(&names.first)
            };
            let name = if rng.chance(4) {
                let initial = (b'A' + rng.below(26) as u8) as char;
                format!("{first} {initial}. {surname}")
            } else {
                format!("{first} {surname}")
            };
            let phone = if rng.chance(50) {
                drama_number(rng, &mut taken.numbers, "+447700900", DRAWN_MOBILES)
            } else {
                landline.clone().filter(|_| rng.chance(40))
            };
            let email = rng
                .chance(40)
                .then(|| email(rng, &mut taken.emails, first, &surname));
            let mut consents = BTreeMap::new();
            if phone.is_some() && rng.chance(60) {
                use ConsentMethod::{Doorstep, Form, Phone};
                consents.insert(
                    ConsentTopic::Phone,
                    consent(rng, at, 80, &[Doorstep, Phone]),
                );
                if phone.as_deref().is_some_and(|p| p.starts_with("+447")) {
                    consents.insert(ConsentTopic::Sms, consent(rng, at, 60, &[Doorstep, Form]));
                }
            }
            if email.is_some() && rng.chance(60) {
                use ConsentMethod::{Email, Form};
                consents.insert(ConsentTopic::Email, consent(rng, at, 80, &[Form, Email]));
            }
            if rng.chance(55) {
                use ConsentMethod::{Doorstep, Meeting};
                consents.insert(
                    ConsentTopic::Contact,
                    consent(rng, at, 85, &[Doorstep, Meeting]),
                );
            }
            // Contacts, supporters, volunteers, hosts and leaders, as the ladder runs: those
            // who give time have skills.
            let gives_time = rng.weighted(&[70, 18, 8, 3, 1]) >= 2;
            let source = Source::ALL[rng.weighted(&[55, 10, 10, 8, 10, 5, 2])];
            let mut skills = BTreeSet::new();
            if gives_time {
                for _ in 0..rng.below(3) {
                    skills.insert((*rng.pick(SKILLS)).to_owned());
                }
            }
            let tags = if tenure.is_empty() {
                BTreeSet::new()
            } else {
                BTreeSet::from([tenure.to_owned()])
            };
            people.push(Person {
                id: PersonId(rng.id(at)),
                area: self.ward,
                created_by: SETUP,
                name,
                phone,
                email,
                address: Some(self.address.clone()),
                postcode: Some(self.postcode.clone()),
                household: Some(id),
                consents,
                skills,
                tags,
                source,
                merged_into: None,
                not_same_as: BTreeSet::new(),
            });
        }
    }
}

/// An answer given `given_percent` times in a hundred (refused otherwise), up to two years
/// before `at`.
fn consent(
    rng: &mut Rng,
    at: Timestamp,
    given_percent: usize,
    methods: &[ConsentMethod],
) -> Consent {
    let days = rng.range(1, 730) as i64;
    let millis = rng.below(86_400_000) as i64;
    Consent {
        given: rng.chance(given_percent),
        at: Timestamp(at.0 - days * 86_400_000 - millis),
        method: *rng.pick(methods),
    }
}

/// One tradition's names, split into lists.
struct Tradition {
    first: Vec<&'static str>,
    surnames: Vec<&'static str>,
}

/// Every tradition's names, split once per generation, and how common each is.
struct NameBook {
    weights: Vec<usize>,
    traditions: Vec<Tradition>,
}

impl NameBook {
    fn new() -> NameBook {
        NameBook {
            weights: NAMES.iter().map(|n| n.weight).collect(),
            traditions: NAMES
                .iter()
                .map(|n| Tradition {
                    first: list(n.first),
                    surnames: list(n.surnames),
                })
                .collect(),
        }
    }

    /// A tradition, chosen in proportion to how common it is.
    fn tradition(&self, rng: &mut Rng) -> &Tradition {
        &self.traditions[rng.weighted(&self.weights)]
    }
}

/// The items of a comma-separated list.
fn list(text: &'static str) -> Vec<&'static str> {
    text.split(',').map(str::trim).collect()
}

/// A surname from `names`, now and then joined by a hyphen to one from any tradition.
fn family_name(rng: &mut Rng, book: &NameBook, names: &Tradition) -> String {
    let surname = *rng.pick(&names.surnames);
    if rng.chance(4) {
        let other = book.tradition(rng);
        let other = *rng.pick(&other.surnames);
        if other != surname && !other.contains(' ') && !surname.contains(' ') {
            return format!("{surname}-{other}");
        }
    }
    surname.to_owned()
}

/// An address at `example.invalid` made from the name, unique within the area.
/// What is handed out once in a whole area, so that no two households or people share it by
/// chance (which would make them look like duplicates of each other).
#[derive(Default)]
struct Taken {
    /// Email addresses' local parts.
    emails: HashSet<String>,
    /// Phone numbers.
    numbers: HashSet<String>,
}

/// How many of the mobile drama range's thousand numbers (07700 900000 up) are drawn for an
/// area's people; the rest (07700 900900 to 900999) are left for the demo's story to give.
pub const DRAWN_MOBILES: usize = 900;

/// A number of the drama range that starts `prefix`, its last three digits drawn below
/// `below`, that no one in the area has yet; none once a few draws find the range nearly used
/// up, as in a large benchmark area.
fn drama_number(
    rng: &mut Rng,
    taken: &mut HashSet<String>,
    prefix: &str,
    below: usize,
) -> Option<String> {
    (0..8)
        .map(|_| format!("{prefix}{:03}", rng.below(below)))
        .find(|number| taken.insert(number.clone()))
}

fn email(rng: &mut Rng, taken: &mut HashSet<String>, first: &str, surname: &str) -> String {
    let first = ascii_letters(first);
    let last = ascii_letters(surname);
    let initial = &first[..1];
    let mut local = match rng.below(5) {
        0 => format!("{first}.{last}"),
        1 => format!("{first}{last}{}", rng.range(1, 99)),
        2 => format!("{initial}{last}"),
        3 => format!("{first}_{last}"),
        _ => format!("{last}.{first}{}", rng.range(1, 99)),
    };
    let base = local.clone();
    let mut n = 2;
    while !taken.insert(local.clone()) {
        local = format!("{base}{n}");
        n += 1;
    }
    format!("{local}@example.invalid")
}

/// `name` in lower-case ASCII letters, accents dropped and everything else left out.
fn ascii_letters(name: &str) -> String {
    let folded: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            Some(match c {
                'a'..='z' => c,
                'á' | 'à' | 'â' | 'ä' | 'ą' | 'ă' => 'a',
                'ç' | 'ć' | 'č' => 'c',
                'é' | 'è' | 'ê' | 'ë' | 'ę' => 'e',
                'ğ' => 'g',
                'í' | 'ì' | 'î' | 'ï' | 'ı' => 'i',
                'ł' => 'l',
                'ń' => 'n',
                'ó' | 'ò' | 'ô' | 'ö' => 'o',
                'ś' | 'ș' | 'ş' => 's',
                'ț' => 't',
                'ú' | 'ù' | 'û' | 'ü' => 'u',
                'ź' | 'ż' => 'z',
                _ => return None,
            })
        })
        .collect();
    if folded.is_empty() {
        "resident".to_owned()
    } else {
        folded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_letters_drops_accents_and_punctuation() {
        assert_eq!(ascii_letters("Łukasz"), "lukasz");
        assert_eq!(ascii_letters("O'Brien"), "obrien");
        assert_eq!(ascii_letters("Mac Giolla Phádraig"), "macgiollaphadraig");
        assert_eq!(ascii_letters("Yılmaz"), "yilmaz");
    }

    #[test]
    fn the_most_wards_and_streets_have_names() {
        let taken = BTreeSet::new();
        let placement = Placement {
            parent: AreaId::from_u128(1),
            name: "Synthetic Vale",
            at: Timestamp(0),
            taken_names: &taken,
        };
        let params = Params {
            wards: MAX_WARDS,
            streets_per_ward: MAX_STREETS / MAX_WARDS,
            households: MAX_STREETS,
        };
        let area = generate(1, &params, &placement).unwrap();
        assert_eq!(area.wards.len(), MAX_WARDS);
        assert_eq!(area.households, MAX_STREETS);
    }

    #[test]
    fn the_shape_chosen_for_any_number_of_households_is_allowed() {
        for households in (1..=200).chain([1_499, 1_501, 10_000, 59_999, MAX_HOUSEHOLDS]) {
            let params = Params::for_households(households);
            assert!(params.check().is_ok(), "{params:?}");
        }
    }

    #[test]
    fn postcodes_never_repeat_and_spill_into_a_new_district() {
        let mut rng = Rng::new(3);
        let mut postcodes = Postcodes::new(&mut rng);
        postcodes.next_district();
        let units = 10 * UNIT_LETTERS.len() * UNIT_LETTERS.len();
        let all: Vec<String> = (0..units + 1).map(|_| postcodes.next(&mut rng)).collect();
        let unique: BTreeSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
        let district = |postcode: &str| postcode.split(' ').next().unwrap().to_owned();
        assert_eq!(district(&all[0]), district(&all[units - 1]));
        assert_ne!(district(&all[0]), district(&all[units]));
        for postcode in &all[..3] {
            assert_eq!(
                organise_core::validate::normalise_postcode(postcode).as_ref(),
                Ok(postcode)
            );
        }
    }

    #[test]
    fn street_sizes_add_up_and_never_leave_a_street_empty() {
        let mut rng = Rng::new(7);
        for (streets, households) in [(1, 1), (3, 3), (10, 11), (36, 10_000)] {
            let sizes = street_sizes(&mut rng, streets, households);
            assert_eq!(sizes.len(), streets);
            assert_eq!(sizes.iter().sum::<usize>(), households);
            assert!(sizes.iter().all(|&s| s >= 1));
        }
    }
}
