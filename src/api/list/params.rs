//! The OpenAPI parameters of a list, generated from the same spec the parser reads.

use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr, Required, Schema};

use super::{FilterKind, ListSpec, MAX_COUNT_PER_PAGE, MAX_PAGE, STANDARD, pascal};

fn schema_of(kind: FilterKind) -> RefOr<Schema> {
    match kind {
        FilterKind::Int => ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .into(),
        FilterKind::Ids => ArrayBuilder::new()
            .items(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
            )
            .min_items(Some(1))
            .into(),
        FilterKind::Bool => ObjectBuilder::new().schema_type(Type::Boolean).into(),
        FilterKind::Time => ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .into(),
        FilterKind::Text => ObjectBuilder::new().schema_type(Type::String).max_length(Some(200)).into(),
    }
}

fn param(name: String, description: String, schema: RefOr<Schema>, array: bool) -> Parameter {
    let mut b = ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema));
    if array {
        b = b.style(Some(ParameterStyle::Form)).explode(Some(false));
    }
    b.build()
}

/// The query parameters of a list, in both spellings.
pub fn openapi_params(spec: &ListSpec) -> Vec<Parameter> {
    let int = |min: i64, max: Option<i64>| -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(min as f64))
            .maximum(max.map(|m| m as f64))
            .into()
    };
    let boolean = || -> RefOr<Schema> { ObjectBuilder::new().schema_type(Type::Boolean).into() };
    let ids: RefOr<Schema> = if let Some(keys) = spec.text_ids {
        ArrayBuilder::new()
            .items(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(keys())))
            .min_items(Some(1))
            .into()
    } else {
        schema_of(FilterKind::Ids)
    };
    let sort_values: Vec<String> =
        spec.sort_fields.iter().map(|f| f.to_string()).chain(spec.sort_fields.iter().map(|f| pascal(f))).collect();
    let enum_of = |values: Vec<String>| -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values)).into()
    };
    let mut base: Vec<(String, String, RefOr<Schema>, bool)> = Vec::new();
    for (name, desc) in STANDARD {
        let (schema, array) = match name {
            "page" => (int(1, Some(MAX_PAGE)), false),
            "countPerPage" => (int(1, Some(MAX_COUNT_PER_PAGE)), false),
            "all" | "simplifiedPaging" => (boolean(), false),
            "specificIds" => (ids.clone(), true),
            "sortField" => (enum_of(sort_values.clone()), false),
            "sortOrder" => (enum_of(vec!["Ascend".into(), "Descend".into()]), false),
            _ => (enum_of(vec!["json".into(), "csv".into()]), false),
        };
        let desc = if name == "sortField" {
            format!("{desc} One of {} (default {}).", spec.sort_fields.join(", "), spec.sort_fields[0])
        } else {
            desc.to_string()
        };
        base.push((name.to_string(), desc, schema, array));
    }
    for f in spec.filters {
        base.push((f.name.to_string(), f.description.to_string(), schema_of(f.kind), f.kind == FilterKind::Ids));
    }
    let mut out = Vec::new();
    for (name, desc, schema, array) in &base {
        out.push(param(name.clone(), desc.clone(), schema.clone(), *array));
    }
    for (name, _, schema, array) in &base {
        out.push(param(
            pascal(name),
            format!("The same as `{name}` (which wins when both are given)."),
            schema.clone(),
            *array,
        ));
    }
    out
}

/// Declares a marker type whose OpenAPI parameters are those of a [`ListSpec`].
macro_rules! list_params {
    ($name:ident, $spec:expr) => {
        pub struct $name;
        impl utoipa::IntoParams for $name {
            fn into_params(
                _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
            ) -> Vec<utoipa::openapi::path::Parameter> {
                $crate::api::list::openapi_params(&$spec)
            }
        }
    };
}
pub(crate) use list_params;
