//! The JSON API under `/api/v1` (SPEC §8). Every route is one line of [`API_ROUTES`]: method,
//! path, who may call it and its handler. One scope middleware ([`guard`]) enforces the table:
//! a request that matches no line never reaches a handler (404, or 405 when only the method is
//! wrong), a caller without credentials gets 401, the wrong kind of person or role 403.
//!
//! The OpenAPI description served at `/api/openapi.json` is generated from the same handlers
//! and the same table (see [`openapi`]).

pub mod body;
pub mod csv;
pub mod list;
pub mod openapi;
pub mod schema;
pub mod strict;

mod accounts;
mod customers;
mod groups;
mod me;
mod portal_data;
mod profiles;
mod users;

use std::future::{Ready, ready};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::{Next, from_fn};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};

use crate::auth::{Identity, Staff};
use crate::error::AppError;
use crate::users::model::Role;
use crate::web::portal::{self, Portal};
use crate::web::routes::{Need, PortalRoute, RoleNeed, Surface, path_matches};

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";
/// Largest accepted request body (SPEC §8).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Who may call an API route (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiNeed {
    /// Any staff member (admin or manager).
    Staff,
    /// Staff with the `admin` role (access profiles).
    Admin,
    /// Staff, or a customer user, who then sees only its own customer and its descendants.
    StaffOrCustomer,
    /// A customer user whose customer has the key (or `Open`) and whose role fits.
    Customer(Need, RoleNeed),
}

/// Whether a route answers a list (paging, sorting, CSV) or one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    List,
    One,
}

#[derive(Debug, Clone, Copy)]
pub struct ApiRoute {
    pub method: &'static str,
    /// Path below `/api/v1`.
    pub path: &'static str,
    pub need: ApiNeed,
    pub shape: Shape,
}

impl ApiRoute {
    pub fn full_path(&self) -> String {
        format!("{PREFIX}{}", self.path)
    }
}

fn method(m: &str) -> actix_web::Route {
    match m {
        "GET" => web::get(),
        "POST" => web::post(),
        "PUT" => web::put(),
        "DELETE" => web::delete(),
        _ => web::route().guard(actix_web::guard::fn_guard(|_| false)),
    }
}

macro_rules! api_routes {
    ($( $m:ident $path:literal => $need:expr, $shape:ident, $handler:path; )*) => {
        /// Every API route: method, path below `/api/v1`, who may call it, list or object.
        pub const API_ROUTES: &[ApiRoute] = &[
            $( ApiRoute { method: stringify!($m), path: $path, need: $need, shape: Shape::$shape }, )*
        ];
        fn register(cfg: &mut web::ServiceConfig) {
            $(
                cfg.route($path, method(stringify!($m)).to($handler));
                if Shape::$shape == Shape::List {
                    cfg.route(concat!($path, ".csv"), method(stringify!($m)).to($handler));
                }
            )*
        }
        /// The OpenAPI operations of every handler in the table.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($handler),*))]
        pub struct Paths;
    };
}

use crate::access::Perm;
use ApiNeed::{Admin, Customer, StaffOrCustomer};
use Need::{CdrsByQuery, Key, Open, StatisticsByQuery};
use RoleNeed::{Administrator, AdministratorOrDeveloper, Any};

const STAFF: ApiNeed = ApiNeed::Staff;

