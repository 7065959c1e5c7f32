use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use organise_server::{AppState, Clock, Config, Db, Timestamp, app, demo};
use tower::ServiceExt;

/// The fixed time tests start at (2026-01-01T00:00:00Z).
pub const START: Timestamp = Timestamp(1_767_225_600_000);

/// A password used by every synthetic test account.
pub const PASSWORD: &str = "a long synthetic test password";

/// A database made for one test, removed when the test ends.
pub struct TestDb {
    pub db: Db,
    /// Where the database is, for a second connection to it.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

fn unique_name() -> String {
    format!(
        "organise_test_{}",
        uuid::Uuid::from_u128(rand_u128()).simple()
    )
}

pub fn rand_u128() -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    let high = hasher.finish() as u128;
    hasher.write_u8(1);
    (high << 64) | hasher.finish() as u128
}

impl TestDb {
    /// A new, migrated, empty database on the backend this run is for.
    pub async fn new() -> TestDb {
        let test_db = TestDb::unmigrated().await;
        test_db.db.migrate().await.unwrap();
        test_db
    }

    /// A new database with no schema yet.
    pub async fn unmigrated() -> TestDb {
        let backend = std::env::var("ORGANISE_TEST_BACKEND").unwrap_or_else(|_| "sqlite".into());
        let (db, url, cleanup) = match backend.as_str() {
            "sqlite" => {
                let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
                let url = format!("sqlite:{}", path.display());
                let db = Db::connect(&url).await.unwrap();
                (db, url, Cleanup::SqliteFile(path))
            }
            "postgres" => {
                let admin_url = std::env::var("ORGANISE_TEST_POSTGRES_URL").expect(
                    "ORGANISE_TEST_BACKEND=postgres needs ORGANISE_TEST_POSTGRES_URL, a URL of a \
                     PostgreSQL server where this user may CREATE DATABASE",
                );
                let name = unique_name();
                let url = organise_server::db::create_database(&admin_url, &name)
                    .await
                    .expect("creating a database on the test PostgreSQL");
                let db = Db::connect(&url).await.unwrap();
                (db, url, Cleanup::PostgresDatabase { admin_url, name })
            }
            other => panic!("ORGANISE_TEST_BACKEND must be sqlite or postgres, not {other:?}"),
        };
        TestDb { db, url, cleanup }
    }

    /// Closes the database and deletes it.
    pub async fn remove(self) {
        self.db.close().await;
        match self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                organise_server::db::drop_database(&admin_url, &name)
                    .await
                    .unwrap();
            }
        }
    }
}

/// A server over a fresh database, with a fixed clock, seeded areas and one organiser.
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub clock: Clock,
    test_db: TestDb,
}

/// A response, read whole.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
            .to_str()
            .unwrap()
    }
}

