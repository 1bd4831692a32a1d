//! The portal side of the profile page (the page itself is `web::account`, shared with staff):
//! the company profile and access codes; and, for customer administrators, the customer's
//! portal users.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::AppState;
use crate::access::caps::Cap;
use crate::customers::accounts::AccessCode;
use crate::customers::commands::CompanyChange;
use crate::customers::model::Customer;
use crate::error::{AppError, AppResult};
use crate::http::Portal;
use crate::users::commands::{self as users, NewUserInput};
use crate::users::model::Role;
use crate::users::{User, UserKind, invitations};
use crate::web::account::{self, field_errors};
use crate::web::forms::Errors;
use crate::web::html;
use crate::web::layout::{Layout, push_flash, role_label};
use crate::web::page::Page;
use crate::web::see_other;

/// The company profile as the portal shows it; `editable` for customer administrators.
pub struct CompanyView {
    pub customer_name: String,
    pub company_name: String,
    pub country_code: String,
    pub phone: String,
    pub editable: bool,
    pub codes: Vec<CodeView>,
    pub profile_name: String,
}

pub struct CodeView {
    pub id: i64,
    pub label: String,
    pub public_text: String,
    pub public_value: String,
    /// Absent unless the role may see private codes.
    pub private: Option<(String, String, String)>,
}

/// The customer's company profile and access codes, as this person may see them.
pub async fn company_view(state: &AppState, p: &Portal) -> AppResult<CompanyView> {
    let cid = p.customer_id();
    let (customer, codes) =
        crate::db::run(&state.pool, move |c| Ok((Customer::get(c, cid)?, AccessCode::for_customer(c, cid)?))).await?;
    let private = p.can(Cap::SeePrivateCodes);
    let r = customer.row;
    Ok(CompanyView {
        customer_name: r.name,
        company_name: r.company_name,
        country_code: r.country_code,
        phone: r.phone,
        editable: p.can(Cap::EditCompany),
        codes: codes
            .into_iter()
            .map(|c| CodeView {
                id: c.id,
                private: private.then(|| (c.private_master.clone(), c.private_read.clone(), c.private_write.clone())),
                label: c.label,
                public_text: c.public_text,
                public_value: c.public_value,
            })
            .collect(),
        profile_name: p.effective().profile_name.clone().unwrap_or_else(|| p.lang.t("common-none")),
    })
}

#[derive(Deserialize)]
pub struct CompanyForm {
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub country_code: String,
    #[serde(default)]
    pub phone: String,
}

pub async fn company_post(pg: Page<Portal>, f: web::Form<CompanyForm>) -> AppResult<HttpResponse> {
    let f = f.into_inner();
    let change =
        CompanyChange { company_name: Some(f.company_name), country_code: Some(f.country_code), phone: Some(f.phone) };
    let (cid, actor) = (pg.ctx.customer_id(), pg.ctx.actor());
    let r = crate::db::run(&pg.state.pool, move |c| {
        crate::customers::commands::update_company(c, &actor, cid, change).map(|_| ())
    })
    .await;
    let ok = pg.ctx.lang.t("flash-company-saved");
    account::respond(&pg.map(|p| p.ctx().clone()), r, (&ok, "company")).await
}

// ---------------------------------------------------------------------------------------------
// The customer's portal users (customer administrators)

#[derive(Template)]
#[template(path = "portal/users.html")]
pub struct UsersPage {
    pub l: Layout,
    /// The customer's people, each with whether their invitation is still open.
    pub users: Vec<(User, bool)>,
    pub me: i64,
    pub errors: Errors,
    pub invitation: Option<String>,
    pub form_email: String,
}

impl UsersPage {
    pub fn roles(&self) -> [Role; 3] {
        Role::CUSTOMER_ROLES
    }
    pub fn role_label(&self, r: &Role) -> String {
        role_label(self.l.lang, *r)
    }
}

async fn users_page(
    pg: &Page<Portal>,
    errors: Errors,
    (invitation, form_email): (Option<String>, String),
) -> AppResult<HttpResponse> {
    let p = &pg.ctx;
    let cid = p.customer_id();
    let users = crate::db::run(&pg.state.pool, move |c| invitations::list_with_state(c, cid)).await?;
    let l = crate::web::portal::layout(p, &pg.req, "title.users", "nav-users");
    let page = UsersPage { l, users, me: p.user.id, invitation, form_email, errors };
    let status = if page.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(html(status, page.render()))
}

pub async fn users_get(pg: Page<Portal>) -> AppResult<HttpResponse> {
    users_page(&pg, Errors::default(), (None, String::new())).await
}

/// Invites a person of the customer (they choose their password through the link shown).
pub async fn user_create_post(pg: Page<Portal>, f: web::Form<NewUserInput>) -> AppResult<HttpResponse> {
    let new = NewUserInput { password: None, ..f.into_inner() };
    let email = new.email.clone();
    let (cid, actor) = (pg.ctx.customer_id(), pg.ctx.actor());
    let r = async {
        let ready = new.check(UserKind::Customer)?.hashed().await?;
        crate::db::run(&pg.state.pool, move |c| users::create(c, &actor, Some(cid), ready)).await
    }
    .await;
    match r {
        Ok(created) => {
            let link = created.invitation.map(|t| crate::http::invitation_url(&pg.req, &t));
            users_page(&pg, Errors::default(), (link, String::new())).await
        }
        Err(e @ (AppError::Unprocessable(..) | AppError::Conflict(..))) => {
            users_page(&pg, field_errors(&e), (None, email)).await
        }
        Err(e) => Err(e),
    }
}

/// Disables (`DISABLED`) or enables one of the customer's users.
pub async fn user_disabled_post<const DISABLED: bool>(
    pg: Page<Portal>,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (uid, cid, actor) = (path.into_inner(), pg.ctx.customer_id(), pg.ctx.actor());
    crate::db::run(&pg.state.pool, move |c| users::set_disabled(c, &actor, Some(cid), uid, DISABLED)).await?;
    let done = pg.ctx.lang.t(if DISABLED { "users-disabled-flash" } else { "users-enabled-flash" });
    push_flash(&pg.session(), "success", done);
    Ok(see_other("/portal/users"))
}
