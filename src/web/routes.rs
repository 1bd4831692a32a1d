//! The whole route table in one place. Portal and admin routes are declared in tables that
//! name what each route needs (a catalog key, a role); one guard per area enforces the table,
//! and a request that matches no table line never reaches a handler.

use actix_web::http::StatusCode;
use actix_web::middleware::from_fn;
use actix_web::{HttpResponse, web};

use crate::access::Perm;
use crate::error::AppError;
use crate::web::{admin, assets, health, login, portal};

/// What a portal route needs beyond a signed-in customer user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Every customer user (dashboard, personal profile).
    Open,
    /// The catalog key must be effectively granted.
    Key(Perm),
    /// `listen_recording` AND the `*_cdrs` key of the `{direction}` path segment.
    Recording,
    /// The `*_cdrs` key of the `direction` query parameter; CSV of outgoing CDRs also needs
    /// `outgoing_cdr_exports` (API).
    CdrsByQuery,
    /// The `*_statistics` key of the `direction` query parameter (API).
    StatisticsByQuery,
}

/// Which customer roles may call a portal route (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleNeed {
    Any,
    Administrator,
    AdministratorOrDeveloper,
}

/// What kind of answer a route gives; the catalog-walk test checks each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Page,
    Fragment,
    Csv,
    File,
    Action,
}

#[derive(Debug, Clone, Copy)]
pub struct PortalRoute {
    pub method: &'static str,
    /// Path below `/portal`.
    pub path: &'static str,
    pub need: Need,
    pub role: RoleNeed,
    pub surface: Surface,
}

impl PortalRoute {
    pub fn full_path(&self) -> String {
        format!("/portal{}", self.path)
    }
}

/// What an admin route needs (SPEC §1: managers may not touch profiles or staff).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffNeed {
    AnyStaff,
    Admin,
}

#[derive(Debug, Clone, Copy)]
pub struct AdminRoute {
    pub method: &'static str,
    /// Path below `/admin`.
    pub path: &'static str,
    pub need: StaffNeed,
}

fn method(m: &str) -> actix_web::Route {
    match m {
        "GET" => web::get(),
        "POST" => web::post(),
        "PUT" => web::put(),
        "DELETE" => web::delete(),
        _ => web::route(),
    }
}

macro_rules! portal_routes {
    ($( $m:ident $path:literal => $need:expr, $role:ident, $surface:ident, $handler:path; )*) => {
        /// Every portal route: method, path, the key it needs, the roles that may call it.
        pub const PORTAL_ROUTES: &[PortalRoute] = &[
            $( PortalRoute { method: stringify!($m), path: $path, need: $need, role: RoleNeed::$role, surface: Surface::$surface }, )*
        ];
        fn register_portal(cfg: &mut web::ServiceConfig) {
            $( cfg.route($path, method(stringify!($m)).to($handler)); )*
        }
    };
}

macro_rules! admin_routes {
    ($( $m:ident $path:literal => $need:ident, $handler:path; )*) => {
        /// Every admin route and whether it is for admins only.
        pub const ADMIN_ROUTES: &[AdminRoute] = &[
            $( AdminRoute { method: stringify!($m), path: $path, need: StaffNeed::$need }, )*
        ];
        fn register_admin(cfg: &mut web::ServiceConfig) {
            $( cfg.route($path, method(stringify!($m)).to($handler)); )*
        }
    };
}

use Need::{Key, Open, Recording};
use portal::{profile as pp, sections as ps, topups as pto, traffic as pt};