/// The email of the organiser every [`TestApp`] has.
pub const ORGANISER: &str = "organiser@test.organise.invalid";

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_config(Config::default()).await
    }

    pub async fn with_config(config: Config) -> TestApp {
        let test_db = TestDb::new().await;
        let clock = Clock::fixed(START);
        demo::seed(&test_db.db, &clock, false).await.unwrap();
        demo::create_user(
            &test_db.db,
            &clock,
            ORGANISER,
            "Test Organiser",
            PASSWORD,
            "organiser",
            "London",
        )
        .await
        .unwrap();
        let state = AppState::with_clock(test_db.db.clone(), config, clock.clone());
        TestApp {
            router: app(state.clone()),
            state,
            clock,
            test_db,
        }
    }

    /// A server over a fresh database holding the demo (`serve --demo`'s data, its campaign
    /// played up to the fixed clock), and the demo's logins. It has no other users.
    pub async fn with_demo() -> (TestApp, demo::Demo) {
        TestApp::with_demo_made_at(START).await
    }

    /// [`TestApp::with_demo`], with the demo made at `at` and the clock stopped there.
    pub async fn with_demo_made_at(at: Timestamp) -> (TestApp, demo::Demo) {
        let test_db = TestDb::new().await;
        let clock = Clock::fixed(at);
        let demo = demo::seed(&test_db.db, &clock, true)
            .await
            .unwrap()
            .expect("a new database gets the demo");
        let state = AppState::with_clock(test_db.db.clone(), Config::default(), clock.clone());
        let app = TestApp {
            router: app(state.clone()),
            state,
            clock,
            test_db,
        };
        (app, demo)
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        send_to(&self.router, request).await
    }

    /// Where its database is.
    pub fn database_url(&self) -> &str {
        &self.test_db.url
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> TestResponse {
        self.send(json_request(Method::POST, path, body)).await
    }

    /// Signs in and returns the session cookie (`name=value`) and the CSRF token.
    pub async fn sign_in(&self, email: &str, password: &str) -> (String, String) {
        let response = self
            .post_json(
                "/api/session",
                &serde_json::json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let cookie = response
            .header("set-cookie")
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let csrf = response.json()["csrf_token"].as_str().unwrap().to_owned();
        (cookie, csrf)
    }

    pub async fn remove(self) {
        self.test_db.remove().await;
    }
}

/// Sends `request` through `router` and reads the whole response.
pub async fn send_to(router: &Router, request: Request<Body>) -> TestResponse {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    TestResponse {
        status,
        headers,
        body,
    }
}

pub fn json_request(method: Method, path: &str, body: &serde_json::Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[test]
fn with_database_replaces_only_the_name() {
    assert_eq!(
        organise_server::db::with_database(
            "postgres://u:p@localhost:5432/postgres?sslmode=disable",
            "t1"
        ),
        "postgres://u:p@localhost:5432/t1?sslmode=disable"
    );
    assert_eq!(
        organise_server::db::with_database("postgres://u@localhost", "t1"),
        "postgres://u@localhost/t1"
    );
    assert_eq!(
        organise_server::db::with_database("postgres:///postgres?host=/var/run/postgresql", "t1"),
        "postgres:///t1?host=/var/run/postgresql"
    );
}

/// A signed-in user of a [`TestApp`]: sends requests with their cookie and CSRF token.
pub struct Client {
    pub cookie: String,
    pub csrf: String,
    pub user: organise_core::id::UserId,
}

impl Client {
    /// A request carrying this user's cookie and CSRF token.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Request<Body> {
        let builder = Request::builder()
            .method(method)
            .uri(path)
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf);
        match body {
            Some(body) => builder
                .header("content-type", "application/json")
                .body(Body::from(body.to_string())),
            None => builder.body(Body::empty()),
        }
        .unwrap()
    }

    pub async fn get(&self, app: &TestApp, path: &str) -> TestResponse {
        app.send(self.request(Method::GET, path, None)).await
    }

    pub async fn post(&self, app: &TestApp, path: &str, body: &serde_json::Value) -> TestResponse {
        app.send(self.request(Method::POST, path, Some(body))).await
    }

    pub async fn delete(&self, app: &TestApp, path: &str) -> TestResponse {
        app.send(self.request(Method::DELETE, path, None)).await
    }

    /// Pushes `request`, returning the raw response.
    pub async fn push(
        &self,
        app: &TestApp,
        request: &organise_core::sync::wire::PushRequest,
    ) -> TestResponse {
        self.post(
            app,
            "/api/sync/push",
            &serde_json::to_value(request).unwrap(),
        )
        .await
    }

    /// Pushes everything in `replica`'s outbox and applies the answers.
    pub async fn push_all(
        &self,
        app: &TestApp,
        replica: &mut organise_core::sync::replica::Replica,
    ) {
        while let Some(request) = replica.push_request(100) {
            let response = self.push(app, &request).await;
            assert_eq!(response.status, StatusCode::OK, "{}", response.text());
            replica.apply_push_response(&serde_json::from_slice(&response.body).unwrap());
        }
    }

    /// Pulls until `replica` has caught up.
    pub async fn pull_all(
        &self,
        app: &TestApp,
        replica: &mut organise_core::sync::replica::Replica,
    ) {
        loop {
            let request = serde_json::to_value(replica.pull_request(100)).unwrap();
            let response = self.post(app, "/api/sync/pull", &request).await;
            assert_eq!(response.status, StatusCode::OK, "{}", response.text());
            let page: organise_core::sync::wire::PullResponse =
                serde_json::from_slice(&response.body).unwrap();
            replica.apply_pull_response(&page).unwrap();
            if !page.more {
                break;
            }
        }
    }
}

