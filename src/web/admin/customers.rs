//! Customers in the admin area: list with filters, create/edit (hierarchy, groups, tags,
//! settings, company profile, free data, schedule), profile assignment, billing accounts,
//! access codes, portal users, and the read-only preview of their portal.

use actix_session::{Session, SessionExt};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::AppState;
use crate::access::resolve::{self, Source};
use crate::audit::{self, Actor};
use crate::customers::accounts::{AccessCode, AccessCodeInput, Account, RawAccount, validate_account};
use crate::customers::groups::{CustomerGroup, Tag};
use crate::customers::model::{self as cm, Customer, CustomerFilter, CustomerInput, SortField};
use crate::customers::settings::{AppSettings, Theme, parse_billing, parse_schedule};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::Ctx;
use crate::http::invitation_url;
use crate::profiles::Profile;
use crate::users::User;
use crate::users::UserKind;
use crate::users::commands::{self as users, NewUserInput};
use crate::users::invitations;
use crate::users::model::Role;
use crate::web::forms::{Errors, Pairs};
use crate::web::html;
use crate::web::layout::{Layout, push_flash, request_lang, role_label};
use crate::web::portal::PREVIEW_KEY;
use crate::web::{client_ip, see_other};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub q: Option<String>,
    pub parent: Option<String>,
    pub tag: Option<String>,
    pub group: Option<String>,
    pub profile: Option<String>,
    pub page: Option<String>,
}

fn opt_id(field: &str, v: &Option<String>) -> AppResult<Option<i64>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| AppError::bad_request(format!("{field} must be a number"))),
    }
}

pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub reference: String,
    pub parent: String,
    pub profile: String,
    pub profile_source: String,
    pub tags: Vec<Tag>,
    pub groups: String,
}

#[derive(Template)]
#[template(path = "admin/customers.html")]
pub struct ListPage {
    pub l: Layout,
    pub rows: Vec<ListRow>,
    pub q: String,
    pub tag: Option<i64>,
    pub group: Option<i64>,
    pub profile: Option<i64>,
    pub parent: Option<i64>,
    pub tags: Vec<Tag>,
    pub groups: Vec<CustomerGroup>,
    pub profiles: Vec<(i64, String)>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub query_base: String,
}

impl ListPage {
    pub fn sel(&self, cur: &Option<i64>, id: &i64) -> bool {
        *cur == Some(*id)
    }
}

pub async fn list_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let filter = CustomerFilter {
        name_filter: q.q.clone(),
        parent_ids: opt_id("parent", &q.parent)?.into_iter().collect(),
        tag_ids: opt_id("tag", &q.tag)?.into_iter().collect(),
        group_id: opt_id("group", &q.group)?,
        profile_id: opt_id("profile", &q.profile)?,
        ..Default::default()
    };
    let page = opt_id("page", &q.page)?.unwrap_or(1).max(1);
    let f2 = filter.clone();
    let (rows, total, tags, groups, profiles) = crate::db::run(&state.pool, move |c| {
        let (rows, total) = cm::list(c, &f2, (SortField::Name, true), (page - 1) * PER_PAGE, PER_PAGE, true)?;
        let mut out = Vec::new();
        for r in rows {
            let cust = Customer::attach(c, r)?;
            let eff = resolve::effective(c, cust.id())?;
            out.push((cust, eff));
        }
        let tags = Tag::list(c)?.into_iter().map(|x| x.0).collect::<Vec<_>>();
        let groups = CustomerGroup::list(c)?.into_iter().map(|x| x.0).collect::<Vec<_>>();
        let profiles = Profile::list_with_holders(c)?.into_iter().map(|(p, _)| (p.id, p.name)).collect::<Vec<_>>();
        Ok((out, total.unwrap_or(0), tags, groups, profiles))
    })
    .await?;
    let mut qb = Vec::new();
    for (k, v) in [("q", &q.q), ("parent", &q.parent), ("tag", &q.tag), ("group", &q.group), ("profile", &q.profile)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            qb.push((k, v.to_string()));
        }
    }
    let lang = request_lang(&req);
    let page_view = ListPage {
        l: super::layout(&req, &s, "customers-title"),
        rows: rows
            .into_iter()
            .map(|(c, eff)| ListRow {
                id: c.id(),
                reference: c.row.reference_id.clone().unwrap_or_default(),
                parent: c.breadcrumb.iter().map(|b| b.name.as_str()).collect::<Vec<_>>().join(" › "),
                profile: eff.profile_name.clone().unwrap_or_else(|| "—".into()),
                profile_source: lang.t(match eff.source {
                    Source::Own => "customers-source-own",
                    Source::Inherited { .. } => "customers-source-inherited",
                    Source::Default => "customers-source-default",
                    Source::None => "customers-source-none",
                }),
                groups: c.groups.join(", "),
                tags: c.tags.clone(),
                name: c.row.name.clone(),
            })
            .collect(),
        q: q.q.clone().unwrap_or_default(),
        tag: filter.tag_ids.first().copied(),
        group: filter.group_id,
        profile: filter.profile_id,
        parent: filter.parent_ids.first().copied(),
        tags,
        groups,
        profiles,
        page,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
        total,
        query_base: serde_urlencoded::to_string(&qb).unwrap_or_default(),
    };
    Ok(html(StatusCode::OK, page_view.render()))
}

