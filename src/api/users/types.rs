//! The wire types of portal users.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::schema::{Language, TimeZoneName, body_ignoring, time};
use crate::users::User;
use crate::users::model::Role;

/// The role of a customer's user (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CustomerRole {
    Administrator,
    Developer,
    User,
}

impl CustomerRole {
    pub fn role(self) -> Role {
        match self {
            CustomerRole::Administrator => Role::Administrator,
            CustomerRole::Developer => Role::Developer,
            CustomerRole::User => Role::User,
        }
    }
    pub fn of(r: Role) -> CustomerRole {
        match r {
            Role::Administrator => CustomerRole::Administrator,
            Role::Developer => CustomerRole::Developer,
            _ => CustomerRole::User,
        }
    }
}

/// A portal user as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PortalUser)]
pub struct UserOut {
    pub id: i64,
    pub customer_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: CustomerRole,
    /// A disabled user cannot sign in; their sessions and tokens have ended.
    pub disabled: bool,
    /// Invited and not yet accepted (no password set).
    pub invitation_pending: bool,
    pub lang: String,
    pub time_zone: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

pub fn user_out(u: &User, pending: bool) -> UserOut {
    UserOut {
        id: u.id,
        customer_id: u.customer_id.unwrap_or_default(),
        email: u.email.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        role: CustomerRole::of(u.role),
        disabled: u.disabled,
        invitation_pending: pending,
        lang: u.lang.clone(),
        time_zone: u.time_zone.clone(),
        created_at: time(u.created_at),
        updated_at: time(u.updated_at),
    }
}

/// A created user; `invitationUrl` (valid 7 days) when no password was given.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PortalUserCreated)]
pub struct UserCreated {
    #[serde(flatten)]
    pub user: UserOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation_url: Option<String>,
}

fn default_lang() -> String {
    "en".into()
}
fn default_tz() -> String {
    "UTC".into()
}

body_ignoring! {
    /// A new portal user. Without `password` the answer carries an `invitationUrl`.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schema(as = PortalUserCreate)]
    pub struct UserCreate {
        #[schema(max_length = 254, format = Email)]
        pub email: String,
        #[serde(default)]
        #[schema(max_length = 100)]
        pub first_name: String,
        #[serde(default)]
        #[schema(max_length = 100)]
        pub last_name: String,
        pub role: CustomerRole,
        /// An initial password (12–128 characters); leave it out to get an invitation link.
        #[serde(default)]
        #[schema(min_length = 12, max_length = 128)]
        pub password: Option<String>,
        #[serde(default)]
        pub disabled: bool,
        #[serde(default = "default_lang")]
        #[schema(value_type = Language)]
        pub lang: String,
        #[serde(default = "default_tz")]
        #[schema(value_type = TimeZoneName)]
        pub time_zone: String,
    }
    read_only { id, customer_id, invitation_pending, created_at, updated_at }
}

body_ignoring! {
    /// The whole user as GET returned it; read-only fields are ignored.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schema(as = PortalUserReplace)]
    pub struct UserReplace {
        #[schema(max_length = 254, format = Email)]
        pub email: String,
        #[schema(max_length = 100)]
        pub first_name: String,
        #[schema(max_length = 100)]
        pub last_name: String,
        pub role: CustomerRole,
        /// Disabling ends the user's sessions and revokes their API tokens at once.
        pub disabled: bool,
        #[schema(value_type = Language)]
        pub lang: String,
        #[schema(value_type = TimeZoneName)]
        pub time_zone: String,
    }
    read_only { id, customer_id, invitation_pending, created_at, updated_at }
}
