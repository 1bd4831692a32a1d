use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::customers::groups::Tag;
use crate::customers::settings::{self, AppSettings, BillingSettings, Schedule};
use crate::db::DbConnection;
use crate::db::schema::{accounts, customer_group_members, customer_groups, customer_tags, customers, tags};
use crate::error::{AppError, AppResult, FieldError};

/// Hierarchies deeper than this are refused (and never walked further).
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customers)]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub reference_id: Option<String>,
    pub parent_id: Option<i64>,
    pub is_staging: bool,
    pub access_profile_id: Option<i64>,
    pub data: String,
    pub integration_data: String,
    pub override_app_settings: bool,
    pub app_settings: String,
    pub override_billing_settings: bool,
    pub billing_settings: String,
    pub schedule: Option<String>,
    pub company_name: String,
    pub country_code: String,
    pub phone: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub last_modified_by: String,
}

impl CustomerRow {
    pub fn get(conn: &mut DbConnection, id: i64) -> AppResult<CustomerRow> {
        Ok(customers::table.find(id).select(CustomerRow::as_select()).first(conn)?)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Crumb {
    pub id: i64,
    pub name: String,
}

/// A customer with everything attached.
#[derive(Debug, Clone)]
pub struct Customer {
    pub row: CustomerRow,
    pub breadcrumb: Vec<Crumb>,
    pub groups: Vec<String>,
    pub tags: Vec<Tag>,
    pub data: Value,
    pub integration_data: Value,
    pub app_settings: AppSettings,
    pub billing_settings: BillingSettings,
    pub schedule: Option<Schedule>,
    pub effective_access_profile_id: Option<i64>,
}

fn rfc3339(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Customer {
    pub fn id(&self) -> i64 {
        self.row.id
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Customer>> {
        let Some(row) = customers::table.find(id).select(CustomerRow::as_select()).first(conn).optional()? else {
            return Ok(None);
        };
        Ok(Some(Customer::attach(conn, row)?))
    }

    pub fn get(conn: &mut DbConnection, id: i64) -> AppResult<Customer> {
        Customer::find(conn, id)?.ok_or(AppError::NotFound)
    }

    pub fn attach(conn: &mut DbConnection, row: CustomerRow) -> AppResult<Customer> {
        let breadcrumb = breadcrumb(conn, &row)?;
        let groups = group_names(conn, row.id)?;
        let tags: Vec<Tag> = customer_tags::table
            .inner_join(tags::table)
            .filter(customer_tags::customer_id.eq(row.id))
            .order(tags::name.asc())
            .select(Tag::as_select())
            .load(conn)?;
        let effective = crate::access::resolve::effective_profile_id(conn, row.id)?;
        Ok(Customer {
            data: serde_json::from_str(&row.data).unwrap_or_else(|_| json!({})),
            integration_data: serde_json::from_str(&row.integration_data).unwrap_or_else(|_| json!({})),
            app_settings: serde_json::from_str(&row.app_settings).unwrap_or_default(),
            billing_settings: serde_json::from_str(&row.billing_settings).unwrap_or_default(),
            schedule: row.schedule.as_deref().and_then(|s| serde_json::from_str(s).ok()),
            effective_access_profile_id: effective,
            breadcrumb,
            groups,
            tags,
            row,
        })
    }

    /// The API/audit JSON of SPEC §4.
    pub fn to_json(&self) -> Value {
        let r = &self.row;
        json!({
            "id": r.id,
            "name": r.name,
            "referenceId": r.reference_id,
            "parentCustomerId": r.parent_id,
            "breadcrumb": self.breadcrumb,
            "isStaging": r.is_staging,
            "tags": self.tags,
            "groups": self.groups,
            "accessProfileId": r.access_profile_id,
            "effectiveAccessProfileId": self.effective_access_profile_id,
            "data": self.data,
            "integrationData": self.integration_data,
            "overrideAppSettings": r.override_app_settings,
            "appSettings": self.app_settings,
            "overrideBillingSettings": r.override_billing_settings,
            "billingSettings": self.billing_settings,
            "schedule": self.schedule,
            "companyName": r.company_name,
            "countryCode": r.country_code,
            "phone": r.phone,
            "createdAt": rfc3339(r.created_at),
            "updatedAt": rfc3339(r.updated_at),
            "createdBy": r.created_by,
            "lastModifiedBy": r.last_modified_by,
        })
    }

    pub fn input(&self) -> CustomerInput {
        let r = &self.row;
        CustomerInput {
            name: r.name.clone(),
            reference_id: r.reference_id.clone(),
            parent_id: r.parent_id,
            is_staging: r.is_staging,
            groups: self.groups.clone(),
            tag_ids: self.tags.iter().map(|t| t.id).collect(),
            data: self.data.clone(),
            integration_data: self.integration_data.clone(),
            override_app_settings: r.override_app_settings,
            app_settings: self.app_settings.clone(),
            override_billing_settings: r.override_billing_settings,
            billing_settings: self.billing_settings.clone(),
            schedule: self.schedule.clone(),
            company_name: r.company_name.clone(),
            country_code: r.country_code.clone(),
            phone: r.phone.clone(),
        }
    }
}

/// The customer's own id followed by its ancestors, nearest first.
pub fn ancestry(conn: &mut DbConnection, id: i64) -> AppResult<Vec<i64>> {
    let mut out = vec![id];
    let mut cur = id;
    for _ in 0..MAX_DEPTH {
        let parent: Option<Option<i64>> =
            customers::table.find(cur).select(customers::parent_id).first(conn).optional()?;
        match parent.flatten() {
            Some(p) if !out.contains(&p) => {
                out.push(p);
                cur = p;
            }
            _ => break,
        }
    }
    Ok(out)
}

/// Ancestors from the root down to the parent.
pub fn breadcrumb(conn: &mut DbConnection, row: &CustomerRow) -> AppResult<Vec<Crumb>> {
    let Some(parent) = row.parent_id else { return Ok(vec![]) };
    let ids = ancestry(conn, parent)?;
    let names: Vec<(i64, String)> =
        customers::table.filter(customers::id.eq_any(&ids)).select((customers::id, customers::name)).load(conn)?;
    Ok(ids
        .iter()
        .rev()
        .filter_map(|id| names.iter().find(|(i, _)| i == id).map(|(i, n)| Crumb { id: *i, name: n.clone() }))
        .collect())
}

/// Every descendant of a customer (not the customer itself).
pub fn descendants(conn: &mut DbConnection, id: i64) -> AppResult<Vec<i64>> {
    let mut out: Vec<i64> = Vec::new();
    let mut frontier = vec![id];
    for _ in 0..MAX_DEPTH {
        if frontier.is_empty() {
            break;
        }
        let children: Vec<i64> =
            customers::table.filter(customers::parent_id.eq_any(&frontier)).select(customers::id).load(conn)?;
        frontier = children.into_iter().filter(|c| !out.contains(c) && *c != id).collect();
        out.extend(&frontier);
    }
    Ok(out)
}

pub fn direct_children(conn: &mut DbConnection, id: i64) -> AppResult<Vec<i64>> {
    Ok(customers::table.filter(customers::parent_id.eq(id)).select(customers::id).load(conn)?)
}

pub fn group_names(conn: &mut DbConnection, id: i64) -> AppResult<Vec<String>> {
    Ok(customer_group_members::table
        .inner_join(customer_groups::table)
        .filter(customer_group_members::customer_id.eq(id))
        .order(customer_groups::name.asc())
        .select(customer_groups::name)
        .load(conn)?)
}

/// App settings after inheritance: the first customer up the chain that overrides, else the
/// system defaults.
pub fn effective_app_settings(conn: &mut DbConnection, id: i64) -> AppResult<AppSettings> {
    for cid in ancestry(conn, id)? {
        let (ov, s): (bool, String) = customers::table
            .find(cid)
            .select((customers::override_app_settings, customers::app_settings))
            .first(conn)?;
        if ov {
            return Ok(serde_json::from_str(&s).unwrap_or_default());
        }
    }
    Ok(AppSettings::default())
}

pub fn effective_billing_settings(conn: &mut DbConnection, id: i64) -> AppResult<BillingSettings> {
    for cid in ancestry(conn, id)? {
        let (ov, s): (bool, String) = customers::table
            .find(cid)
            .select((customers::override_billing_settings, customers::billing_settings))
            .first(conn)?;
        if ov {
            return Ok(serde_json::from_str(&s).unwrap_or_default());
        }
    }
    Ok(BillingSettings::default())
}

/// Validated customer fields, the same for the admin form and the API.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerInput {
    pub name: String,
    pub reference_id: Option<String>,
    pub parent_id: Option<i64>,
    pub is_staging: bool,
    pub groups: Vec<String>,
    pub tag_ids: Vec<i64>,
    pub data: Value,
    pub integration_data: Value,
    pub override_app_settings: bool,
    pub app_settings: AppSettings,
    pub override_billing_settings: bool,
    pub billing_settings: BillingSettings,
    pub schedule: Option<Schedule>,
    pub company_name: String,
    pub country_code: String,
    pub phone: String,
}

impl CustomerInput {
    pub fn named(name: &str) -> CustomerInput {
        CustomerInput {
            name: name.into(),
            reference_id: None,
            parent_id: None,
            is_staging: false,
            groups: vec![],
            tag_ids: vec![],
            data: json!({}),
            integration_data: json!({}),
            override_app_settings: false,
            app_settings: AppSettings::default(),
            override_billing_settings: false,
            billing_settings: BillingSettings::default(),
            schedule: None,
            company_name: String::new(),
            country_code: String::new(),
            phone: String::new(),
        }
    }

    /// Checks what can be checked without the database.
    pub fn check(&mut self) -> Vec<FieldError> {
        let mut e = Vec::new();
        self.name = self.name.trim().to_string();
        let n = self.name.chars().count();
        if n == 0 || n > 200 {
            e.push(FieldError::new("name", "Give the customer a name of 1 to 200 characters."));
        }
        self.reference_id = self.reference_id.as_ref().map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
        if self.reference_id.as_ref().is_some_and(|r| r.chars().count() > 100) {
            e.push(FieldError::new("referenceId", "At most 100 characters."));
        }
        check_data(&self.data, &mut e);
        check_integration(&self.integration_data, &mut e);
        e.extend(self.app_settings.validate());
        self.company_name = self.company_name.trim().to_string();
        if self.company_name.chars().count() > 200 {
            e.push(FieldError::new("companyName", "At most 200 characters."));
        }
        self.country_code = self.country_code.trim().to_uppercase();
        if !self.country_code.is_empty()
            && (self.country_code.len() != 2 || !self.country_code.chars().all(|c| c.is_ascii_uppercase()))
        {
            e.push(FieldError::new("countryCode", "Use a two-letter ISO 3166 country code such as DE."));
        }
        self.phone = self.phone.trim().to_string();
        if self.phone.len() > 32
            || !self.phone.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'))
        {
            e.push(FieldError::new("phone", "Use digits, spaces, +, - and brackets (at most 32)."));
        }
        self.groups.sort();
        self.groups.dedup();
        self.tag_ids.sort();
        self.tag_ids.dedup();
        e
    }
}

fn check_data(v: &Value, e: &mut Vec<FieldError>) {
    let Some(obj) = v.as_object() else {
        e.push(FieldError::new("data", "Expected a JSON object."));
        return;
    };
    if v.to_string().len() > 64 * 1024 {
        e.push(FieldError::new("data", "At most 64 KiB of data."));
    }
    for (k, val) in obj {
        if val.is_null() {
            e.push(FieldError::new(
                format!("data.{k}"),
                "Values are strings, numbers, booleans, lists or objects (not null).",
            ));
        }
    }
}

fn check_integration(v: &Value, e: &mut Vec<FieldError>) {
    let Some(obj) = v.as_object() else {
        e.push(FieldError::new("integrationData", "Expected {\"systemName\": {\"thirdPartyId\": \"…\"}}."));
        return;
    };
    for (system, val) in obj {
        let ok = system.chars().count() <= 100
            && val.as_object().is_some_and(|o| {
                o.len() == 1 && o.get("thirdPartyId").is_some_and(|t| t.as_str().is_some_and(|s| s.len() <= 200))
            });
        if !ok {
            e.push(FieldError::new(format!("integrationData.{system}"), "Expected {\"thirdPartyId\": \"…\"}."));
        }
    }
}

fn errors(e: Vec<FieldError>) -> AppError {
    let msg = e.first().map(|x| x.message.clone()).unwrap_or_default();
    AppError::Unprocessable(msg, e)
}

/// Checks the references of an input: parent (and cycles), groups, tags, reference id.
fn check_refs(conn: &mut DbConnection, id: Option<i64>, input: &CustomerInput) -> AppResult<()> {
    let mut e = Vec::new();
    if let Some(p) = input.parent_id {
        let exists: i64 = customers::table.filter(customers::id.eq(p)).count().get_result(conn)?;
        if exists == 0 {
            e.push(FieldError::new("parentCustomerId", format!("There is no customer {p}.")));
        } else {
            let chain = ancestry(conn, p)?;
            if id.is_some_and(|me| chain.contains(&me)) {
                e.push(FieldError::new(
                    "parentCustomerId",
                    "A customer cannot be placed below itself or its descendants.",
                ));
            } else if chain.len() >= MAX_DEPTH {
                e.push(FieldError::new(
                    "parentCustomerId",
                    format!("Hierarchies are at most {MAX_DEPTH} levels deep."),
                ));
            }
        }
    }
    for g in &input.groups {
        let n: i64 = customer_groups::table.filter(customer_groups::name.eq(g)).count().get_result(conn)?;
        if n == 0 {
            e.push(FieldError::new("groups", format!("There is no customer group named {g}.")));
        }
    }
    for t in &input.tag_ids {
        let n: i64 = tags::table.filter(tags::id.eq(t)).count().get_result(conn)?;
        if n == 0 {
            e.push(FieldError::new("tags", format!("There is no tag {t}.")));
        }
    }
    if let Some(r) = &input.reference_id {
        let mut q = customers::table.filter(customers::reference_id.eq(r)).into_boxed();
        if let Some(me) = id {
            q = q.filter(customers::id.ne(me));
        }
        let n: i64 = q.count().get_result(conn)?;
        if n > 0 {
            e.push(FieldError::new("referenceId", "Another customer has this reference id."));
        }
    }
    if e.is_empty() { Ok(()) } else { Err(errors(e)) }
}

fn write_links(conn: &mut DbConnection, id: i64, input: &CustomerInput) -> AppResult<()> {
    diesel::delete(customer_group_members::table.filter(customer_group_members::customer_id.eq(id))).execute(conn)?;
    for g in &input.groups {
        let gid: i64 =
            customer_groups::table.filter(customer_groups::name.eq(g)).select(customer_groups::id).first(conn)?;
        diesel::insert_into(customer_group_members::table)
            .values((customer_group_members::customer_id.eq(id), customer_group_members::group_id.eq(gid)))
            .execute(conn)?;
    }
    diesel::delete(customer_tags::table.filter(customer_tags::customer_id.eq(id))).execute(conn)?;
    for t in &input.tag_ids {
        diesel::insert_into(customer_tags::table)
            .values((customer_tags::customer_id.eq(id), customer_tags::tag_id.eq(t)))
            .execute(conn)?;
    }
    Ok(())
}

fn json_text<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "{}".into())
}

/// Creates a customer; call inside a transaction.
pub fn create(conn: &mut DbConnection, mut input: CustomerInput, actor: &str) -> AppResult<Customer> {
    let e = input.check();
    if !e.is_empty() {
        return Err(errors(e));
    }
    check_refs(conn, None, &input)?;
    let now = crate::now();
    let marker = format!("__creating_{}", crate::auth::sessions::random_token(12));
    diesel::insert_into(customers::table)
        .values((
            customers::name.eq(&input.name),
            customers::reference_id.eq(&marker),
            customers::parent_id.eq(input.parent_id),
            customers::is_staging.eq(input.is_staging),
            customers::data.eq(json_text(&input.data)),
            customers::integration_data.eq(json_text(&input.integration_data)),
            customers::override_app_settings.eq(input.override_app_settings),
            customers::app_settings.eq(json_text(&input.app_settings)),
            customers::override_billing_settings.eq(input.override_billing_settings),
            customers::billing_settings.eq(json_text(&input.billing_settings)),
            customers::schedule.eq(input.schedule.as_ref().map(json_text)),
            customers::company_name.eq(&input.company_name),
            customers::country_code.eq(&input.country_code),
            customers::phone.eq(&input.phone),
            customers::created_at.eq(now),
            customers::updated_at.eq(now),
            customers::created_by.eq(actor),
            customers::last_modified_by.eq(actor),
        ))
        .execute(conn)?;
    let id: i64 = customers::table.filter(customers::reference_id.eq(&marker)).select(customers::id).first(conn)?;
    diesel::update(customers::table.find(id)).set(customers::reference_id.eq(&input.reference_id)).execute(conn)?;
    write_links(conn, id, &input)?;
    Customer::get(conn, id)
}

/// Replaces a customer's editable fields; call inside a transaction.
pub fn update(conn: &mut DbConnection, id: i64, mut input: CustomerInput, actor: &str) -> AppResult<Customer> {
    let e = input.check();
    if !e.is_empty() {
        return Err(errors(e));
    }
    Customer::get(conn, id)?;
    check_refs(conn, Some(id), &input)?;
    diesel::update(customers::table.find(id))
        .set((
            customers::name.eq(&input.name),
            customers::reference_id.eq(&input.reference_id),
            customers::parent_id.eq(input.parent_id),
            customers::is_staging.eq(input.is_staging),
            customers::data.eq(json_text(&input.data)),
            customers::integration_data.eq(json_text(&input.integration_data)),
            customers::override_app_settings.eq(input.override_app_settings),
            customers::app_settings.eq(json_text(&input.app_settings)),
            customers::override_billing_settings.eq(input.override_billing_settings),
            customers::billing_settings.eq(json_text(&input.billing_settings)),
            customers::schedule.eq(input.schedule.as_ref().map(json_text)),
            customers::company_name.eq(&input.company_name),
            customers::country_code.eq(&input.country_code),
            customers::phone.eq(&input.phone),
            customers::updated_at.eq(crate::now()),
            customers::last_modified_by.eq(actor),
        ))
        .execute(conn)?;
    write_links(conn, id, &input)?;
    // A profile assigned for this customer's former place may no longer be available.
    if let Some(pid) = customers::table.find(id).select(customers::access_profile_id).first::<Option<i64>>(conn)?
        && let Some(p) = crate::profiles::Profile::find(conn, pid)?
        && !p.available_to(conn, id)?
    {
        return Err(AppError::field(
            "accessProfileId",
            format!("The assigned profile \"{}\" is not available to the customer after this change.", p.name),
        ));
    }
    Customer::get(conn, id)
}

/// Updates only the company profile (customer administrators, SPEC §5/§8).
pub fn update_company(
    conn: &mut DbConnection,
    id: i64,
    company: &str,
    country: &str,
    phone: &str,
    actor: &str,
) -> AppResult<Customer> {
    let mut input = Customer::get(conn, id)?.input();
    input.company_name = company.into();
    input.country_code = country.into();
    input.phone = phone.into();
    let e = input.check();
    if !e.is_empty() {
        return Err(errors(e));
    }
    diesel::update(customers::table.find(id))
        .set((
            customers::company_name.eq(&input.company_name),
            customers::country_code.eq(&input.country_code),
            customers::phone.eq(&input.phone),
            customers::updated_at.eq(crate::now()),
            customers::last_modified_by.eq(actor),
        ))
        .execute(conn)?;
    Customer::get(conn, id)
}

/// Deletes a customer without children (their users, accounts and codes go with it).
pub fn delete(conn: &mut DbConnection, id: i64) -> AppResult<Customer> {
    let c = Customer::get(conn, id)?;
    let kids = direct_children(conn, id)?.len();
    if kids > 0 {
        return Err(AppError::conflict(format!("The customer has {kids} sub-customer(s); move or delete them first.")));
    }
    // Checked here rather than left to the foreign key, whose error SQLite does not classify.
    let made_for: i64 = crate::db::schema::access_profiles::table
        .filter(crate::db::schema::access_profiles::customer_id.eq(id))
        .count()
        .get_result(conn)?;
    if made_for > 0 {
        return Err(AppError::conflict(format!(
            "{made_for} access profile(s) are made available to this customer; change or delete them first."
        )));
    }
    diesel::delete(customers::table.find(id)).execute(conn)?;
    Ok(c)
}

/// Assigns (or clears) the customer's own access profile, checking availability.
pub fn assign_profile(conn: &mut DbConnection, id: i64, profile: Option<i64>, actor: &str) -> AppResult<()> {
    Customer::get(conn, id)?;
    if let Some(pid) = profile {
        let p = crate::profiles::Profile::find(conn, pid)?
            .ok_or_else(|| AppError::field("accessProfileId", format!("There is no access profile {pid}.")))?;
        if !p.available_to(conn, id)? {
            return Err(AppError::field(
                "accessProfileId",
                format!("The profile \"{}\" is not available to this customer ({}).", p.name, p.availability.label()),
            ));
        }
    }
    diesel::update(customers::table.find(id))
        .set((
            customers::access_profile_id.eq(profile),
            customers::updated_at.eq(crate::now()),
            customers::last_modified_by.eq(actor),
        ))
        .execute(conn)?;
    Ok(())
}

/// Filters of the customer list (admin page and API).
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub name_filter: Option<String>,
    pub parent_ids: Vec<i64>,
    pub shallow_parent: bool,
    pub tag_ids: Vec<i64>,
    pub account_ids: Vec<i64>,
    pub group_id: Option<i64>,
    pub profile_id: Option<i64>,
    pub specific_ids: Vec<i64>,
    /// Restrict to these customers (a customer user's own subtree).
    pub within: Option<Vec<i64>>,
}