// ---------------------------------------------------------------------------------------------
// The customer page

pub struct UserRowView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub role_key: &'static str,
    pub disabled: bool,
    pub pending: bool,
}

pub struct AccountView {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub balance: String,
    pub min_balance: String,
    pub max_balance: String,
    pub is_postpaid: bool,
    pub capacity: i32,
}

/// The editable fields as the form shows them (text for the JSON parts).
#[derive(Default, Clone)]
pub struct FormValues {
    pub name: String,
    pub reference_id: String,
    pub parent_id: Option<i64>,
    pub is_staging: bool,
    pub groups: Vec<String>,
    pub tag_ids: Vec<i64>,
    pub company_name: String,
    pub country_code: String,
    pub phone: String,
    pub override_app_settings: bool,
    pub page_title: String,
    pub theme: String,
    pub logout_url: String,
    pub custom_css: String,
    pub string_mappings: String,
    pub override_billing_settings: bool,
    pub billing_settings: String,
    pub schedule: String,
    pub data: String,
    pub integration_data: String,
}

fn pretty(v: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

impl FormValues {
    fn of(c: &Customer) -> FormValues {
        let r = &c.row;
        FormValues {
            name: r.name.clone(),
            reference_id: r.reference_id.clone().unwrap_or_default(),
            parent_id: r.parent_id,
            is_staging: r.is_staging,
            groups: c.groups.clone(),
            tag_ids: c.tags.iter().map(|t| t.id).collect(),
            company_name: r.company_name.clone(),
            country_code: r.country_code.clone(),
            phone: r.phone.clone(),
            override_app_settings: r.override_app_settings,
            page_title: c.app_settings.page_title.clone().unwrap_or_default(),
            theme: c.app_settings.theme.as_str().into(),
            logout_url: c.app_settings.logout_url.clone().unwrap_or_default(),
            custom_css: c.app_settings.custom_css.clone().unwrap_or_default(),
            string_mappings: if c.app_settings.string_mappings.is_empty() {
                String::new()
            } else {
                pretty(&c.app_settings.string_mappings)
            },
            override_billing_settings: r.override_billing_settings,
            billing_settings: if c.billing_settings.is_empty() { String::new() } else { pretty(&c.billing_settings) },
            schedule: c.schedule.as_ref().map(pretty).unwrap_or_default(),
            data: if c.data.as_object().is_some_and(|o| o.is_empty()) { String::new() } else { pretty(&c.data) },
            integration_data: if c.integration_data.as_object().is_some_and(|o| o.is_empty()) {
                String::new()
            } else {
                pretty(&c.integration_data)
            },
        }
    }

    fn from_pairs(p: &Pairs) -> FormValues {
        FormValues {
            name: p.text("name"),
            reference_id: p.text("reference_id"),
            parent_id: p.get("parent_id").and_then(|v| v.trim().parse().ok()),
            is_staging: p.flag("is_staging"),
            groups: p.all("groups"),
            tag_ids: p.all("tags").iter().filter_map(|t| t.parse().ok()).collect(),
            company_name: p.text("company_name"),
            country_code: p.text("country_code"),
            phone: p.text("phone"),
            override_app_settings: p.flag("override_app_settings"),
            page_title: p.text("page_title"),
            theme: p.get("theme").unwrap_or("auto").into(),
            logout_url: p.text("logout_url"),
            custom_css: p.text("custom_css"),
            string_mappings: p.text("string_mappings"),
            override_billing_settings: p.flag("override_billing_settings"),
            billing_settings: p.text("billing_settings"),
            schedule: p.text("schedule"),
            data: p.text("data"),
            integration_data: p.text("integration_data"),
        }
    }

    /// Turns the form into a validated-shape input; parse problems are field errors.
    fn to_input(&self, p: &Pairs) -> Result<CustomerInput, Vec<FieldError>> {
        let (input, mut e) = self.parse(p);
        // Report the field checks together with the parse problems.
        e.extend(input.clone().check());
        if e.is_empty() { Ok(input) } else { Err(e) }
    }

    fn parse(&self, p: &Pairs) -> (CustomerInput, Vec<FieldError>) {
        let mut e = Vec::new();
        if let Some(v) = p.get("parent_id").map(str::trim).filter(|v| !v.is_empty())
            && v.parse::<i64>().is_err()
        {
            e.push(FieldError::new("parentCustomerId", "Choose a parent customer from the list."));
        }
        let theme = match self.theme.as_str() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            "auto" | "" => Theme::Auto,
            _ => {
                e.push(FieldError::new("appSettings.theme", "Choose light, dark or auto."));
                Theme::Auto
            }
        };
        let mappings = cm::parse_json_field("appSettings.stringMappings", &self.string_mappings, &mut e);
        let string_mappings = match serde_json::from_value(mappings) {
            Ok(m) => m,
            Err(_) => {
                e.push(FieldError::new(
                    "appSettings.stringMappings",
                    "Expected a JSON object of text labels, e.g. {\"nav.invoices\": \"Bills\"}.",
                ));
                Default::default()
            }
        };
        let billing_v = cm::parse_json_field("billingSettings", &self.billing_settings, &mut e);
        let billing_settings = parse_billing(&billing_v).unwrap_or_else(|x| {
            e.extend(x);
            Default::default()
        });
        let schedule = if self.schedule.trim().is_empty() {
            None
        } else {
            let v = cm::parse_json_field("schedule", &self.schedule, &mut e);
            match parse_schedule(&v) {
                Ok(s) => Some(s),
                Err(x) => {
                    e.extend(x);
                    None
                }
            }
        };
        let data = cm::parse_json_field("data", &self.data, &mut e);
        let integration_data = cm::parse_json_field("integrationData", &self.integration_data, &mut e);
        let blank = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let input = CustomerInput {
            name: self.name.clone(),
            reference_id: blank(&self.reference_id),
            parent_id: self.parent_id,
            is_staging: self.is_staging,
            groups: self.groups.clone(),
            tag_ids: self.tag_ids.clone(),
            data,
            integration_data,
            override_app_settings: self.override_app_settings,
            app_settings: AppSettings {
                page_title: blank(&self.page_title),
                custom_css: (!self.custom_css.trim().is_empty()).then(|| self.custom_css.clone()),
                theme,
                logout_url: blank(&self.logout_url),
                string_mappings,
            },
            override_billing_settings: self.override_billing_settings,
            billing_settings,
            schedule,
            company_name: self.company_name.clone(),
            country_code: self.country_code.clone(),
            phone: self.phone.clone(),
        };
        (input, e)
    }
}

