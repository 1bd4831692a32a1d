//! `GET /api/openapi.json`: the OpenAPI 3.1 description of the API, generated from the code.
//! Operations, parameters and bodies come from the handlers' `#[utoipa::path]` and the
//! `ToSchema` types they (de)serialize; what is common to every route — the credentials, the
//! error answers each route can give, the `.csv` twins of the lists — is added here from the
//! route table, so the document follows the table.

use std::sync::OnceLock;

use actix_web::{HttpResponse, web};
use serde_json::{Map, Value, json};
use utoipa::OpenApi;

use crate::AppState;
use crate::api::schema::{ErrorBody, ErrorCode, ErrorDetail, FieldProblem};
use crate::http::routes::Surface;
use crate::routes::{API_ROUTES, ApiPaths};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Portico API",
        description = "The JSON API of Portico (SPEC §8). Authenticate with `Authorization: Bearer <token>` \
(a personal API token from the profile page or `portico create-token`) or with the session cookie, \
which then needs the `X-CSRF-Token` header on unsafe methods.\n\n\
Every list takes `page`, `countPerPage` (1–1000, default 50), `all`, `specificIds`, `sortField`, \
`sortOrder` (`Ascend`|`Descend`), `simplifiedPaging` and `format`, also in PascalCase, and answers \
`{\"items\":[…],\"totalCount\":N,\"totalPages\":N,\"hasMorePages\":bool}` — or CSV of the same rows for \
`Accept: text/csv`, a `.csv` suffix on the path, or `format=csv`. Errors are \
`{\"error\":{\"code\":…,\"message\":…,\"details\":[{\"field\":…,\"message\":…}]}}`."
    ),
    // Enums that only query parameters name are listed here so that their `$ref`s resolve.
    components(schemas(ErrorBody, ErrorDetail, ErrorCode, FieldProblem, crate::api::portal_data::types::Format,
        crate::traffic::stats::Sampling, crate::traffic::Direction)),
    tags(
        (name = "Access profiles", description = "Named sets of permissions, assigned to customers (staff; writes: admin only)."),
        (name = "Customers", description = "The operator's customers (staff; customer users read their own subtree)."),
        (name = "Portal users", description = "People of a customer who sign in to the portal (staff)."),
        (name = "Customer groups and tags", description = "Staff."),
        (name = "Accounts and access codes", description = "A customer's billing accounts and access codes (staff)."),
        (name = "Profile (customer users)", description = "The signed-in customer user's own data."),
        (name = "Portal data (customer users)", description = "The portal's sections as data: the same permission keys, roles and ownership as the HTML portal. CDRs and active calls are keyset-paged (`cursor` in, `nextCursor` out)."),
    )
)]
struct Doc;

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    })
}

/// A unique, readable operation id: `get_customers_id_users`.
fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split('/')
        .filter(|p| !p.is_empty())
        .map(|p| p.trim_matches(|c| c == '{' || c == '}').replace('-', "_"))
        .collect();
    format!("{}_{}", method.to_ascii_lowercase(), words.join("_"))
}

