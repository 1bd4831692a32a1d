//! A strict deserializer over a parsed JSON document, for request bodies. It differs from
//! serde_json's own in two ways that matter to an API whose schema is JSON Schema:
//!
//! - an object is required wherever a struct is expected (serde would also accept an array
//!   of the fields in order, so `[null, null]` would pass as an object);
//! - a number with a zero fraction (`2.0`) is accepted where an integer is expected, as JSON
//!   Schema counts it as an integer.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde_json::{Error, Number, Value};

/// Deserializes from a borrowed [`Value`].
pub struct Strict<'a>(pub &'a Value);

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (_, Some(i), _) => Unexpected::Signed(i),
            (_, _, Some(f)) => Unexpected::Float(f),
            _ => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, v: V) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        v.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        v.visit_i64(i)
    } else {
        v.visit_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// A whole number written with a zero fraction (`2.0`), as an integer.
fn integral(n: &Number) -> Option<Number> {
    if n.is_f64() {
        let f = n.as_f64()?;
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            return Some(if f >= 0.0 { Number::from(f as u64) } else { Number::from(f as i64) });
        }
    }
    None
}

macro_rules! integer_methods {
    ($($method:ident),*) => {
        $(
            fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
                match self.0 {
                    Value::Number(n) => match integral(n) {
                        Some(i) => visit_number(&i, v),
                        None => visit_number(n, v),
                    },
                    _ => self.deserialize_any(v),
                }
            }
        )*
    };
}

impl<'de, 'a> Deserializer<'de> for Strict<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Number(n) => visit_number(n, v),
            Value::String(s) => v.visit_str(s),
            Value::Array(a) => v.visit_seq(Seq(a.iter())),
            Value::Object(o) => v.visit_map(Map { it: o.iter(), value: None }),
        }
    }

    integer_methods!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64
    );

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => v.visit_unit(),
            other => Err(de::Error::invalid_type(unexpected(other), &v)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(o) => v.visit_map(Map { it: o.iter(), value: None }),
            other => Err(de::Error::invalid_type(unexpected(other), &v)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(a) => v.visit_seq(Seq(a.iter())),
            other => Err(de::Error::invalid_type(unexpected(other), &v)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            // Unit variants, the only kind the API's bodies use.
            Value::String(s) => v.visit_enum(de::value::StrDeserializer::<Error>::new(s)),
            other => Err(de::Error::invalid_type(unexpected(other), &v)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, v: V) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i128 u128 f32 f64 char str string bytes byte_buf unit_struct tuple_struct identifier
    }
}

struct Seq<'a>(std::slice::Iter<'a, Value>);

impl<'de, 'a> SeqAccess<'de> for Seq<'a> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(Strict(v))).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'a> {
    it: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'de, 'a> MapAccess<'de> for Map<'a> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.it.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(de::value::StrDeserializer::<Error>::new(k)).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(Strict(v)),
            None => Err(de::Error::custom("a value was asked for before its key")),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.it.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct S {
        n: i64,
        #[serde(default)]
        o: Option<u32>,
        #[serde(default)]
        l: Vec<String>,
        #[serde(default)]
        e: Option<E>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum E {
        A,
        B,
    }

    fn de(v: serde_json::Value) -> Result<S, Error> {
        S::deserialize(Strict(&v))
    }

    #[test]
    fn objects_only_and_integral_floats() {
        use serde_json::json;
        assert_eq!(de(json!({"n": 2.0, "o": 3.0})).unwrap(), S { n: 2, o: Some(3), l: vec![], e: None });
        assert!(de(json!({"n": 2.5})).is_err());
        assert!(de(json!([1, null, [], null])).is_err(), "an array is not an object");
        assert!(de(json!({"n": 1, "x": 1})).is_err());
        assert!(de(json!({"n": "1"})).is_err());
        assert!(de(json!({"n": 1, "o": -1})).is_err());
        assert_eq!(de(json!({"n": -1, "l": ["a"], "e": "B"})).unwrap().e, Some(E::B));
        assert!(de(json!({"n": 1, "e": "C"})).is_err());
        assert!(de(json!({"n": 1, "e": {"A": null}})).is_err());
    }
}
