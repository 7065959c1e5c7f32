//! Accounts and demo data created from the command line: the areas of the organisation, a
//! demo with a campaign under way and a login for each side of it, and admins.
//!
//! Demo people are synthetic. The demo logins' passwords are random per installation; they are
//! written to `DEMO-LOGIN.txt` in the data directory (readable by the owner only) so that
//! later starts can print them again.

use std::collections::BTreeSet;
use std::sync::Arc;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use organise_core::area::{Area, AreaKind};
use organise_core::id::{AreaId, RecordId, UserId};
use organise_core::model::Role;
use organise_core::record::{Choice, Collection, Entity, Record};
use organise_core::sync::server::{self as protocol, ServerStore};
use sqlx::Row;

use crate::accounts::{self, NewAccount, SETUP};
use crate::sync_store::{self, Access, SqlStore, StoreError, TreeCache};
use crate::{Clock, Db, passwords, synthetic};

mod campaign;

pub use campaign::{CampaignCounts, VOLUNTEERS};

/// The root area: the whole of the organisation's territory. Admins of it see everything.
pub const COUNTRY: &str = "Great Britain";

/// The eleven regions and nations the organisation is split into, under [`COUNTRY`].
pub const REGIONS_AND_NATIONS: [(AreaKind, &str); 11] = [
    (AreaKind::Nation, "Scotland"),
    (AreaKind::Nation, "Wales"),
    (AreaKind::Region, "North East"),
    (AreaKind::Region, "North West"),
    (AreaKind::Region, "Yorkshire and the Humber"),
    (AreaKind::Region, "East Midlands"),
    (AreaKind::Region, "West Midlands"),
    (AreaKind::Region, "East of England"),
    (AreaKind::Region, "London"),
    (AreaKind::Region, "South East"),
    (AreaKind::Region, "South West"),
];

/// The demo's constituencies (all fictional) with their wards, and the region they sit in.
const DEMO_CONSTITUENCIES: &[(&str, &str, &[&str])] = &[
    (
        "North West",
        "Millbrook and Eastfield",
        &["Millbrook", "Eastfield", "Canal Side"],
    ),
    ("Wales", "Cwm Tawel", &["Pen-y-bryn", "Glanrafon"]),
];

/// A login created with the demo data.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    /// The sign-in email.
    pub email: String,
    /// The password, random per installation.
    pub password: String,
}

/// The demo's logins, one for each side of the campaign and one for its admin, and what the
/// campaign holds.
#[derive(Debug, Clone)]
pub struct Demo {
    /// The organiser of the synthetic constituency: lists, people, results, meetings.
    pub organiser: DemoLogin,
    /// A volunteer with walk lists there, one worked for weeks, one not started, and a
    /// house meeting they hosted last week.
    pub volunteer: DemoLogin,
    /// An admin of the synthetic constituency: erasure and subject access requests.
    pub admin: DemoLogin,
    /// An admin of the whole organisation: its retention rule.
    pub national: DemoLogin,
    /// How much the campaign holds.
    pub campaign: CampaignCounts,
}

impl Demo {
    /// The logins as `DEMO-LOGIN.txt` holds them and as they are printed: a labelled line for
    /// each email and password.
    pub fn logins_text(&self) -> String {
        let Demo {
            organiser,
            volunteer,
            admin,
            national,
            ..
        } = self;
        format!(
            "organiser email: {}\norganiser password: {}\n\
             volunteer email: {}\nvolunteer password: {}\n\
             admin email: {}\nadmin password: {}\n\
             national admin email: {}\nnational admin password: {}\n",
            organiser.email,
            organiser.password,
            volunteer.email,
            volunteer.password,
            admin.email,
            admin.password,
            national.email,
            national.password
        )
    }
}

/// The demo organiser's email.
pub const DEMO_ORGANISER_EMAIL: &str = "organiser@demo.organise.invalid";

/// The demo admin's email.
pub const DEMO_ADMIN_EMAIL: &str = "admin@demo.organise.invalid";

/// The demo national admin's email.
pub const DEMO_NATIONAL_EMAIL: &str = "national@demo.organise.invalid";

/// The demo volunteer's email: the one whose login is printed.
pub const DEMO_VOLUNTEER_EMAIL: &str = VOLUNTEERS[0].0;

/// A new UUIDv7 from the clock and the operating system's random source.
pub fn new_id(clock: &Clock) -> RecordId {
    let mut random = [0u8; 10];
    OsRng.fill_bytes(&mut random);
    RecordId::new_v7(clock.now(), random)
}

/// A random password of 20 letters and digits, easy to type on a phone.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// Whether the areas have been created yet.
pub async fn is_seeded(db: &Db) -> anyhow::Result<bool> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM records WHERE collection = $1")
        .bind(Collection::Area.to_string())
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

