use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::access::catalog::Perm;
use crate::db::DbConnection;
use crate::db::paging::{self, Page, Window};
use crate::db::schema::{
    access_profile_groups, access_profile_permissions, access_profiles, customer_groups, customers,
};
use crate::error::{AppError, AppResult, FieldError};
pub use crate::profiles::input::{ProfileInput, RawProfile, validate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Availability {
    All,
    Customer,
    Groups,
    Disabled,
}

impl Availability {
    pub const ALL: [Availability; 4] =
        [Availability::All, Availability::Customer, Availability::Groups, Availability::Disabled];
    pub fn as_str(self) -> &'static str {
        match self {
            Availability::All => "all",
            Availability::Customer => "customer",
            Availability::Groups => "groups",
            Availability::Disabled => "disabled",
        }
    }
    pub fn parse(s: &str) -> Option<Availability> {
        Availability::ALL.into_iter().find(|a| a.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Availability::All => "All customers",
            Availability::Customer => "One customer and its descendants",
            Availability::Groups => "Customers in groups",
            Availability::Disabled => "Disabled (grants nothing)",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = access_profiles)]
pub struct ProfileRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub availability: String,
    pub customer_id: Option<i64>,
    pub is_default: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The columns a create or an update writes from its input.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = access_profiles, treat_none_as_null = true)]
struct Written<'a> {
    name: &'a str,
    description: &'a str,
    availability: &'static str,
    customer_id: Option<i64>,
    is_default: bool,
}

impl Written<'_> {
    fn of(input: &ProfileInput) -> Written<'_> {
        Written {
            name: &input.name,
            description: &input.description,
            availability: input.availability.as_str(),
            customer_id: input.customer_id,
            is_default: input.is_default,
        }
    }
}

