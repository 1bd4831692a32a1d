//! The one route-table mechanism of the portal, the admin area and the API.
//!
//! A table (see `crate::routes`) is written with [`routes!`]: one line per route with its
//! method, path, what it needs ([`Need`]), what kind of answer it gives ([`Surface`]) and its
//! handler. The macro produces the table as data (`&[Route]`, read by tests and the OpenAPI
//! document) and the registration, in which every line becomes an actix resource wrapped in
//! [`guard`] for that very line. actix's router is the only matcher: a request that matches no
//! line never reaches a handler, and the guard of the line it matches decides who passes.

use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::{Next, from_fn};
use actix_web::{HttpMessage, HttpRequest, web};
use std::rc::Rc;

use crate::AppState;
use crate::access::Perm;
use crate::access::caps::{Cap, Caps};
use crate::error::{AppError, FieldError};
use crate::http::context::{CtxInner, CustomerCtx};
use crate::http::{Ctx, Identity, client_ip, request_lang};
use crate::traffic::Direction;
use crate::users::model::Role;

/// Session key of the customer a staff member is previewing.
pub const PREVIEW_KEY: &str = "preview_customer";
/// Largest body of an ingest route (SPEC §8); other API routes take 1 MiB.
pub const INGEST_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Where a table is mounted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Portal,
    Admin,
    Api,
}

impl Area {
    pub fn prefix(self) -> &'static str {
        match self {
            Area::Portal => "/portal",
            Area::Admin => "/admin",
            Area::Api => "/api/v1",
        }
    }
}

/// Who may call a route (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any staff member (admin or manager).
    Staff,
    /// Staff with the `admin` role (access profiles, staff).
    Admin,
    /// Staff, or a customer user (who then sees only its own customer and its descendants).
    StaffOrCustomer,
    /// A customer user (or, on portal pages, a staff member previewing) whose customer passes
    /// the gate and whose role has the capability.
    Customer(Gate, Option<Cap>),
}

/// What a customer route needs of the effective grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Every customer user (dashboard, personal profile).
    Open,
    /// The catalog key must be effectively granted.
    Key(Perm),
    /// `listen_recording` AND the `*_cdrs` key of the `{direction}` path segment.
    Recording,
    /// A CDR list: the direction's `*_cdrs` key; as CSV, outgoing CDRs also need
    /// `outgoing_cdr_exports`.
    Cdrs(Dir),
    /// The direction's `*_statistics` key.
    Statistics(Dir),
}

/// Where a gate finds its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Outgoing,
    Incoming,
    /// The `direction` query parameter (API).
    Query,
}

/// What kind of answer a route gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// An HTML page.
    Page,
    /// An htmx fragment.
    Fragment,
    /// A CSV download.
    Csv,
    /// A file (audio, PDF, stylesheet).
    File,
    /// An HTML form post.
    Action,
    /// A JSON list with the list conventions; `.csv` suffix too.
    List,
    /// One JSON object.
    One,
    /// A JSON ingest route of the operator's systems, with the ingest body limit.
    Ingest,
}

/// One line of a table.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub area: Area,
    pub method: &'static str,
    /// Path below the area's prefix.
    pub path: &'static str,
    pub need: Need,
    pub surface: Surface,
}

impl Route {
    pub fn full_path(&self) -> String {
        format!("{}{}", self.area.prefix(), self.path)
    }
    /// The catalog key of a `Gate::Key` line.
    pub fn key(&self) -> Option<Perm> {
        match self.need {
            Need::Customer(Gate::Key(k), _) => Some(k),
            _ => None,
        }
    }
    /// A customer line open to every customer user.
    pub fn is_open(&self) -> bool {
        matches!(self.need, Need::Customer(Gate::Open, _))
    }
    /// The capability a customer line needs.
    pub fn cap(&self) -> Option<Cap> {
        match self.need {
            Need::Customer(_, c) => c,
            _ => None,
        }
    }
    /// Every catalog key the line needs, as far as the line itself says (a direction taken from
    /// the query counts as both directions' keys).
    pub fn keys(&self) -> Vec<Perm> {
        let dirs = |d: Dir| match d {
            Dir::Outgoing => vec![Direction::Outgoing],
            Dir::Incoming => vec![Direction::Incoming],
            Dir::Query => vec![Direction::Outgoing, Direction::Incoming],
        };
        match self.need {
            Need::Customer(Gate::Key(k), _) => vec![k],
            Need::Customer(Gate::Recording, _) => vec![Perm::ListenRecording],
            Need::Customer(Gate::Cdrs(d), _) => {
                let mut v: Vec<Perm> = dirs(d).into_iter().map(Direction::cdrs_key).collect();
                if self.surface == Surface::Csv {
                    v.push(Perm::OutgoingCdrExports);
                }
                v
            }
            Need::Customer(Gate::Statistics(d), _) => dirs(d).into_iter().map(Direction::statistics_key).collect(),
            _ => vec![],
        }
    }
    fn http_method(&self) -> Method {
        Method::from_bytes(self.method.as_bytes()).unwrap_or(Method::GET)
    }
}

