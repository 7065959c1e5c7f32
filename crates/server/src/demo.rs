//! Accounts and demo data created from the command line: the areas of the organisation, an
//! organiser login for trying the app, and admins.
//!
//! Demo people are synthetic. The demo login's password is random per installation; it is
//! written to `DEMO-LOGIN.txt` in the data directory (readable by the owner only) so that later
//! starts can print it again.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sqlx::Row;

use crate::{Clock, Db, auth};

/// The root area: the whole of the organisation's territory. Admins of it see everything.
pub const COUNTRY: &str = "Great Britain";

/// The eleven regions and nations the organisation is split into, under [`COUNTRY`].
pub const REGIONS_AND_NATIONS: [(&str, &str); 11] = [
    ("nation", "Scotland"),
    ("nation", "Wales"),
    ("region", "North East"),
    ("region", "North West"),
    ("region", "Yorkshire and the Humber"),
    ("region", "East Midlands"),
    ("region", "West Midlands"),
    ("region", "East of England"),
    ("region", "London"),
    ("region", "South East"),
    ("region", "South West"),
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

/// A new UUIDv7 string from the clock and the operating system's random source.
pub fn new_id(clock: &Clock) -> String {
    let mut random = [0u8; 10];
    OsRng.fill_bytes(&mut random);
    uuid::Builder::from_unix_timestamp_millis(clock.now().0 as u64, &random)
        .into_uuid()
        .to_string()
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
    let row = sqlx::query("SELECT COUNT(*) AS n FROM areas")
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// Creates the country with its regions and nations (always) and, when `with_demo` is set, fictional
/// constituencies and wards and an organiser login. Returns the login when one was made.
pub async fn seed(db: &Db, clock: &Clock, with_demo: bool) -> anyhow::Result<Option<DemoLogin>> {
    let mut tx = db.begin_write().await?;
    let country = new_id(clock);
    sqlx::query("INSERT INTO areas (id, kind, name, parent_id) VALUES ($1, 'country', $2, NULL)")
        .bind(&country)
        .bind(COUNTRY)
        .execute(&mut *tx)
        .await?;
    let mut region_ids = Vec::new();
    for (kind, name) in REGIONS_AND_NATIONS {
        let id = new_id(clock);
        insert_area(&mut tx, &id, kind, name, &country).await?;
        region_ids.push((name, id));
    }
    let mut login = None;
    if with_demo {
        let mut first_constituency = None;
        for (region, constituency, wards) in DEMO_CONSTITUENCIES {
            let parent = &region_ids
                .iter()
                .find(|(name, _)| name == region)
                .expect("demo regions exist")
                .1;
            let constituency_id = new_id(clock);
            insert_area(
                &mut tx,
                &constituency_id,
                "constituency",
                constituency,
                parent,
            )
            .await?;
            for ward in *wards {
                insert_area(&mut tx, &new_id(clock), "ward", ward, &constituency_id).await?;
            }
            first_constituency.get_or_insert(constituency_id);
        }
        let password = random_password();
        let hash = auth::hash_password(&password)?;
        let area = first_constituency.expect("there is a demo constituency");
        insert_user(
            &mut tx,
            clock,
            DEMO_ORGANISER_EMAIL,
            "Demo Organiser",
            &hash,
            "organiser",
            &area,
        )
        .await?;
        login = Some(DemoLogin {
            email: DEMO_ORGANISER_EMAIL.to_owned(),
            password,
        });
    }
    tx.commit().await?;
    Ok(login)
}

async fn insert_area(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
    kind: &str,
    name: &str,
    parent: &str,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO areas (id, kind, name, parent_id) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(kind)
        .bind(name)
        .bind(parent)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn insert_user(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    clock: &Clock,
    email: &str,
    display_name: &str,
    password_hash: &str,
    role: &str,
    area_id: &str,
) -> anyhow::Result<String> {
    let id = new_id(clock);
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(email.trim().to_lowercase())
    .bind(display_name)
    .bind(password_hash)
    .bind(clock.now().0)
    .execute(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO role_assignments (user_id, role, area_id) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(role)
        .bind(area_id)
        .execute(&mut **tx)
        .await?;
    Ok(id)
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
) -> anyhow::Result<String> {
    if password.chars().count() < 12 {
        anyhow::bail!("the password must be at least 12 characters long");
    }
    let hash = auth::hash_password(password)?;
    let mut tx = db.begin_write().await?;
    let area = sqlx::query("SELECT id FROM areas WHERE name = $1")
        .bind(area_name)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| anyhow::anyhow!("there is no area called {area_name:?}"))?;
    let area_id: String = area.try_get("id")?;
    let id = insert_user(&mut tx, clock, email, display_name, &hash, role, &area_id).await?;
    tx.commit().await?;
    Ok(id)
}
