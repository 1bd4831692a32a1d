//! The customer list: filters by name, parent, tag, group and own profile, one page at a time.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Query;
use askama::Template;
use serde::Deserialize;

use crate::access::resolve::{self, Source};
use crate::customers::Customer;
use crate::customers::groups::{CustomerGroup, Tag};
use crate::customers::list::{CustomerFilter, SortField, list};
use crate::db::paging::Window;
use crate::error::{AppError, AppResult};
use crate::profiles::Profile;
use crate::web::admin::Staff;
use crate::web::html;
use crate::web::layout::Layout;

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub q: Option<String>,
    pub parent: Option<String>,
    pub tag: Option<String>,
    pub group: Option<String>,
    pub profile: Option<String>,
    pub page: Option<String>,
}

fn opt_id(field: &str, v: &Option<String>) -> AppResult<Option<i64>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| AppError::bad_request(format!("{field} must be a number"))),
    }
}

pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub reference: String,
    pub parent: String,
    pub profile: String,
    pub profile_source: String,
    pub tags: Vec<Tag>,
    pub groups: String,
}

#[derive(Template)]
#[template(path = "admin/customers.html")]
pub struct ListPage {
    pub l: Layout,
    pub rows: Vec<ListRow>,
    pub q: String,
    pub tag: Option<i64>,
    pub group: Option<i64>,
    pub profile: Option<i64>,
    pub parent: Option<i64>,
    pub tags: Vec<Tag>,
    pub groups: Vec<CustomerGroup>,
    pub profiles: Vec<(i64, String)>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub query_base: String,
}

impl ListPage {
    pub fn sel(&self, cur: &Option<i64>, id: &i64) -> bool {
        *cur == Some(*id)
    }
}

fn source_key(s: Source) -> &'static str {
    match s {
        Source::Own => "customers-source-own",
        Source::Inherited { .. } => "customers-source-inherited",
        Source::Default => "customers-source-default",
        Source::None => "customers-source-none",
    }
}

pub async fn list_get(staff: Staff, q: Query<ListQuery>) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let filter = CustomerFilter {
        name_filter: q.q.clone(),
        parent_ids: opt_id("parent", &q.parent)?.into_iter().collect(),
        tag_ids: opt_id("tag", &q.tag)?.into_iter().collect(),
        group_id: opt_id("group", &q.group)?,
        profile_id: opt_id("profile", &q.profile)?,
        ..Default::default()
    };
    let page = opt_id("page", &q.page)?.unwrap_or(1).max(1);
    let f = filter.clone();
    let (customers, effective, total, tags, groups, profiles) = crate::db::run(&staff.state.pool, move |c| {
        let window = Window::new(page.saturating_sub(1).saturating_mul(PER_PAGE), PER_PAGE);
        let found = list(c, &f, (SortField::Name, true), window, true)?;
        let customers = Customer::attach_all(c, found.rows)?;
        let ids: Vec<i64> = customers.iter().map(Customer::id).collect();
        let effective = resolve::effective_ids(c, &ids)?;
        let tags = Tag::list(c)?.into_iter().map(|x| x.0).collect::<Vec<_>>();
        let groups = CustomerGroup::list(c)?.into_iter().map(|x| x.0).collect::<Vec<_>>();
        let profiles = Profile::list_with_holders(c)?.into_iter().map(|(p, _)| (p.id, p.name)).collect::<Vec<_>>();
        Ok((customers, effective, found.total.unwrap_or(0), tags, groups, profiles))
    })
    .await?;
    let mut qb = Vec::new();
    for (k, v) in [("q", &q.q), ("parent", &q.parent), ("tag", &q.tag), ("group", &q.group), ("profile", &q.profile)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            qb.push((k, v.to_string()));
        }
    }
    let lang = staff.ctx.lang;
    let profile_name = |id: Option<i64>| profiles.iter().find(|p| Some(p.0) == id).map(|p| p.1.clone());
    let rows = customers
        .into_iter()
        .map(|c| {
            let (pid, source) = effective.get(&c.id()).copied().unwrap_or((None, Source::None));
            ListRow {
                id: c.id(),
                reference: c.row.reference_id.clone().unwrap_or_default(),
                parent: c.breadcrumb.iter().map(|b| b.name.as_str()).collect::<Vec<_>>().join(" › "),
                profile: profile_name(pid).unwrap_or_else(|| "—".into()),
                profile_source: lang.t(source_key(source)),
                groups: c.groups.join(", "),
                tags: c.tags,
                name: c.row.name,
            }
        })
        .collect();
    let page_view = ListPage {
        l: crate::web::admin::layout(&staff.req, &staff.ctx, "customers-title"),
        rows,
        q: q.q.clone().unwrap_or_default(),
        tag: filter.tag_ids.first().copied(),
        group: filter.group_id,
        profile: filter.profile_id,
        parent: filter.parent_ids.first().copied(),
        tags,
        groups,
        profiles,
        page,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
        total,
        query_base: serde_urlencoded::to_string(&qb).unwrap_or_default(),
    };
    Ok(html(StatusCode::OK, page_view.render()))
}
