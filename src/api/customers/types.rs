//! The wire types of the customer API (SPEC §4): what GET answers, what POST and PUT accept,
//! the list's filters and CSV columns.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::api::list::{FilterKind, FilterSpec, ListSpec, list_params};
use crate::api::read_only::with_read_only;
use crate::api::schema::{FreeData, decimal_ok, invalid, max_chars, nullable, time};
use crate::customers::settings::{AppSettings, BILLING_ITEMS, BillingItem, Schedule, parse_billing, parse_schedule};
use crate::customers::{Customer, CustomerInput};
use crate::error::{AppError, AppResult};

/// One of the tag colours of SPEC §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum TagColor {
    Magenta,
    Red,
    Volcano,
    Orange,
    Gold,
    Lime,
    Green,
    Cyan,
    Blue,
    GeekBlue,
    Purple,
}

impl TagColor {
    pub fn as_str(self) -> &'static str {
        match self {
            TagColor::Magenta => "Magenta",
            TagColor::Red => "Red",
            TagColor::Volcano => "Volcano",
            TagColor::Orange => "Orange",
            TagColor::Gold => "Gold",
            TagColor::Lime => "Lime",
            TagColor::Green => "Green",
            TagColor::Cyan => "Cyan",
            TagColor::Blue => "Blue",
            TagColor::GeekBlue => "GeekBlue",
            TagColor::Purple => "Purple",
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Tag)]
pub struct TagOut {
    pub id: i64,
    pub name: String,
    #[schema(value_type = TagColor)]
    pub color: String,
}

impl From<&crate::customers::groups::Tag> for TagOut {
    fn from(t: &crate::customers::groups::Tag) -> Self {
        TagOut { id: t.id, name: t.name.clone(), color: t.color.clone() }
    }
}

/// An ancestor in the breadcrumb.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CustomerCrumb)]
pub struct CrumbOut {
    pub id: i64,
    pub name: String,
}

/// An id of a third-party system.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IntegrationEntry {
    #[schema(max_length = 200)]
    pub third_party_id: String,
}

/// The API's billing settings: one optional field per item of `BILLING_ITEMS`.
macro_rules! billing_settings {
    ($($item:ident),*) => {
        /// Billing settings: one optional item per kind, each with decimal-string money.
        #[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct BillingSettings {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $item: Option<BillingItem>,
            )*
        }
    };
}
billing_settings!(
    base,
    local_numbers,
    toll_free_numbers,
    inbound_voice_calls,
    outbound_voice_calls,
    inbound_sms_messages,
    outbound_sms_messages
);

/// A customer as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Customer)]
pub struct CustomerOut {
    pub id: i64,
    pub name: String,
    /// The operator's own id, unique when set.
    pub reference_id: Option<String>,
    pub parent_customer_id: Option<i64>,
    /// Ancestors from the root down to the parent.
    pub breadcrumb: Vec<CrumbOut>,
    pub is_staging: bool,
    pub tags: Vec<TagOut>,
    /// Customer group names.
    pub groups: Vec<String>,
    /// The customer's own access profile.
    pub access_profile_id: Option<i64>,
    /// The profile in force: its own, else the nearest ancestor's, else the default one.
    pub effective_access_profile_id: Option<i64>,
    /// Free data: string, number, bool, list or object values.
    #[schema(value_type = FreeData)]
    pub data: Value,
    #[schema(value_type = BTreeMap<String, IntegrationEntry>)]
    pub integration_data: Value,
    pub override_app_settings: bool,
    pub app_settings: AppSettings,
    pub override_billing_settings: bool,
    #[schema(value_type = BillingSettings)]
    pub billing_settings: crate::customers::settings::BillingSettings,
    pub schedule: Option<Schedule>,
    pub company_name: String,
    pub country_code: String,
    pub phone: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub created_by: String,
    pub last_modified_by: String,
}