#[derive(Template)]
#[template(path = "admin/customer.html")]
pub struct CustomerPage {
    pub l: Layout,
    pub id: Option<i64>,
    pub v: FormValues,
    pub errors: Errors,
    pub breadcrumb: Vec<(i64, String)>,
    pub customers: Vec<(i64, String)>,
    pub all_groups: Vec<String>,
    pub all_tags: Vec<Tag>,
    pub profiles: Vec<(i64, String, bool)>,
    pub own_profile: Option<i64>,
    pub effective: String,
    pub accounts: Vec<AccountView>,
    pub codes: Vec<AccessCode>,
    pub users: Vec<UserRowView>,
    pub invitation: Option<String>,
    pub section_errors: Errors,
    /// Every numberlist and whether this customer may manage it.
    pub numberlists: Vec<(crate::numberlists::Numberlist, bool)>,
}

impl CustomerPage {
    pub fn has_group(&self, g: &str) -> bool {
        self.v.groups.iter().any(|x| x == g)
    }
    pub fn has_tag(&self, t: &i64) -> bool {
        self.v.tag_ids.contains(t)
    }
    pub fn is_parent(&self, id: &i64) -> bool {
        self.v.parent_id == Some(*id)
    }
    pub fn is_own_profile(&self, id: &i64) -> bool {
        self.own_profile == Some(*id)
    }
    pub fn roles(&self) -> [Role; 3] {
        Role::CUSTOMER_ROLES
    }
    pub fn role_label(&self, r: &Role) -> String {
        role_label(self.l.lang, *r)
    }
    /// (value, label) of the theme chooser.
    pub fn themes(&self) -> [(&'static str, String); 3] {
        ["auto", "light", "dark"].map(|t| (t, self.l.t(&format!("customer-theme-{t}"))))
    }
}

async fn page(
    req: &HttpRequest,
    state: &AppState,
    s: &Ctx,
    id: Option<i64>,
    v: Option<FormValues>,
    errors: Errors,
) -> AppResult<CustomerPage> {
    let loaded = crate::db::run(&state.pool, move |c| {
        let customers = cm::all_names(c)?;
        let groups: Vec<String> = CustomerGroup::list(c)?.into_iter().map(|x| x.0.name).collect();
        let tags: Vec<Tag> = Tag::list(c)?.into_iter().map(|x| x.0).collect();
        let profiles_all = Profile::list_with_holders(c)?;
        let (cust, eff, accounts, codes, users, profiles, lists) = match id {
            Some(id) => {
                let cust = Customer::get(c, id)?;
                let eff = resolve::effective(c, id)?;
                let accounts = Account::for_customer(c, id)?;
                let codes = AccessCode::for_customer(c, id)?;
                let users = invitations::list_with_state(c, id)?;
                let lists = crate::numberlists::all_for(c, id)?;
                let mut profiles = Vec::new();
                for (p, _) in profiles_all {
                    let full = Profile::get(c, p.id)?;
                    let ok = full.available_to(c, id)?;
                    profiles.push((p.id, p.name, ok));
                }
                (Some(cust), Some(eff), accounts, codes, users, profiles, lists)
            }
            None => (None, None, vec![], vec![], vec![], vec![], vec![]),
        };
        Ok((customers, groups, tags, cust, eff, accounts, codes, users, profiles, lists))
    })
    .await?;
    let (customers, all_groups, all_tags, cust, eff, accounts, codes, users, profiles, numberlists) = loaded;
    let lang = request_lang(req);
    let title = match &cust {
        Some(c) => lang.t1("customer-title", "name", &c.row.name),
        None => lang.t("customer-new-title"),
    };
    let effective = match &eff {
        Some(e) => {
            let name = e.profile_name.clone().unwrap_or_else(|| lang.t("common-none"));
            let how = match e.source {
                Source::Own => lang.t("customer-effective-own"),
                Source::Inherited { from_customer } => lang.t1("customer-effective-inherited", "id", from_customer),
                Source::Default => lang.t("customer-effective-default"),
                Source::None => lang.t("customer-effective-none"),
            };
            let id = if e.disabled { "customer-effective-disabled" } else { "customer-effective-line" };
            lang.t2(id, "profile", name, "how", how)
        }
        None => String::new(),
    };
    Ok(CustomerPage {
        l: super::layout_titled(req, s, &title),
        id,
        v: v.unwrap_or_else(|| {
            cust.as_ref().map(FormValues::of).unwrap_or(FormValues { theme: "auto".into(), ..Default::default() })
        }),
        errors,
        breadcrumb: cust
            .as_ref()
            .map(|c| c.breadcrumb.iter().map(|b| (b.id, b.name.clone())).collect())
            .unwrap_or_default(),
        customers: customers.into_iter().filter(|(cid, _)| Some(*cid) != id).collect(),
        all_groups,
        all_tags,
        own_profile: cust.as_ref().and_then(|c| c.row.access_profile_id),
        profiles,
        effective,
        accounts: accounts
            .into_iter()
            .map(|a| AccountView {
                id: a.id,
                balance: lang.money(a.balance),
                min_balance: crate::money::format(a.min_balance),
                max_balance: a.max_balance.map(crate::money::format).unwrap_or_default(),
                is_postpaid: a.is_postpaid,
                capacity: a.capacity,
                name: a.name,
                currency: a.currency,
            })
            .collect(),
        codes,
        users: users
            .into_iter()
            .map(|(u, pending)| UserRowView {
                id: u.id,
                name: u.display_name(),
                role: role_label(lang, u.role),
                role_key: u.role.as_str(),
                disabled: u.disabled,
                pending,
                email: u.email,
            })
            .collect(),
        invitation: None,
        section_errors: Errors::default(),
        numberlists,
    })
}

fn field_errors(e: Vec<FieldError>) -> Errors {
    let mut out = Errors::default();
    for f in e {
        out.add(&f.field, f.message);
    }
    out
}

pub async fn new_get(req: HttpRequest, state: web::Data<AppState>, s: Ctx) -> AppResult<HttpResponse> {
    let p = page(&req, &state, &s, None, None, Errors::default()).await?;
    Ok(html(StatusCode::OK, p.render()))
}

pub async fn edit_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let p = page(&req, &state, &s, Some(path.into_inner()), None, Errors::default()).await?;
    Ok(html(StatusCode::OK, p.render()))
}

