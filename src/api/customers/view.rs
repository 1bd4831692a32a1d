//! The customer view (SPEC §8): what a customer user's `GET /customers` (JSON and CSV) shows
//! of its own customer and its descendants. Operator-internal fields — `billingSettings`,
//! `integrationData`, `data`, `tags`, `groups`, `referenceId`, `accessProfileId`,
//! `effectiveAccessProfileId`, `createdBy`, `lastModifiedBy`, `isStaging`, `schedule` — are not
//! part of this type at all, so no path can leak them.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::customers::Customer;
use crate::customers::settings::AppSettings;

use super::types::{CrumbOut, CustomerOut};

/// A customer as its own users see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)] // its schema then says `additionalProperties: false`: a full customer is not a view
#[schema(as = CustomerView)]
pub struct CustomerView {
    pub id: i64,
    pub name: String,
    pub parent_customer_id: Option<i64>,
    /// Ancestors from the root down to the parent.
    pub breadcrumb: Vec<CrumbOut>,
    pub company_name: String,
    pub country_code: String,
    pub phone: String,
    /// The settings in force (its own, else inherited, else the defaults).
    pub app_settings: AppSettings,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl CustomerView {
    /// `effective` are the app settings in force for the customer.
    pub fn of(c: &Customer, effective: AppSettings) -> CustomerView {
        let full = CustomerOut::of(c, None);
        CustomerView {
            id: full.id,
            name: full.name,
            parent_customer_id: full.parent_customer_id,
            breadcrumb: full.breadcrumb,
            company_name: full.company_name,
            country_code: full.country_code,
            phone: full.phone,
            app_settings: effective,
            created_at: full.created_at,
            updated_at: full.updated_at,
        }
    }
}

/// What `GET /customers` answers: the full customer to staff, the customer view to customer
/// users.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum CustomerAnswer {
    Staff(Box<CustomerOut>),
    Customer(Box<CustomerView>),
}

/// The JSON of a customer-view list row.
pub fn view_out(c: &Customer, effective: AppSettings) -> Value {
    serde_json::to_value(CustomerView::of(c, effective)).unwrap_or_default()
}

/// The CSV columns of the customer view.
pub fn view_columns() -> Vec<String> {
    [
        "id",
        "name",
        "parentCustomerId",
        "breadcrumb",
        "companyName",
        "countryCode",
        "phone",
        "appSettings.pageTitle",
        "appSettings.customCss",
        "appSettings.theme",
        "appSettings.logoutUrl",
        "appSettings.stringMappings",
        "createdAt",
        "updatedAt",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_has_exactly_the_listed_fields() {
        let fields: Vec<String> = match <CustomerView as utoipa::PartialSchema>::schema() {
            utoipa::openapi::RefOr::T(utoipa::openapi::schema::Schema::Object(o)) => {
                o.properties.keys().cloned().collect()
            }
            _ => panic!("CustomerView is an object"),
        };
        let mut want = vec![
            "id",
            "name",
            "parentCustomerId",
            "breadcrumb",
            "companyName",
            "countryCode",
            "phone",
            "appSettings",
            "createdAt",
            "updatedAt",
        ];
        want.sort();
        let mut got: Vec<&str> = fields.iter().map(String::as_str).collect();
        got.sort();
        assert_eq!(got, want);
        for column in view_columns() {
            let top = column.split('.').next().unwrap_or_default();
            assert!(want.contains(&top), "CSV column {column} stays within the view");
        }
    }
}