impl CustomerOut {
    /// The customer as the API shows it, with the profile in force for it (`crate::access::resolve`).
    pub fn of(c: &Customer, effective_access_profile_id: Option<i64>) -> Self {
        let r = &c.row;
        CustomerOut {
            id: r.id,
            name: r.name.clone(),
            reference_id: r.reference_id.clone(),
            parent_customer_id: r.parent_id,
            breadcrumb: c.breadcrumb.iter().map(|b| CrumbOut { id: b.id, name: b.name.clone() }).collect(),
            is_staging: r.is_staging,
            tags: c.tags.iter().map(TagOut::from).collect(),
            groups: c.groups.clone(),
            access_profile_id: r.access_profile_id,
            effective_access_profile_id,
            data: c.data.clone(),
            integration_data: c.integration_data.clone(),
            override_app_settings: r.override_app_settings,
            app_settings: c.app_settings.clone(),
            override_billing_settings: r.override_billing_settings,
            billing_settings: c.billing_settings.clone(),
            schedule: c.schedule.clone(),
            company_name: r.company_name.clone(),
            country_code: r.country_code.clone(),
            phone: r.phone.clone(),
            created_at: time(r.created_at),
            updated_at: time(r.updated_at),
            created_by: r.created_by.clone(),
            last_modified_by: r.last_modified_by.clone(),
        }
    }
}

/// The JSON of a list row.
pub fn out(c: &Customer, effective: Option<i64>) -> Value {
    serde_json::to_value(CustomerOut::of(c, effective)).unwrap_or_default()
}

/// A tag given by id, or as the `{id, name, color}` object GET returned (name and colour are
/// ignored: tags are edited under /tags).
#[derive(Debug, Clone)]
pub enum TagRef {
    Id(i64),
    Object(TagRefObject),
}

impl utoipa::PartialSchema for TagRef {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
            )
            .item(<TagRefObject as utoipa::PartialSchema>::schema())
            .description(Some("A tag id, or the tag object GET returned (only its id is used)."))
            .into()
    }
}

impl ToSchema for TagRef {}

