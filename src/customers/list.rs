//! The customer list of the admin page and the API: filters, sort orders, one page at a time
//! through [`crate::db::paging`].

use diesel::prelude::*;

use crate::customers::model::CustomerRow;
use crate::customers::tree::{descendants, direct_children};
use crate::db::DbConnection;
use crate::db::paging::{self, Page, Window};
use crate::db::schema::{accounts, customer_group_members, customer_tags, customers};
use crate::error::AppResult;

/// Filters of the customer list (admin page and API).
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub name_filter: Option<String>,
    pub parent_ids: Vec<i64>,
    pub shallow_parent: bool,
    pub tag_ids: Vec<i64>,
    pub account_ids: Vec<i64>,
    pub group_id: Option<i64>,
    pub profile_id: Option<i64>,
    pub specific_ids: Vec<i64>,
    /// Restrict to these customers (a customer user's own subtree).
    pub within: Option<Vec<i64>>,
}

/// The ids matching the filters that are not plain columns (`None`: no such filter).
fn filtered_ids(conn: &mut DbConnection, f: &CustomerFilter) -> AppResult<Option<Vec<i64>>> {
    let mut set: Option<Vec<i64>> = f.within.clone();
    let mut narrow = |ids: Vec<i64>| {
        set = Some(match set.take() {
            None => ids,
            Some(prev) => prev.into_iter().filter(|x| ids.contains(x)).collect(),
        });
    };
    if !f.parent_ids.is_empty() {
        let mut ids = Vec::new();
        for p in &f.parent_ids {
            if f.shallow_parent {
                ids.extend(direct_children(conn, *p)?);
            } else {
                ids.extend(descendants(conn, *p)?);
            }
        }
        narrow(ids);
    }
    if !f.tag_ids.is_empty() {
        let rows: Vec<(i64, i64)> = customer_tags::table
            .filter(customer_tags::tag_id.eq_any(&f.tag_ids))
            .select((customer_tags::customer_id, customer_tags::tag_id))
            .load(conn)?;
        let mut ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        ids.sort();
        ids.dedup();
        let ids = ids.into_iter().filter(|c| f.tag_ids.iter().all(|t| rows.contains(&(*c, *t)))).collect();
        narrow(ids);
    }
    if !f.account_ids.is_empty() {
        let ids: Vec<i64> =
            accounts::table.filter(accounts::id.eq_any(&f.account_ids)).select(accounts::customer_id).load(conn)?;
        narrow(ids);
    }
    if let Some(g) = f.group_id {
        let ids: Vec<i64> = customer_group_members::table
            .filter(customer_group_members::group_id.eq(g))
            .select(customer_group_members::customer_id)
            .load(conn)?;
        narrow(ids);
    }
    if !f.specific_ids.is_empty() {
        narrow(f.specific_ids.clone());
    }
    Ok(set)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    Id,
    Name,
    CreatedAt,
    UpdatedAt,
}

/// One page of customers matching the filter, and the total when asked for.
pub fn list(
    conn: &mut DbConnection,
    f: &CustomerFilter,
    sort: (SortField, bool),
    w: Window,
    with_total: bool,
) -> AppResult<Page<CustomerRow>> {
    let ids = filtered_ids(conn, f)?;
    let name = f.name_filter.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let pattern = name.map(|n| format!("%{}%", crate::audit::model::escape_like(&n.to_lowercase())));
    let build = || {
        let mut q = customers::table.select(CustomerRow::as_select()).into_boxed();
        if let Some(ids) = &ids {
            q = q.filter(customers::id.eq_any(ids.clone()));
        }
        if let Some(pat) = &pattern {
            q = q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("LOWER(customers.name) LIKE ")
                    .bind::<diesel::sql_types::Text, _>(pat.clone())
                    .sql(" ESCAPE '\\'"),
            );
        }
        if let Some(p) = f.profile_id {
            q = q.filter(customers::access_profile_id.eq(p));
        }
        match sort {
            (SortField::Id, true) => q.order(customers::id.asc()),
            (SortField::Id, false) => q.order(customers::id.desc()),
            (SortField::Name, true) => q.order((customers::name.asc(), customers::id.asc())),
            (SortField::Name, false) => q.order((customers::name.desc(), customers::id.desc())),
            (SortField::CreatedAt, true) => q.order((customers::created_at.asc(), customers::id.asc())),
            (SortField::CreatedAt, false) => q.order((customers::created_at.desc(), customers::id.desc())),
            (SortField::UpdatedAt, true) => q.order((customers::updated_at.asc(), customers::id.asc())),
            (SortField::UpdatedAt, false) => q.order((customers::updated_at.desc(), customers::id.desc())),
        }
    };
    Ok(paging::page(conn, build, w, with_total)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::model::chain;
    use crate::db::testing::each_backend;

    #[test]
    fn filters_sort_and_page() {
        each_backend(|c| {
            let ids = chain(c, &["Root", "Kid 100%", "Grandkid"]);
            let (root, kid, grand) = (ids[0], ids[1], ids[2]);
            let names = |p: Page<CustomerRow>| p.rows.into_iter().map(|r| r.name).collect::<Vec<_>>();
            let all = list(c, &CustomerFilter::default(), (SortField::Name, true), Window::new(0, 2), true).unwrap();
            assert_eq!(all.total, Some(3));
            assert_eq!(names(all), vec!["Grandkid", "Kid 100%"]);
            let below = CustomerFilter { parent_ids: vec![root], ..Default::default() };
            let p = list(c, &below, (SortField::Id, false), Window::new(0, 10), false).unwrap();
            assert_eq!((p.total, p.rows.iter().map(|r| r.id).collect::<Vec<_>>()), (None, vec![grand, kid]));
            let shallow = CustomerFilter { shallow_parent: true, ..below };
            assert_eq!(
                names(list(c, &shallow, (SortField::Id, true), Window::new(0, 10), false).unwrap()),
                vec!["Kid 100%"]
            );
            let like = CustomerFilter { name_filter: Some(" 100% ".into()), ..Default::default() };
            assert_eq!(
                names(list(c, &like, (SortField::Id, true), Window::new(0, 10), true).unwrap()),
                vec!["Kid 100%"]
            );
        });
    }
}
