//! Portal sections other than traffic, a file each: the dashboard, account, billing lists and
//! invoices, rateplans, numberlists, numbers and campaigns, daily CDR reports. Each handler
//! parses, calls its domain module, and renders.

pub mod account;
pub mod billing;
pub mod dashboard;
pub mod list;
pub mod numberlists;
pub mod numbers;
pub mod rateplans;
pub mod reports;

pub use account::account_get;
pub use billing::{invoice_get, invoice_pdf_get};
pub use dashboard::{custom_css_get, dashboard_get};
pub use list::list_get;
pub use numberlists::{numberlist_item_add_post, numberlist_item_delete_post, numberlists_get};
pub use numbers::{campaign_create_post, campaigns_get, number_description_post, numbers_get};
pub use rateplans::{rate_check_partial, rateplans_get};
pub use reports::{daily_report_csv, daily_reports_get};

use crate::i18n::Lang;

/// Rows of a page.
pub const PAGE: i64 = 50;

/// A status or period word of billing data (`paid`, `monthly`…) in the page's language; words
/// the catalog does not know are shown as they were sent.
pub fn value_label(lang: Lang, v: &str) -> String {
    let id = format!("value-{}", v.trim().to_lowercase().replace([' ', '_'], "-"));
    lang.try_t(&id).unwrap_or_else(|| v.to_string())
}

/// The request came from htmx (answer a fragment).
fn is_htmx(req: &actix_web::HttpRequest) -> bool {
    req.headers().contains_key("hx-request")
}
