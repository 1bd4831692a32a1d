//! The audit log, filterable, newest first, keyset-paged. Read-only: no route edits it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::AppState;
use crate::audit::{AuditEntry, AuditFilter};
use crate::error::AppResult;
use crate::http::Ctx;
use crate::web::html;
use crate::web::layout::Layout;

const PER_PAGE: i64 = 100;

pub struct Row {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub actor_kind: String,
    pub action: String,
    pub object: String,
    pub diff: String,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub l: Layout,
    pub rows: Vec<Row>,
    pub f: AuditFilter,
    pub actions: Vec<String>,
    pub next: Option<String>,
}

impl AuditPage {
    pub fn fv(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }
}

pub async fn list_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    q: web::Query<AuditFilter>,
) -> AppResult<HttpResponse> {
    let f = q.into_inner();
    let f2 = f.clone();
    let (entries, actions) =
        crate::db::run(&state.pool, move |c| Ok((AuditEntry::list(c, &f2, PER_PAGE + 1)?, AuditEntry::actions(c)?)))
            .await?;
    let tz = s.user.time_zone.clone();
    let lang = crate::web::layout::request_lang(&req);
    let more = entries.len() as i64 > PER_PAGE;
    let rows: Vec<Row> = entries
        .into_iter()
        .take(PER_PAGE as usize)
        .map(|e| Row {
            id: e.id,
            at: crate::web::account::fmt_time(lang, e.at, &tz),
            actor: e.actor_label,
            actor_kind: lang.try_t(&format!("audit-kind-{}", e.actor_kind)).unwrap_or(e.actor_kind),
            action: e.action,
            object: match e.object_id {
                Some(id) if !id.is_empty() => format!("{} #{id}", e.object_type),
                _ => e.object_type,
            },
            diff: e
                .diff
                .map(|d| {
                    serde_json::from_str::<serde_json::Value>(&d)
                        .map(|v| serde_json::to_string_pretty(&v).unwrap_or(d.clone()))
                        .unwrap_or(d)
                })
                .unwrap_or_default(),
            ip: e.source_ip.unwrap_or_default(),
        })
        .collect();
    let next = if more {
        rows.last().map(|r| {
            let mut pairs: Vec<(&str, String)> = Vec::new();
            for (k, v) in [
                ("actor", &f.actor),
                ("action", &f.action),
                ("object_type", &f.object_type),
                ("object_id", &f.object_id),
            ] {
                if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
                    pairs.push((k, v.clone()));
                }
            }
            pairs.push(("before", r.id.to_string()));
            format!("/admin/audit?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
        })
    } else {
        None
    };
    let page = AuditPage { l: super::layout(&req, &s, "audit-title"), rows, f, actions, next };
    Ok(html(StatusCode::OK, page.render()))
}