async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    id: Option<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let pairs = Pairs::parse(&body)?;
    let values = FormValues::from_pairs(&pairs);
    let input = match values.to_input(&pairs) {
        Ok(i) => i,
        Err(e) => {
            let p = page(&req, &state, &s, id, Some(values), field_errors(e)).await?;
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, p.render()));
        }
    };
    let actor = s.actor();
    let label = s.user.email.clone();
    let ip = client_ip(&req);
    let result = crate::db::run_tx(&state.pool, move |c| match id {
        None => {
            let cust = cm::create(c, input, &label)?;
            audit::record(
                c,
                &actor,
                "customer.create",
                "customer",
                Some(cust.id().to_string()),
                audit::diff(None, Some(&cust.to_json())),
            )?;
            Ok(cust)
        }
        Some(id) => {
            let before = Customer::get(c, id)?;
            let after = cm::update(c, id, input, &label)?;
            audit::record(
                c,
                &actor,
                "customer.update",
                "customer",
                Some(id.to_string()),
                audit::diff(Some(&before.to_json()), Some(&after.to_json())),
            )?;
            Ok(after)
        }
    })
    .await;
    match result {
        Ok(c) => {
            push_flash(&session, "success", request_lang(&req).t1("customer-saved", "name", &c.row.name));
            Ok(see_other(&format!("/admin/customers/{}", c.id())))
        }
        Err(e @ AppError::Unprocessable(..)) => {
            let p = page(&req, &state, &s, id, Some(values), Errors::from_error(&e)).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, p.render()))
        }
        Err(e) => Err(e),
    }
}