fn area(clock: &Clock, kind: AreaKind, name: &str, parent: Option<AreaId>) -> Area {
    Area {
        id: AreaId(new_id(clock)),
        created_by: SETUP,
        name: name.to_owned(),
        kind,
        parent,
    }
}

/// Creates the country with its regions and nations and the default ladder of engagement
/// (always) and, when `with_demo` is set,
/// fictional constituencies and wards, the demo's synthetic constituency with its people, an
/// organiser of it and its volunteers, in one transaction, unless the database already has
/// areas; then plays the demo's campaign there (see [`campaign`]). Returns the demo when one
/// was made.
///
/// Whether there are areas is asked again under the writers' lock, so that several processes
/// starting at once on a new database seed it once (callers may ask [`is_seeded`] first, to
/// skip the work of preparing).
pub async fn seed(db: &Db, clock: &Clock, with_demo: bool) -> anyhow::Result<Option<Demo>> {
    let country = area(clock, AreaKind::Country, COUNTRY, None);
    let mut areas = vec![country.clone()];
    for (kind, name) in REGIONS_AND_NATIONS {
        areas.push(area(clock, kind, name, Some(country.id)));
    }
    let mut demo = None;
    if with_demo {
        for (region, constituency, wards) in DEMO_CONSTITUENCIES {
            let parent = areas
                .iter()
                .find(|a| a.name == *region)
                .expect("demo regions exist")
                .id;
            let constituency = area(clock, AreaKind::Constituency, constituency, Some(parent));
            let constituency_id = constituency.id;
            areas.push(constituency);
            for ward in *wards {
                areas.push(area(clock, AreaKind::Ward, ward, Some(constituency_id)));
            }
        }
        demo = Some(PreparedDemo::new(clock, &areas)?);
    }
    let now = clock.now();
    let mut records: Vec<Record> = areas.iter().map(Entity::to_record).collect();
    // The ladder every organisation starts with; its admins rename, add and retire rungs.
    records.extend(
        organise_core::ladder::default_ladder(country.id, SETUP, || new_id(clock))
            .iter()
            .map(Entity::to_record),
    );
    let mut accounts = Vec::new();
    if let Some(demo) = &demo {
        records.extend(demo.population.records());
        accounts.extend(demo.accounts.iter().cloned());
    }
    let seeded = sync_store::run(
        db,
        &Arc::new(TreeCache::default()),
        Access::Write,
        move |store| {
            store.lock_version()?;
            if !store.area_records()?.is_empty() {
                return Ok((None, false));
            }
            protocol::seed(store, records)?;
            let mut ids = Vec::new();
            for account in &accounts {
                ids.push(create_or_restore(store, now, account)?);
            }
            Ok((Some(ids), true))
        },
    )
    .await?;
    let (Some(ids), Some(demo)) = (seeded, demo) else {
        return Ok(None);
    };
    let cast = campaign::Cast {
        organiser: ids[0],
        volunteers: ids[1..=VOLUNTEERS.len()].to_vec(),
        constituency: demo.population.constituency.id,
        wards: demo.population.wards.iter().map(|w| w.id).collect(),
    };
    let campaign = campaign::play(db, clock.now(), &cast).await?;
    Ok(Some(Demo {
        organiser: DemoLogin {
            email: DEMO_ORGANISER_EMAIL.to_owned(),
            password: demo.organiser_password,
        },
        volunteer: DemoLogin {
            email: DEMO_VOLUNTEER_EMAIL.to_owned(),
            password: demo.volunteer_password,
        },
        admin: DemoLogin {
            email: DEMO_ADMIN_EMAIL.to_owned(),
            password: demo.admin_password,
        },
        national: DemoLogin {
            email: DEMO_NATIONAL_EMAIL.to_owned(),
            password: demo.national_password,
        },
        campaign,
    }))
}

/// The demo's synthetic constituency, where its campaign runs and its organiser organises.
pub const DEMO_POPULATION: &str = "Synthetic Vale";

/// The demo's people and accounts, made before the transaction that stores them.
struct PreparedDemo {
    /// The synthetic constituency: two wards of four streets, 320 households.
    population: synthetic::SyntheticArea,
    /// The organiser first, then the volunteers as [`VOLUNTEERS`] lists them, then the
    /// admins.
    accounts: Vec<NewAccount>,
    organiser_password: String,
    volunteer_password: String,
    admin_password: String,
    national_password: String,
}

