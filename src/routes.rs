//! The whole route table in one place: the customer portal, the admin area and the JSON API,
//! each line naming what it needs (a catalog key, a role capability, staff or admin) and what
//! it answers. One mechanism ([`crate::http::routes`]) turns each line into an actix resource
//! guarded by that line; nothing below is reachable except through a line.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::access::Perm;
use crate::access::caps::Cap;
use crate::error::AppError;
use crate::http::routes::{Area, Dir, Gate, Need, allowed_methods};
use crate::routes as table;

/// A customer route open to every customer user.
const OPEN: Need = Need::Customer(Gate::Open, None);
/// A customer route needing a role capability.
const fn role(c: Cap) -> Need {
    Need::Customer(Gate::Open, Some(c))
}
/// A customer route needing a catalog key.
const fn key(p: Perm) -> Need {
    Need::Customer(Gate::Key(p), None)
}
const fn key_and(p: Perm, c: Cap) -> Need {
    Need::Customer(Gate::Key(p), Some(c))
}
const fn cdrs(d: Dir) -> Need {
    Need::Customer(Gate::Cdrs(d), None)
}
const fn statistics(d: Dir) -> Need {
    Need::Customer(Gate::Statistics(d), None)
}
const RECORDING: Need = Need::Customer(Gate::Recording, None);
const STAFF: Need = Need::Staff;
const ADMIN: Need = Need::Admin;

use crate::web::account as acc;
use crate::web::admin::second_factor as asf;
use crate::web::admin::{audit as aa, customers as ac, groups as ag, home as ah, profiles as apr, staff as ast};
use crate::web::portal::{profile as pp, sections as ps, topups as pto, traffic as pt};
use Dir::{Incoming as IN, Outgoing as OUT, Query as BY_QUERY};
use Perm as P;