pub async fn create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    save(req, state, session, s, None, body).await
}

pub async fn update_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    save(req, state, session, s, Some(path.into_inner()), body).await
}

pub async fn delete_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = s.actor();
    let ip = client_ip(&req);
    let c = crate::db::run_tx(&state.pool, move |c| {
        let cust = cm::delete(c, id)?;
        audit::record(
            c,
            &actor,
            "customer.delete",
            "customer",
            Some(id.to_string()),
            audit::diff(Some(&cust.to_json()), None),
        )?;
        Ok(cust)
    })
    .await?;
    push_flash(&session, "success", request_lang(&req).t1("customer-deleted", "name", &c.row.name));
    Ok(see_other("/admin/customers"))
}

/// Answers a form post of one section of the customer page: back to that section with a flash
/// message, or the page with the section's error.
async fn section_answer(
    req: &HttpRequest,
    state: &AppState,
    s: &Ctx,
    session: &Session,
    id: i64,
    r: AppResult<()>,
    (message, anchor): (&str, &str),
) -> AppResult<HttpResponse> {
    match r {
        Ok(()) => {
            push_flash(session, "success", request_lang(req).t(message));
            Ok(see_other(&format!("/admin/customers/{id}#{anchor}")))
        }
        Err(e) => section_error(req, state, s, id, e).await,
    }
}

