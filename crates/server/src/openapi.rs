//! The OpenAPI 3.1 document of the JSON API, served at `GET /api/openapi.json`.
//!
//! It is generated from the code twice over: the router is built from the same [`Endpoint`]
//! table that the document lists (see [`crate::routes`]), so a route cannot exist without
//! being documented, and every body's schema is derived from the Rust type the handler reads
//! or writes, including the wire types of the sync protocol in `organise-core`.

use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Value, json};

use organise_core::session::ErrorBody;

/// Produces the schema of a body, registering the types it uses as components.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// The schema of `T`, as a reference to a component.
pub fn schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// Who may call an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// Anyone (signing in, opening an invitation, the health check).
    Anyone,
    /// A signed-in user; writes also need the session's CSRF token.
    SignedIn,
}

/// One documented answer.
#[derive(Clone, Copy, Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// What it means.
    pub description: &'static str,
    /// Its JSON body, if it has one.
    pub body: Option<SchemaFn>,
}

/// A query-string parameter.
#[derive(Clone, Copy, Debug)]
pub struct QueryParam {
    /// Its name.
    pub name: &'static str,
    /// What it does.
    pub description: &'static str,
    /// Its schema.
    pub schema: SchemaFn,
}

/// One method on one path of the API, as documented.
#[derive(Clone, Copy, Debug)]
pub struct Endpoint {
    /// The HTTP method, lower case as OpenAPI spells it.
    pub method: &'static str,
    /// The path below `/api`, with `{name}` path parameters (axum's syntax and OpenAPI's).
    pub path: &'static str,
    /// A one-line summary.
    pub summary: &'static str,
    /// Who may call it.
    pub caller: Caller,
    /// Its query parameters.
    pub query: &'static [QueryParam],
    /// Its JSON request body, if it takes one.
    pub request: Option<SchemaFn>,
    /// Its answers other than the errors every endpoint of its kind can give.
    pub answers: &'static [Answer],
}

impl Endpoint {
    /// The path parameters named in [`Endpoint::path`].
    pub fn path_params(&self) -> Vec<&'static str> {
        self.path
            .split('/')
            .filter_map(|part| part.strip_prefix('{')?.strip_suffix('}'))
            .collect()
    }

    /// Whether it changes state (and so needs the CSRF token when signed in).
    pub fn is_write(&self) -> bool {
        !matches!(self.method, "get" | "head" | "options")
    }
}

/// The OpenAPI document for `endpoints`.
pub fn document(endpoints: &[Endpoint]) -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator();
    let error = schema::<ErrorBody>(&mut generator);
    let mut paths: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
    for endpoint in endpoints {
        let mut responses = serde_json::Map::new();
        for answer in endpoint.answers {
            let mut response = json!({ "description": answer.description });
            if let Some(body) = answer.body {
                response["content"] =
                    json!({ "application/json": { "schema": body(&mut generator) } });
            }
            responses.insert(answer.status.to_string(), response);
        }
        let mut errors = vec![
            (500, "Something unexpected failed; nothing was changed."),
            (
                503,
                "The server or its database is busy; nothing was changed; send it again after Retry-After seconds.",
            ),
        ];
        if endpoint.request.is_some()
            || !endpoint.query.is_empty()
            || !endpoint.path_params().is_empty()
        {
            errors.push((400, "The request is malformed or a value is invalid (per field in `fields`); nothing was changed."));
        }
        if endpoint.request.is_some() {
            errors.push((413, "The body is larger than the server accepts."));
        }
        if endpoint.caller == Caller::SignedIn {
            errors.push((401, "No valid session: sign in first."));
            errors.push((403, "Outside the caller's role or area, or (for writes) the CSRF token is missing or wrong."));
        } else if endpoint.is_write() {
            errors.push((403, "The request came from another site."));
        }
        for (status, description) in errors {
            responses.entry(status.to_string()).or_insert_with(|| {
                json!({
                    "description": description,
                    "content": { "application/json": { "schema": error.clone() } },
                })
            });
        }
        let mut parameters: Vec<Value> = endpoint
            .path_params()
            .into_iter()
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        for param in endpoint.query {
            parameters.push(json!({
                "name": param.name,
                "in": "query",
                "required": false,
                "description": param.description,
                "schema": (param.schema)(&mut generator),
            }));
        }
        let mut operation = json!({
            "summary": endpoint.summary,
            "operationId": operation_id(endpoint),
            "responses": responses,
        });
        if !parameters.is_empty() {
            operation["parameters"] = Value::Array(parameters);
        }
        if let Some(request) = endpoint.request {
            operation["requestBody"] = json!({
                "required": true,
                "content": { "application/json": { "schema": request(&mut generator) } },
            });
        }
        operation["security"] = match (endpoint.caller, endpoint.is_write()) {
            (Caller::Anyone, _) => json!([]),
            (Caller::SignedIn, false) => json!([{ "session": [] }]),
            (Caller::SignedIn, true) => json!([{ "session": [], "csrf": [] }]),
        };
        paths
            .entry(format!("/api{}", endpoint.path))
            .or_default()
            .insert(endpoint.method.to_owned(), operation);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Organise API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The JSON API the Organise app syncs through. Sign in with POST /api/session; \
                            the session is an HttpOnly cookie, and every write must also send the \
                            session's CSRF token in the x-csrf-token header. Every answer is \
                            Cache-Control: no-store.",
        },
        "paths": paths,
        "components": {
            "schemas": generator.take_definitions(true),
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE },
                "csrf": { "type": "apiKey", "in": "header", "name": crate::auth::CSRF_HEADER },
            },
        },
    })
}

/// `get /people/{id}/export` → `getPeopleIdExport`.
fn operation_id(endpoint: &Endpoint) -> String {
    let mut id = endpoint.method.to_owned();
    for part in endpoint.path.split(['/', '{', '}', '_']) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            id.extend(first.to_uppercase());
            id.push_str(chars.as_str());
        }
    }
    id
}