crate::routes! { Portal, PORTAL_ROUTES, register_portal;
    GET  ""                                  => OPEN, Page, ps::dashboard_get;
    GET  "/custom.css"                       => OPEN, File, ps::custom_css_get;
    GET  "/account"                          => key(P::Account), Page, ps::account_get;
    GET  "/rateplans"                        => key(P::OutgoingRateplans), Page, ps::rateplans_get;
    GET  "/rateplans/check"                  => key(P::OutgoingRateplans), Fragment, ps::rate_check_partial;
    GET  "/cdrs/outgoing"                    => cdrs(OUT), Page, pt::cdrs_get;
    GET  "/cdrs/outgoing/rows"               => cdrs(OUT), Fragment, pt::cdrs_partial;
    GET  "/cdrs/outgoing/export"             => cdrs(OUT), Csv, pt::cdrs_outgoing_export;
    GET  "/cdrs/incoming"                    => cdrs(IN), Page, pt::cdrs_get;
    GET  "/cdrs/incoming/rows"               => cdrs(IN), Fragment, pt::cdrs_partial;
    GET  "/cdrs/{direction}/{id}/recording"  => RECORDING, File, pt::recording_get;
    GET  "/statistics/outgoing"              => statistics(OUT), Page, pt::statistics_get;
    GET  "/statistics/incoming"              => statistics(IN), Page, pt::statistics_get;
    GET  "/active-calls"                     => key(P::OutgoingActiveCalls), Page, pt::active_calls_get;
    GET  "/active-calls/rows"                => key(P::OutgoingActiveCalls), Fragment, pt::active_calls_partial;
    GET  "/numberlists"                      => key(P::OutgoingNumberlists), Page, ps::numberlists_get;
    POST "/numberlists/{id}/items"           => key(P::OutgoingNumberlists), Action, ps::numberlist_item_add_post;
    POST "/numberlists/{id}/items/{item}/delete" => key(P::OutgoingNumberlists), Action, ps::numberlist_item_delete_post;
    GET  "/invoices"                         => key(P::Invoices), Page, ps::list_get::<ps::billing::InvoiceRow>;
    GET  "/invoices/{id}"                    => key(P::Invoices), Page, ps::invoice_get;
    GET  "/invoices/{id}/pdf"                => key(P::Invoices), File, ps::invoice_pdf_get;
    GET  "/payments"                         => key(P::Payments), Page, ps::list_get::<ps::billing::Payment>;
    GET  "/payments/new"                     => key(P::PaymentsCryptomus), Page, pto::payment_new_get;
    POST "/payments/new"                     => key(P::PaymentsCryptomus), Action, pto::payment_new_post;
    GET  "/services"                         => key(P::Services), Page, ps::list_get::<ps::billing::Service>;
    GET  "/transactions"                     => key(P::Transactions), Page, ps::list_get::<ps::billing::Transaction>;
    GET  "/numbers"                          => key(P::MyNumbers), Page, ps::numbers_get;
    POST "/numbers/{id}/description"         => key(P::MyNumbersEditDescriptions), Action, ps::number_description_post;
    GET  "/campaigns"                        => key(P::MyCampaigns), Page, ps::campaigns_get;
    POST "/campaigns"                        => key(P::MyCampaignsManage), Action, ps::campaign_create_post;
    GET  "/reports/daily"                    => key(P::DailyCdrReports), Page, ps::daily_reports_get;
    GET  "/reports/daily/{day}"              => key(P::DailyCdrReports), Csv, ps::daily_report_csv;
    GET  "/profile"                          => OPEN, Page, acc::account_get;
    POST "/profile/personal"                 => OPEN, Action, acc::personal_post;
    POST "/profile/settings"                 => OPEN, Action, acc::settings_post;
    POST "/profile/password"                 => OPEN, Action, acc::password_post;
    POST "/profile/company"                  => role(Cap::EditCompany), Action, pp::company_post;
    POST "/profile/sessions/{handle}/end"    => OPEN, Action, acc::session_end_post;
    POST "/profile/tokens"                   => role(Cap::ManageTokens), Action, acc::token_create_post;
    POST "/profile/tokens/{id}/revoke"       => role(Cap::ManageTokens), Action, acc::token_revoke_post;
    GET  "/users"                            => role(Cap::ManageUsers), Page, pp::users_get;
    POST "/users"                            => role(Cap::ManageUsers), Action, pp::user_create_post;
    POST "/users/{id}/disable"               => role(Cap::ManageUsers), Action, pp::user_disabled_post::<true>;
    POST "/users/{id}/enable"                => role(Cap::ManageUsers), Action, pp::user_disabled_post::<false>;
}