async fn section_error(req: &HttpRequest, state: &AppState, s: &Ctx, id: i64, e: AppError) -> AppResult<HttpResponse> {
    match e {
        AppError::Unprocessable(..) | AppError::Conflict(..) => {
            let mut p = page(req, state, s, Some(id), None, Errors::default()).await?;
            p.section_errors = Errors::from_error(&e);
            let status = if matches!(e, AppError::Conflict(..)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok(html(status, p.render()))
        }
        other => Err(other),
    }
}

pub async fn assign_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let pairs = Pairs::parse(&body)?;
    let profile = match pairs.get("access_profile_id").map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => {
            Some(v.parse::<i64>().map_err(|_| AppError::field("accessProfileId", "Choose a profile from the list."))?)
        }
    };
    let actor = s.actor();
    let label = s.user.email.clone();
    let ip = client_ip(&req);
    let r = crate::db::run_tx(&state.pool, move |c| {
        let before = Customer::get(c, id)?.row.access_profile_id;
        cm::assign_profile(c, id, profile, &label)?;
        audit::record(
            c,
            &actor,
            "customer.assign_profile",
            "customer",
            Some(id.to_string()),
            audit::diff(
                Some(&serde_json::json!({"accessProfileId": before})),
                Some(&serde_json::json!({"accessProfileId": profile})),
            ),
        )
    })
    .await;
    section_answer(&req, &state, &s, &session, id, r, ("customer-assigned", "profile")).await
}

fn account_from(p: &Pairs) -> Result<crate::customers::accounts::AccountInput, AppError> {
    let (name, currency, min, max, cap) =
        (p.text("name"), p.text("currency"), p.text("min_balance"), p.text("max_balance"), p.text("capacity"));
    validate_account(&RawAccount {
        name: &name,
        currency: &currency,
        min_balance: &min,
        max_balance: &max,
        is_postpaid: p.flag("is_postpaid"),
        capacity: &cap,
    })
    .map_err(|e| AppError::Unprocessable(e[0].message.clone(), e))
}

