//! The customer page: the form on top, then its sections (access profile, billing accounts,
//! access codes, portal users, numberlists). Every section posts to its own handler; an error
//! there shows this page again with the section's message.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use crate::access::resolve::{self, Effective, Source};
use crate::customers::accounts::{AccessCode, Account};
use crate::customers::groups::{CustomerGroup, Tag};
use crate::customers::model::{self as cm, Customer};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::profiles::Profile;
use crate::users::invitations;
use crate::users::model::Role;
use crate::web::admin::Staff;
use crate::web::admin::customers::form::FormValues;
use crate::web::forms::Errors;
use crate::web::layout::{Layout, push_flash, role_label};
use crate::web::{html, see_other};

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

impl AccountView {
    fn of(a: Account, lang: Lang) -> AccountView {
        AccountView {
            id: a.id,
            balance: lang.money(a.balance),
            min_balance: crate::money::format(a.min_balance),
            max_balance: a.max_balance.map(crate::money::format).unwrap_or_default(),
            is_postpaid: a.is_postpaid,
            capacity: a.capacity,
            name: a.name,
            currency: a.currency,
        }
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

/// What the page shows of an existing customer.
struct Existing {
    customer: Customer,
    effective: Effective,
    accounts: Vec<Account>,
    codes: Vec<AccessCode>,
    users: Vec<(crate::users::User, bool)>,
    profiles: Vec<(i64, String, bool)>,
    numberlists: Vec<(crate::numberlists::Numberlist, bool)>,
}

fn existing(c: &mut crate::db::DbConnection, id: i64) -> AppResult<Existing> {
    let customer = Customer::get(c, id)?;
    let mut profiles = Vec::new();
    for (row, _) in Profile::list_with_holders(c)? {
        if let Some(p) = Profile::find(c, row.id)? {
            let ok = p.available_to(c, id)?;
            profiles.push((p.id, p.name.clone(), ok));
        }
    }
    Ok(Existing {
        customer,
        effective: resolve::effective(c, id)?,
        accounts: Account::for_customer(c, id)?,
        codes: AccessCode::for_customer(c, id)?,
        users: invitations::list_with_state(c, id)?,
        profiles,
        numberlists: crate::numberlists::all_for(c, id)?,
    })
}

fn effective_line(lang: Lang, e: &Effective) -> String {
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

/// The customer page of customer `id` (a new customer's without), showing the form values `v`
/// (else the stored ones) and the form's `errors`.
pub async fn page(staff: &Staff, id: Option<i64>, v: Option<FormValues>, errors: Errors) -> AppResult<CustomerPage> {
    let (customers, all_groups, all_tags, found) = crate::db::run(&staff.state.pool, move |c| {
        let customers = cm::all_names(c)?;
        let groups: Vec<String> = CustomerGroup::list(c)?.into_iter().map(|x| x.0.name).collect();
        let tags: Vec<Tag> = Tag::list(c)?.into_iter().map(|x| x.0).collect();
        let found = id.map(|id| existing(c, id)).transpose()?;
        Ok((customers, groups, tags, found))
    })
    .await?;
    let lang = staff.ctx.lang;
    let title = match &found {
        Some(e) => lang.t1("customer-title", "name", &e.customer.row.name),
        None => lang.t("customer-new-title"),
    };
    let stored = found.as_ref().map(|e| FormValues::of(&e.customer));
    let mut p = CustomerPage {
        l: crate::web::admin::layout_titled(&staff.req, &staff.ctx, &title),
        id,
        v: v.or(stored).unwrap_or(FormValues { theme: "auto".into(), ..Default::default() }),
        errors,
        breadcrumb: vec![],
        customers: customers.into_iter().filter(|(cid, _)| Some(*cid) != id).collect(),
        all_groups,
        all_tags,
        own_profile: None,
        profiles: vec![],
        effective: String::new(),
        accounts: vec![],
        codes: vec![],
        users: vec![],
        invitation: None,
        section_errors: Errors::default(),
        numberlists: vec![],
    };
    if let Some(e) = found {
        p.breadcrumb = e.customer.breadcrumb.iter().map(|b| (b.id, b.name.clone())).collect();
        p.own_profile = e.customer.row.access_profile_id;
        p.effective = effective_line(lang, &e.effective);
        p.profiles = e.profiles;
        p.accounts = e.accounts.into_iter().map(|a| AccountView::of(a, lang)).collect();
        p.codes = e.codes;
        p.users = e
            .users
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
            .collect();
        p.numberlists = e.numberlists;
    }
    Ok(p)
}

/// The page again with the error of a section (422, or 409 for a conflict); other errors are
/// answered as errors.
pub async fn section_error(staff: &Staff, id: i64, e: AppError) -> AppResult<HttpResponse> {
    let status = match e {
        AppError::Unprocessable(..) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(..) => StatusCode::CONFLICT,
        other => return Err(other),
    };
    let mut p = page(staff, Some(id), None, Errors::default()).await?;
    p.section_errors = Errors::from_error(&e);
    Ok(html(status, p.render()))
}

/// Answers a form post of one section of the customer page: back to that section with the
/// flash message `message`, or the page with the section's error.
pub async fn section_answer<T>(
    staff: &Staff,
    id: i64,
    r: AppResult<T>,
    (message, anchor): (&str, &str),
) -> AppResult<HttpResponse> {
    match r {
        Ok(_) => {
            push_flash(&staff.session, "success", staff.ctx.lang.t(message));
            Ok(see_other(&format!("/admin/customers/{id}#{anchor}")))
        }
        Err(e) => section_error(staff, id, e).await,
    }
}