crate::routes! { Admin, ADMIN_ROUTES, register_admin;
    GET  ""                                   => STAFF, Page, ah::dashboard_get;
    GET  "/me"                                => STAFF, Page, acc::account_get;
    POST "/me/password"                       => STAFF, Action, acc::password_post;
    POST "/me/settings"                       => STAFF, Action, acc::settings_post;
    POST "/me/personal"                       => STAFF, Action, acc::personal_post;
    POST "/me/sessions/{handle}/end"          => STAFF, Action, acc::session_end_post;
    POST "/me/tokens"                         => STAFF, Action, acc::token_create_post;
    POST "/me/tokens/{id}/revoke"             => STAFF, Action, acc::token_revoke_post;
    GET  "/profiles"                          => STAFF, Page, apr::list_get;
    GET  "/profiles/new"                      => ADMIN, Page, apr::new_get;
    POST "/profiles"                          => ADMIN, Action, apr::create_post;
    GET  "/profiles/{id}"                     => STAFF, Page, apr::edit_get;
    POST "/profiles/{id}"                     => ADMIN, Action, apr::update_post;
    POST "/profiles/{id}/toggle"              => ADMIN, Fragment, apr::toggle_post;
    GET  "/profiles/{id}/clone"               => ADMIN, Page, apr::clone_get;
    POST "/profiles/{id}/delete"              => ADMIN, Action, apr::delete_post;
    GET  "/customers"                         => STAFF, Page, ac::list::list_get;
    GET  "/customers/new"                     => STAFF, Page, ac::edit::new_get;
    POST "/customers"                         => STAFF, Action, ac::edit::create_post;
    GET  "/customers/{id}"                    => STAFF, Page, ac::edit::edit_get;
    POST "/customers/{id}"                    => STAFF, Action, ac::edit::update_post;
    POST "/customers/{id}/delete"             => STAFF, Action, ac::edit::delete_post;
    POST "/customers/{id}/profile"            => STAFF, Action, ac::edit::assign_post;
    POST "/customers/{id}/accounts"           => STAFF, Action, ac::accounts::account_create_post;
    POST "/customers/{id}/accounts/{account}" => STAFF, Action, ac::accounts::account_update_post;
    POST "/customers/{id}/access-codes"       => STAFF, Action, ac::codes::code_create_post;
    POST "/customers/{id}/numberlists"        => STAFF, Action, ac::numberlists::numberlists_post;
    POST "/customers/{id}/access-codes/{code}/delete" => STAFF, Action, ac::codes::code_delete_post;
    POST "/customers/{id}/users"              => STAFF, Action, ac::users::user_create_post;
    POST "/customers/{id}/users/{user}/disable" => STAFF, Action, ac::users::user_disable_post;
    POST "/customers/{id}/users/{user}/enable"  => STAFF, Action, ac::users::user_enable_post;
    POST "/customers/{id}/users/{user}/reset"   => STAFF, Action, ac::users::user_reset_post;
    POST "/customers/{id}/users/{user}/role"    => STAFF, Action, ac::users::user_role_post;
    GET  "/customers/{id}/preview"            => STAFF, Page, ac::preview::preview_get;
    POST "/customers/{id}/preview"            => STAFF, Action, ac::preview::preview_post;
    POST "/customers/{id}/users/{user}/2fa/reset" => ADMIN, Action, asf::customer_user_reset_post;
    POST "/preview/exit"                      => STAFF, Action, ac::preview::preview_exit_post;
    GET  "/groups"                            => STAFF, Page, ag::groups_get;
    POST "/groups"                            => STAFF, Action, ag::group_create_post;
    POST "/groups/{id}"                       => STAFF, Action, ag::group_rename_post;
    POST "/groups/{id}/delete"                => STAFF, Action, ag::group_delete_post;
    GET  "/tags"                              => STAFF, Page, ag::tags_get;
    POST "/tags"                              => STAFF, Action, ag::tag_create_post;
    POST "/tags/{id}"                         => STAFF, Action, ag::tag_update_post;
    POST "/tags/{id}/delete"                  => STAFF, Action, ag::tag_delete_post;
    GET  "/staff"                             => ADMIN, Page, ast::list_get;
    POST "/staff"                             => ADMIN, Action, ast::create_post;
    POST "/staff/{id}/disable"                => ADMIN, Action, ast::disabled_post::<true>;
    POST "/staff/{id}/enable"                 => ADMIN, Action, ast::disabled_post::<false>;
    POST "/staff/{id}/2fa/reset"              => ADMIN, Action, asf::staff_reset_post;
    GET  "/audit"                             => STAFF, Page, aa::list_get;
}

use crate::api::{access_codes, accounts, customers, groups, ingest, me, portal_data, profiles, users};