impl<'de> Deserialize<'de> for TagRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TagRef, D::Error> {
        use serde::de::{Error, MapAccess, Unexpected, Visitor, value::MapAccessDeserializer};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TagRef;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a tag id, or a tag object {\"id\": …}")
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<TagRef, E> {
                Ok(TagRef::Id(v))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<TagRef, E> {
                i64::try_from(v).map(TagRef::Id).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<TagRef, E> {
                // JSON Schema counts 2.0 as an integer.
                if v.fract() == 0.0 && v.abs() < 9.0e15 {
                    Ok(TagRef::Id(v as i64))
                } else {
                    Err(E::invalid_type(Unexpected::Float(v), &self))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<TagRef, A::Error> {
                TagRefObject::deserialize(MapAccessDeserializer::new(m)).map(TagRef::Object)
            }
        }
        d.deserialize_any(V)
    }
}

with_read_only! {
    #[derive(Debug, Clone, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct TagRefObject {
        pub id: i64,
    }
    read_only(name, color)
}

impl TagRef {
    fn id(&self) -> i64 {
        match self {
            TagRef::Id(i) => *i,
            TagRef::Object(o) => o.id,
        }
    }
}

/// The fields a customer is written with, from a POST or a PUT body.
pub struct Fields {
    name: String,
    reference_id: Option<String>,
    parent_customer_id: Option<i64>,
    is_staging: bool,
    tags: Vec<TagRef>,
    groups: Vec<String>,
    access_profile_id: Option<i64>,
    data: Map<String, Value>,
    integration_data: BTreeMap<String, IntegrationEntry>,
    override_app_settings: bool,
    app_settings: AppSettings,
    override_billing_settings: bool,
    billing_settings: BillingSettings,
    schedule: Option<Schedule>,
    company_name: String,
    country_code: String,
    phone: String,
}

impl Fields {
    /// The model's input; billing money and the schedule are checked here (422 per field).
    pub fn into_input(self) -> AppResult<(CustomerInput, Option<i64>)> {
        max_chars(&[
            ("name", Some(&self.name), 200),
            ("referenceId", self.reference_id.as_deref(), 100),
            ("companyName", Some(&self.company_name), 200),
        ])?;
        let mut errs = Vec::new();
        let billing_value = serde_json::to_value(&self.billing_settings).map_err(AppError::internal)?;
        for (item, fields) in billing_value.as_object().into_iter().flatten() {
            for (k, v) in fields.as_object().into_iter().flatten() {
                if let Some(text) = v.as_str()
                    && !decimal_ok(text, false)
                {
                    errs.push(crate::error::FieldError::new(
                        format!("billingSettings.{item}.{k}"),
                        format!("`{text}` is not a decimal string ≥ 0 such as \"12.500000\"."),
                    ));
                }
            }
        }
        let billing = parse_billing(&billing_value).unwrap_or_else(|e| {
            errs.extend(e);
            Default::default()
        });
        let schedule = match &self.schedule {
            None => None,
            Some(s) => {
                let v = serde_json::to_value(s).map_err(AppError::internal)?;
                parse_schedule(&v).map(Some).unwrap_or_else(|e| {
                    errs.extend(e);
                    None
                })
            }
        };
        if !errs.is_empty() {
            return Err(invalid(errs));
        }
        let input = CustomerInput {
            name: self.name,
            reference_id: self.reference_id,
            parent_id: self.parent_customer_id,
            is_staging: self.is_staging,
            groups: self.groups,
            tag_ids: self.tags.iter().map(TagRef::id).collect(),
            data: Value::Object(self.data),
            integration_data: serde_json::to_value(&self.integration_data).map_err(AppError::internal)?,
            override_app_settings: self.override_app_settings,
            app_settings: self.app_settings,
            override_billing_settings: self.override_billing_settings,
            billing_settings: billing,
            schedule,
            company_name: self.company_name,
            country_code: self.country_code,
            phone: self.phone,
        };
        Ok((input, self.access_profile_id))
    }
}

with_read_only! {
    /// A new customer: only `name` is required.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schema(as = CustomerCreate)]
    pub struct CustomerCreate {
        #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
        pub name: String,
        #[serde(default)]
        #[schema(max_length = 100)]
        pub reference_id: Option<String>,
        #[serde(default)]
        pub parent_customer_id: Option<i64>,
        #[serde(default)]
        pub is_staging: bool,
        #[serde(default)]
        pub tags: Vec<TagRef>,
        #[serde(default)]
        pub groups: Vec<String>,
        /// Assigned after creation; must be available to the customer (else 422).
        #[serde(default)]
        pub access_profile_id: Option<i64>,
        #[serde(default)]
        #[schema(value_type = FreeData)]
        pub data: Map<String, Value>,
        #[serde(default)]
        pub integration_data: BTreeMap<String, IntegrationEntry>,
        #[serde(default)]
        pub override_app_settings: bool,
        #[serde(default)]
        pub app_settings: AppSettings,
        #[serde(default)]
        pub override_billing_settings: bool,
        #[serde(default)]
        pub billing_settings: BillingSettings,
        #[serde(default)]
        pub schedule: Option<Schedule>,
        #[serde(default)]
        #[schema(max_length = 200)]
        pub company_name: String,
        #[serde(default)]
        #[schema(pattern = r"^\s*([A-Za-z]{2})?\s*$")]
        pub country_code: String,
        #[serde(default)]
        #[schema(pattern = r"^\s*[0-9+() -]{0,32}\s*$")]
        pub phone: String,
    }
    read_only(id, breadcrumb, effective_access_profile_id, created_at, updated_at, created_by, last_modified_by)
}

with_read_only! {
    /// The whole customer as GET returned it. Every writable field must be present (nullable ones
    /// may be `null`); `id`, `breadcrumb`, `effectiveAccessProfileId`, the times and the
    /// `createdBy`/`lastModifiedBy` labels are ignored.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schema(as = CustomerReplace)]
    pub struct CustomerReplace {
        #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
        pub name: String,
        #[serde(deserialize_with = "nullable")]
        #[schema(required = true, max_length = 100)]
        pub reference_id: Option<String>,
        #[serde(deserialize_with = "nullable")]
        #[schema(required = true)]
        pub parent_customer_id: Option<i64>,
        pub is_staging: bool,
        pub tags: Vec<TagRef>,
        pub groups: Vec<String>,
        /// Changing it assigns the profile, which must be available to the customer (else 422).
        #[serde(deserialize_with = "nullable")]
        #[schema(required = true)]
        pub access_profile_id: Option<i64>,
        #[schema(value_type = FreeData)]
        pub data: Map<String, Value>,
        pub integration_data: BTreeMap<String, IntegrationEntry>,
        pub override_app_settings: bool,
        pub app_settings: AppSettings,
        pub override_billing_settings: bool,
        pub billing_settings: BillingSettings,
        #[serde(deserialize_with = "nullable")]
        #[schema(required = true)]
        pub schedule: Option<Schedule>,
        #[schema(max_length = 200)]
        pub company_name: String,
        #[schema(pattern = r"^\s*([A-Za-z]{2})?\s*$")]
        pub country_code: String,
        #[schema(pattern = r"^\s*[0-9+() -]{0,32}\s*$")]
        pub phone: String,
    }
    read_only(id, breadcrumb, effective_access_profile_id, created_at, updated_at, created_by, last_modified_by)
}

/// Both bodies carry the same writable fields.
macro_rules! fields_of {
    ($($body:ty),*) => {$(
        impl From<$body> for Fields {
            fn from(b: $body) -> Fields {
                Fields {
                    name: b.name,
                    reference_id: b.reference_id,
                    parent_customer_id: b.parent_customer_id,
                    is_staging: b.is_staging,
                    tags: b.tags,
                    groups: b.groups,
                    access_profile_id: b.access_profile_id,
                    data: b.data,
                    integration_data: b.integration_data,
                    override_app_settings: b.override_app_settings,
                    app_settings: b.app_settings,
                    override_billing_settings: b.override_billing_settings,
                    billing_settings: b.billing_settings,
                    schedule: b.schedule,
                    company_name: b.company_name,
                    country_code: b.country_code,
                    phone: b.phone,
                }
            }
        }
    )*};
}
fields_of!(CustomerCreate, CustomerReplace);

pub const CUSTOMER_LIST: ListSpec = ListSpec {
    name: "customers",
    sort_fields: &["id", "name", "createdAt", "updatedAt"],
    filters: &[
        FilterSpec {
            name: "accountIds",
            kind: FilterKind::Ids,
            description: "Only the customers owning these billing accounts.",
        },
        FilterSpec {
            name: "nameFilter",
            kind: FilterKind::Text,
            description: "Only customers whose name contains this text (case-insensitive).",
        },
        FilterSpec {
            name: "parentCustomerIds",
            kind: FilterKind::Ids,
            description: "Only descendants of these customers (not the customers themselves).",
        },
        FilterSpec {
            name: "shallowParent",
            kind: FilterKind::Bool,
            description: "With parentCustomerIds: direct children only (default: every descendant).",
        },
        FilterSpec { name: "tagIds", kind: FilterKind::Ids, description: "Only customers carrying all of these tags." },
    ],
    text_ids: None,
};
list_params!(CustomerListParams, CUSTOMER_LIST);

/// The CSV columns of a customer: nested objects flattened to dotted paths; arrays and free
/// objects (`data`, `integrationData`, `stringMappings`, schedule rules) as JSON text.
pub fn columns() -> Vec<String> {
    let mut c: Vec<String> = [
        "id",
        "name",
        "referenceId",
        "parentCustomerId",
        "breadcrumb",
        "isStaging",
        "tags",
        "groups",
        "accessProfileId",
        "effectiveAccessProfileId",
        "data",
        "integrationData",
        "overrideAppSettings",
        "appSettings.pageTitle",
        "appSettings.customCss",
        "appSettings.theme",
        "appSettings.logoutUrl",
        "appSettings.stringMappings",
        "overrideBillingSettings",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for item in BILLING_ITEMS {
        for f in ["baseCost", "unitCost", "rawUnitMultiplier", "allowance"] {
            c.push(format!("billingSettings.{item}.{f}"));
        }
    }
    for s in [
        "schedule.timeZoneId",
        "schedule.inherit",
        "schedule.forceClosed",
        "schedule.defaultState",
        "schedule.rules",
        "companyName",
        "countryCode",
        "phone",
        "createdAt",
        "updatedAt",
        "createdBy",
        "lastModifiedBy",
    ] {
        c.push(s.to_string());
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::groups::TAG_COLORS;

    #[test]
    fn tag_colours_match_the_model() {
        let ours: Vec<&str> = [
            TagColor::Magenta,
            TagColor::Red,
            TagColor::Volcano,
            TagColor::Orange,
            TagColor::Gold,
            TagColor::Lime,
            TagColor::Green,
            TagColor::Cyan,
            TagColor::Blue,
            TagColor::GeekBlue,
            TagColor::Purple,
        ]
        .iter()
        .map(|c| c.as_str())
        .collect();
        assert_eq!(ours, TAG_COLORS.to_vec());
    }

    #[test]
    fn billing_schema_names_every_item() {
        let mut all = BillingSettings::default();
        let item = BillingItem::default();
        all.base = Some(item.clone());
        all.local_numbers = Some(item.clone());
        all.toll_free_numbers = Some(item.clone());
        all.inbound_voice_calls = Some(item.clone());
        all.outbound_voice_calls = Some(item.clone());
        all.inbound_sms_messages = Some(item.clone());
        all.outbound_sms_messages = Some(item);
        let v = serde_json::to_value(&all).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = BILLING_ITEMS.to_vec();
        want.sort();
        let mut got = keys.clone();
        got.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn api_shape_is_the_model_json() {
        let now = crate::now();
        let row = crate::customers::model::CustomerRow {
            id: 3,
            name: "Acme".into(),
            reference_id: Some("R-1".into()),
            parent_id: Some(1),
            is_staging: false,
            access_profile_id: Some(2),
            data: "{}".into(),
            integration_data: "{}".into(),
            override_app_settings: true,
            app_settings: "{}".into(),
            override_billing_settings: false,
            billing_settings: "{}".into(),
            schedule: None,
            company_name: "Acme Ltd".into(),
            country_code: "DE".into(),
            phone: "+49".into(),
            created_at: now,
            updated_at: now,
            created_by: "a".into(),
            last_modified_by: "b".into(),
        };
        let c = Customer {
            row,
            breadcrumb: vec![crate::customers::model::Crumb { id: 1, name: "Root".into() }],
            groups: vec!["VIP".into()],
            tags: vec![crate::customers::groups::Tag { id: 4, name: "t".into(), color: "Red".into(), created_at: now }],
            data: serde_json::json!({"k": [1, "x"]}),
            integration_data: serde_json::json!({"crm": {"thirdPartyId": "9"}}),
            app_settings: AppSettings { page_title: Some("P".into()), ..Default::default() },
            billing_settings: parse_billing(&serde_json::json!({"base": {"baseCost": "1.5"}})).unwrap(),
            schedule: None,
        };
        let mut model = c.to_json();
        model["effectiveAccessProfileId"] = serde_json::json!(5);
        assert_eq!(out(&c, Some(5)), model);
    }
}
