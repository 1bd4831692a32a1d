//! Paging in one place: a Diesel extension in the manner of crates.io's `Paginate`. Any query
//! gets `.paginate(window)`, which reads one window of its rows together with the number of
//! rows it has in all (`COUNT(*) OVER ()`, one statement), or `.window(window)`, which reads the
//! rows only (no count is computed at all). Lists of every module page through [`page`].
//!
//! Keyset paging of the big tables (CDRs) is not this: those lists use cursors.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::LoadQuery;
use diesel::serialize::ToSql;
use diesel::sql_types::BigInt;
use diesel::{QueryResult, RunQueryDsl};

use crate::db::DbConnection;

/// Rows `offset .. offset + limit` of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: i64,
    pub limit: i64,
}

impl Window {
    pub fn new(offset: i64, limit: i64) -> Window {
        Window { offset: offset.max(0), limit: limit.max(0) }
    }
}

pub trait Paginate: Sized {
    /// The window's rows, each with the total number of rows of the query.
    fn paginate(self, w: Window) -> Paginated<Self> {
        Paginated { query: self, offset: w.offset, limit: w.limit }
    }
    /// The window's rows only.
    fn window(self, w: Window) -> Windowed<Self> {
        Windowed { query: self, offset: w.offset, limit: w.limit }
    }
}

impl<T: Query> Paginate for T {}

#[derive(Debug, Clone, Copy, QueryId)]
pub struct Paginated<T> {
    query: T,
    offset: i64,
    limit: i64,
}

#[derive(Debug, Clone, Copy, QueryId)]
pub struct Windowed<T> {
    query: T,
    offset: i64,
    limit: i64,
}

impl<T: Query> Query for Paginated<T> {
    type SqlType = (T::SqlType, BigInt);
}

impl<T: Query> Query for Windowed<T> {
    type SqlType = T::SqlType;
}

impl<T> RunQueryDsl<DbConnection> for Paginated<T> {}
impl<T> RunQueryDsl<DbConnection> for Windowed<T> {}

fn limit_offset<'b, DB>(out: &mut AstPass<'_, 'b, DB>, limit: &'b i64, offset: &'b i64) -> QueryResult<()>
where
    DB: Backend,
    i64: ToSql<BigInt, DB>,
{
    out.push_sql(") paged LIMIT ");
    out.push_bind_param::<BigInt, _>(limit)?;
    out.push_sql(" OFFSET ");
    out.push_bind_param::<BigInt, _>(offset)
}

impl<T, DB> QueryFragment<DB> for Paginated<T>
where
    DB: Backend,
    T: QueryFragment<DB>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("SELECT *, COUNT(*) OVER () FROM (");
        self.query.walk_ast(out.reborrow())?;
        limit_offset(&mut out, &self.limit, &self.offset)
    }
}

impl<T, DB> QueryFragment<DB> for Windowed<T>
where
    DB: Backend,
    T: QueryFragment<DB>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("SELECT * FROM (");
        self.query.walk_ast(out.reborrow())?;
        limit_offset(&mut out, &self.limit, &self.offset)
    }
}

/// One window of a list and, when asked for, the list's total.
#[derive(Debug, Clone)]
pub struct Page<U> {
    pub rows: Vec<U>,
    pub total: Option<i64>,
}

impl<U> Page<U> {
    pub fn map<V>(self, f: impl FnMut(U) -> V) -> Page<V> {
        Page { rows: self.rows.into_iter().map(f).collect(), total: self.total }
    }
}

/// Reads one window of the query `build` makes (called again only to count when the window
/// lies past the end), with the total when `with_total`.
pub fn page<'a, Q, U>(
    conn: &mut DbConnection,
    build: impl Fn() -> Q,
    w: Window,
    with_total: bool,
) -> QueryResult<Page<U>>
where
    Q: Paginate,
    Paginated<Q>: LoadQuery<'a, DbConnection, (U, i64)>,
    Windowed<Q>: LoadQuery<'a, DbConnection, U>,
{
    if !with_total {
        return Ok(Page { rows: build().window(w).load::<U>(conn)?, total: None });
    }
    let rows: Vec<(U, i64)> = build().paginate(w).load(conn)?;
    let total = match rows.first() {
        Some((_, n)) => *n,
        None if w.offset > 0 => {
            // Past the end: the window has no row to carry the count.
            build().paginate(Window::new(0, 1)).load::<(U, i64)>(conn)?.first().map(|(_, n)| *n).unwrap_or(0)
        }
        None => 0,
    };
    Ok(Page { rows: rows.into_iter().map(|(u, _)| u).collect(), total: Some(total) })
}

/// `order_by!(boxed_query, ascending, column, …)`: the query ordered by the columns, all
/// ascending or all descending (a list sorts by its field, then by id for ties).
#[macro_export]
macro_rules! order_by {
    ($q:expr, $asc:expr, $($col:expr),+ $(,)?) => {
        if $asc { $q.order(($($col.asc(),)+)) } else { $q.order(($($col.desc(),)+)) }
    };
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use diesel::connection::{Instrumentation, InstrumentationEvent};
    use diesel::prelude::*;

    use super::*;
    use crate::db::schema::customer_groups;

    /// A migrated SQLite database in a temporary file, with every statement it runs recorded.
    fn recorded() -> (tempfile::TempDir, DbConnection, Arc<Mutex<Vec<String>>>) {
        let dir = tempfile::tempdir().unwrap();
        let url = crate::db::DbUrl::Sqlite(dir.path().join("t.db").display().to_string());
        let mut conn = crate::db::connect(&url).unwrap();
        crate::db::run_migrations(&mut conn).unwrap();
        for i in 0..5 {
            diesel::insert_into(customer_groups::table)
                .values((customer_groups::name.eq(format!("g{i}")), customer_groups::created_at.eq(crate::now())))
                .execute(&mut conn)
                .unwrap();
        }
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        let recorder = move |e: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { query, .. } = e {
                sink.lock().unwrap().push(query.to_string());
            }
        };
        conn.set_instrumentation(Box::new(recorder) as Box<dyn Instrumentation>);
        (dir, conn, log)
    }

    fn names(conn: &mut DbConnection, w: Window, with_total: bool) -> Page<String> {
        let build = || customer_groups::table.select(customer_groups::name).order(customer_groups::name.asc());
        page(conn, build, w, with_total).unwrap()
    }

    #[test]
    fn a_window_without_total_runs_no_count() {
        let (_dir, mut conn, log) = recorded();
        let p = names(&mut conn, Window::new(1, 2), false);
        assert_eq!(p.rows, vec!["g1", "g2"]);
        assert_eq!(p.total, None);
        let sql = log.lock().unwrap().clone();
        assert_eq!(sql.len(), 1, "{sql:?}");
        assert!(!sql[0].to_uppercase().contains("COUNT"), "{sql:?}");
    }

    #[test]
    fn a_window_with_total_counts_in_the_same_statement() {
        let (_dir, mut conn, log) = recorded();
        let p = names(&mut conn, Window::new(3, 10), true);
        assert_eq!(p.rows, vec!["g3", "g4"]);
        assert_eq!(p.total, Some(5));
        assert_eq!(log.lock().unwrap().len(), 1);
        // Past the end the rows carry no count: one more statement finds it.
        let p = names(&mut conn, Window::new(7, 10), true);
        assert!(p.rows.is_empty());
        assert_eq!(p.total, Some(5));
    }
}
