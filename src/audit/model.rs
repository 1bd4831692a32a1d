use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Map, Value};

use crate::db::DbConnection;
use crate::db::schema::audit_log;
use crate::error::AppResult;
use crate::users::User;

/// Who did it, and from which address: every domain command takes one, and writes it into
/// the audit row it records.
#[derive(Debug, Clone)]
pub struct Actor {
    kind: &'static str,
    id: Option<i64>,
    label: String,
    /// The client address the request came from (none for the command line and the system).
    pub ip: Option<String>,
}

impl Actor {
    /// A signed-in person (staff or customer user).
    pub fn user(u: &User, ip: Option<String>) -> Actor {
        Actor { kind: if u.is_staff() { "staff" } else { "customer" }, id: Some(u.id), label: u.audit_label(), ip }
    }
    /// Someone not (yet) authenticated, e.g. a failed login for an e-mail address.
    pub fn anonymous(label: impl Into<String>, ip: Option<String>) -> Actor {
        Actor { kind: "anonymous", id: None, label: label.into(), ip }
    }
    /// The application itself, or the command line.
    pub fn system() -> Actor {
        Actor { kind: "system", id: None, label: "system".into(), ip: None }
    }
    /// The user id of a signed-in person.
    pub fn user_id(&self) -> Option<i64> {
        self.id
    }
    /// How the person is named in `createdBy`/`lastModifiedBy` and the audit log.
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// The changed fields between two JSON objects: `{"field": {"before": …, "after": …}}`.
/// A create has no `before`, a delete no `after`; then every field is listed.
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Option<Value> {
    let empty = Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut out = Map::new();
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        if matches!(k.as_str(), "updatedAt" | "updated_at" | "version") && before.is_some() && after.is_some() {
            continue;
        }
        let (bv, av) = (b.get(k), a.get(k));
        if bv != av {
            let mut change = Map::new();
            if before.is_some() {
                change.insert("before".into(), bv.cloned().unwrap_or(Value::Null));
            }
            if after.is_some() {
                change.insert("after".into(), av.cloned().unwrap_or(Value::Null));
            }
            out.insert(k.clone(), Value::Object(change));
        }
    }
    if out.is_empty() && before.is_none() && after.is_none() { None } else { Some(Value::Object(out)) }
}

/// Appends one row. `diff` is usually built with [`diff`]. Only domain code calls this, inside
/// the transaction of the change it describes.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    object_type: &str,
    object_id: Option<String>,
    diff: Option<Value>,
) -> AppResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(crate::now()),
            audit_log::actor_kind.eq(actor.kind),
            audit_log::actor_id.eq(actor.id),
            audit_log::actor_label.eq(&actor.label),
            audit_log::action.eq(action),
            audit_log::object_type.eq(object_type),
            audit_log::object_id.eq(object_id),
            audit_log::diff.eq(diff.map(|d| d.to_string())),
            audit_log::source_ip.eq(actor.ip.as_deref()),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub diff: Option<String>,
    pub source_ip: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// Keyset cursor: show rows with an id below this one.
    pub before: Option<i64>,
}

impl AuditFilter {
    /// The query string of the same filter for the rows older than `id` (the next page).
    pub fn older_than(&self, id: i64) -> String {
        let mut pairs: Vec<(&str, String)> = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("object_type", &self.object_type),
            ("object_id", &self.object_id),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().filter(|v| !v.is_empty()).map(|v| (k, v.clone())))
        .collect();
        pairs.push(("before", id.to_string()));
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

impl AuditEntry {
    /// Newest first, keyset-paged by id.
    pub fn list(conn: &mut DbConnection, f: &AuditFilter, limit: i64) -> AppResult<Vec<AuditEntry>> {
        let mut q = audit_log::table.select(AuditEntry::as_select()).into_boxed();
        if let Some(a) = f.actor.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q = q.filter(audit_log::actor_label.like(format!("%{}%", escape_like(a))).escape('\\'));
        }
        if let Some(a) = f.action.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q = q.filter(audit_log::action.eq(a.to_string()));
        }
        if let Some(t) = f.object_type.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q = q.filter(audit_log::object_type.eq(t.to_string()));
        }
        if let Some(i) = f.object_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q = q.filter(audit_log::object_id.eq(i.to_string()));
        }
        if let Some(b) = f.before {
            q = q.filter(audit_log::id.lt(b));
        }
        Ok(q.order(audit_log::id.desc()).limit(limit).load(conn)?)
    }

    /// At most `limit` rows, newest first, and whether older ones match too.
    pub fn page(conn: &mut DbConnection, f: &AuditFilter, limit: i64) -> AppResult<(Vec<AuditEntry>, bool)> {
        let mut rows = AuditEntry::list(conn, f, limit + 1)?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit.max(0) as usize);
        Ok((rows, more))
    }

    /// The diff, indented for reading (as stored when it is not JSON); empty without one.
    pub fn diff_pretty(&self) -> String {
        let Some(d) = &self.diff else { return String::new() };
        serde_json::from_str::<Value>(d).ok().and_then(|v| serde_json::to_string_pretty(&v).ok()).unwrap_or(d.clone())
    }

    /// The object as people read it: `customer #12`, or just the type.
    pub fn object(&self) -> String {
        match self.object_id.as_deref() {
            Some(id) if !id.is_empty() => format!("{} #{id}", self.object_type),
            _ => self.object_type.clone(),
        }
    }

    pub fn actions(conn: &mut DbConnection) -> AppResult<Vec<String>> {
        Ok(audit_log::table.select(audit_log::action).distinct().order(audit_log::action.asc()).load(conn)?)
    }
}

pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_lists_only_changes() {
        let d =
            diff(Some(&json!({"a": 1, "b": 2, "version": 1})), Some(&json!({"a": 1, "b": 3, "version": 2}))).unwrap();
        assert_eq!(d, json!({"b": {"before": 2, "after": 3}}));
        let c = diff(None, Some(&json!({"a": 1}))).unwrap();
        assert_eq!(c, json!({"a": {"after": 1}}));
    }
}
