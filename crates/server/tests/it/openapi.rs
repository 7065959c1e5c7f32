use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use organise_server::openapi::Caller;
use organise_server::routes;

use crate::support::TestApp;

fn refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                if key == "$ref" {
                    out.push(value.as_str().unwrap().to_owned());
                }
                refs(value, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_server_serves_an_openapi_document_of_every_endpoint() {
    let app = TestApp::new().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status, StatusCode::OK);
    let doc = response.json();
    assert_eq!(doc["openapi"], "3.1.0");
    for endpoint in routes::endpoints() {
        let operation = &doc["paths"][format!("/api{}", endpoint.path)][endpoint.method];
        assert!(
            operation.is_object(),
            "{} {} is not documented",
            endpoint.method,
            endpoint.path
        );
        for name in endpoint.path_params() {
            assert!(
                operation["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["name"] == name),
                "{} lacks its {name} parameter",
                endpoint.path
            );
        }
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 20, "{found:?}");
    for reference in found {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{reference} points outside the components"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{reference} does not resolve"
        );
    }
    // The wire types come from the code: a push carries mutations, each with its op.
    let push = &doc["components"]["schemas"]["PushRequest"];
    assert!(push["properties"]["mutations"].is_object(), "{push}");
    assert_eq!(
        push["additionalProperties"], false,
        "unknown fields are refused, and documented so"
    );
    app.remove().await;
}

#[tokio::test]
async fn every_documented_endpoint_is_routed_and_signed_in_ones_need_a_session() {
    let app = TestApp::new().await;
    for endpoint in routes::endpoints() {
        let path = endpoint.path_params().into_iter().fold(
            format!("/api{}", endpoint.path),
            |path, name| {
                path.replace(
                    &format!("{{{name}}}"),
                    "0190a5e0-0000-7000-8000-000000000000",
                )
            },
        );
        let method = Method::from_bytes(endpoint.method.to_uppercase().as_bytes()).unwrap();
        let request = Request::builder()
            .method(method)
            .uri(&path)
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let response = app.send(request).await;
        assert_ne!(
            response.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{} {path}",
            endpoint.method
        );
        if endpoint.caller == Caller::SignedIn {
            assert_eq!(
                response.status,
                StatusCode::UNAUTHORIZED,
                "{} {path} answered without a session: {}",
                endpoint.method,
                response.text()
            );
        }
    }
    app.remove().await;
}