/// Adds what every operation of the table has in common.
fn complete(doc: &mut Value) {
    doc["components"]["securitySchemes"] = json!({
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (`ptk_…`): `portico create-token --email E`, or POST /api/v1/profile/tokens."
        },
        "sessionCookie": {
            "type": "apiKey",
            "in": "cookie",
            "name": "portico",
            "description": "The browser session (named `__Host-portico` on https); unsafe methods also need `X-CSRF-Token`."
        }
    });
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    let mut csv_twins: Vec<(String, Value)> = Vec::new();
    for route in API_ROUTES {
        let full = route.full_path();
        let method = route.method.to_ascii_lowercase();
        let Some(op) = paths.get_mut(&full).and_then(|p| p.get_mut(&method)).and_then(Value::as_object_mut) else {
            continue;
        };
        // Handler names repeat across modules (`list_get`, …): ids come from the table instead.
        op.insert("operationId".into(), Value::String(operation_id(route.method, route.path)));
        op.insert("security".into(), json!([{"bearerAuth": []}, {"sessionCookie": []}]));
        let has_body = op.contains_key("requestBody");
        let responses = op.entry("responses").or_insert_with(|| json!({}));
        let Some(responses) = responses.as_object_mut() else { continue };
        let mut add = |code: &str, text: &str| {
            responses.entry(code.to_string()).or_insert_with(|| error_response(text));
        };
        add("401", "No credentials, or they are invalid, revoked or belong to a disabled user.");
        add("403", "The caller's kind, role or permissions do not allow this route.");
        add("503", "The database is unavailable; try again shortly.");
        if route.path.contains('{') {
            add("404", "No such object, or not one the caller may see.");
        }
        if route.surface == Surface::List {
            add("400", "A query parameter is unknown or malformed; `details` names it.");
        }
        if has_body {
            add("400", "Malformed JSON, a wrong type, or an unknown or missing field; `details` names it.");
            add(
                "413",
                if route.surface == Surface::Ingest {
                    "The body is larger than 16 MiB."
                } else {
                    "The body is larger than 1 MiB."
                },
            );
            add("422", "A value is not acceptable; `details` names the field.");
        }
        if route.method != "GET" {
            add("409", "The change conflicts with what is stored.");
        }
        if route.surface == Surface::List {
            let mut twin = op.clone();
            if let Some(id) = twin.get("operationId").and_then(Value::as_str).map(|s| format!("{s}_csv")) {
                twin.insert("operationId".into(), Value::String(id));
            }
            if let Some(params) = twin.get_mut("parameters").and_then(Value::as_array_mut) {
                params.retain(|p| !matches!(p.get("name").and_then(Value::as_str), Some("format" | "Format")));
            }
            if let Some(ok) = twin.get_mut("responses").and_then(|r| r.get_mut("200")).and_then(Value::as_object_mut) {
                ok.insert("description".into(), json!("The rows as CSV."));
                if let Some(content) = ok.get_mut("content").and_then(Value::as_object_mut) {
                    content.retain(|k, _| k == "text/csv");
                }
            }
            csv_twins.push((format!("{full}.csv"), Value::Object(twin)));
        }
    }
    for (path, op) in csv_twins {
        let mut item = Map::new();
        item.insert("get".into(), op);
        paths.insert(path, Value::Object(item));
    }
}

/// The whole document (built once per process).
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = Doc::openapi();
        doc.merge(ApiPaths::openapi());
        let mut v = serde_json::to_value(&doc).unwrap_or_else(|_| json!({}));
        complete(&mut v);
        v
    })
}

pub async fn openapi_get(state: web::Data<AppState>) -> HttpResponse {
    let mut doc = document().clone();
    doc["components"]["securitySchemes"]["sessionCookie"]["name"] = json!(state.config.cookie_name());
    HttpResponse::Ok().content_type("application/json").json(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document and the route table describe the same routes, and nothing else.
    #[test]
    fn document_follows_the_route_table() {
        let doc = document();
        let paths = doc["paths"].as_object().unwrap();
        for r in API_ROUTES {
            let op = &paths[&r.full_path()][r.method.to_ascii_lowercase()];
            assert!(op.is_object(), "{} {} is not documented", r.method, r.full_path());
            assert!(op["responses"]["401"].is_object());
            if r.surface == Surface::List {
                assert!(paths[&format!("{}.csv", r.full_path())]["get"].is_object());
                let names: Vec<&str> =
                    op["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
                for n in ["page", "Page", "countPerPage", "CountPerPage", "simplifiedPaging", "SimplifiedPaging"] {
                    assert!(names.contains(&n), "{} lacks {n}", r.path);
                }
            }
        }
        for (path, item) in paths {
            for (method, _) in item.as_object().unwrap() {
                let bare = path.strip_suffix(".csv").unwrap_or(path);
                let known = API_ROUTES.iter().any(|r| r.full_path() == bare && r.method.eq_ignore_ascii_case(method));
                assert!(known, "{method} {path} is documented but not routed");
            }
        }
        let mut ids: Vec<&str> = paths
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .map(|op| op["operationId"].as_str().unwrap())
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "operation ids are unique");
        assert_eq!(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
        assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    }
}