/// The ids matching a filter, for the list queries below.
fn filtered_ids(conn: &mut DbConnection, f: &CustomerFilter) -> AppResult<Option<Vec<i64>>> {
    let mut set: Option<Vec<i64>> = f.within.clone();
    let mut narrow = |ids: Vec<i64>| {
        set = Some(match set.take() {
            None => ids,
            Some(prev) => prev.into_iter().filter(|x| ids.contains(x)).collect(),
        });
    };
    if !f.parent_ids.is_empty() {
        let mut ids = Vec::new();
        for p in &f.parent_ids {
            if f.shallow_parent {
                ids.extend(direct_children(conn, *p)?);
            } else {
                ids.extend(descendants(conn, *p)?);
            }
        }
        narrow(ids);
    }
    if !f.tag_ids.is_empty() {
        let rows: Vec<(i64, i64)> = customer_tags::table
            .filter(customer_tags::tag_id.eq_any(&f.tag_ids))
            .select((customer_tags::customer_id, customer_tags::tag_id))
            .load(conn)?;
        let mut ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        ids.sort();
        ids.dedup();
        let ids = ids.into_iter().filter(|c| f.tag_ids.iter().all(|t| rows.contains(&(*c, *t)))).collect();
        narrow(ids);
    }
    if !f.account_ids.is_empty() {
        let ids: Vec<i64> =
            accounts::table.filter(accounts::id.eq_any(&f.account_ids)).select(accounts::customer_id).load(conn)?;
        narrow(ids);
    }
    if let Some(g) = f.group_id {
        let ids: Vec<i64> = customer_group_members::table
            .filter(customer_group_members::group_id.eq(g))
            .select(customer_group_members::customer_id)
            .load(conn)?;
        narrow(ids);
    }
    if !f.specific_ids.is_empty() {
        narrow(f.specific_ids.clone());
    }
    Ok(set)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    Id,
    Name,
    CreatedAt,
    UpdatedAt,
}

