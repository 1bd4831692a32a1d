//! The customer hierarchy: ancestors, breadcrumbs, descendants, and the nearest customer up a
//! chain that has an access profile of its own. Chains are read level by level ([`Chains`]):
//! one query per level of the deepest chain, however many customers are asked about.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use crate::customers::model::CustomerRow;
use crate::db::DbConnection;
use crate::db::schema::{customer_group_members, customer_groups, customers};
use crate::error::AppResult;

/// Hierarchies deeper than this are refused (and never walked further).
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Crumb {
    pub id: i64,
    pub name: String,
}

struct Node {
    name: String,
    parent: Option<i64>,
    profile: Option<i64>,
}

/// Some customers together with all their ancestors.
pub struct Chains(HashMap<i64, Node>);

impl Chains {
    /// Reads the customers `ids` and every ancestor of theirs.
    pub fn load(conn: &mut DbConnection, ids: &[i64]) -> AppResult<Chains> {
        let mut chains = Chains(HashMap::new());
        chains.read_up(conn, ids.to_vec())?;
        Ok(chains)
    }

    /// The chain of a customer whose row is already read: only its ancestors are queried (none
    /// for a customer at the top).
    pub fn of_row(conn: &mut DbConnection, row: &CustomerRow) -> AppResult<Chains> {
        let node = Node { name: row.name.clone(), parent: row.parent_id, profile: row.access_profile_id };
        let mut chains = Chains(HashMap::from([(row.id, node)]));
        chains.read_up(conn, row.parent_id.into_iter().collect())?;
        Ok(chains)
    }

    /// Adds the customers `want` and every ancestor of theirs not read yet, a level a query.
    fn read_up(&mut self, conn: &mut DbConnection, mut want: Vec<i64>) -> AppResult<()> {
        let nodes = &mut self.0;
        // A chain has at most MAX_DEPTH links; a breadcrumb also names the level above.
        for _ in 0..MAX_DEPTH + 2 {
            want.sort_unstable();
            want.dedup();
            want.retain(|id| !nodes.contains_key(id));
            if want.is_empty() {
                break;
            }
            let rows: Vec<(i64, String, Option<i64>, Option<i64>)> = customers::table
                .filter(customers::id.eq_any(&want))
                .select((customers::id, customers::name, customers::parent_id, customers::access_profile_id))
                .load(conn)?;
            want = rows.iter().filter_map(|r| r.2).collect();
            nodes.extend(rows.into_iter().map(|(id, name, parent, profile)| (id, Node { name, parent, profile })));
        }
        Ok(())
    }

    /// The customer's own id followed by its ancestors, nearest first.
    pub fn ancestry(&self, id: i64) -> Vec<i64> {
        let mut out = vec![id];
        let mut cur = id;
        for _ in 0..MAX_DEPTH {
            match self.0.get(&cur).and_then(|n| n.parent) {
                Some(p) if !out.contains(&p) => {
                    out.push(p);
                    cur = p;
                }
                _ => break,
            }
        }
        out
    }

    /// The customer's ancestors from the root down to its parent.
    pub fn breadcrumb(&self, id: i64) -> Vec<Crumb> {
        let Some(parent) = self.0.get(&id).and_then(|n| n.parent) else { return vec![] };
        let mut chain = self.ancestry(parent);
        chain.reverse();
        chain.into_iter().filter_map(|a| self.0.get(&a).map(|n| Crumb { id: a, name: n.name.clone() })).collect()
    }

    /// The nearest customer at or above `id` that has an access profile of its own, with that
    /// profile: `(customer, profile)`.
    pub fn nearest_assignment(&self, id: i64) -> Option<(i64, i64)> {
        self.ancestry(id).into_iter().find_map(|c| self.0.get(&c).and_then(|n| n.profile).map(|p| (c, p)))
    }
}

/// The customer's own id followed by its ancestors, nearest first.
pub fn ancestry(conn: &mut DbConnection, id: i64) -> AppResult<Vec<i64>> {
    Ok(Chains::load(conn, &[id])?.ancestry(id))
}

/// Ancestors from the root down to the parent.
pub fn breadcrumb(conn: &mut DbConnection, id: i64) -> AppResult<Vec<Crumb>> {
    Ok(Chains::load(conn, &[id])?.breadcrumb(id))
}

/// Every descendant of a customer (not the customer itself).
pub fn descendants(conn: &mut DbConnection, id: i64) -> AppResult<Vec<i64>> {
    let mut out: Vec<i64> = Vec::new();
    let mut frontier = vec![id];
    for _ in 0..MAX_DEPTH {
        if frontier.is_empty() {
            break;
        }
        let children: Vec<i64> =
            customers::table.filter(customers::parent_id.eq_any(&frontier)).select(customers::id).load(conn)?;
        frontier = children.into_iter().filter(|c| !out.contains(c) && *c != id).collect();
        out.extend(&frontier);
    }
    Ok(out)
}

/// The customer and every descendant of it.
pub fn subtree(conn: &mut DbConnection, id: i64) -> AppResult<Vec<i64>> {
    let mut ids = vec![id];
    ids.extend(descendants(conn, id)?);
    Ok(ids)
}

pub fn direct_children(conn: &mut DbConnection, id: i64) -> AppResult<Vec<i64>> {
    Ok(customers::table.filter(customers::parent_id.eq(id)).select(customers::id).load(conn)?)
}

/// The names of the customer's groups, in order.
pub fn group_names(conn: &mut DbConnection, id: i64) -> AppResult<Vec<String>> {
    Ok(group_names_of(conn, &[id])?.remove(&id).unwrap_or_default())
}

/// The group names of each of the customers, in order.
pub fn group_names_of(conn: &mut DbConnection, ids: &[i64]) -> AppResult<HashMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = customer_group_members::table
        .inner_join(customer_groups::table)
        .filter(customer_group_members::customer_id.eq_any(ids))
        .order(customer_groups::name.asc())
        .select((customer_group_members::customer_id, customer_groups::name))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, name) in rows {
        out.entry(id).or_default().push(name);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::model::chain;
    use crate::db::testing::each_backend;

    #[test]
    fn chains_answer_as_the_single_walks_do() {
        each_backend(|c| {
            let (abd, e) = (chain(c, &["A", "B", "D"]), chain(c, &["E"])[0]);
            let (a, b, d) = (abd[0], abd[1], abd[2]);
            let chains = Chains::load(c, &[d, e]).unwrap();
            assert_eq!(chains.ancestry(d), vec![d, b, a]);
            assert_eq!(ancestry(c, d).unwrap(), vec![d, b, a]);
            assert_eq!(chains.ancestry(e), vec![e]);
            let names: Vec<String> = chains.breadcrumb(d).into_iter().map(|x| x.name).collect();
            assert_eq!(names, vec!["A", "B"]);
            assert!(breadcrumb(c, a).unwrap().is_empty());
            assert_eq!(chains.nearest_assignment(d), None);
            diesel::update(customers::table.find(a)).set(customers::access_profile_id.eq(Some(7))).execute(c).unwrap();
            assert_eq!(Chains::load(c, &[d]).unwrap().nearest_assignment(d), Some((a, 7)));
            assert_eq!(descendants(c, a).unwrap(), vec![b, d]);
            assert_eq!(subtree(c, b).unwrap(), vec![b, d]);
            assert_eq!(direct_children(c, a).unwrap(), vec![b]);
        });
    }
}