portal_routes! {
    GET  ""                                  => Open, Any, Page, ps::dashboard_get;
    GET  "/custom.css"                       => Open, Any, File, ps::custom_css_get;
    GET  "/account"                          => Key(Perm::Account), Any, Page, ps::account_get;
    GET  "/rateplans"                        => Key(Perm::OutgoingRateplans), Any, Page, ps::rateplans_get;
    GET  "/rateplans/check"                  => Key(Perm::OutgoingRateplans), Any, Fragment, ps::rate_check_partial;
    GET  "/cdrs/outgoing"                    => Key(Perm::OutgoingCdrs), Any, Page, pt::cdrs_outgoing_get;
    GET  "/cdrs/outgoing/rows"               => Key(Perm::OutgoingCdrs), Any, Fragment, pt::cdrs_outgoing_partial;
    GET  "/cdrs/outgoing/export"             => Key(Perm::OutgoingCdrExports), Any, Csv, pt::cdrs_outgoing_export;
    GET  "/cdrs/incoming"                    => Key(Perm::IncomingCdrs), Any, Page, pt::cdrs_incoming_get;
    GET  "/cdrs/incoming/rows"               => Key(Perm::IncomingCdrs), Any, Fragment, pt::cdrs_incoming_partial;
    GET  "/cdrs/{direction}/{id}/recording"  => Recording, Any, File, pt::recording_get;
    GET  "/statistics/outgoing"              => Key(Perm::OutgoingStatistics), Any, Page, pt::statistics_outgoing_get;
    GET  "/statistics/incoming"              => Key(Perm::IncomingStatistics), Any, Page, pt::statistics_incoming_get;
    GET  "/active-calls"                     => Key(Perm::OutgoingActiveCalls), Any, Page, pt::active_calls_get;
    GET  "/active-calls/rows"                => Key(Perm::OutgoingActiveCalls), Any, Fragment, pt::active_calls_partial;
    GET  "/numberlists"                      => Key(Perm::OutgoingNumberlists), Any, Page, ps::numberlists_get;
    POST "/numberlists/{id}/items"           => Key(Perm::OutgoingNumberlists), Any, Action, ps::numberlist_item_add_post;
    POST "/numberlists/{id}/items/{item}/delete" => Key(Perm::OutgoingNumberlists), Any, Action, ps::numberlist_item_delete_post;
    GET  "/invoices"                         => Key(Perm::Invoices), Any, Page, ps::invoices_get;
    GET  "/invoices/{id}"                    => Key(Perm::Invoices), Any, Page, ps::invoice_get;
    GET  "/invoices/{id}/pdf"                => Key(Perm::Invoices), Any, File, ps::invoice_pdf_get;
    GET  "/payments"                         => Key(Perm::Payments), Any, Page, ps::payments_get;
    GET  "/payments/new"                     => Key(Perm::PaymentsCryptomus), Any, Page, pto::payment_new_get;
    POST "/payments/new"                     => Key(Perm::PaymentsCryptomus), Any, Action, pto::payment_new_post;
    GET  "/services"                         => Key(Perm::Services), Any, Page, ps::services_get;
    GET  "/transactions"                     => Key(Perm::Transactions), Any, Page, ps::transactions_get;
    GET  "/numbers"                          => Key(Perm::MyNumbers), Any, Page, ps::numbers_get;
    POST "/numbers/{id}/description"         => Key(Perm::MyNumbersEditDescriptions), Any, Action, ps::number_description_post;
    GET  "/campaigns"                        => Key(Perm::MyCampaigns), Any, Page, ps::campaigns_get;
    POST "/campaigns"                        => Key(Perm::MyCampaignsManage), Any, Action, ps::campaign_create_post;
    GET  "/reports/daily"                    => Key(Perm::DailyCdrReports), Any, Page, ps::daily_reports_get;
    GET  "/reports/daily/{day}"              => Key(Perm::DailyCdrReports), Any, Csv, ps::daily_report_csv;
    GET  "/profile"                          => Open, Any, Page, pp::profile_get;
    POST "/profile/personal"                 => Open, Any, Action, pp::personal_post;
    POST "/profile/settings"                 => Open, Any, Action, pp::settings_post;
    POST "/profile/password"                 => Open, Any, Action, pp::password_post;
    POST "/profile/company"                  => Open, Administrator, Action, pp::company_post;
    POST "/profile/sessions/{handle}/end"    => Open, Any, Action, pp::session_end_post;
    POST "/profile/tokens"                   => Open, AdministratorOrDeveloper, Action, pp::token_create_post;
    POST "/profile/tokens/{id}/revoke"       => Open, AdministratorOrDeveloper, Action, pp::token_revoke_post;
    GET  "/users"                            => Open, Administrator, Page, pp::users_get;
    POST "/users"                            => Open, Administrator, Action, pp::user_create_post;
    POST "/users/{id}/disable"               => Open, Administrator, Action, pp::user_disable_post;
    POST "/users/{id}/enable"                => Open, Administrator, Action, pp::user_enable_post;
}

use admin::{audit as aa, customers as ac, groups as ag, home as ah, profiles as apr, staff as ast};