crate::routes! { Api, API_ROUTES, register_api, openapi ApiPaths;
    GET    "/access-profiles"              => STAFF, List, profiles::list_get;
    POST   "/access-profiles"              => ADMIN, One, profiles::create_post;
    GET    "/access-profiles/{id}"         => STAFF, One, profiles::one_get;
    PUT    "/access-profiles/{id}"         => ADMIN, One, profiles::replace_put;
    DELETE "/access-profiles/{id}"         => ADMIN, One, profiles::delete;
    GET    "/permissions"                  => STAFF, List, profiles::permissions_get;
    GET    "/customers"                    => Need::StaffOrCustomer, List, customers::list_get;
    POST   "/customers"                    => STAFF, One, customers::create_post;
    GET    "/customers/{id}"               => Need::StaffOrCustomer, One, customers::one_get;
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
    GET    "/customers/{id}/access-codes"  => STAFF, List, access_codes::codes_get;
    POST   "/customers/{id}/access-codes"  => STAFF, One, access_codes::code_post;
    GET    "/access-codes/{id}"            => STAFF, One, access_codes::code_get;
    PUT    "/access-codes/{id}"            => STAFF, One, access_codes::code_put;
    DELETE "/access-codes/{id}"            => STAFF, One, access_codes::code_delete;
    POST   "/cdrs"                         => STAFF, Ingest, ingest::cdrs_post;
    PUT    "/cdrs/{id}/recording"          => STAFF, Ingest, ingest::recording_put;
    PUT    "/active-calls"                 => STAFF, Ingest, ingest::active_calls_put;
    POST   "/invoices"                     => STAFF, Ingest, ingest::invoices_post;
    PUT    "/invoices/{id}/pdf"            => STAFF, Ingest, ingest::invoice_pdf_put;
    POST   "/payments"                     => STAFF, Ingest, ingest::payments_post;
    POST   "/transactions"                 => STAFF, Ingest, ingest::transactions_post;
    POST   "/services"                     => STAFF, Ingest, ingest::services_post;
    POST   "/rateplans"                    => STAFF, Ingest, ingest::rateplans_post;
    POST   "/numbers"                      => STAFF, Ingest, ingest::numbers_post;
    POST   "/campaigns"                    => STAFF, Ingest, ingest::campaigns_post;
    POST   "/numberlists"                  => STAFF, Ingest, ingest::numberlists_post;
    GET    "/profile"                      => OPEN, One, me::profile_get;
    PUT    "/profile"                      => role(Cap::EditCompany), One, me::profile_put;
    PUT    "/profile/settings"             => OPEN, One, me::settings_put;
    GET    "/profile/balance"              => key_and(P::Account, Cap::SeeBalance), List, me::balance_get;
    GET    "/profile/access-codes"         => OPEN, List, me::codes_get;
    GET    "/profile/tokens"               => role(Cap::ManageTokens), List, me::tokens_get;
    POST   "/profile/tokens"               => role(Cap::ManageTokens), One, me::token_post;
    DELETE "/profile/tokens/{id}"          => role(Cap::ManageTokens), One, me::token_delete;
    GET    "/portal/cdrs"                  => cdrs(BY_QUERY), One, portal_data::cdrs_get;
    GET    "/portal/statistics"            => statistics(BY_QUERY), One, portal_data::statistics_get;
    GET    "/portal/active-calls"          => key(P::OutgoingActiveCalls), One, portal_data::active_calls_get;
    GET    "/portal/rateplans"             => key(P::OutgoingRateplans), List, portal_data::rateplans_get;
    GET    "/portal/numberlists"           => key(P::OutgoingNumberlists), List, portal_data::numberlists_get;
    POST   "/portal/numberlists/{id}/items" => key(P::OutgoingNumberlists), One, portal_data::numberlist_item_post;
    DELETE "/portal/numberlists/{id}/items/{item}" => key(P::OutgoingNumberlists), One, portal_data::numberlist_item_delete;
    GET    "/portal/invoices"              => key(P::Invoices), List, portal_data::invoices_get;
    GET    "/portal/payments"              => key(P::Payments), List, portal_data::payments_get;
    GET    "/portal/services"              => key(P::Services), List, portal_data::services_get;
    GET    "/portal/transactions"          => key(P::Transactions), List, portal_data::transactions_get;
    GET    "/portal/numbers"               => key(P::MyNumbers), List, portal_data::numbers_get;
    GET    "/portal/campaigns"             => key(P::MyCampaigns), List, portal_data::campaigns_get;
}

/// Probes and static files: no session is loaded for them, so they answer even while the
/// database is away. The Cryptomus webhook authenticates by its own signature.
pub fn configure_sessionless(cfg: &mut web::ServiceConfig) {
    use crate::web::{assets, health};
    cfg.route("/healthz", web::get().to(health::healthz_get))
        .route("/readyz", web::get().to(health::readyz_get))
        .route("/metrics", web::get().to(crate::telemetry::metrics_get))
        .route("/static/{path:.*}", web::get().to(assets::static_get))
        .route("/webhooks/cryptomus", web::post().to(crate::web::portal::topups::cryptomus_webhook));
}