api_routes! {
    GET    "/access-profiles"              => STAFF, List, profiles::list_get;
    POST   "/access-profiles"              => Admin, One, profiles::create_post;
    GET    "/access-profiles/{id}"         => STAFF, One, profiles::one_get;
    PUT    "/access-profiles/{id}"         => Admin, One, profiles::replace_put;
    DELETE "/access-profiles/{id}"         => Admin, One, profiles::delete;
    GET    "/permissions"                  => STAFF, List, profiles::permissions_get;
    GET    "/customers"                    => StaffOrCustomer, List, customers::list_get;
    POST   "/customers"                    => STAFF, One, customers::create_post;
    GET    "/customers/{id}"               => StaffOrCustomer, One, customers::one_get;
    PUT    "/customers/{id}"               => STAFF, One, customers::replace_put;
    DELETE "/customers/{id}"               => STAFF, One, customers::delete;
    GET    "/customers/{id}/users"         => STAFF, List, users::list_get;
    POST   "/customers/{id}/users"         => STAFF, One, users::create_post;
    GET    "/users/{id}"                   => STAFF, One, users::one_get;
    PUT    "/users/{id}"                   => STAFF, One, users::replace_put;
    DELETE "/users/{id}"                   => STAFF, One, users::delete;
    GET    "/customer-groups"              => STAFF, List, groups::groups_get;
    POST   "/customer-groups"              => STAFF, One, groups::group_post;
    GET    "/customer-groups/{id}"         => STAFF, One, groups::group_get;
    PUT    "/customer-groups/{id}"         => STAFF, One, groups::group_put;
    DELETE "/customer-groups/{id}"         => STAFF, One, groups::group_delete;
    GET    "/tags"                         => STAFF, List, groups::tags_get;
    POST   "/tags"                         => STAFF, One, groups::tag_post;
    GET    "/tags/{id}"                    => STAFF, One, groups::tag_get;
    PUT    "/tags/{id}"                    => STAFF, One, groups::tag_put;
    DELETE "/tags/{id}"                    => STAFF, One, groups::tag_delete;
    GET    "/customers/{id}/accounts"      => STAFF, List, accounts::accounts_get;
    POST   "/customers/{id}/accounts"      => STAFF, One, accounts::account_post;
    GET    "/accounts/{id}"                => STAFF, One, accounts::account_get;
    PUT    "/accounts/{id}"                => STAFF, One, accounts::account_put;
    DELETE "/accounts/{id}"                => STAFF, One, accounts::account_delete;
    GET    "/customers/{id}/access-codes"  => STAFF, List, accounts::codes_get;
    POST   "/customers/{id}/access-codes"  => STAFF, One, accounts::code_post;
    GET    "/access-codes/{id}"            => STAFF, One, accounts::code_get;
    PUT    "/access-codes/{id}"            => STAFF, One, accounts::code_put;
    DELETE "/access-codes/{id}"            => STAFF, One, accounts::code_delete;
    GET    "/profile"                      => Customer(Open, Any), One, me::profile_get;
    PUT    "/profile"                      => Customer(Open, Administrator), One, me::profile_put;
    PUT    "/profile/settings"             => Customer(Open, Any), One, me::settings_put;
    GET    "/profile/balance"              => Customer(Key(Perm::Account), Administrator), List, me::balance_get;
    GET    "/profile/access-codes"         => Customer(Open, Any), List, me::codes_get;
    GET    "/profile/tokens"               => Customer(Open, AdministratorOrDeveloper), List, me::tokens_get;
    POST   "/profile/tokens"               => Customer(Open, AdministratorOrDeveloper), One, me::token_post;
    DELETE "/profile/tokens/{id}"          => Customer(Open, AdministratorOrDeveloper), One, me::token_delete;
    GET    "/portal/cdrs"                  => Customer(CdrsByQuery, Any), One, portal_data::cdrs_get;
    GET    "/portal/statistics"            => Customer(StatisticsByQuery, Any), One, portal_data::statistics_get;
    GET    "/portal/active-calls"          => Customer(Key(Perm::OutgoingActiveCalls), Any), One, portal_data::active_calls_get;
    GET    "/portal/rateplans"             => Customer(Key(Perm::OutgoingRateplans), Any), List, portal_data::rateplans_get;
    GET    "/portal/numberlists"           => Customer(Key(Perm::OutgoingNumberlists), Any), List, portal_data::numberlists_get;
    POST   "/portal/numberlists/{id}/items" => Customer(Key(Perm::OutgoingNumberlists), Any), One, portal_data::numberlist_item_post;
    DELETE "/portal/numberlists/{id}/items/{item}" => Customer(Key(Perm::OutgoingNumberlists), Any), One, portal_data::numberlist_item_delete;
    GET    "/portal/invoices"              => Customer(Key(Perm::Invoices), Any), List, portal_data::invoices_get;
    GET    "/portal/payments"              => Customer(Key(Perm::Payments), Any), List, portal_data::payments_get;
    GET    "/portal/services"              => Customer(Key(Perm::Services), Any), List, portal_data::services_get;
    GET    "/portal/transactions"          => Customer(Key(Perm::Transactions), Any), List, portal_data::transactions_get;
    GET    "/portal/numbers"               => Customer(Key(Perm::MyNumbers), Any), List, portal_data::numbers_get;
    GET    "/portal/campaigns"             => Customer(Key(Perm::MyCampaigns), Any), List, portal_data::campaigns_get;
}

