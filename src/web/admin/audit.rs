//! The audit log, filterable, newest first, keyset-paged. Read-only: no route edits it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::audit::{AuditEntry, AuditFilter};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::web::account::fmt_time;
use crate::web::html;
use crate::web::layout::Layout;
use crate::web::page::Page;

const PER_PAGE: i64 = 100;

/// One audit row as the page shows it.
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

impl Row {
    fn of(lang: Lang, tz: &str, e: AuditEntry) -> Row {
        Row {
            id: e.id,
            at: fmt_time(lang, e.at, tz),
            object: e.object(),
            diff: e.diff_pretty(),
            actor_kind: lang.try_t(&format!("audit-kind-{}", e.actor_kind)).unwrap_or(e.actor_kind),
            actor: e.actor_label,
            action: e.action,
            ip: e.source_ip.unwrap_or_default(),
        }
    }
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

pub async fn list_get(pg: Page, q: web::Query<AuditFilter>) -> AppResult<HttpResponse> {
    let f = q.into_inner();
    let f2 = f.clone();
    let ((entries, more), actions) =
        crate::db::run(&pg.state.pool, move |c| Ok((AuditEntry::page(c, &f2, PER_PAGE)?, AuditEntry::actions(c)?)))
            .await?;
    let (lang, tz) = (pg.ctx.lang, pg.ctx.user.time_zone.as_str());
    let rows: Vec<Row> = entries.into_iter().map(|e| Row::of(lang, tz, e)).collect();
    let next = rows.last().filter(|_| more).map(|r| format!("/admin/audit?{}", f.older_than(r.id)));
    let page = AuditPage { l: super::layout(&pg.req, &pg.ctx, "audit-title"), rows, f, actions, next };
    Ok(html(StatusCode::OK, page.render()))
}
