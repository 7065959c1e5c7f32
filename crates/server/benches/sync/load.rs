//! The write path under load, and the database's own limit beside it:
//!
//! - **the limit**: rows shaped like stored records inserted straight into a table, 100 per
//!   transaction in one multi-row statement, through the same driver and pool: what the
//!   database itself manages here, against which push throughput is read;
//! - **heavy pushes**: one push of 500 moves between wards, and 500 additions to a list of
//!   4,000 people (in pushes of 100), while four other users each push one person at a time.
//!   It reports the longest time any write transaction held the writers' lock, the other
//!   users' push latency (median and 99th percentile), and every status answered: a busy
//!   database may say 503, never 500;
//! - **sign-in under attack**: 200 wrong sign-ins at once, and how far the process's resident
//!   memory rose above where it started (it must stay bounded), with the statuses answered.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use axum::Router;
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use organise_core::area::{Area, AreaKind};
use organise_core::id::AreaId;
use organise_core::record::{Entity, Value};
use organise_core::sync::wire::{MAX_PUSH_BATCH, RecordKey};
use organise_server::Db;
use organise_server::db::Backend;
use organise_server::sync_store::{self, Access};
use tower::ServiceExt;

use super::{Api, Client};

/// People on the list the additions go to.
const LIST_PEOPLE: usize = 4_000;
/// Moves in the one big push, and additions to the list.
const HEAVY: usize = 500;
/// Users pushing one person at a time meanwhile.
pub(super) const OTHERS: usize = 4;
/// Wrong sign-ins sent at once.
const SIGN_INS: usize = 200;
/// Rows the limit is measured with.
const LIMIT_ROWS: usize = 10_000;