/// Mounts `GET /api/openapi.json` and the `/api/v1` scope with its guard and body limits.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/openapi.json", web::get().to(openapi::openapi_get)).service(
        web::scope(PREFIX)
            .app_data(body::json_config())
            .app_data(web::PayloadConfig::new(BODY_LIMIT))
            .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
            .app_data(web::QueryConfig::default().error_handler(|e, _| AppError::bad_request(format!("{e}")).into()))
            .wrap(from_fn(guard))
            .configure(register)
            .default_service(web::to(not_found)),
    );
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// The table line a request matches; a `.csv` suffix matches list routes only.
pub fn find_route(method: &Method, path: &str) -> Option<&'static ApiRoute> {
    let rest = path.strip_prefix(PREFIX)?;
    match rest.strip_suffix(".csv") {
        Some(bare) => API_ROUTES
            .iter()
            .find(|r| r.shape == Shape::List && r.method == method.as_str() && path_matches(r.path, bare)),
        None => API_ROUTES.iter().find(|r| r.method == method.as_str() && path_matches(r.path, rest)),
    }
}

/// Methods the table has for a path (for 405 answers); same matching as [`find_route`].
fn allowed_methods(path: &str) -> Vec<&'static str> {
    let Some(rest) = path.strip_prefix(PREFIX) else { return vec![] };
    let mut out: Vec<&'static str> = Vec::new();
    for r in API_ROUTES {
        let hit = match rest.strip_suffix(".csv") {
            Some(bare) => r.shape == Shape::List && path_matches(r.path, bare),
            None => path_matches(r.path, rest),
        };
        if hit && !out.contains(&r.method) {
            out.push(r.method);
        }
    }
    out
}

/// Who is calling, as established by the guard.
#[derive(Clone)]
pub enum Caller {
    Staff(Staff),
    Customer(Portal),
}

impl Caller {
    pub fn user(&self) -> &crate::users::User {
        match self {
            Caller::Staff(s) => &s.0.user,
            Caller::Customer(p) => &p.user,
        }
    }
    /// The caller's IANA time zone (plain dates in filters are midnight there).
    pub fn time_zone(&self) -> String {
        self.user().time_zone.clone()
    }
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Ready<Result<Caller, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(req.extensions().get::<Caller>().cloned().ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("API handler reached without the API guard: {}", req.path()))
        }))
    }
}