impl TestApp {
    /// Creates a user with `role` in the area called `area`, and signs them in.
    pub async fn user(&self, email: &str, role: &str, area: &str) -> Client {
        let user = demo::create_user(
            &self.state.db,
            &self.clock,
            email,
            "Synthetic User",
            PASSWORD,
            role,
            area,
        )
        .await
        .unwrap();
        let (cookie, csrf) = self.sign_in(email, PASSWORD).await;
        Client { cookie, csrf, user }
    }

    /// The id of the area called `name`.
    pub async fn area(&self, name: &str) -> organise_core::id::AreaId {
        let name = name.to_owned();
        let areas = organise_server::sync_store::run(
            &self.state.db,
            &self.state.trees,
            organise_server::sync_store::Access::Read,
            |store| Ok((organise_server::accounts::areas(store)?, false)),
        )
        .await
        .unwrap();
        areas
            .into_iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("no area {name:?}"))
            .id
    }

    /// Adds a constituency called `name` with wards `wards` under the area called `parent`.
    pub async fn add_areas(&self, parent: &str, name: &str, wards: &[&str]) {
        use organise_core::area::{Area, AreaKind};
        use organise_core::id::AreaId;
        use organise_core::record::Entity;
        let parent = self.area(parent).await;
        let constituency = Area {
            id: AreaId(demo::new_id(&self.clock)),
            created_by: organise_server::accounts::SETUP,
            name: name.into(),
            kind: AreaKind::Constituency,
            parent: Some(parent),
        };
        let mut records = vec![constituency.to_record()];
        for ward in wards {
            records.push(
                Area {
                    id: AreaId(demo::new_id(&self.clock)),
                    created_by: organise_server::accounts::SETUP,
                    name: (*ward).into(),
                    kind: AreaKind::Ward,
                    parent: Some(constituency.id),
                }
                .to_record(),
            );
        }
        organise_server::sync_store::run(
            &self.state.db,
            &self.state.trees,
            organise_server::sync_store::Access::Write,
            move |store| Ok((organise_core::sync::server::seed(store, records)?, true)),
        )
        .await
        .unwrap();
    }
}

/// A replica for `client`, with a fresh client id.
pub fn replica(client: &Client) -> organise_core::sync::replica::Replica {
    organise_core::sync::replica::Replica::new(
        organise_core::sync::wire::ClientId(organise_core::id::RecordId::from_u128(rand_u128())),
        client.user,
    )
}

/// A valid person record called `name` in `area`, created by `by`.
pub fn person(
    name: &str,
    area: organise_core::id::AreaId,
    by: organise_core::id::UserId,
) -> organise_core::record::Record {
    use organise_core::model::{Person, Source};
    use organise_core::record::Entity;
    Person::new(
        organise_core::id::PersonId(organise_core::id::RecordId::from_u128(rand_u128())),
        area,
        by,
        name,
        Source::Doorstep,
    )
    .to_record()
}

/// The rungs of the ladder `phone` holds, in ladder order.
pub fn ladder(phone: &organise_core::sync::replica::Replica) -> Vec<organise_core::model::Rung> {
    let rungs: Vec<organise_core::model::Rung> = phone.all();
    organise_core::ladder::in_order(&rungs)
        .into_iter()
        .cloned()
        .collect()
}

/// The names of the ladder's rungs `phone` holds, lowest first.
pub fn ladder_names(phone: &organise_core::sync::replica::Replica) -> Vec<String> {
    ladder(phone).into_iter().map(|r| r.name).collect()
}