/// What the load measurements found on one backend.
pub(super) struct LoadFigures {
    /// Rows per second the database takes directly, 100 per transaction.
    pub limit_rows_per_s: f64,
    /// The longest lock hold during the 500 moves, and during the 500 additions.
    pub longest_hold: [(&'static str, Duration); 2],
    /// The other users' push latencies during the heavy pushes.
    pub others: Vec<Duration>,
    /// Every status answered during the heavy pushes, the heavy ones included.
    pub statuses: BTreeMap<u16, usize>,
    /// How far resident memory rose over the wrong sign-ins, in MiB.
    pub sign_in_peak_mib: f64,
    /// The statuses the wrong sign-ins were answered with.
    pub sign_in_statuses: BTreeMap<u16, usize>,
}

/// Runs the load measurements with `heavy` (an admin of the country) and `others`.
pub(super) async fn run(
    db: &Db,
    router: &Router,
    mut heavy: Api,
    others: Vec<Api>,
) -> Result<LoadFigures> {
    let limit_rows_per_s = measure_limit(db).await?;
    let (from, to) = two_wards(db, &mut heavy).await?;

    // The people: the first HEAVY will move, the last HEAVY join the list later.
    let mut client = Client::new(&heavy, 0xBE_5000);
    client.area = from;
    while client.people.len() < LIST_PEOPLE + HEAVY {
        let n = MAX_PUSH_BATCH.min(LIST_PEOPLE + HEAVY - client.people.len());
        client.create_people(n);
        client.push(&mut heavy, n).await?;
    }
    let list = organise_core::model::List {
        id: organise_core::id::ListId(organise_server::demo::new_id(&client.clock)),
        area: from,
        created_by: heavy.user,
        name: "Bench list".into(),
        kind: organise_core::model::ListKind::Walk,
        members: client.people[..LIST_PEOPLE]
            .iter()
            .map(|k| organise_core::id::PersonId(k.id))
            .collect(),
        assignees: [heavy.user].into(),
        campaign: None,
        script: None,
        survey: None,
    }
    .to_record();
    client
        .replica
        .create(&list)
        .context("the list can be queued")?;
    client.push(&mut heavy, 1).await?;
    let list = RecordKey {
        collection: list.collection,
        id: list.id,
    };

    let mut statuses = BTreeMap::new();
    let mut latencies = Vec::new();
    let mut longest_hold = [("", Duration::ZERO); 2];
    let mut others = others;
    for (phase, what) in ["500 moves in one push", "500 adds to a list of 4,000"]
        .into_iter()
        .enumerate()
    {
        match phase {
            0 => {
                for key in &client.people[..HEAVY] {
                    client
                        .replica
                        .set_field(*key, "area", Value::Id(to.0))
                        .context("a move can be queued")?;
                }
            }
            _ => {
                for key in &client.people[LIST_PEOPLE..] {
                    client
                        .replica
                        .add_to_set(list, "members", organise_core::Element::Id(key.id))
                        .context("an addition can be queued")?;
                }
            }
        }
        let batch = if phase == 0 { HEAVY } else { 100 };
        let (heavy_done, others_back) = {
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let mut tasks = Vec::new();
            for (n, api) in others.drain(..).enumerate() {
                let stop = stop.clone();
                tasks.push(tokio::spawn(async move {
                    keep_pushing(api, 0xBE_6000 + (phase * 16 + n) as u128, stop).await
                }));
            }
            sync_store::take_longest_write_hold();
            let mut heavy_statuses = Vec::new();
            while client.replica.push_request(batch).is_some() {
                let request = client.replica.push_request(batch).expect("checked");
                let (status, _, bytes) = post(
                    router,
                    &heavy,
                    "/api/sync/push",
                    serde_json::to_vec(&request)?,
                )
                .await?;
                heavy_statuses.push(status);
                if status == 200 {
                    client
                        .replica
                        .apply_push_response(&serde_json::from_slice(&bytes)?);
                }
            }
            let hold = sync_store::take_longest_write_hold();
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            let mut back = Vec::new();
            for task in tasks {
                back.push(task.await??);
            }
            longest_hold[phase] = (what, hold);
            ((heavy_statuses), back)
        };
        for status in heavy_done {
            *statuses.entry(status).or_insert(0) += 1;
        }
        for (api, samples, answered) in others_back {
            latencies.extend(samples);
            for (status, count) in answered {
                *statuses.entry(status).or_insert(0) += count;
            }
            others.push(api);
        }
    }

    let (sign_in_peak_mib, sign_in_statuses) = wrong_sign_ins(router).await?;
    Ok(LoadFigures {
        limit_rows_per_s,
        longest_hold,
        others: latencies,
        statuses,
        sign_in_peak_mib,
        sign_in_statuses,
    })
}

/// One user pushing one new person per request until told to stop: their latencies and the
/// statuses they got.
async fn keep_pushing(
    mut api: Api,
    client_number: u128,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Result<(Api, Vec<Duration>, BTreeMap<u16, usize>)> {
    let mut client = Client::new(&api, client_number);
    let mut samples = Vec::new();
    let mut statuses = BTreeMap::new();
    let router = api.router.clone();
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        if client.replica.push_request(1).is_none() {
            client.create_people(1);
        }
        let request = client.replica.push_request(1).expect("one is queued");
        let (status, took, bytes) = post(
            &router,
            &api,
            "/api/sync/push",
            serde_json::to_vec(&request)?,
        )
        .await?;
        *statuses.entry(status).or_insert(0) += 1;
        samples.push(took);
        if status == 200 {
            client
                .replica
                .apply_push_response(&serde_json::from_slice(&bytes)?);
        } else {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    api.router = router;
    Ok((api, samples, statuses))
}

/// One signed-in JSON `POST`: its status, how long it took and its body.
async fn post(
    router: &Router,
    api: &Api,
    path: &str,
    body: Vec<u8>,
) -> Result<(u16, Duration, Vec<u8>)> {
    let request = Request::post(path)
        .header("content-type", "application/json")
        .header("cookie", &api.cookie)
        .header("x-csrf-token", &api.csrf)
        .body(Body::from(body))?;
    let started = Instant::now();
    let response = router.clone().oneshot(request).await?;
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok((status, started.elapsed(), bytes.to_vec()))
}

/// A constituency with two wards, made by `admin` through a push; returns the wards.
async fn two_wards(db: &Db, admin: &mut Api) -> Result<(AreaId, AreaId)> {
    let trees = std::sync::Arc::new(sync_store::TreeCache::default());
    let areas = sync_store::run(db, &trees, Access::Read, |store| {
        Ok((organise_server::accounts::areas(store)?, false))
    })
    .await?;
    let region = areas
        .iter()
        .find(|a| a.kind == AreaKind::Region)
        .context("the demo data has a region")?
        .id;
    let clock = organise_server::Clock::system();
    let constituency = Area {
        id: AreaId(organise_server::demo::new_id(&clock)),
        created_by: admin.user,
        name: "Benchton".into(),
        kind: AreaKind::Constituency,
        parent: Some(region),
    };
    let ward = |name: &str| Area {
        id: AreaId(organise_server::demo::new_id(&clock)),
        created_by: admin.user,
        name: name.into(),
        kind: AreaKind::Ward,
        parent: Some(constituency.id),
    };
    let (from, to) = (ward("Benchton East"), ward("Benchton West"));
    let mut replica = organise_core::sync::replica::Replica::new(
        organise_core::sync::wire::ClientId::from_u128(0xBE_4000),
        admin.user,
    );
    for area in [&constituency, &from, &to] {
        replica.create(&area.to_record())?;
    }
    let request = replica.push_request(10).context("three areas")?;
    let (_, bytes) = admin
        .post("/api/sync/push", serde_json::to_vec(&request)?)
        .await?;
    let response: organise_core::sync::wire::PushResponse = serde_json::from_slice(&bytes)?;
    ensure!(
        response.outcomes.iter().all(|o| matches!(
            o.outcome,
            organise_core::sync::wire::Outcome::Applied { .. }
        )),
        "the bench's areas were refused: {:?}",
        response.outcomes
    );
    Ok((from.id, to.id))
}

/// Rows per second the database takes directly: [`LIMIT_ROWS`] rows shaped like stored
/// person records, 100 per transaction in one multi-row `INSERT`.
async fn measure_limit(db: &Db) -> Result<f64> {
    sqlx::query(
        "CREATE TABLE bench_limit (collection TEXT NOT NULL, id TEXT NOT NULL, \
         created_by TEXT NOT NULL, area TEXT, body TEXT NOT NULL, writers TEXT NOT NULL, \
         PRIMARY KEY (collection, id))",
    )
    .execute(db.pool())
    .await?;
    let body = "x".repeat(600);
    let writers = "y".repeat(300);
    let mut sql = String::from(
        "INSERT INTO bench_limit (collection, id, created_by, area, body, writers) VALUES ",
    );
    for row in 0..100 {
        if row > 0 {
            sql.push(',');
        }
        // Bound by position on SQLite, as the store binds its multi-row statements there.
        match db.backend() {
            Backend::Sqlite => sql.push_str("(?,?,?,?,?,?)"),
            Backend::Postgres => {
                let p = row * 6;
                sql.push_str(&format!(
                    "(${},${},${},${},${},${})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6
                ));
            }
        }
    }
    let started = Instant::now();
    for transaction in 0..LIMIT_ROWS / 100 {
        let mut tx = db.pool().begin().await?;
        let mut query = sqlx::query(&sql);
        for row in 0..100 {
            query = query
                .bind("person")
                .bind(format!("{transaction:08}-{row:04}"))
                .bind("bench")
                .bind("area")
                .bind(body.clone())
                .bind(writers.clone());
        }
        query.execute(&mut *tx).await?;
        tx.commit().await?;
    }
    let rate = LIMIT_ROWS as f64 / started.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_limit")
        .execute(db.pool())
        .await?;
    Ok(rate)
}

/// [`SIGN_INS`] wrong sign-ins at once: how far resident memory rose (sampled every 5 ms
/// while they run), and the statuses.
async fn wrong_sign_ins(router: &Router) -> Result<(f64, BTreeMap<u16, usize>)> {
    let start = resident_kib()?;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        tokio::spawn(async move {
            let mut peak = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(resident_kib().unwrap_or(0));
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            peak
        })
    };
    let mut tasks = Vec::new();
    for n in 0..SIGN_INS {
        let router = router.clone();
        tasks.push(tokio::spawn(async move {
            let body = serde_json::json!({
                "email": format!("nobody-{n}@test.organise.invalid"),
                "password": "not the password at all, and long",
            })
            .to_string();
            let request = Request::post("/api/session")
                .header("content-type", "application/json")
                .body(Body::from(body))?;
            let response = router.oneshot(request).await?;
            anyhow::Ok(response.status().as_u16())
        }));
    }
    let mut statuses = BTreeMap::new();
    for task in tasks {
        *statuses.entry(task.await??).or_insert(0) += 1;
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.await?.max(resident_kib()?);
    Ok((peak.saturating_sub(start) as f64 / 1024.0, statuses))
}

/// This process's resident memory, in KiB (Linux's `/proc/self/status`).
fn resident_kib() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .context("no VmRSS in /proc/self/status")
}
