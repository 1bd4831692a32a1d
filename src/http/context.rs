//! The request context: everything a handler may know about who is calling, established once
//! by the route guard ([`crate::http::routes`]) and handed to handlers as [`Ctx`] (every
//! guarded route) or [`Portal`] (routes of a customer's portal, HTML or API).
//!
//! The context carries the person, the role the request acts in, that role's capabilities
//! ([`Caps`]), and for customer routes the customer with its effective grants and app settings.
//! The person is read from the database on every request; the customer side comes from this
//! node's [`crate::access::resolve::Contexts`], valid only under the access epoch read with the
//! person: a permission change bites on the very next request on every node.

use std::future::{Ready, ready};
use std::rc::Rc;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::access::caps::{Cap, Caps};
use crate::access::resolve::{CustomerSide, Effective};
use crate::access::{Grants, Perm};
use crate::audit::Actor;
use crate::customers::model::CustomerRow;
use crate::customers::settings::AppSettings;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::users::User;
use crate::users::model::Role;

/// Who calls, with what rights. Cheap to clone.
#[derive(Clone)]
pub struct Ctx(pub Rc<CtxInner>);

pub struct CtxInner {
    /// The signed-in person (the staff member during a preview).
    pub user: Rc<User>,
    /// The request carried an API token rather than a session cookie.
    pub via_token: bool,
    /// The client address (audit rows, sessions).
    pub ip: Option<String>,
    /// The language of pages and messages.
    pub lang: Lang,
    /// The role the request acts in: the person's own, or `user` while staff preview a portal.
    pub role: Role,
    pub caps: Caps,
    /// The client asked for CSV: a CSV route, a `.csv` path suffix, `format=csv` or
    /// `Accept: text/csv` (decided once, by the guard).
    pub csv: bool,
    /// The customer whose portal this is (customer users, and staff previewing).
    pub customer: Option<CustomerCtx>,
}

/// The customer side of a request.
pub struct CustomerCtx {
    /// The customer's row, effective profile and app settings, shared with this node's cache
    /// (see [`crate::access::resolve::Contexts`]).
    pub side: Arc<CustomerSide>,
    /// A staff member previewing the portal as the customer's `user` role would see it.
    pub preview: bool,
}

impl std::ops::Deref for CustomerCtx {
    type Target = CustomerSide;
    fn deref(&self) -> &CustomerSide {
        &self.side
    }
}

impl std::ops::Deref for Ctx {
    type Target = CtxInner;
    fn deref(&self) -> &CtxInner {
        &self.0
    }
}

impl Ctx {
    /// The role may do this.
    pub fn can(&self, cap: Cap) -> bool {
        self.caps.can(cap)
    }

    /// The person is operator staff (also while previewing a customer's portal).
    pub fn is_staff(&self) -> bool {
        self.user.is_staff()
    }

    /// Who to name in the audit rows this request writes.
    pub fn actor(&self) -> Actor {
        Actor::user(&self.user, self.ip.clone())
    }

    /// The IANA time zone dates are shown and read in (UTC during a preview).
    pub fn tz(&self) -> &str {
        if self.customer.as_ref().is_some_and(|c| c.preview) { "UTC" } else { &self.user.time_zone }
    }

    /// The caller's own customer (customer users and previews); `None` for staff.
    pub fn own_customer(&self) -> Option<i64> {
        self.customer.as_ref().map(|c| c.row.id)
    }
}

impl FromRequest for Ctx {
    type Error = AppError;
    type Future = Ready<Result<Ctx, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(req.extensions().get::<Ctx>().cloned().ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("handler reached without the route guard: {}", req.path()))
        }))
    }
}

/// A request of a customer's portal: a [`Ctx`] that certainly has its customer.
#[derive(Clone)]
pub struct Portal(Ctx);

impl std::ops::Deref for Portal {
    type Target = Ctx;
    fn deref(&self) -> &Ctx {
        &self.0
    }
}

impl Portal {
    fn side(&self) -> &CustomerCtx {
        // The only constructor checks that the customer is there.
        self.0.customer.as_ref().expect("a Portal always has its customer")
    }
    pub fn ctx(&self) -> &Ctx {
        &self.0
    }
    pub fn customer(&self) -> &CustomerRow {
        &self.side().row
    }
    pub fn customer_id(&self) -> i64 {
        self.side().row.id
    }
    pub fn effective(&self) -> &Effective {
        &self.side().effective
    }
    pub fn grants(&self) -> &Grants {
        &self.side().effective.grants
    }
    /// The catalog key is effectively granted to the customer.
    pub fn has(&self, p: Perm) -> bool {
        self.side().effective.grants.has(p)
    }
    pub fn settings(&self) -> &AppSettings {
        &self.side().settings
    }
    pub fn preview(&self) -> bool {
        self.side().preview
    }
    /// A customer's relabelling (`stringMappings`) of a UI string, else its translation.
    pub fn label(&self, string_key: &str, msg_id: &str) -> String {
        match self.settings().string_mappings.get(string_key) {
            Some(v) => v.clone(),
            None => self.lang.t(msg_id),
        }
    }
}

impl TryFrom<Ctx> for Portal {
    type Error = AppError;
    fn try_from(ctx: Ctx) -> Result<Portal, AppError> {
        if ctx.customer.is_some() {
            Ok(Portal(ctx))
        } else {
            Err(AppError::internal(anyhow::anyhow!("a customer route reached without its customer")))
        }
    }
}

impl FromRequest for Portal {
    type Error = AppError;
    type Future = Ready<Result<Portal, AppError>>;
    fn from_request(req: &HttpRequest, pl: &mut Payload) -> Self::Future {
        ready(Ctx::from_request(req, pl).into_inner().and_then(Portal::try_from))
    }
}