/// A stored profile: its fields (what a create or update sets, with the permissions and
/// groups) and what the database keeps about it. It reads as its fields: `p.name`,
/// `p.permissions`.
#[derive(Debug, Clone)]
pub struct Profile {
    pub id: i64,
    pub fields: ProfileInput,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl std::ops::Deref for Profile {
    type Target = ProfileInput;
    fn deref(&self) -> &ProfileInput {
        &self.fields
    }
}

fn fmt_time(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Profile {
    /// The JSON shape of the API (SPEC §3), also used for audit diffs.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "availability": self.availability.as_str(),
            "customerId": self.customer_id,
            "customerGroups": self.customer_groups,
            "isDefault": self.is_default,
            "permissions": self.permissions.iter().map(|p| p.key()).collect::<Vec<_>>(),
            "version": self.version,
            "createdAt": fmt_time(self.created_at),
            "updatedAt": fmt_time(self.updated_at),
        })
    }

    pub fn input(&self) -> ProfileInput {
        self.fields.clone()
    }

    pub fn has(&self, p: Perm) -> bool {
        self.permissions.contains(&p)
    }

    fn from_row(conn: &mut DbConnection, r: ProfileRow) -> AppResult<Profile> {
        let keys: Vec<String> = access_profile_permissions::table
            .filter(access_profile_permissions::profile_id.eq(r.id))
            .select(access_profile_permissions::perm)
            .load(conn)?;
        let mut permissions: Vec<Perm> = keys.iter().filter_map(|k| Perm::from_key(k)).collect();
        permissions.sort_by_key(|p| Perm::ALL.iter().position(|x| x == p));
        let customer_groups: Vec<String> = access_profile_groups::table
            .inner_join(customer_groups::table)
            .filter(access_profile_groups::profile_id.eq(r.id))
            .order(customer_groups::name.asc())
            .select(customer_groups::name)
            .load(conn)?;
        let availability = Availability::parse(&r.availability).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("profile {} has availability {}", r.id, r.availability))
        })?;
        let fields = ProfileInput {
            name: r.name,
            description: r.description,
            availability,
            customer_id: r.customer_id,
            customer_groups,
            is_default: r.is_default,
            permissions,
        };
        Ok(Profile { id: r.id, fields, version: r.version, created_at: r.created_at, updated_at: r.updated_at })
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Profile>> {
        let row = access_profiles::table.find(id).select(ProfileRow::as_select()).first(conn).optional()?;
        row.map(|r| Profile::from_row(conn, r)).transpose()
    }

    pub fn get(conn: &mut DbConnection, id: i64) -> AppResult<Profile> {
        Profile::find(conn, id)?.ok_or(AppError::NotFound)
    }

    pub fn find_by_name(conn: &mut DbConnection, name: &str) -> AppResult<Option<Profile>> {
        let row = access_profiles::table
            .filter(access_profiles::name.eq(name))
            .select(ProfileRow::as_select())
            .first(conn)
            .optional()?;
        row.map(|r| Profile::from_row(conn, r)).transpose()
    }

    /// Customers holding this profile by direct assignment.
    pub fn holders(conn: &mut DbConnection, id: i64) -> AppResult<i64> {
        Ok(customers::table.filter(customers::access_profile_id.eq(id)).count().get_result(conn)?)
    }

    /// All profiles with their holder counts, by name.
    pub fn list_with_holders(conn: &mut DbConnection) -> AppResult<Vec<(ProfileRow, i64)>> {
        let rows: Vec<ProfileRow> =
            access_profiles::table.order(access_profiles::name.asc()).select(ProfileRow::as_select()).load(conn)?;
        let counts = holder_counts(conn)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let n = holders_in(&counts, r.id);
                (r, n)
            })
            .collect())
    }

    /// How many profiles there are (the admin dashboard).
    pub fn count(conn: &mut DbConnection) -> AppResult<i64> {
        Ok(access_profiles::table.count().get_result(conn)?)
    }

    /// One page of profiles by name, each with how many customers hold it (the admin list).
    pub fn page_with_holders(conn: &mut DbConnection, w: Window) -> AppResult<Page<(Profile, i64)>> {
        let page = Profile::list_filtered(conn, &ProfileFilter::default(), (ProfileSort::Name, true), w, true)?;
        let counts = holder_counts(conn)?;
        Ok(page.map(|p| {
            let n = holders_in(&counts, p.id);
            (p, n)
        }))
    }

    pub fn load_many(conn: &mut DbConnection, rows: Vec<ProfileRow>) -> AppResult<Vec<Profile>> {
        rows.into_iter().map(|r| Profile::from_row(conn, r)).collect()
    }

    fn write_children(conn: &mut DbConnection, id: i64, input: &ProfileInput) -> AppResult<()> {
        diesel::delete(access_profile_permissions::table.filter(access_profile_permissions::profile_id.eq(id)))
            .execute(conn)?;
        for p in &input.permissions {
            diesel::insert_into(access_profile_permissions::table)
                .values((access_profile_permissions::profile_id.eq(id), access_profile_permissions::perm.eq(p.key())))
                .execute(conn)?;
        }
        diesel::delete(access_profile_groups::table.filter(access_profile_groups::profile_id.eq(id))).execute(conn)?;
        for g in &input.customer_groups {
            let gid: i64 =
                customer_groups::table.filter(customer_groups::name.eq(g)).select(customer_groups::id).first(conn)?;
            diesel::insert_into(access_profile_groups::table)
                .values((access_profile_groups::profile_id.eq(id), access_profile_groups::group_id.eq(gid)))
                .execute(conn)?;
        }
        Ok(())
    }

    /// Unsets the default of every profile but `keep` (all of them for a new one, before it
    /// exists, so that the unique index never sees two defaults).
    fn clear_other_defaults(conn: &mut DbConnection, keep: Option<i64>) -> AppResult<()> {
        diesel::update(
            access_profiles::table
                .filter(access_profiles::is_default.eq(true))
                .filter(access_profiles::id.ne(keep.unwrap_or(0))),
        )
        .set((
            access_profiles::is_default.eq(false),
            access_profiles::version.eq(access_profiles::version + 1),
            access_profiles::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
        Ok(())
    }

    /// Creates a profile. Call inside a transaction.
    pub fn create(conn: &mut DbConnection, input: &ProfileInput) -> AppResult<Profile> {
        check_refs(conn, input, None)?;
        let now = crate::now();
        if input.is_default {
            Profile::clear_other_defaults(conn, None)?;
        }
        let id: i64 = crate::with_conn!(conn, |c| diesel::insert_into(access_profiles::table)
            .values((
                Written::of(input),
                access_profiles::version.eq(1i64),
                access_profiles::created_at.eq(now),
                access_profiles::updated_at.eq(now),
            ))
            .returning(access_profiles::id)
            .get_result(c))
        .map_err(name_taken)?;
        Profile::write_children(conn, id, input)?;
        Profile::get(conn, id)
    }

    /// Replaces a profile's fields if `expected_version` is current; otherwise `Conflict`
    /// with the stored profile attached for the caller to show. Call inside a transaction.
    pub fn update(
        conn: &mut DbConnection,
        id: i64,
        expected_version: i64,
        input: &ProfileInput,
    ) -> Result<Profile, UpdateError> {
        let current = Profile::find(conn, id)?.ok_or(AppError::NotFound)?;
        if current.version != expected_version {
            return Err(UpdateError::Stale(Box::new(current)));
        }
        check_refs(conn, input, Some(id))?;
        check_holders_fit(conn, id, input)?;
        if input.is_default {
            Profile::clear_other_defaults(conn, Some(id))?;
        }
        let n = diesel::update(
            access_profiles::table
                .filter(access_profiles::id.eq(id))
                .filter(access_profiles::version.eq(expected_version)),
        )
        .set((
            Written::of(input),
            access_profiles::version.eq(expected_version + 1),
            access_profiles::updated_at.eq(crate::now()),
        ))
        .execute(conn)
        .map_err(name_taken)?;
        if n == 0 {
            let now = Profile::get(conn, id)?;
            return Err(UpdateError::Stale(Box::new(now)));
        }
        Profile::write_children(conn, id, input)?;
        Ok(Profile::get(conn, id)?)
    }

    /// Deletes a profile no customer holds; 409 with the holder count otherwise.
    pub fn delete(conn: &mut DbConnection, id: i64) -> AppResult<Profile> {
        let p = Profile::get(conn, id)?;
        let n = Profile::holders(conn, id)?;
        if n > 0 {
            return Err(AppError::Conflict(
                format!("The profile is assigned to {n} customer(s); assign them another profile first."),
                vec![FieldError::new("holders", n.to_string())],
            ));
        }
        diesel::delete(access_profiles::table.find(id)).execute(conn)?;
        Ok(p)
    }
}

impl ProfileInput {
    /// May a profile with these fields be assigned to that customer (SPEC §3 availability)?
    pub fn available_to(&self, conn: &mut DbConnection, customer_id: i64) -> AppResult<bool> {
        Ok(match self.availability {
            Availability::All => true,
            Availability::Disabled => false,
            Availability::Customer => match self.customer_id {
                Some(owner) => crate::customers::model::ancestry(conn, customer_id)?.contains(&owner),
                None => false,
            },
            Availability::Groups => {
                let mine = crate::customers::model::group_names(conn, customer_id)?;
                self.customer_groups.iter().any(|g| mine.contains(g))
            }
        })
    }
}

/// (profile id, customers holding it directly), for every held profile.
fn holder_counts(conn: &mut DbConnection) -> AppResult<Vec<(Option<i64>, i64)>> {
    Ok(customers::table
        .filter(customers::access_profile_id.is_not_null())
        .group_by(customers::access_profile_id)
        .select((customers::access_profile_id, diesel::dsl::count_star()))
        .load(conn)?)
}

fn holders_in(counts: &[(Option<i64>, i64)], id: i64) -> i64 {
    counts.iter().find(|(p, _)| *p == Some(id)).map(|(_, n)| *n).unwrap_or(0)
}

#[derive(Debug)]
pub enum UpdateError {
    Stale(Box<Profile>),
    Other(AppError),
}

impl From<AppError> for UpdateError {
    fn from(e: AppError) -> Self {
        UpdateError::Other(e)
    }
}

impl From<diesel::result::Error> for UpdateError {
    fn from(e: diesel::result::Error) -> Self {
        UpdateError::Other(e.into())
    }
}

/// A stale version is a 409 naming `version` and the stored one.
impl From<UpdateError> for AppError {
    fn from(e: UpdateError) -> Self {
        match e {
            UpdateError::Stale(now) => AppError::Conflict(
                format!("The profile was changed meanwhile: it is at version {}. Nothing was saved.", now.version),
                vec![FieldError::new("version", format!("stale: the stored version is {}", now.version))],
            ),
            UpdateError::Other(e) => e,
        }
    }
}

fn name_taken(e: diesel::result::Error) -> AppError {
    match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            AppError::field("name", "Another profile already has this name.")
        }
        other => other.into(),
    }
}