impl PreparedDemo {
    /// The demo's constituency, placed under North West among `areas`, and its accounts.
    fn new(clock: &Clock, areas: &[Area]) -> anyhow::Result<PreparedDemo> {
        let parent = areas
            .iter()
            .find(|a| a.name == "North West")
            .expect("the regions exist")
            .id;
        let taken_names: BTreeSet<String> = areas.iter().map(|a| a.name.clone()).collect();
        let population = synthetic::generate(
            1,
            &synthetic::Params::shaped(320, Some(2), Some(4)),
            &synthetic::Placement {
                parent,
                name: DEMO_POPULATION,
                at: clock.now(),
                taken_names: &taken_names,
            },
        )?;
        let account = |email: &str, name: &str, password: &str, role: Role, area: AreaId| {
            anyhow::Ok(NewAccount {
                id: UserId(new_id(clock)),
                role_id: new_id(clock).into(),
                email: email.to_owned(),
                name: name.to_owned(),
                password_hash: passwords::hash_password(password)?,
                role,
                area,
                created_by: SETUP,
            })
        };
        let organiser_password = random_password();
        let volunteer_password = random_password();
        let admin_password = random_password();
        let mut accounts = vec![account(
            DEMO_ORGANISER_EMAIL,
            "Demo Organiser",
            &organiser_password,
            Role::Organiser,
            population.constituency.id,
        )?];
        for (n, (email, name, ward)) in VOLUNTEERS.into_iter().enumerate() {
            // Only the first volunteer's password is printed; the others' is never known.
            let password = if n == 0 {
                volunteer_password.clone()
            } else {
                random_password()
            };
            let ward = population.wards[ward].id;
            accounts.push(account(email, name, &password, Role::Volunteer, ward)?);
        }
        accounts.push(account(
            DEMO_ADMIN_EMAIL,
            "Demo Admin",
            &admin_password,
            Role::Admin,
            population.constituency.id,
        )?);
        let national_password = random_password();
        let country = areas
            .iter()
            .find(|a| a.kind == organise_core::area::AreaKind::Country)
            .expect("the country exists")
            .id;
        accounts.push(account(
            DEMO_NATIONAL_EMAIL,
            "Demo National Admin",
            &national_password,
            Role::Admin,
            country,
        )?);
        Ok(PreparedDemo {
            population,
            accounts,
            organiser_password,
            volunteer_password,
            admin_password,
            national_password,
        })
    }
}

/// Creates `account` in the caller's transaction and returns its id. A database from before
/// areas and roles were records may have its sign-in row already: that account gets its
/// records back, and the new password that is printed.
fn create_or_restore(
    store: &mut SqlStore<'_>,
    now: organise_core::id::Timestamp,
    account: &NewAccount,
) -> Result<UserId, StoreError> {
    match accounts::id_by_email(store, &account.email)? {
        Some(id) => {
            store.execute(
                sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(account.password_hash.clone())
                    .bind(id.to_string()),
            )?;
            accounts::seed_profile(
                store,
                &NewAccount {
                    id,
                    ..account.clone()
                },
            )?;
            Ok(id)
        }
        None => {
            accounts::create(store, now, account)?.map_err(|refused| StoreError::Corrupt {
                what: "account",
                detail: refused.to_string(),
            })?;
            Ok(account.id)
        }
    }
}

/// Creates a user with `role` in the area named `area_name` (e.g. an admin for "London").
pub async fn create_user(
    db: &Db,
    clock: &Clock,
    email: &str,
    display_name: &str,
    password: &str,
    role: &str,
    area_name: &str,
) -> anyhow::Result<UserId> {
    let role = Role::parse(role).ok_or_else(|| {
        anyhow::anyhow!("there is no role called {role:?}: use admin, organiser, volunteer or host")
    })?;
    let email = accounts::normalise_email(email)
        .map_err(|problem| anyhow::anyhow!("the email {problem}"))?;
    let name = organise_core::validate::normalise_name(display_name)
        .map_err(|problem| anyhow::anyhow!("the name is not valid: {problem}"))?;
    passwords::check_new(password, &email, &name)
        .map_err(|refused| anyhow::anyhow!("{}", refused.advice))?;
    let password_hash = passwords::hash_password(password)?;
    let id = UserId(new_id(clock));
    let role_id = new_id(clock).into();
    let now = clock.now();
    let area_name = area_name.to_owned();
    sync_store::run(
        db,
        &Arc::new(TreeCache::default()),
        Access::Write,
        move |store| {
            let matching: Vec<Area> = accounts::areas(store)?
                .into_iter()
                .filter(|a| a.name == area_name)
                .collect();
            let area = match matching.as_slice() {
                [area] => area.id,
                [] => {
                    return Ok((
                        Err(anyhow::anyhow!("there is no area called {area_name:?}")),
                        false,
                    ));
                }
                _ => {
                    return Ok((
                        Err(anyhow::anyhow!(
                            "{} areas are called {area_name:?}; rename one first",
                            matching.len()
                        )),
                        false,
                    ));
                }
            };
            let account = NewAccount {
                id,
                role_id,
                email,
                name,
                password_hash,
                role,
                area,
                created_by: SETUP,
            };
            Ok(match accounts::create(store, now, &account)? {
                Ok(()) => (Ok(id), true),
                Err(refused) => (Err(anyhow::anyhow!("{refused}")), false),
            })
        },
    )
    .await?
}