/// Declares a route table: `routes! { Area, TABLE, register_fn; LINES }` or, for a table
/// whose handlers carry OpenAPI operations, `routes! { Area, TABLE, register_fn, openapi
/// PathsType; LINES }`. A line is `METHOD "path" => need, Surface, handler;`.
#[macro_export]
macro_rules! routes {
    ($area:ident, $table:ident, $register:ident, openapi $paths:ident;
     $( $m:ident $path:literal => $need:expr, $surface:ident, $handler:path; )*) => {
        $crate::routes! { $area, $table, $register; $( $m $path => $need, $surface, $handler; )* }
        /// The OpenAPI operations of every handler in the table.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($handler),*))]
        pub struct $paths;
    };
    ($area:ident, $table:ident, $register:ident;
     $( $m:ident $path:literal => $need:expr, $surface:ident, $handler:path; )*) => {
        pub const $table: &[$crate::http::routes::Route] = &[
            $( $crate::http::routes::Route {
                area: $crate::http::routes::Area::$area,
                method: stringify!($m),
                path: $path,
                need: $need,
                surface: $crate::http::routes::Surface::$surface,
            }, )*
        ];
        pub fn $register(cfg: &mut actix_web::web::ServiceConfig) {
            $( {
                static LINE: $crate::http::routes::Route = $crate::http::routes::Route {
                    area: $crate::http::routes::Area::$area,
                    method: stringify!($m),
                    path: $path,
                    need: $need,
                    surface: $crate::http::routes::Surface::$surface,
                };
                $crate::http::routes::mount(cfg, &LINE, actix_web::web::route().to($handler));
            } )*
        }
    };
}

/// Registers one line: an actix resource for its path (and `.csv` twin of a list) and method,
/// wrapped in the guard of this line.
pub fn mount(cfg: &mut web::ServiceConfig, line: &'static Route, handler: actix_web::Route) {
    let mut paths = vec![line.path.to_string()];
    if line.surface == Surface::List {
        paths.push(format!("{}.csv", line.path));
    }
    let mut resource = web::resource(paths).guard(actix_web::guard::Method(line.http_method()));
    if line.surface == Surface::Ingest {
        resource = resource.app_data(web::PayloadConfig::new(INGEST_BODY_LIMIT));
    }
    cfg.service(resource.wrap(from_fn(move |req, next| guard(line, req, next))).route(handler));
}

/// The methods a table has for a path below its prefix (for 405 answers), by actix's own
/// pattern matching.
pub fn allowed_methods(table: &[Route], path: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for r in table {
        let bare = match path.strip_suffix(".csv") {
            Some(b) if r.surface == Surface::List => b,
            _ => path,
        };
        if ResourceDef::new(r.path).is_match(bare) && !out.contains(&r.method) {
            out.push(r.method);
        }
    }
    out
}

/// The guard of one line: establishes the [`Ctx`] and lets the request through only when the
/// line's need is met.
pub async fn guard(
    line: &'static Route,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Some(to) = enrolment_first(line, req.request()).await {
        let e = AppError::Forbidden("Set up a second factor first: /account/2fa".into());
        return Ok(match to {
            Some(to) => req.into_response(crate::http::see_other(to)),
            None => req.error_response(e),
        }
        .map_into_right_body());
    }
    match authorize(line, req.request()).await {
        Ok(ctx) => {
            req.extensions_mut().insert(ctx);
            next.call(req).await.map(ServiceResponse::map_into_left_body)
        }
        Err(e) => Ok(req.error_response(e).map_into_right_body()),
    }
}