/// Checks the references of an input against the database: the customer exists, the groups
/// exist, the name is free.
fn check_refs(conn: &mut DbConnection, input: &ProfileInput, id: Option<i64>) -> AppResult<()> {
    let mut errs = Vec::new();
    if let Some(cid) = input.customer_id {
        let exists: i64 = customers::table.filter(customers::id.eq(cid)).count().get_result(conn)?;
        if exists == 0 {
            errs.push(FieldError::new("customerId", format!("There is no customer {cid}.")));
        }
    }
    for g in &input.customer_groups {
        let exists: i64 = customer_groups::table.filter(customer_groups::name.eq(g)).count().get_result(conn)?;
        if exists == 0 {
            errs.push(FieldError::new("customerGroups", format!("There is no customer group named {g}.")));
        }
    }
    let mut same = access_profiles::table.filter(access_profiles::name.eq(&input.name)).into_boxed();
    if let Some(id) = id {
        same = same.filter(access_profiles::id.ne(id));
    }
    let taken: i64 = same.count().get_result(conn)?;
    if taken > 0 {
        errs.push(FieldError::new("name", "Another profile already has this name."));
    }
    if errs.is_empty() { Ok(()) } else { Err(AppError::Unprocessable(errs[0].message.clone(), errs)) }
}