admin_routes! {
    GET  ""                                   => AnyStaff, ah::dashboard_get;
    GET  "/me"                                => AnyStaff, ah::me_get;
    POST "/me/password"                       => AnyStaff, ah::password_post;
    POST "/me/settings"                       => AnyStaff, ah::settings_post;
    POST "/me/personal"                       => AnyStaff, ah::personal_post;
    POST "/me/sessions/{handle}/end"          => AnyStaff, ah::session_end_post;
    POST "/me/tokens"                         => AnyStaff, ah::token_create_post;
    POST "/me/tokens/{id}/revoke"             => AnyStaff, ah::token_revoke_post;
    GET  "/profiles"                          => AnyStaff, apr::list_get;
    GET  "/profiles/new"                      => Admin, apr::new_get;
    POST "/profiles"                          => Admin, apr::create_post;
    GET  "/profiles/{id}"                     => AnyStaff, apr::edit_get;
    POST "/profiles/{id}"                     => Admin, apr::update_post;
    POST "/profiles/{id}/toggle"              => Admin, apr::toggle_post;
    GET  "/profiles/{id}/clone"               => Admin, apr::clone_get;
    POST "/profiles/{id}/delete"              => Admin, apr::delete_post;
    GET  "/customers"                         => AnyStaff, ac::list_get;
    GET  "/customers/new"                     => AnyStaff, ac::new_get;
    POST "/customers"                         => AnyStaff, ac::create_post;
    GET  "/customers/{id}"                    => AnyStaff, ac::edit_get;
    POST "/customers/{id}"                    => AnyStaff, ac::update_post;
    POST "/customers/{id}/delete"             => AnyStaff, ac::delete_post;
    POST "/customers/{id}/profile"            => AnyStaff, ac::assign_post;
    POST "/customers/{id}/accounts"           => AnyStaff, ac::account_create_post;
    POST "/customers/{id}/accounts/{account}" => AnyStaff, ac::account_update_post;
    POST "/customers/{id}/access-codes"       => AnyStaff, ac::code_create_post;
    POST "/customers/{id}/numberlists"        => AnyStaff, ac::numberlists_post;
    POST "/customers/{id}/access-codes/{code}/delete" => AnyStaff, ac::code_delete_post;
    POST "/customers/{id}/users"              => AnyStaff, ac::user_create_post;
    POST "/customers/{id}/users/{user}/disable" => AnyStaff, ac::user_disable_post;
    POST "/customers/{id}/users/{user}/enable"  => AnyStaff, ac::user_enable_post;
    POST "/customers/{id}/users/{user}/reset"   => AnyStaff, ac::user_reset_post;
    POST "/customers/{id}/users/{user}/role"    => AnyStaff, ac::user_role_post;
    GET  "/customers/{id}/preview"            => AnyStaff, ac::preview_get;
    POST "/preview/exit"                      => AnyStaff, ac::preview_exit_post;
    GET  "/groups"                            => AnyStaff, ag::groups_get;
    POST "/groups"                            => AnyStaff, ag::group_create_post;
    POST "/groups/{id}"                       => AnyStaff, ag::group_rename_post;
    POST "/groups/{id}/delete"                => AnyStaff, ag::group_delete_post;
    GET  "/tags"                              => AnyStaff, ag::tags_get;
    POST "/tags"                              => AnyStaff, ag::tag_create_post;
    POST "/tags/{id}"                         => AnyStaff, ag::tag_update_post;
    POST "/tags/{id}/delete"                  => AnyStaff, ag::tag_delete_post;
    GET  "/staff"                             => Admin, ast::list_get;
    POST "/staff"                             => Admin, ast::create_post;
    POST "/staff/{id}/disable"                => Admin, ast::disable_post;
    POST "/staff/{id}/enable"                 => Admin, ast::enable_post;
    GET  "/audit"                             => AnyStaff, aa::list_get;
}

/// Probes and static files: no session is loaded for them, so they answer even while the
/// database is away.
pub fn configure_sessionless(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz_get))
        .route("/readyz", web::get().to(health::readyz_get))
        .route("/static/{path:.*}", web::get().to(assets::static_get))
        .route("/webhooks/cryptomus", web::post().to(portal::topups::cryptomus_webhook));
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::FormConfig::default().limit(1024 * 1024))
        .app_data(web::JsonConfig::default().limit(1024 * 1024))
        .route("/", web::get().to(login::root_get))
        .route("/login", web::get().to(login::login_get))
        .route("/login", web::post().to(login::login_post))
        .route("/logout", web::post().to(login::logout_post))
        .route("/invitation/{token}", web::get().to(login::invitation_get))
        .route("/invitation/{token}", web::post().to(login::invitation_post))
        .configure(crate::web::ingest::configure)
        .service(web::scope("/portal").wrap(from_fn(portal::guard)).configure(register_portal))
        .service(web::scope("/admin").wrap(from_fn(admin::guard)).configure(register_admin))
        .configure(crate::api::configure)
        .default_service(web::to(not_found));
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// Matches a concrete path against a table pattern (`{name}` matches one non-empty segment).
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern.split('/').collect();
    let a: Vec<&str> = path.split('/').collect();
    p.len() == a.len()
        && p.iter().zip(&a).all(|(p, a)| if p.starts_with('{') && p.ends_with('}') { !a.is_empty() } else { p == a })
}

/// The value of `{name}` in a path matched by `pattern`.
pub fn path_param<'a>(pattern: &str, path: &'a str, name: &str) -> Option<&'a str> {
    let want = format!("{{{name}}}");
    pattern.split('/').zip(path.split('/')).find(|(p, _)| *p == want).map(|(_, a)| a)
}

/// An HTML response from a rendered template.
pub fn html(status: StatusCode, rendered: Result<String, askama::Error>) -> HttpResponse {
    match rendered {
        Ok(body) => HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            crate::web::errors::html_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be drawn.".into(),
                vec![],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(path_matches("/cdrs/{direction}/{id}/recording", "/cdrs/outgoing/5/recording"));
        assert!(!path_matches("/cdrs/{direction}/{id}/recording", "/cdrs/outgoing//recording"));
        assert!(!path_matches("/account", "/account/x"));
        assert_eq!(
            path_param("/cdrs/{direction}/{id}/recording", "/cdrs/incoming/5/recording", "direction"),
            Some("incoming")
        );
    }

    #[test]
    fn every_route_is_unique() {
        for (i, a) in PORTAL_ROUTES.iter().enumerate() {
            for b in &PORTAL_ROUTES[i + 1..] {
                assert!(!(a.method == b.method && a.path == b.path), "{} {}", a.method, a.path);
            }
        }
    }
}
