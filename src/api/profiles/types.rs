//! The wire types of access profiles and the permission catalog.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::schema::{PermissionKey, body_ignoring, nullable, time};
use crate::profiles::model::RawProfile;
use crate::profiles::{Availability, Profile};

/// An access profile as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AccessProfile)]
pub struct ProfileOut {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub availability: Availability,
    /// Set iff availability is `customer`: that customer and its descendants may hold it.
    pub customer_id: Option<i64>,
    /// Customer group names; non-empty iff availability is `groups`.
    pub customer_groups: Vec<String>,
    /// At most one profile is the default.
    pub is_default: bool,
    #[schema(value_type = Vec<PermissionKey>)]
    pub permissions: Vec<String>,
    /// Bumps on every change; send it back in PUT.
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<&Profile> for ProfileOut {
    fn from(p: &Profile) -> Self {
        let f = &p.fields;
        ProfileOut {
            id: p.id,
            name: f.name.clone(),
            description: f.description.clone(),
            availability: f.availability,
            customer_id: f.customer_id,
            customer_groups: f.customer_groups.clone(),
            is_default: f.is_default,
            permissions: f.permissions.iter().map(|k| k.key().to_string()).collect(),
            version: p.version,
            created_at: time(p.created_at),
            updated_at: time(p.updated_at),
        }
    }
}

fn default_availability() -> Availability {
    Availability::All
}

body_ignoring! {
    /// A new access profile. Unknown permission keys are refused (422) with their names.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schema(as = AccessProfileCreate)]
    pub struct ProfileCreate {
        #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
        pub name: String,
        #[serde(default)]
        #[schema(max_length = 2000)]
        pub description: String,
        #[serde(default = "default_availability")]
        pub availability: Availability,
        #[serde(default)]
        pub customer_id: Option<i64>,
        #[serde(default)]
        pub customer_groups: Vec<String>,
        #[serde(default)]
        pub is_default: bool,
        #[serde(default)]
        #[schema(value_type = Vec<PermissionKey>)]
        pub permissions: Vec<String>,
    }
    read_only { id, version, created_at, updated_at }
}

body_ignoring! {
    /// The whole profile as GET returned it, with the `version` it was read at. `id`, `createdAt`
    /// and `updatedAt` are ignored.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schema(as = AccessProfileReplace)]
    pub struct ProfileReplace {
        #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
        pub name: String,
        #[schema(max_length = 2000)]
        pub description: String,
        pub availability: Availability,
        #[serde(deserialize_with = "nullable")]
        #[schema(required = true)]
        pub customer_id: Option<i64>,
        pub customer_groups: Vec<String>,
        pub is_default: bool,
        #[schema(value_type = Vec<PermissionKey>)]
        pub permissions: Vec<String>,
        /// The version the client read; a stale one is refused with 409.
        pub version: i64,
    }
    read_only { id, created_at, updated_at }
}

/// The fields of a create or a replace, as the form sends them too.
pub trait ProfileFields {
    fn raw(self) -> RawProfile;
}

macro_rules! profile_fields {
    ($t:ty) => {
        impl ProfileFields for $t {
            fn raw(self) -> RawProfile {
                RawProfile {
                    name: self.name,
                    description: self.description,
                    availability: self.availability.as_str().into(),
                    customer_id: self.customer_id.map(|c| c.to_string()),
                    customer_groups: self.customer_groups,
                    is_default: self.is_default,
                    permissions: self.permissions,
                }
            }
        }
    };
}
profile_fields!(ProfileCreate);
profile_fields!(ProfileReplace);

/// One key of the permission catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Permission)]
pub struct PermissionOut {
    #[schema(value_type = PermissionKey)]
    pub key: &'static str,
    /// Stable group identifier, e.g. `outgoing_traffic`.
    pub group: &'static str,
    pub group_label: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    /// The key this one needs (effective only when the parent is granted too).
    #[schema(value_type = Option<PermissionKey>)]
    pub parent: Option<&'static str>,
}
