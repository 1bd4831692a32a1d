//! One error type for the whole application. It maps to a status code and to the JSON error
//! body of SPEC §8; `web::errors` turns it into an HTML page for browser routes.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String, Vec<FieldError>),
    #[error("authentication required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String, Vec<FieldError>),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Unprocessable(String, Vec<FieldError>),
    #[error("{0}")]
    RateLimited(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn bad_request(msg: impl Into<String>) -> Self {
        AppError::BadRequest(msg.into(), Vec::new())
    }
    pub fn forbidden() -> Self {
        AppError::Forbidden("You do not have access to this page.".into())
    }
    pub fn unprocessable(msg: impl Into<String>, details: Vec<FieldError>) -> Self {
        AppError::Unprocessable(msg.into(), details)
    }
    pub fn field(field: &str, msg: impl Into<String>) -> Self {
        let msg = msg.into();
        AppError::Unprocessable(msg.clone(), vec![FieldError::new(field, msg)])
    }
    pub fn conflict(msg: impl Into<String>) -> Self {
        AppError::Conflict(msg.into(), Vec::new())
    }
    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(e.into())
    }

    pub fn from_pool(e: r2d2::Error) -> Self {
        tracing::warn!(error = %e, "database unavailable");
        AppError::Unavailable("The database is unavailable. Please try again shortly.".into())
    }

    /// The machine-readable code of SPEC §8.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(..) => "bad_request",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict(..) => "conflict",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::Unprocessable(..) => "unprocessable",
            AppError::RateLimited(_) => "rate_limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn details(&self) -> &[FieldError] {
        match self {
            AppError::BadRequest(_, d) | AppError::Conflict(_, d) | AppError::Unprocessable(_, d) => d,
            _ => &[],
        }
    }

    /// What a user may read: never internal details.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => "Something went wrong on our side. It has been logged.".into(),
            AppError::NotFound => "The page or record you asked for does not exist.".into(),
            AppError::Unauthorized => "Please sign in.".into(),
            other => other.to_string(),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as K, Error as E};
        match e {
            E::NotFound => AppError::NotFound,
            E::DatabaseError(K::UniqueViolation, info) => {
                AppError::conflict(format!("already exists ({})", info.message()))
            }
            E::DatabaseError(K::ForeignKeyViolation, _) => {
                AppError::conflict("the record is still referenced by other records")
            }
            E::DatabaseError(K::ClosedConnection | K::UnableToSendCommand, _) => {
                tracing::warn!(error = %e, "database connection lost");
                AppError::Unavailable("The database is unavailable. Please try again shortly.".into())
            }
            E::DatabaseError(_, ref info)
                if info.message().contains("database is locked")
                    || info.message().contains("server closed the connection")
                    || info.message().contains("could not connect") =>
            {
                tracing::warn!(error = %e, "database unavailable");
                AppError::Unavailable("The database is busy or unavailable. Please try again.".into())
            }
            E::BrokenTransactionManager => {
                tracing::warn!("database connection broken");
                AppError::Unavailable("The database is unavailable. Please try again shortly.".into())
            }
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}

#[derive(Serialize)]
pub struct ErrorBody<'a> {
    pub error: ErrorInner<'a>,
}

#[derive(Serialize)]
pub struct ErrorInner<'a> {
    pub code: &'a str,
    pub message: String,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    pub details: &'a [FieldError],
}

pub fn json_error(status: StatusCode, code: &str, message: String, details: &[FieldError]) -> HttpResponse {
    HttpResponse::build(status).json(ErrorBody { error: ErrorInner { code, message, details } })
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(..) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(..) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unprocessable(..) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(e) = self {
            tracing::error!(error = ?e, "internal error");
        }
        json_error(self.status_code(), self.code(), self.public_message(), self.details())
    }
}

pub type AppResult<T> = Result<T, AppError>;
