//! What a create or update of an access profile brings, raw (form fields, API JSON) and
//! validated: the same checks for both surfaces.

use crate::access::catalog::{Perm, parse_keys};
use crate::error::FieldError;
use crate::profiles::Availability;

/// Validated input of a create or update, the same for the form and the API.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileInput {
    pub name: String,
    pub description: String,
    pub availability: Availability,
    pub customer_id: Option<i64>,
    pub customer_groups: Vec<String>,
    pub is_default: bool,
    pub permissions: Vec<Perm>,
}

/// Raw input before validation.
#[derive(Debug, Clone, Default)]
pub struct RawProfile {
    pub name: String,
    pub description: String,
    pub availability: String,
    pub customer_id: Option<String>,
    pub customer_groups: Vec<String>,
    pub is_default: bool,
    pub permissions: Vec<String>,
}

impl From<&ProfileInput> for RawProfile {
    fn from(p: &ProfileInput) -> RawProfile {
        RawProfile {
            name: p.name.clone(),
            description: p.description.clone(),
            availability: p.availability.as_str().into(),
            customer_id: p.customer_id.map(|c| c.to_string()),
            customer_groups: p.customer_groups.clone(),
            is_default: p.is_default,
            permissions: p.permissions.iter().map(|k| k.key().to_string()).collect(),
        }
    }
}

/// Validates raw input (form or API) into a [`ProfileInput`], with a message per field.
pub fn validate(raw: &RawProfile) -> Result<ProfileInput, Vec<FieldError>> {
    let mut errs = Vec::new();
    let name = raw.name.trim().to_string();
    let n = name.chars().count();
    if n == 0 {
        errs.push(FieldError::new("name", "Give the profile a name."));
    } else if n > 200 {
        errs.push(FieldError::new("name", "The name can have at most 200 characters."));
    }
    let description = raw.description.trim().to_string();
    if description.chars().count() > 2000 {
        errs.push(FieldError::new("description", "The description can have at most 2000 characters."));
    }
    let availability = match Availability::parse(raw.availability.trim()) {
        Some(a) => a,
        None => {
            errs.push(FieldError::new("availability", "Choose one of: all, customer, groups, disabled."));
            Availability::All
        }
    };
    let customer_id = match raw.customer_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(v) if v > 0 => Some(v),
            _ => {
                errs.push(FieldError::new("customerId", "Enter a customer id (a positive number)."));
                None
            }
        },
    };
    if availability == Availability::Customer && customer_id.is_none() && !errs.iter().any(|e| e.field == "customerId")
    {
        errs.push(FieldError::new("customerId", "Choose the customer this profile is for."));
    }
    if availability != Availability::Customer && customer_id.is_some() {
        errs.push(FieldError::new("customerId", "A customer is only set when availability is \"customer\"."));
    }
    let mut customer_groups: Vec<String> =
        raw.customer_groups.iter().map(|g| g.trim().to_string()).filter(|g| !g.is_empty()).collect();
    customer_groups.sort();
    customer_groups.dedup();
    if availability == Availability::Groups && customer_groups.is_empty() {
        errs.push(FieldError::new("customerGroups", "Choose at least one customer group."));
    }
    if availability != Availability::Groups && !customer_groups.is_empty() {
        errs.push(FieldError::new("customerGroups", "Groups are only set when availability is \"groups\"."));
    }
    let permissions = match parse_keys(raw.permissions.iter().map(String::as_str)) {
        Ok(mut p) => {
            p.sort_by_key(|x| Perm::ALL.iter().position(|y| y == x));
            p
        }
        Err(unknown) => {
            errs.push(FieldError::new("permissions", format!("Unknown permission key(s): {}.", unknown.join(", "))));
            vec![]
        }
    };
    if errs.is_empty() {
        Ok(ProfileInput {
            name,
            description,
            availability,
            customer_id,
            customer_groups,
            is_default: raw.is_default,
            permissions,
        })
    } else {
        Err(errs)
    }
}