/// `PORTICO_REQUIRE_STAFF_2FA`: a staff member signed in (by session) without a second factor
/// is sent to enrolment before anything else — pages by a redirect (`Some`), the API by 403
/// (`None`). Whether the person has one is kept in the session at sign-in and enrolment.
async fn enrolment_first(line: &Route, req: &HttpRequest) -> Option<Option<&'static str>> {
    let state = req.app_data::<web::Data<AppState>>()?;
    if !state.config.require_staff_2fa {
        return None;
    }
    let id = Identity::load(req).await.ok()?;
    if !id.is_staff() || id.via_token {
        return None;
    }
    let has = req.get_session().get::<bool>(crate::auth::sessions::keys::SECOND_FACTOR).ok().flatten();
    if has == Some(true) {
        return None;
    }
    Some(if line.area == Area::Api { None } else { Some("/account/2fa") })
}

/// Whether the client asks for CSV: a CSV route, a `.csv` path suffix, `format=csv` or an
/// `Accept` header preferring `text/csv`. The one place this is decided.
pub fn wants_csv(line: &Route, req: &HttpRequest) -> bool {
    if line.surface == Surface::Csv || (line.surface == Surface::List && req.path().ends_with(".csv")) {
        return true;
    }
    let pairs = query_pairs(req.query_string());
    // `format` wins over `Accept` (camelCase over PascalCase, as in the list conventions).
    let format = pairs.iter().find(|(k, _)| k == "format").or_else(|| pairs.iter().find(|(k, _)| k == "Format"));
    match format.map(|(_, v)| v.to_ascii_lowercase()) {
        Some(v) if v == "csv" => true,
        Some(v) if v == "json" => false,
        _ => req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(accept_prefers_csv),
    }
}