/// An availability change may not strand customers that hold the profile directly.
fn check_holders_fit(conn: &mut DbConnection, id: i64, input: &ProfileInput) -> AppResult<()> {
    if matches!(input.availability, Availability::All | Availability::Disabled) {
        return Ok(());
    }
    let holders: Vec<i64> =
        customers::table.filter(customers::access_profile_id.eq(id)).select(customers::id).load(conn)?;
    let mut outside = 0;
    for c in holders {
        if !input.available_to(conn, c)? {
            outside += 1;
        }
    }
    if outside > 0 {
        return Err(AppError::field(
            "availability",
            format!("{outside} customer(s) holding this profile would fall outside that availability."),
        ));
    }
    Ok(())
}

/// Filters of the profile list (API).
#[derive(Debug, Clone, Default)]
pub struct ProfileFilter {
    /// Only profiles with a higher id.
    pub id_after: Option<i64>,
    pub created_since: Option<NaiveDateTime>,
    pub updated_since: Option<NaiveDateTime>,
    /// Case-insensitive substring of the name.
    pub name: Option<String>,
    /// Only these ids (empty: no restriction).
    pub specific_ids: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileSort {
    Id,
    Name,
    CreatedAt,
    UpdatedAt,
}

fn filtered(f: &ProfileFilter) -> access_profiles::BoxedQuery<'static, crate::db::pool::MultiBackend> {
    let mut q = access_profiles::table.into_boxed();
    if let Some(id) = f.id_after {
        q = q.filter(access_profiles::id.gt(id));
    }
    if let Some(t) = f.created_since {
        q = q.filter(access_profiles::created_at.ge(t));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(access_profiles::updated_at.ge(t));
    }
    if let Some(n) = f.name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let pat = format!("%{}%", crate::audit::model::escape_like(&n.to_lowercase()));
        q = q.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("LOWER(access_profiles.name) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pat)
                .sql(" ESCAPE '\\'"),
        );
    }
    if !f.specific_ids.is_empty() {
        q = q.filter(access_profiles::id.eq_any(f.specific_ids.clone()));
    }
    q
}

impl Profile {
    /// One page of profiles matching the filter, in the given order (ties by id).
    pub fn list_filtered(
        conn: &mut DbConnection,
        f: &ProfileFilter,
        sort: (ProfileSort, bool),
        w: Window,
        with_total: bool,
    ) -> AppResult<Page<Profile>> {
        use access_profiles as p;
        let build = || {
            let q = filtered(f).select(ProfileRow::as_select());
            let asc = sort.1;
            match sort.0 {
                ProfileSort::Id => crate::order_by!(q, asc, p::id),
                ProfileSort::Name => crate::order_by!(q, asc, p::name, p::id),
                ProfileSort::CreatedAt => crate::order_by!(q, asc, p::created_at, p::id),
                ProfileSort::UpdatedAt => crate::order_by!(q, asc, p::updated_at, p::id),
            }
        };
        let page: Page<ProfileRow> = paging::page(conn, build, w, with_total)?;
        Ok(Page { rows: Profile::load_many(conn, page.rows)?, total: page.total })
    }
}
