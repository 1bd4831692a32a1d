//! Customers of the operator: the hierarchy and its tree queries, groups, tags, settings,
//! billing accounts and access codes, and the commands that change them. Nothing here knows
//! access profiles: assigning one (and keeping it available) is `access::assignments`.

/// Lists of groups, tags, accounts and access codes, one window at a time (`ids` empty: all
/// rows), ordered by id or by name (then id): `paged!(impl Row, table, name_column)` adds
/// `Row::page`; `paged!(conn, Row, table, name_column, ids, sort, window, with_total[,
/// filter])` is the body of such a function.
macro_rules! paged {
    (impl $row:ident, $table:ident, $name:ident) => {
        impl $row {
            /// One window of the rows (`ids` empty: all of them), by id or by name.
            pub fn page(
                conn: &mut $crate::db::DbConnection,
                ids: &[i64],
                sort: ($crate::customers::groups::NameSort, bool),
                w: $crate::db::paging::Window,
                with_total: bool,
            ) -> $crate::error::AppResult<$crate::db::paging::Page<$row>> {
                $crate::customers::paged!(conn, $row, $table, $name, ids, sort, w, with_total)
            }
        }
    };
    ($conn:expr, $row:ident, $table:ident, $name:ident, $ids:expr, $sort:expr, $w:expr, $with_total:expr $(, $scope:expr)?) => {{
        use $crate::customers::groups::NameSort;
        let build = || {
            let mut q = $table::table.select($row::as_select()).into_boxed();
            $( q = q.filter($scope); )?
            if !$ids.is_empty() {
                q = q.filter($table::id.eq_any($ids.to_vec()));
            }
            match $sort {
                (NameSort::Id, true) => q.order($table::id.asc()),
                (NameSort::Id, false) => q.order($table::id.desc()),
                (NameSort::Name, true) => q.order(($table::$name.asc(), $table::id.asc())),
                (NameSort::Name, false) => q.order(($table::$name.desc(), $table::id.desc())),
            }
        };
        Ok($crate::db::paging::page($conn, build, $w, $with_total)?)
    }};
}
pub(crate) use paged;

pub mod accounts;
pub mod codes;
pub mod commands;
pub mod groups;
pub mod input;
pub mod list;
pub mod model;
pub mod settings;
pub mod tree;

pub use input::CustomerInput;
pub use model::Customer;