/// One page of customers matching the filter, and the total when asked for.
pub fn list(
    conn: &mut DbConnection,
    f: &CustomerFilter,
    sort: (SortField, bool),
    offset: i64,
    limit: i64,
    with_total: bool,
) -> AppResult<(Vec<CustomerRow>, Option<i64>)> {
    let ids = filtered_ids(conn, f)?;
    let build = |ids: &Option<Vec<i64>>| {
        let mut q = customers::table.into_boxed();
        if let Some(ids) = ids {
            q = q.filter(customers::id.eq_any(ids.clone()));
        }
        if let Some(n) = f.name_filter.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let pat = format!("%{}%", crate::audit::model::escape_like(&n.to_lowercase()));
            q = q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("LOWER(customers.name) LIKE ")
                    .bind::<diesel::sql_types::Text, _>(pat)
                    .sql(" ESCAPE '\\'"),
            );
        }
        if let Some(p) = f.profile_id {
            q = q.filter(customers::access_profile_id.eq(p));
        }
        q
    };
    let total = if with_total { Some(build(&ids).count().get_result::<i64>(conn)?) } else { None };
    let q = build(&ids);
    let (field, asc) = sort;
    let q = match (field, asc) {
        (SortField::Id, true) => q.order(customers::id.asc()),
        (SortField::Id, false) => q.order(customers::id.desc()),
        (SortField::Name, true) => q.order((customers::name.asc(), customers::id.asc())),
        (SortField::Name, false) => q.order((customers::name.desc(), customers::id.desc())),
        (SortField::CreatedAt, true) => q.order((customers::created_at.asc(), customers::id.asc())),
        (SortField::CreatedAt, false) => q.order((customers::created_at.desc(), customers::id.desc())),
        (SortField::UpdatedAt, true) => q.order((customers::updated_at.asc(), customers::id.asc())),
        (SortField::UpdatedAt, false) => q.order((customers::updated_at.desc(), customers::id.desc())),
    };
    let rows = q.offset(offset).limit(limit).select(CustomerRow::as_select()).load(conn)?;
    Ok((rows, total))
}

