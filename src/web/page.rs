//! What a page handler needs besides its own input, as one extractor: the request (for the
//! frame: path, session, headers), the application state and the request context the route
//! guard made (`Ctx`, or `Portal` on customer routes; [`Public`] for the sign-in pages, which
//! have none).

use std::future::{Ready, ready};

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use crate::AppState;
use crate::error::AppError;
use crate::http::Ctx;

pub struct Page<C = Ctx> {
    pub req: HttpRequest,
    pub state: web::Data<AppState>,
    pub ctx: C,
}

impl<C> Page<C> {
    pub fn session(&self) -> Session {
        self.req.get_session()
    }

    /// The same request with another view of its context.
    pub fn map<D>(self, f: impl FnOnce(C) -> D) -> Page<D> {
        Page { req: self.req, state: self.state, ctx: f(self.ctx) }
    }
}

/// The context of a page anyone may open (sign-in, invitation): nobody is known yet.
pub struct Public;

impl FromRequest for Public {
    type Error = AppError;
    type Future = Ready<Result<Public, AppError>>;
    fn from_request(_: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Public))
    }
}

impl<C> FromRequest for Page<C>
where
    C: FromRequest<Error = AppError, Future = Ready<Result<C, AppError>>>,
{
    type Error = AppError;
    type Future = Ready<Result<Page<C>, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let state = req
            .app_data::<web::Data<AppState>>()
            .cloned()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("the application state is missing")));
        let ctx = C::from_request(req, payload).into_inner();
        ready(state.and_then(|state| Ok(Page { req: req.clone(), state, ctx: ctx? })))
    }
}