pub async fn account_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let pairs = Pairs::parse(&body)?;
    let actor = s.actor();
    let ip = client_ip(&req);
    let r = async {
        let input = account_from(&pairs)?;
        crate::db::run_tx(&state.pool, move |c| {
            Customer::get(c, id)?;
            let a = Account::create(c, id, &input)?;
            audit::record(
                c,
                &actor,
                "account.create",
                "account",
                Some(a.id.to_string()),
                audit::diff(None, Some(&a.to_json())),
            )
        })
        .await
    }
    .await;
    section_answer(&req, &state, &s, &session, id, r, ("customer-account-opened", "accounts")).await
}

pub async fn account_update_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let (id, account) = path.into_inner();
    let pairs = Pairs::parse(&body)?;
    let actor = s.actor();
    let ip = client_ip(&req);
    let r = async {
        let input = account_from(&pairs)?;
        crate::db::run_tx(&state.pool, move |c| {
            let before = Account::get_of(c, id, account)?;
            let after = Account::update(c, id, account, &input)?;
            audit::record(
                c,
                &actor,
                "account.update",
                "account",
                Some(account.to_string()),
                audit::diff(Some(&before.to_json()), Some(&after.to_json())),
            )
        })
        .await
    }
    .await;
    section_answer(&req, &state, &s, &session, id, r, ("customer-account-saved", "accounts")).await
}

pub async fn code_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let p = Pairs::parse(&body)?;
    let input = AccessCodeInput {
        label: p.text("label"),
        public_text: p.text("public_text"),
        public_value: p.text("public_value"),
        private_master: p.text("private_master"),
        private_read: p.text("private_read"),
        private_write: p.text("private_write"),
    };
    let actor = s.actor();
    let ip = client_ip(&req);
    let r = async {
        let input = input.validate().map_err(|e| AppError::Unprocessable(e[0].message.clone(), e))?;
        crate::db::run_tx(&state.pool, move |c| {
            Customer::get(c, id)?;
            let code = AccessCode::create(c, id, &input)?;
            audit::record(
                c,
                &actor,
                "access_code.create",
                "access_code",
                Some(code.id.to_string()),
                audit::diff(None, Some(&serde_json::json!({"label": code.label, "customerId": id}))),
            )
        })
        .await
    }
    .await;
    section_answer(&req, &state, &s, &session, id, r, ("customer-code-added", "access-codes")).await
}

pub async fn code_delete_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (id, code) = path.into_inner();
    let actor = s.actor();
    let ip = client_ip(&req);
    crate::db::run_tx(&state.pool, move |c| {
        let gone = AccessCode::delete(c, id, code)?;
        audit::record(
            c,
            &actor,
            "access_code.delete",
            "access_code",
            Some(code.to_string()),
            audit::diff(Some(&serde_json::json!({"label": gone.label, "customerId": id})), None),
        )
    })
    .await?;
    push_flash(&session, "success", request_lang(&req).t("customer-code-deleted"));
    Ok(see_other(&format!("/admin/customers/{id}#access-codes")))
}

pub async fn user_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let p = Pairs::parse(&body)?;
    let new = NewUserInput {
        email: p.text("email"),
        first_name: p.text("first_name"),
        last_name: p.text("last_name"),
        role: p.text("role"),
        password: p.get("password").filter(|v| !v.is_empty()).map(str::to_string),
    };
    let actor = s.actor();
    let r = async {
        crate::db::run(&state.pool, move |c| Customer::get(c, id).map(|_| ())).await?;
        let ready = new.check(UserKind::Customer)?.hashed().await?;
        crate::db::run(&state.pool, move |c| users::create(c, &actor, Some(id), ready)).await
    }
    .await;
    match r {
        Ok(created) => {
            let mut pg = page(&req, &state, &s, Some(id), None, Errors::default()).await?;
            if created.invitation.is_none() {
                pg.l.flashes.push(crate::web::layout::Flash {
                    kind: "success".into(),
                    message: pg.l.t("customer-user-created"),
                });
            }
            pg.invitation = created.invitation.map(|t| invitation_url(&req, &t));
            Ok(html(StatusCode::OK, pg.render()))
        }
        Err(e) => section_error(&req, &state, &s, id, e).await,
    }
}