/// How many customers there are, and how many of them have no profile of their own (the admin
/// dashboard).
pub fn counts(conn: &mut DbConnection) -> AppResult<(i64, i64)> {
    let all: i64 = customers::table.count().get_result(conn)?;
    let unassigned: i64 = customers::table.filter(customers::access_profile_id.is_null()).count().get_result(conn)?;
    Ok((all, unassigned))
}

/// Every customer's id and name, for pickers.
pub fn all_names(conn: &mut DbConnection) -> AppResult<Vec<(i64, String)>> {
    Ok(customers::table.order(customers::name.asc()).select((customers::id, customers::name)).limit(5000).load(conn)?)
}

/// Inserts a customer with just a name and parent (tests, demo); returns its id.
pub fn insert_basic(conn: &mut DbConnection, name: &str, parent: Option<i64>) -> AppResult<i64> {
    let mut input = CustomerInput::named(name);
    input.parent_id = parent;
    Ok(create(conn, input, "system")?.id())
}

pub fn parse_json_field(field: &str, text: &str, e: &mut Vec<FieldError>) -> Value {
    if text.trim().is_empty() {
        return Value::Object(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v) => v,
        Err(err) => {
            e.push(FieldError::new(field, format!("Not valid JSON: {err}")));
            Value::Object(Map::new())
        }
    }
}

pub use settings::{parse_billing, parse_schedule};