async fn authorize(req: &HttpRequest, route: &ApiRoute) -> Result<Caller, AppError> {
    let id = Identity::load(req).await?;
    if id.is_staff() {
        return match route.need {
            ApiNeed::Staff | ApiNeed::StaffOrCustomer => Ok(Caller::Staff(Staff(id))),
            ApiNeed::Admin if id.role() == Role::Admin => Ok(Caller::Staff(Staff(id))),
            ApiNeed::Admin => Err(AppError::Forbidden("Only administrators may do this.".into())),
            ApiNeed::Customer(..) => Err(AppError::Forbidden("This route is for customers' users.".into())),
        };
    }
    let (need, role) = match route.need {
        ApiNeed::Staff | ApiNeed::Admin => {
            return Err(AppError::Forbidden("This route is for the operator's staff.".into()));
        }
        ApiNeed::StaffOrCustomer => (Need::Open, RoleNeed::Any),
        ApiNeed::Customer(need, role) => (need, role),
    };
    let p = portal::load(req).await?;
    // The portal's own check, so that the API and the HTML apply the same key and role rules.
    let as_portal = PortalRoute { method: route.method, path: route.path, need, role, surface: Surface::Action };
    portal::check(&p, &as_portal, route.path, req.method(), req.query_string())?;
    Ok(Caller::Customer(p))
}

/// The one guard of every `/api/v1` request.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let Some(route) = find_route(req.method(), req.path()) else {
        let allowed = allowed_methods(req.path());
        if allowed.is_empty() {
            return Ok(req.error_response(AppError::NotFound).map_into_right_body());
        }
        let resp = crate::error::json_error(
            actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
            "bad_request",
            format!("{} is not supported here; use {}.", req.method(), allowed.join(", ")),
            &[],
        );
        let mut resp = resp;
        if let Ok(v) = header::HeaderValue::from_str(&allowed.join(", ")) {
            resp.headers_mut().insert(header::ALLOW, v);
        }
        return Ok(req.into_response(resp).map_into_right_body());
    };
    match authorize(req.request(), route).await {
        Ok(caller) => {
            if let Caller::Customer(p) = &caller {
                req.extensions_mut().insert(p.clone());
            }
            req.extensions_mut().insert(caller);
            next.call(req).await.map(ServiceResponse::map_into_left_body)
        }
        Err(AppError::Unauthorized) => {
            let e = AppError::Unauthorized;
            let mut resp = crate::error::json_error(
                actix_web::http::StatusCode::UNAUTHORIZED,
                e.code(),
                "Send a personal API token as `Authorization: Bearer <token>`, or sign in.".into(),
                &[],
            );
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer realm=\"portico\""));
            Ok(req.into_response(resp).map_into_right_body())
        }
        Err(e) => Ok(req.error_response(e).map_into_right_body()),
    }
}

/// The address a client reached this server at, for links (invitations).
pub fn base_url(req: &HttpRequest) -> String {
    match req.app_data::<web::Data<crate::AppState>>() {
        Some(s) => crate::users::invitations::base_url(&s.config, req),
        None => String::new(),
    }
}

/// `201 Created` with a `Location` header and the created object.
pub fn created(location: String, body: &impl serde::Serialize) -> HttpResponse {
    HttpResponse::Created().insert_header((header::LOCATION, location)).json(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_unique_and_well_formed() {
        for (i, a) in API_ROUTES.iter().enumerate() {
            assert!(a.path.starts_with('/'), "{}", a.path);
            assert!(!a.path.ends_with(".csv"));
            for b in &API_ROUTES[i + 1..] {
                assert!(!(a.method == b.method && a.path == b.path), "{} {}", a.method, a.path);
            }
            if a.shape == Shape::List {
                assert_eq!(a.method, "GET", "lists are GET: {}", a.path);
            }
        }
    }

    #[test]
    fn csv_suffix_only_on_lists() {
        assert!(find_route(&Method::GET, "/api/v1/customers.csv").is_some());
        assert!(find_route(&Method::GET, "/api/v1/customers/5.csv").is_none());
        assert!(find_route(&Method::GET, "/api/v1/customers/5").is_some());
        assert!(find_route(&Method::PATCH, "/api/v1/customers/5").is_none());
        assert_eq!(allowed_methods("/api/v1/customers/5"), vec!["GET", "PUT", "DELETE"]);
        assert!(find_route(&Method::GET, "/api/v2/customers").is_none());
    }
}
