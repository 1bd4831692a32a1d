//! Who is asking: the `Identity` extractor authenticates by `Authorization: Bearer` token or by
//! the session cookie, and loads the user fresh from the database on every request, so that a
//! disabled user or a revoked token stops working at once.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::AppState;
use crate::access::resolve::{Contexts, CustomerSide};
use crate::auth::sessions::keys;
use crate::auth::tokens::ApiToken;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::users::model::Role;
use crate::users::{User, UserKind};

#[derive(Clone)]
pub struct Identity {
    pub user: Rc<User>,
    /// True when the request carried an API token rather than a session cookie.
    pub via_token: bool,
    /// The access epoch, read with the user: which of this node's cached customer contexts
    /// are still true ([`Contexts`]); none when it cannot be read (then none is).
    pub epoch: Option<i64>,
    /// A customer user's customer side (row, effective profile, app settings), taken in the
    /// same trip to the database as the user: the guard takes it instead of reading it again.
    pub customer: Option<Arc<CustomerSide>>,
}

/// What the user lookup finds: the user and the access epoch, and for an enabled customer user
/// the customer side too (`None` when it cannot be read: the guard then reads it again, and
/// reports the problem where it is needed).
type Found = Option<(User, Option<i64>, Option<Arc<CustomerSide>>)>;

fn with_customer(conn: &mut DbConnection, contexts: &Contexts, found: Option<(User, Option<i64>)>) -> Found {
    let (user, epoch) = found?;
    let side = match user.customer_id {
        Some(c) if !user.disabled && user.kind == UserKind::Customer => contexts.get(conn, c, epoch).ok(),
        _ => None,
    };
    Some((user, epoch, side))
}

enum Credential {
    Token(String),
    Session(i64),
    None,
}

fn credential(req: &HttpRequest) -> Result<Credential, AppError> {
    if let Some(h) = req.headers().get(header::AUTHORIZATION) {
        let v = h.to_str().map_err(|_| AppError::Unauthorized)?;
        let tok = v.strip_prefix("Bearer ").ok_or(AppError::Unauthorized)?.trim();
        return Ok(Credential::Token(tok.to_string()));
    }
    match req.get_session().get::<i64>(keys::USER_ID) {
        Ok(Some(id)) => Ok(Credential::Session(id)),
        _ => Ok(Credential::None),
    }
}

impl Identity {
    pub async fn load(req: &HttpRequest) -> Result<Identity, AppError> {
        if let Some(id) = req.extensions().get::<Identity>() {
            return Ok(id.clone());
        }
        let state =
            req.app_data::<web::Data<AppState>>().ok_or_else(|| AppError::internal(anyhow::anyhow!("no state")))?;
        let cred = credential(req)?;
        let st = state.clone();
        let (found, via_token) = match cred {
            Credential::None => return Err(AppError::Unauthorized),
            Credential::Token(secret) => {
                let found = crate::db::run(&state.pool, move |conn| {
                    let Some(uid) = ApiToken::authenticate(conn, &secret)? else {
                        return Ok(None);
                    };
                    let found = User::find_with_epoch(conn, uid)?;
                    Ok(with_customer(conn, &st.contexts, found))
                })
                .await?;
                (found, true)
            }
            Credential::Session(uid) => {
                let found = crate::db::run(&state.pool, move |conn| {
                    let found = User::find_with_epoch(conn, uid)?;
                    Ok(with_customer(conn, &st.contexts, found))
                })
                .await?;
                (found, false)
            }
        };
        let (user, epoch, customer) = match found {
            Some((u, epoch, side)) if !u.disabled => (u, epoch, side),
            _ => {
                if !via_token {
                    req.get_session().purge();
                }
                return Err(AppError::Unauthorized);
            }
        };
        let id = Identity { user: Rc::new(user), via_token, epoch, customer };
        req.extensions_mut().insert(id.clone());
        Ok(id)
    }

    pub fn is_staff(&self) -> bool {
        self.user.kind == UserKind::Staff
    }
    pub fn role(&self) -> Role {
        self.user.role
    }
}

impl FromRequest for Identity {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Identity::load(&req).await })
    }
}
