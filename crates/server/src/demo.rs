//! Accounts and demo data created from the command line: the areas of the organisation, an
//! organiser login for trying the app, and admins.
//!
//! Demo people are synthetic. The demo login's password is random per installation; it is
//! written to `DEMO-LOGIN.txt` in the data directory (readable by the owner only) so that later
//! starts can print it again.

use std::sync::Arc;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use organise_core::area::{Area, AreaKind};
use organise_core::id::{AreaId, RecordId, UserId};
use organise_core::model::Role;
use organise_core::record::{Choice, Collection, Entity};
use organise_core::sync::server::{self as protocol, ServerStore};
use sqlx::Row;

use crate::accounts::{self, NewAccount, SETUP};
use crate::sync_store::{self, Access, StoreError, TreeCache};
use crate::{Clock, Db, passwords};

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

/// The organiser login created with the demo data.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    /// The sign-in email.
    pub email: String,
    /// The password, random per installation.
    pub password: String,
}

/// The demo organiser's email.
pub const DEMO_ORGANISER_EMAIL: &str = "organiser@demo.organise.invalid";

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

/// Creates the country with its regions and nations (always) and, when `with_demo` is set,
/// fictional constituencies and wards and an organiser login, in one transaction, unless the
/// database already has areas. Returns the login when one was made.
///
/// Whether there are areas is asked again under the writers' lock, so that several processes
/// starting at once on a new database seed it once (callers may ask [`is_seeded`] first, to
/// skip the work of preparing).
pub async fn seed(db: &Db, clock: &Clock, with_demo: bool) -> anyhow::Result<Option<DemoLogin>> {
    let country = area(clock, AreaKind::Country, COUNTRY, None);
    let mut areas = vec![country.clone()];
    for (kind, name) in REGIONS_AND_NATIONS {
        areas.push(area(clock, kind, name, Some(country.id)));
    }
    let mut demo = None;
    if with_demo {
        let mut first_constituency = None;
        for (region, constituency, wards) in DEMO_CONSTITUENCIES {
            let parent = areas
                .iter()
                .find(|a| a.name == *region)
                .expect("demo regions exist")
                .id;
            let constituency = area(clock, AreaKind::Constituency, constituency, Some(parent));
            first_constituency.get_or_insert(constituency.id);
            let constituency_id = constituency.id;
            areas.push(constituency);
            for ward in *wards {
                areas.push(area(clock, AreaKind::Ward, ward, Some(constituency_id)));
            }
        }
        let password = random_password();
        let account = NewAccount {
            id: UserId(new_id(clock)),
            role_id: new_id(clock).into(),
            email: DEMO_ORGANISER_EMAIL.to_owned(),
            name: "Demo Organiser".to_owned(),
            password_hash: passwords::hash_password(&password)?,
            role: Role::Organiser,
            area: first_constituency.expect("there is a demo constituency"),
            created_by: SETUP,
        };
        demo = Some((account, password));
    }
    let now = clock.now();
    let account = demo.as_ref().map(|(account, _)| account.clone());
    let seeded = sync_store::run(
        db,
        &Arc::new(TreeCache::default()),
        Access::Write,
        move |store| {
            store.lock_version()?;
            if !store.area_records()?.is_empty() {
                return Ok((false, false));
            }
            protocol::seed(store, areas.iter().map(Entity::to_record))?;
            if let Some(account) = &account {
                match accounts::id_by_email(store, &account.email)? {
                    // A database from before areas and roles were records: the demo organiser
                    // gets their role back, and the new password that is printed.
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
                    }
                    None => accounts::create(store, now, account)?.map_err(|refused| {
                        StoreError::Corrupt {
                            what: "account",
                            detail: refused.to_string(),
                        }
                    })?,
                }
            }
            Ok((true, true))
        },
    )
    .await?;
    if !seeded {
        return Ok(None);
    }
    if let Some((account, _)) = &demo {
        add_demo_population(db, clock, account.id).await?;
    }
    Ok(demo.map(|(account, password)| DemoLogin {
        email: account.email,
        password,
    }))
}

/// The demo's synthetic constituency, in which the demo organiser also organises.
pub const DEMO_POPULATION: &str = "Synthetic Vale";

/// Fills the demo with people to knock on: a small synthetic constituency (two wards, four
/// streets each, 320 households) that the demo organiser organises too.
async fn add_demo_population(db: &Db, clock: &Clock, organiser: UserId) -> anyhow::Result<()> {
    let trees = Arc::new(TreeCache::default());
    let params = crate::synthetic::Params::shaped(320, Some(2), Some(4));
    crate::synthetic::create(db, &trees, clock, "North West", DEMO_POPULATION, 1, &params).await?;
    let role_id = new_id(clock);
    sync_store::run(db, &trees, Access::Write, move |store| {
        let area = accounts::areas(store)?
            .into_iter()
            .find(|a| a.name == DEMO_POPULATION)
            .map(|a| a.id)
            .ok_or_else(|| StoreError::Corrupt {
                what: "demo area",
                detail: "the synthetic constituency was not stored".into(),
            })?;
        let role = organise_core::model::RoleAssignment {
            id: role_id.into(),
            area,
            created_by: SETUP,
            user: organiser,
            role: Role::Organiser,
        };
        protocol::seed(store, [role.to_record()])?;
        Ok(((), true))
    })
    .await?;
    Ok(())
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