async fn set_disabled(
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    id: i64,
    uid: i64,
    disabled: bool,
) -> AppResult<HttpResponse> {
    let actor = s.actor();
    crate::db::run(&state.pool, move |c| users::set_disabled(c, &actor, Some(id), uid, disabled)).await?;
    push_flash(
        &session,
        "success",
        s.lang.t(if disabled { "customer-user-disabled" } else { "customer-user-enabled" }),
    );
    Ok(see_other(&format!("/admin/customers/{id}#users")))
}

pub async fn user_disable_post(
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (id, uid) = path.into_inner();
    set_disabled(state, session, s, id, uid, true).await
}

pub async fn user_enable_post(
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (id, uid) = path.into_inner();
    set_disabled(state, session, s, id, uid, false).await
}

/// Resets a user's password: the old one stops working, sessions end, a new invitation link
/// lets the person choose a new one.
pub async fn user_reset_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (id, uid) = path.into_inner();
    let actor = s.actor();
    let token = crate::db::run(&state.pool, move |c| users::reset_password(c, &actor, Some(id), uid)).await?;
    let mut pg = page(&req, &state, &s, Some(id), None, Errors::default()).await?;
    pg.invitation = Some(invitation_url(&req, &token));
    Ok(html(StatusCode::OK, pg.render()))
}

pub async fn user_role_post(
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let (id, uid) = path.into_inner();
    let p = Pairs::parse(&body)?;
    let actor = s.actor();
    crate::db::run(&state.pool, move |c| {
        // An unknown user of this customer is 404 before the role is looked at.
        users::get_of(c, Some(id), uid)?;
        let role = Role::parse(UserKind::Customer, p.get("role").unwrap_or(""))
            .ok_or_else(|| AppError::field("role", "Choose administrator, developer or user."))?;
        users::set_role(c, &actor, Some(id), uid, role)
    })
    .await?;
    push_flash(&session, "success", s.lang.t("customer-role-changed"));
    Ok(see_other(&format!("/admin/customers/{id}#users")))
}

/// Starts a read-only preview of the customer's portal as its `user` role would see it.
pub async fn preview_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = s.actor();
    let ip = client_ip(&req);
    crate::db::run_tx(&state.pool, move |c| {
        Customer::get(c, id)?;
        audit::record(c, &actor, "customer.preview", "customer", Some(id.to_string()), None)
    })
    .await?;
    let _ = req.get_session().insert(PREVIEW_KEY, id);
    Ok(see_other("/portal"))
}

pub async fn preview_exit_post(req: HttpRequest) -> AppResult<HttpResponse> {
    let session = req.get_session();
    let id: Option<i64> = session.remove_as::<i64>(PREVIEW_KEY).and_then(Result::ok);
    Ok(see_other(&id.map(|i| format!("/admin/customers/{i}")).unwrap_or_else(|| "/admin/customers".into())))
}

/// Which numberlists the customer may manage in its portal (SPEC §6).
pub async fn numberlists_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let ids: Vec<i64> = Pairs::parse(&body)?
        .all("numberlists")
        .iter()
        .map(|v| v.parse::<i64>().map_err(|_| AppError::bad_request("numberlists must be ids")))
        .collect::<AppResult<_>>()?;
    let actor = s.actor();
    let ip = client_ip(&req);
    crate::db::run_tx(&state.pool, move |c| {
        Customer::get(c, id)?;
        let (before, after) = crate::numberlists::set_allowed(c, id, &ids)?;
        audit::record(
            c,
            &actor,
            "customer.numberlists",
            "customer",
            Some(id.to_string()),
            Some(serde_json::json!({"numberlists": {"before": before, "after": after}})),
        )
    })
    .await?;
    push_flash(&session, "success", request_lang(&req).t("customer-numberlists-saved"));
    Ok(see_other(&format!("/admin/customers/{id}#numberlists")))
}
