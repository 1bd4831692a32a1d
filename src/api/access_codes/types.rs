//! The wire types of access codes (SPEC §4): staff see the private part; a customer user only
//! with the role administrator or developer.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::list::{ListSpec, list_params};
use crate::api::read_only::with_read_only;
use crate::api::schema::max_chars;
use crate::customers::accounts::{AccessCode, AccessCodeInput};
use crate::error::AppResult;

/// The public part of an access code.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodePublic {
    #[schema(max_length = 500)]
    pub text: String,
    #[schema(max_length = 500)]
    pub value: String,
}

/// The private part of an access code: shown only to staff and to customer administrators and
/// developers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodePrivate {
    #[schema(max_length = 500)]
    pub master: String,
    #[schema(max_length = 500)]
    pub read: String,
    #[schema(max_length = 500)]
    pub write: String,
}

/// An access code as staff see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AccessCode)]
pub struct CodeOut {
    pub id: i64,
    pub customer_id: i64,
    pub label: String,
    pub public: CodePublic,
    pub private: CodePrivate,
}

/// An access code as a customer user sees it: `private` only for the roles administrator and
/// developer, absent for `user`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PortalAccessCode)]
pub struct PortalCodeOut {
    pub id: i64,
    pub customer_id: i64,
    pub label: String,
    pub public: CodePublic,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private: Option<CodePrivate>,
}

fn private_of(a: &AccessCode) -> CodePrivate {
    CodePrivate { master: a.private_master.clone(), read: a.private_read.clone(), write: a.private_write.clone() }
}

pub fn code_out(a: &AccessCode) -> CodeOut {
    CodeOut {
        id: a.id,
        customer_id: a.customer_id,
        label: a.label.clone(),
        public: CodePublic { text: a.public_text.clone(), value: a.public_value.clone() },
        private: private_of(a),
    }
}

pub fn portal_code_out(a: &AccessCode, with_private: bool) -> PortalCodeOut {
    PortalCodeOut {
        id: a.id,
        customer_id: a.customer_id,
        label: a.label.clone(),
        public: CodePublic { text: a.public_text.clone(), value: a.public_value.clone() },
        private: with_private.then(|| private_of(a)),
    }
}

/// The JSON of a list row (with `private`, it is the same as [`CodeOut`]).
pub fn code_json(a: &AccessCode, with_private: bool) -> Value {
    serde_json::to_value(portal_code_out(a, with_private)).unwrap_or_default()
}

with_read_only! {
    /// A new access code; `public` and `private` default to empty strings.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schema(as = AccessCodeCreate)]
    pub struct CodeCreate {
        #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
        pub label: String,
        #[serde(default)]
        pub public: Option<CodePublic>,
        #[serde(default)]
        pub private: Option<CodePrivate>,
    }
    read_only(id, customer_id)
}

with_read_only! {
    /// The whole access code as GET returned it (`id`, `customerId` ignored).
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schema(as = AccessCodeReplace)]
    pub struct CodeReplace {
        #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
        pub label: String,
        pub public: CodePublic,
        pub private: CodePrivate,
    }
    read_only(id, customer_id)
}

/// The code's fields after the wire's own length check; the domain command checks them all.
fn code_input(label: String, public: Option<CodePublic>, private: Option<CodePrivate>) -> AppResult<AccessCodeInput> {
    max_chars(&[("label", Some(&label), 200)])?;
    let (pt, pv) = public.map(|p| (p.text, p.value)).unwrap_or_default();
    let (m, r, w) = private.map(|p| (p.master, p.read, p.write)).unwrap_or_default();
    Ok(AccessCodeInput {
        label,
        public_text: pt,
        public_value: pv,
        private_master: m,
        private_read: r,
        private_write: w,
    })
}

impl CodeCreate {
    pub fn input(self) -> AppResult<AccessCodeInput> {
        code_input(self.label, self.public, self.private)
    }
}

impl CodeReplace {
    pub fn input(self) -> AppResult<AccessCodeInput> {
        code_input(self.label, Some(self.public), Some(self.private))
    }
}

pub const CODE_LIST: ListSpec =
    ListSpec { name: "access-codes", sort_fields: &["id", "label"], filters: &[], text_ids: None };
list_params!(CodeListParams, CODE_LIST);

/// CSV columns of access codes; the private ones only for those who may see them.
pub fn code_columns(with_private: bool) -> Vec<String> {
    let mut c = vec!["id", "customerId", "label", "public.text", "public.value"];
    if with_private {
        c.extend(["private.master", "private.read", "private.write"]);
    }
    c.into_iter().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_shapes_are_the_model_json() {
        let now = crate::now();
        let code = AccessCode {
            id: 1,
            customer_id: 2,
            label: "L".into(),
            public_text: "t".into(),
            public_value: "v".into(),
            private_master: "m".into(),
            private_read: "r".into(),
            private_write: "w".into(),
            created_at: now,
            updated_at: now,
        };
        for private in [true, false] {
            if private {
                assert_eq!(serde_json::to_value(code_out(&code)).unwrap(), code_json(&code, true));
            }
            let mut ours = code_json(&code, private);
            ours.as_object_mut().unwrap().remove("customerId");
            assert_eq!(ours, code.to_json(private));
        }
    }
}