/// The client's preference between JSON and CSV in an `Accept` header (JSON on a tie).
pub fn accept_prefers_csv(accept: &str) -> bool {
    let mut csv = 0.0f32;
    let mut json = 0.0f32;
    for part in accept.split(',') {
        let mut it = part.split(';');
        let media = it.next().unwrap_or("").trim().to_ascii_lowercase();
        let q =
            it.filter_map(|p| p.trim().strip_prefix("q=")).find_map(|q| q.trim().parse::<f32>().ok()).unwrap_or(1.0);
        match media.as_str() {
            "text/csv" => csv = csv.max(q),
            "application/json" | "application/*" | "*/*" => json = json.max(q),
            _ => {}
        }
    }
    csv > json
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

fn query_direction(query: &str) -> Result<Direction, AppError> {
    let pairs = query_pairs(query);
    let d = pairs.iter().find(|(k, _)| k == "direction" || k == "Direction").map(|(_, v)| v.as_str());
    d.and_then(Direction::parse).ok_or_else(|| {
        AppError::BadRequest(
            "direction is required: outgoing or incoming".into(),
            vec![FieldError::new("direction", "outgoing or incoming")],
        )
    })
}

fn direction(dir: Dir, req: &HttpRequest) -> Result<Direction, AppError> {
    match dir {
        Dir::Outgoing => Ok(Direction::Outgoing),
        Dir::Incoming => Ok(Direction::Incoming),
        Dir::Query => query_direction(req.query_string()),
    }
}

async fn authorize(line: &'static Route, req: &HttpRequest) -> Result<Ctx, AppError> {
    let id = Identity::load(req).await?;
    let csv = wants_csv(line, req);
    let staff_ctx = || Ctx(Rc::new(context(&id, req, id.user.role, false, csv, None)));
    match line.need {
        Need::Staff | Need::Admin | Need::StaffOrCustomer if id.is_staff() => {
            if line.need == Need::Admin && id.role() != Role::Admin {
                return Err(AppError::Forbidden("Only administrators may do this.".into()));
            }
            Ok(staff_ctx())
        }
        Need::Staff | Need::Admin => Err(AppError::Forbidden(match line.area {
            Area::Api => "This route is for the operator's staff.".into(),
            _ => "This area is for the operator's staff.".into(),
        })),
        Need::StaffOrCustomer => customer_ctx(&id, req, id.user.role, false, csv).await,
        Need::Customer(gate, cap) => {
            let (customer, role, preview) = if id.is_staff() {
                let previewing = req.get_session().get::<i64>(PREVIEW_KEY).ok().flatten();
                match previewing {
                    Some(c) if line.area == Area::Portal && !id.via_token => (c, Role::User, true),
                    _ if line.area == Area::Api => {
                        return Err(AppError::Forbidden("This route is for customers' users.".into()));
                    }
                    _ => {
                        return Err(AppError::Forbidden(
                            "The portal is for customers' users. Staff use the admin area (or a customer preview)."
                                .into(),
                        ));
                    }
                }
            } else {
                let c = id
                    .user
                    .customer_id
                    .ok_or_else(|| AppError::internal(anyhow::anyhow!("customer user without customer")))?;
                (c, id.user.role, false)
            };
            let ctx = load_customer(&id, req, customer, role, preview, csv).await?;
            if preview && req.method() != Method::GET {
                return Err(AppError::Forbidden("The preview is read-only.".into()));
            }
            check_gate(&ctx, gate, req)?;
            if cap.is_some_and(|c| !ctx.can(c)) {
                return Err(AppError::Forbidden("Your role does not allow this.".into()));
            }
            Ok(ctx)
        }
    }
}

fn context(
    id: &Identity,
    req: &HttpRequest,
    role: Role,
    preview: bool,
    csv: bool,
    customer: Option<CustomerCtx>,
) -> CtxInner {
    CtxInner {
        user: id.user.clone(),
        via_token: id.via_token,
        ip: client_ip(req),
        lang: request_lang(req),
        role,
        caps: Caps::of(role, preview),
        csv,
        customer,
    }
}

async fn customer_ctx(id: &Identity, req: &HttpRequest, role: Role, preview: bool, csv: bool) -> Result<Ctx, AppError> {
    let c = id.user.customer_id.ok_or_else(|| AppError::internal(anyhow::anyhow!("customer user without customer")))?;
    load_customer(id, req, c, role, preview, csv).await
}

/// The customer side of the context, as of the access epoch this request read with its user.
async fn load_customer(
    id: &Identity,
    req: &HttpRequest,
    customer_id: i64,
    role: Role,
    preview: bool,
    csv: bool,
) -> Result<Ctx, AppError> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| AppError::internal(anyhow::anyhow!("no state")))?;
    let side = match id.customer.as_ref() {
        Some(side) if side.row.id == customer_id => side.clone(),
        _ => {
            let (st, epoch) = (state.clone(), id.epoch);
            crate::db::run(&state.pool, move |conn| st.contexts.get(conn, customer_id, epoch)).await?
        }
    };
    let side = CustomerCtx { side, preview };
    Ok(Ctx(Rc::new(context(id, req, role, preview, csv, Some(side)))))
}

fn check_gate(ctx: &Ctx, gate: Gate, req: &HttpRequest) -> Result<(), AppError> {
    let grants = &ctx.customer.as_ref().ok_or(AppError::Unauthorized)?.effective.grants;
    let granted = match gate {
        Gate::Open => true,
        Gate::Key(k) => grants.has(k),
        Gate::Recording => match req.match_info().get("direction").and_then(Direction::parse) {
            Some(d) => grants.has(Perm::ListenRecording) && grants.has(d.cdrs_key()),
            None => return Err(AppError::NotFound),
        },
        Gate::Cdrs(dir) => {
            let d = direction(dir, req)?;
            grants.has(d.cdrs_key()) && (d == Direction::Incoming || !ctx.csv || grants.has(Perm::OutgoingCdrExports))
        }
        Gate::Statistics(dir) => grants.has(direction(dir, req)?.statistics_key()),
    };
    if granted { Ok(()) } else { Err(AppError::Forbidden("This section is not part of your portal.".into())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_negotiation() {
        assert!(accept_prefers_csv("text/csv"));
        assert!(accept_prefers_csv("text/csv, */*;q=0.1"));
        assert!(!accept_prefers_csv("application/json, text/csv"));
        assert!(!accept_prefers_csv("*/*"));
        assert!(!accept_prefers_csv(""));
        assert!(accept_prefers_csv("application/json;q=0.5, text/csv"));
    }
}