/// Everything that has a session: sign-in pages, the portal, the admin area and the API.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use crate::web::login;
    cfg.app_data(web::FormConfig::default().limit(1024 * 1024))
        .app_data(web::JsonConfig::default().limit(1024 * 1024))
        .route("/", web::get().to(login::root_get))
        .route("/login", web::get().to(login::login_get))
        .route("/login", web::post().to(login::login_post))
        .route("/logout", web::post().to(login::logout_post))
        .route("/invitation/{token}", web::get().to(login::invitation_get))
        .route("/invitation/{token}", web::post().to(login::invitation_post))
        .route("/login/2fa", web::get().to(crate::web::two_factor::login_2fa_get))
        .route("/login/2fa", web::post().to(crate::web::two_factor::login_2fa_post))
        .route("/account/2fa", web::get().to(crate::web::two_factor::account_2fa_get))
        .route("/account/2fa", web::post().to(crate::web::two_factor::account_2fa_post))
        .route("/account/2fa/disable", web::post().to(crate::web::two_factor::account_2fa_disable_post))
        .route("/password/forgot", web::get().to(crate::web::password_reset::forgot_get))
        .route("/password/forgot", web::post().to(crate::web::password_reset::forgot_post))
        .route("/password/reset/{token}", web::get().to(crate::web::password_reset::reset_get))
        .route("/password/reset/{token}", web::post().to(crate::web::password_reset::reset_post))
        .route("/api/openapi.json", web::get().to(crate::openapi::openapi_get))
        .service(web::scope(Area::Portal.prefix()).configure(table::register_portal))
        .service(web::scope(Area::Admin.prefix()).configure(table::register_admin))
        .service(
            web::scope(Area::Api.prefix())
                .app_data(crate::api::body::json_config())
                .app_data(web::PayloadConfig::new(crate::api::BODY_LIMIT))
                .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
                .app_data(
                    web::QueryConfig::default().error_handler(|e, _| AppError::bad_request(format!("{e}")).into()),
                )
                .configure(table::register_api)
                .default_service(web::to(api_unrouted)),
        )
        .default_service(web::to(not_found));
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// An API path that no line matches: 405 with `Allow` when only the method is wrong, else 404.
async fn api_unrouted(req: HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    let rest = req.path().strip_prefix(Area::Api.prefix()).unwrap_or("");
    let allowed = allowed_methods(API_ROUTES, rest);
    if allowed.is_empty() {
        return AppError::NotFound.error_response();
    }
    let mut resp = crate::error::json_error(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        "bad_request",
        format!("{} is not supported here; use {}.", req.method(), allowed.join(", ")),
        &[],
    );
    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&allowed.join(", ")) {
        resp.headers_mut().insert(actix_web::http::header::ALLOW, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_unique_and_well_formed() {
        for t in [PORTAL_ROUTES, ADMIN_ROUTES, API_ROUTES] {
            for (i, a) in t.iter().enumerate() {
                assert!(a.path.is_empty() || a.path.starts_with('/'), "{}", a.path);
                assert!(!a.path.ends_with(".csv"));
                for b in &t[i + 1..] {
                    assert!(!(a.method == b.method && a.path == b.path), "{} {}", a.method, a.path);
                }
                if a.surface == crate::http::routes::Surface::List {
                    assert_eq!(a.method, "GET", "lists are GET: {}", a.path);
                }
            }
        }
    }

    #[test]
    fn wrong_methods_are_named() {
        assert_eq!(allowed_methods(API_ROUTES, "/customers/5"), vec!["GET", "PUT", "DELETE"]);
        assert_eq!(allowed_methods(API_ROUTES, "/customers.csv"), vec!["GET"]);
        assert!(allowed_methods(API_ROUTES, "/nothing").is_empty());
    }
}
