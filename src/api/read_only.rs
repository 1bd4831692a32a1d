//! Request bodies that accept the read-only fields GET returned (so a client may send the
//! object back whole) and ignore them.

/// Declares a request body struct followed by `read_only(field, …)`: each of those fields is
/// accepted with any value, documented as read-only, and ignored.
macro_rules! with_read_only {
    ($(#[$attr:meta])* pub struct $name:ident { $($fields:tt)* } read_only($($ro:ident),* $(,)?)) => {
        $(#[$attr])*
        #[allow(dead_code)] // read-only fields are accepted and ignored
        pub struct $name {
            $($fields)*
            $(
                #[doc = "Read-only: accepted and ignored."]
                #[serde(default)]
                #[schema(value_type = Option<serde_json::Value>)]
                pub $ro: $crate::api::schema::ReadOnly,
            )*
        }
    };
}
pub(crate) use with_read_only;
