//! SPEC §2-§4, §6, §9: the catalog, profiles, resolution, enforcement on every surface.

use diesel::prelude::*;
use portico::access::Perm;
use portico::access::caps::Cap;
use portico::db::schema::{access_profiles, audit_log, customers};
use portico::profiles::Profile;
use portico::routes::PORTAL_ROUTES;
use portico::users::model::Role;
use portico::web::portal::SECTIONS;

use crate::both;
use crate::support::{PASSWORD, TestApp, assign, customer_with, make_profile};

/// Replaces a profile's permissions directly in the database.
async fn set_perms(app: &TestApp, profile: i64, keys: Vec<&'static str>) {
    app.db(move |c| {
        let p = Profile::get(c, profile).unwrap();
        let mut input = p.input();
        input.permissions = keys.iter().map(|k| Perm::from_key(k).unwrap()).collect();
        Profile::update(c, profile, p.version, &input).map_err(|_| ()).unwrap();
    })
    .await
}

fn concrete(path: &str) -> String {
    path.replace("{direction}", "outgoing")
        .replace("{id}", "1")
        .replace("{item}", "1")
        .replace("{day}", "2026-01-01.csv")
        .replace("{handle}", "x")
}

/// What each catalog key opens, written by hand (not derived from the route table it checks):
/// `METHOD path` of the portal (below `/portal`) and the API (below `/api/v1`). A key's
/// children's routes are listed under the parent too, since they need it.
const EXPECTED: &[(&str, &[&str])] = &[
    ("account", &["GET /portal/account", "GET /api/v1/profile/balance"]),
    ("listen_recording", &["GET /portal/cdrs/{direction}/{id}/recording"]),
    ("outgoing_rateplans", &["GET /portal/rateplans", "GET /portal/rateplans/check", "GET /api/v1/portal/rateplans"]),
    (
        "outgoing_cdrs",
        &[
            "GET /portal/cdrs/outgoing",
            "GET /portal/cdrs/outgoing/rows",
            "GET /portal/cdrs/outgoing/export",
            "GET /api/v1/portal/cdrs",
        ],
    ),
    ("outgoing_cdr_exports", &["GET /portal/cdrs/outgoing/export"]),
    ("outgoing_statistics", &["GET /portal/statistics/outgoing", "GET /api/v1/portal/statistics"]),
    (
        "outgoing_active_calls",
        &["GET /portal/active-calls", "GET /portal/active-calls/rows", "GET /api/v1/portal/active-calls"],
    ),
    (
        "outgoing_numberlists",
        &[
            "GET /portal/numberlists",
            "POST /portal/numberlists/{id}/items",
            "POST /portal/numberlists/{id}/items/{item}/delete",
            "GET /api/v1/portal/numberlists",
            "POST /api/v1/portal/numberlists/{id}/items",
            "DELETE /api/v1/portal/numberlists/{id}/items/{item}",
        ],
    ),
    ("incoming_cdrs", &["GET /portal/cdrs/incoming", "GET /portal/cdrs/incoming/rows", "GET /api/v1/portal/cdrs"]),
    ("incoming_statistics", &["GET /portal/statistics/incoming", "GET /api/v1/portal/statistics"]),
    (
        "invoices",
        &[
            "GET /portal/invoices",
            "GET /portal/invoices/{id}",
            "GET /portal/invoices/{id}/pdf",
            "GET /api/v1/portal/invoices",
        ],
    ),
    (
        "payments",
        &[
            "GET /portal/payments",
            "GET /portal/payments/new",
            "POST /portal/payments/new",
            "GET /api/v1/portal/payments",
        ],
    ),
    ("payments_cryptomus", &["GET /portal/payments/new", "POST /portal/payments/new"]),
    ("services", &["GET /portal/services", "GET /api/v1/portal/services"]),
    ("transactions", &["GET /portal/transactions", "GET /api/v1/portal/transactions"]),
    ("my_numbers", &["GET /portal/numbers", "POST /portal/numbers/{id}/description", "GET /api/v1/portal/numbers"]),
    ("my_numbers_edit_descriptions", &["POST /portal/numbers/{id}/description"]),
    ("my_campaigns", &["GET /portal/campaigns", "POST /portal/campaigns", "GET /api/v1/portal/campaigns"]),
    ("my_campaigns_manage", &["POST /portal/campaigns"]),
    ("daily_cdr_reports", &["GET /portal/reports/daily", "GET /portal/reports/daily/{day}"]),
];

fn expected_for(key: &str) -> &'static [&'static str] {
    EXPECTED.iter().find(|(k, _)| *k == key).map(|(_, v)| *v).unwrap_or(&[])
}

/// Every line of the portal and API tables needs exactly the keys the hand-written list says
/// (with their parents): a line with a wrong or a missing key fails here.
#[test]
fn route_keys_match_the_hand_written_expectation() {
    use portico::routes::API_ROUTES;
    let mut listed: Vec<&str> = EXPECTED.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    listed.sort();
    listed.dedup();
    for line in listed.iter() {
        let known = PORTAL_ROUTES.iter().chain(API_ROUTES).any(|r| format!("{} {}", r.method, r.full_path()) == *line);
        assert!(known, "{line} is expected but not in the route table");
    }
    for r in PORTAL_ROUTES.iter().chain(API_ROUTES) {
        let line = format!("{} {}", r.method, r.full_path());
        let mut needs: Vec<&str> = Vec::new();
        for k in r.keys() {
            let mut cur = Some(k);
            while let Some(p) = cur {
                needs.push(p.key());
                cur = p.parent();
            }
        }
        needs.sort();
        needs.dedup();
        let mut expected: Vec<&str> =
            EXPECTED.iter().filter(|(_, v)| v.contains(&line.as_str())).map(|(k, _)| *k).collect();
        expected.sort();
        assert_eq!(needs, expected, "{line} needs the wrong keys");
    }
}

/// Walks the whole catalog: for every key, a user without it sees no navigation link and gets
/// 403 on every route the hand-written list gives it; with it, the routes answer (never 403).
async fn catalog_walk(app: TestApp) {
    let all: Vec<&'static str> = Perm::ALL.iter().map(|p| p.key()).collect();
    let (b, _c, pid) = customer_with(&app, "walker@acme.example", Role::Administrator, &all).await;
    let keyed: Vec<Perm> = Perm::ALL.iter().copied().filter(|k| !expected_for(k.key()).is_empty()).collect();
    assert!(keyed.len() >= 19, "most sections have routes: {}", keyed.len());
    // Full grant: everything reachable, every nav link present.
    let dash = b.get("/portal").await;
    for s in SECTIONS.iter().filter_map(|s| s.key) {
        assert!(dash.body.contains(&format!("data-section=\"{}\"", s.key())), "nav link for {}", s.key());
    }
    for r in PORTAL_ROUTES.iter().filter(|r| !r.is_open()) {
        let path = format!("/portal{}", concrete(r.path));
        let resp = if r.method == "GET" { b.get(&path).await } else { b.post_form(&path, &[]).await };
        assert_ne!(resp.status, 403, "{} {path} must be reachable with the key", r.method);
        assert!(resp.status < 500, "{} {path}: {}", r.method, resp.status);
    }
    for k in keyed {
        let without: Vec<&'static str> = all.iter().copied().filter(|x| *x != k.key()).collect();
        set_perms(&app, pid, without).await;
        let dash = b.get("/portal").await;
        assert_eq!(dash.status, 200);
        assert!(!dash.body.contains(&format!("data-section=\"{}\"", k.key())), "no nav link without {}", k.key());
        for line in expected_for(k.key()).iter().filter(|l| l.contains(" /portal")) {
            let (method, path) = line.split_once(' ').unwrap();
            let path = concrete(path);
            let resp = if method == "GET" { b.get(&path).await } else { b.post_form(&path, &[]).await };
            assert_eq!(resp.status, 403, "{method} {path} without {}", k.key());
            if method == "GET" && !path.ends_with(".csv") && !path.contains("export") && !path.contains("recording") {
                assert!(resp.body.contains("No access"), "friendly 403 page on {path}");
            }
        }
    }
    // Recordings need listen_recording AND the direction's CDR key.
    for (off, dir) in [("listen_recording", "outgoing"), ("outgoing_cdrs", "outgoing"), ("incoming_cdrs", "incoming")] {
        let without: Vec<&'static str> = all.iter().copied().filter(|x| *x != off).collect();
        set_perms(&app, pid, without).await;
        assert_eq!(b.get(&format!("/portal/cdrs/{dir}/1/recording")).await.status, 403, "recording without {off}");
    }
    set_perms(&app, pid, all.clone()).await;
    assert_eq!(b.get("/portal/cdrs/incoming/1/recording").await.status, 404, "granted: the CDR simply does not exist");
    assert_eq!(b.get("/portal/cdrs/sideways/1/recording").await.status, 404);
}
both!(catalog_walk);

/// Routes open to every customer user are few and deliberate: a new route that forgets its
/// key lands here and fails.
#[test]
fn open_routes_are_the_known_personal_ones() {
    for r in PORTAL_ROUTES.iter().filter(|r| r.is_open()) {
        let ok = r.path.is_empty()
            || r.path == "/custom.css"
            || r.path.starts_with("/profile")
            || r.path.starts_with("/users");
        assert!(ok, "{} {} is open to every customer user; give it a catalog key", r.method, r.path);
        if r.path.starts_with("/users") {
            assert_eq!(r.cap(), Some(Cap::ManageUsers));
        }
    }
}

async fn unregistered_portal_paths_are_not_reachable(app: TestApp) {
    let all: Vec<&'static str> = Perm::ALL.iter().map(|p| p.key()).collect();
    let (b, _, _) = customer_with(&app, "x@acme.example", Role::Administrator, &all).await;
    assert_eq!(b.get("/portal/not-a-section").await.status, 404);
    assert_eq!(b.post_form("/portal/account", &[]).await.status, 404, "no such method in the table");
}
both!(unregistered_portal_paths_are_not_reachable);

async fn unticking_in_the_admin_form_takes_effect_on_the_next_request(app: TestApp) {
    let (cust, _c, pid) = customer_with(&app, "u@acme.example", Role::User, &["account", "invoices", "payments"]).await;
    assert_eq!(cust.get("/portal/invoices").await.status, 200);
    let admin = app.admin().await;
    let form = admin.get(&format!("/admin/profiles/{pid}")).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("name=\"permissions\" value=\"invoices\""));
    // Plain form post without JavaScript: invoices unticked.
    let r = admin
        .post_form(
            &format!("/admin/profiles/{pid}"),
            &[
                ("name", "Profile of u@acme.example"),
                ("availability", "all"),
                ("version", "1"),
                ("permissions", "account"),
                ("permissions", "payments"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(cust.get("/portal/invoices").await.status, 403);
    assert!(!cust.get("/portal").await.body.contains("data-section=\"invoices\""));
    // The htmx toggle saves one box in place and answers the redrawn boxes.
    let token = admin.csrf.borrow().clone().unwrap();
    let r = admin
        .request(
            "POST",
            &format!("/admin/profiles/{pid}/toggle"),
            &[("X-CSRF-Token", &token), ("HX-Request", "true")],
            Some(("toggle=invoices&permissions=invoices&version=2", "application/x-www-form-urlencoded")),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("value=\"3\""), "new version in the partial");
    assert!(!r.body.contains("<html"), "a fragment, not a page");
    assert_eq!(cust.get("/portal/invoices").await.status, 200);
    // Unticking a parent unticks its children.
    let r = admin
        .request(
            "POST",
            &format!("/admin/profiles/{pid}/toggle"),
            &[("X-CSRF-Token", &token)],
            Some(("toggle=payments&version=3", "application/x-www-form-urlencoded")),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(cust.get("/portal/payments").await.status, 403);
}
both!(unticking_in_the_admin_form_takes_effect_on_the_next_request);

async fn resolution_through_hierarchy_and_default(app: TestApp) {
    let root = app.create_customer("Root", None).await;
    let child = app.create_customer("Child", Some(root)).await;
    let grandchild = app.create_customer("Grandchild", Some(child)).await;
    let other = app.create_customer("Other", None).await;
    let wholesale = make_profile(&app, "Wholesale", &["account", "invoices"]).await;
    let retail = make_profile(&app, "Retail", &["payments"]).await;
    assign(&app, root, Some(wholesale)).await;
    app.create_user("g@x.example", Role::User, Some(grandchild)).await;
    app.create_user("o@x.example", Role::User, Some(other)).await;
    let g = app.browser();
    g.login_ok("g@x.example", PASSWORD).await;
    let o = app.browser();
    o.login_ok("o@x.example", PASSWORD).await;
    // Inherited from the root two levels up.
    assert_eq!(g.get("/portal/invoices").await.status, 200);
    // Nearest ancestor wins.
    assign(&app, child, Some(retail)).await;
    assert_eq!(g.get("/portal/invoices").await.status, 403);
    assert_eq!(g.get("/portal/payments").await.status, 200);
    // Own assignment wins over ancestors.
    assign(&app, grandchild, Some(wholesale)).await;
    assert_eq!(g.get("/portal/invoices").await.status, 200);
    // No assignment anywhere and no default: only dashboard and profile.
    let dash = o.get("/portal").await;
    assert_eq!(dash.status, 200);
    assert!(!dash.body.contains("data-section="));
    assert_eq!(o.get("/portal/profile").await.status, 200);
    assert_eq!(o.get("/portal/payments").await.status, 403);
    // The default applies to customers without one.
    app.db(move |c| {
        diesel::update(access_profiles::table.find(retail))
            .set(access_profiles::is_default.eq(true))
            .execute(c)
            .unwrap()
    })
    .await;
    assert_eq!(o.get("/portal/payments").await.status, 200);
    let eff = app.db(move |c| portico::access::resolve::effective(c, other).unwrap()).await;
    assert_eq!(eff.source, portico::access::resolve::Source::Default);
}
both!(resolution_through_hierarchy_and_default);

async fn availability_is_enforced_and_disabled_grants_nothing(app: TestApp) {
    let admin = app.admin().await;
    let parent = app.create_customer("Parent", None).await;
    let kid = app.create_customer("Kid", Some(parent)).await;
    let stranger = app.create_customer("Stranger", None).await;
    // A profile for one customer and its descendants.
    admin.get("/admin/profiles/new").await;
    let r = admin
        .post_form(
            "/admin/profiles",
            &[
                ("name", "Parent only"),
                ("availability", "customer"),
                ("customer_id", &parent.to_string()),
                ("permissions", "invoices"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let pid: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    for (cust, ok) in [(kid, true), (stranger, false)] {
        admin.get(&format!("/admin/customers/{cust}")).await;
        let r = admin
            .post_form(&format!("/admin/customers/{cust}/profile"), &[("access_profile_id", &pid.to_string())])
            .await;
        if ok {
            assert_eq!(r.status, 303);
        } else {
            assert_eq!(r.status, 422);
            assert!(r.body.contains("not available"));
        }
    }
    let held: Option<i64> =
        app.db(move |c| customers::table.find(stranger).select(customers::access_profile_id).first(c).unwrap()).await;
    assert_eq!(held, None, "refused assignment changed nothing");
    // Groups availability.
    let gid = app
        .db(|c| portico::customers::groups::create_group(c, &portico::audit::Actor::system(), "Retail").unwrap().id)
        .await;
    let _ = gid;
    admin.get("/admin/profiles/new").await;
    let r = admin
        .post_form(
            "/admin/profiles",
            &[("name", "Retail only"), ("availability", "groups"), ("permissions", "payments")],
        )
        .await;
    assert_eq!(r.status, 422, "groups availability needs a group");
    let r = admin
        .post_form(
            "/admin/profiles",
            &[
                ("name", "Retail only"),
                ("availability", "groups"),
                ("customer_groups", "Retail"),
                ("permissions", "payments"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let retail: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    let r = admin
        .post_form(&format!("/admin/customers/{stranger}/profile"), &[("access_profile_id", &retail.to_string())])
        .await;
    assert_eq!(r.status, 422);
    app.db(move |c| {
        let mut i = portico::customers::Customer::get(c, stranger).unwrap().input();
        i.groups = vec!["Retail".into()];
        portico::customers::model::update(c, stranger, i, "t").unwrap();
    })
    .await;
    admin.get(&format!("/admin/customers/{stranger}")).await;
    let r = admin
        .post_form(&format!("/admin/customers/{stranger}/profile"), &[("access_profile_id", &retail.to_string())])
        .await;
    assert_eq!(r.status, 303);
    // Disabled: the emergency switch. Holders keep it but get nothing.
    app.create_user("k@kid.example", Role::User, Some(kid)).await;
    let k = app.browser();
    k.login_ok("k@kid.example", PASSWORD).await;
    assert_eq!(k.get("/portal/invoices").await.status, 200);
    app.db(move |c| {
        let p = Profile::get(c, pid).unwrap();
        let mut i = p.input();
        i.availability = portico::profiles::Availability::Disabled;
        i.customer_id = None;
        Profile::update(c, pid, p.version, &i).map_err(|_| ()).unwrap();
    })
    .await;
    assert_eq!(k.get("/portal/invoices").await.status, 403);
    assert!(!k.get("/portal").await.body.contains("data-section="));
    let r = admin
        .post_form(&format!("/admin/customers/{parent}/profile"), &[("access_profile_id", &pid.to_string())])
        .await;
    assert_eq!(r.status, 422, "a disabled profile cannot be assigned");
}
both!(availability_is_enforced_and_disabled_grants_nothing);

async fn second_save_of_the_same_version_is_a_conflict(app: TestApp) {
    let pid = make_profile(&app, "Shared", &["account"]).await;
    let a = app.admin().await;
    let b = app.admin().await;
    a.get(&format!("/admin/profiles/{pid}")).await;
    b.get(&format!("/admin/profiles/{pid}")).await;
    let r = a
        .post_form(
            &format!("/admin/profiles/{pid}"),
            &[
                ("name", "Shared"),
                ("description", "from A"),
                ("availability", "all"),
                ("version", "1"),
                ("permissions", "account"),
                ("permissions", "invoices"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = b
        .post_form(
            &format!("/admin/profiles/{pid}"),
            &[
                ("name", "Shared"),
                ("description", "from B"),
                ("availability", "all"),
                ("version", "1"),
                ("permissions", "payments"),
            ],
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Someone else saved this profile first"));
    assert!(r.body.contains("from A") && r.body.contains("from B"), "the conflict screen shows both values");
    assert!(r.body.contains("name=\"version\" value=\"2\""), "saving again is a deliberate choice");
    let p = app.db(move |c| Profile::get(c, pid).unwrap()).await;
    assert_eq!(p.description, "from A", "nothing lost");
    assert_eq!(p.version, 2);
    assert!(p.has(Perm::Invoices) && !p.has(Perm::Payments));
    // Stale htmx toggle: 409 with the current state.
    let token = b.csrf.borrow().clone().unwrap();
    let r = b
        .request(
            "POST",
            &format!("/admin/profiles/{pid}/toggle"),
            &[("X-CSRF-Token", &token)],
            Some(("toggle=payments&permissions=payments&version=1", "application/x-www-form-urlencoded")),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Someone else changed this profile"));
    assert_eq!(app.db(move |c| Profile::get(c, pid).unwrap().version).await, 2);
}
both!(second_save_of_the_same_version_is_a_conflict);

async fn audit_rows_carry_before_and_after(app: TestApp) {
    let admin = app.admin().await;
    admin.get("/admin/profiles/new").await;
    let r = admin
        .post_form("/admin/profiles", &[("name", "Audited"), ("availability", "all"), ("permissions", "account")])
        .await;
    let pid: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    admin.get(&format!("/admin/profiles/{pid}")).await;
    admin
        .post_form(
            &format!("/admin/profiles/{pid}"),
            &[
                ("name", "Audited"),
                ("availability", "all"),
                ("version", "1"),
                ("permissions", "account"),
                ("permissions", "invoices"),
            ],
        )
        .await;
    let c = app.create_customer("Held", None).await;
    admin.get(&format!("/admin/customers/{c}")).await;
    admin.post_form(&format!("/admin/customers/{c}/profile"), &[("access_profile_id", &pid.to_string())]).await;
    let rows: Vec<(String, Option<String>, Option<String>)> = app
        .db(|c| {
            audit_log::table
                .order(audit_log::id.asc())
                .select((audit_log::action, audit_log::object_id, audit_log::diff))
                .load(c)
                .unwrap()
        })
        .await;
    let create = rows.iter().find(|r| r.0 == "profile.create").unwrap();
    let d: serde_json::Value = serde_json::from_str(create.2.as_ref().unwrap()).unwrap();
    assert_eq!(d["name"]["after"], "Audited");
    let update = rows.iter().find(|r| r.0 == "profile.update").unwrap();
    let d: serde_json::Value = serde_json::from_str(update.2.as_ref().unwrap()).unwrap();
    assert_eq!(d["permissions"]["before"], serde_json::json!(["account"]));
    assert_eq!(d["permissions"]["after"], serde_json::json!(["account", "invoices"]));
    assert!(d.get("name").is_none(), "unchanged fields are not in the diff");
    let assign = rows.iter().find(|r| r.0 == "customer.assign_profile").unwrap();
    let d: serde_json::Value = serde_json::from_str(assign.2.as_ref().unwrap()).unwrap();
    assert_eq!(d["accessProfileId"]["before"], serde_json::Value::Null);
    assert_eq!(d["accessProfileId"]["after"], pid);
    let page = admin.get("/admin/audit?action=profile.update").await;
    assert!(page.body.contains("profile.update") && !page.body.contains("<code>customer.assign_profile</code>"));
    // No route edits the audit log.
    assert_eq!(admin.post_form("/admin/audit", &[]).await.status, 404);
}
both!(audit_rows_carry_before_and_after);

async fn a_manager_cannot_touch_profiles_or_staff(app: TestApp) {
    let pid = make_profile(&app, "Locked", &["account"]).await;
    app.create_user("mgr@op.example", Role::Manager, None).await;
    let m = app.browser();
    m.login_ok("mgr@op.example", PASSWORD).await;
    assert_eq!(m.get("/admin/profiles").await.status, 200, "may look");
    let form = m.get(&format!("/admin/profiles/{pid}")).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Only administrators may change access profiles"));
    assert!(!form.body.contains("hx-post"), "no in-place saving for managers");
    assert_eq!(m.get("/admin/profiles/new").await.status, 403);
    assert_eq!(m.post_form("/admin/profiles", &[("name", "X"), ("availability", "all")]).await.status, 403);
    assert_eq!(
        m.post_form(&format!("/admin/profiles/{pid}"), &[("name", "X"), ("availability", "all"), ("version", "1")])
            .await
            .status,
        403
    );
    assert_eq!(
        m.post_form(&format!("/admin/profiles/{pid}/toggle"), &[("toggle", "invoices"), ("version", "1")]).await.status,
        403
    );
    assert_eq!(m.post_form(&format!("/admin/profiles/{pid}/delete"), &[]).await.status, 403);
    assert_eq!(m.get(&format!("/admin/profiles/{pid}/clone")).await.status, 403);
    assert_eq!(m.get("/admin/staff").await.status, 403);
    assert_eq!(m.post_form("/admin/staff", &[("email", "x@op.example"), ("role", "admin")]).await.status, 403);
    assert!(!m.get("/admin").await.body.contains("href=\"/admin/staff\""));
    assert_eq!(app.db(move |c| Profile::get(c, pid).unwrap().version).await, 1, "nothing changed");
    // Managers do assign profiles.
    let c = app.create_customer("Managed", None).await;
    m.get(&format!("/admin/customers/{c}")).await;
    assert_eq!(
        m.post_form(&format!("/admin/customers/{c}/profile"), &[("access_profile_id", &pid.to_string())]).await.status,
        303
    );
}
both!(a_manager_cannot_touch_profiles_or_staff);

async fn deleting_a_held_profile_is_refused(app: TestApp) {
    let pid = make_profile(&app, "Held", &["account"]).await;
    let c1 = app.create_customer("One", None).await;
    let c2 = app.create_customer("Two", None).await;
    assign(&app, c1, Some(pid)).await;
    assign(&app, c2, Some(pid)).await;
    let admin = app.admin().await;
    let list = admin.get("/admin/profiles").await;
    assert!(list.body.contains("data-holders=\"2\""));
    admin.get(&format!("/admin/profiles/{pid}")).await;
    let r = admin.post_form(&format!("/admin/profiles/{pid}/delete"), &[]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("2 customer(s)"));
    assert!(app.db(move |c| Profile::find(c, pid).unwrap().is_some()).await);
    assign(&app, c1, None).await;
    assign(&app, c2, None).await;
    let r = admin.post_form(&format!("/admin/profiles/{pid}/delete"), &[]).await;
    assert_eq!(r.status, 303);
    assert!(app.db(move |c| Profile::find(c, pid).unwrap().is_none()).await);
}
both!(deleting_a_held_profile_is_refused);

async fn unknown_keys_are_refused_not_dropped(app: TestApp) {
    let admin = app.admin().await;
    admin.get("/admin/profiles/new").await;
    let r = admin
        .post_form(
            "/admin/profiles",
            &[("name", "Typo"), ("availability", "all"), ("permissions", "account"), ("permissions", "acount")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Unknown permission key(s): acount"));
    assert!(app.db(|c| Profile::find_by_name(c, "Typo").unwrap().is_none()).await);
    let r = admin.post_form("/admin/profiles", &[("name", ""), ("availability", "sometimes")]).await;
    assert_eq!(r.status, 422);
}
both!(unknown_keys_are_refused_not_dropped);

async fn clone_copies_permissions(app: TestApp) {
    let pid = make_profile(&app, "Original", &["account", "invoices"]).await;
    let admin = app.admin().await;
    let form = admin.get(&format!("/admin/profiles/{pid}/clone")).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"Copy of Original\""));
    assert!(
        form.body.contains("value=\"invoices\" data-parent=\"\"\n        aria-describedby=\"help-invoices\" checked")
    );
}
both!(clone_copies_permissions);

async fn roles_decide_balance_codes_and_company_edits(app: TestApp) {
    let c = app.create_customer("Acme", None).await;
    let p = make_profile(&app, "P", &["account"]).await;
    assign(&app, c, Some(p)).await;
    app.db(move |conn| {
        use portico::customers::accounts::*;
        Account::create(
            conn,
            c,
            &AccountInput {
                name: "Main".into(),
                currency: "EUR".into(),
                min_balance: 0,
                max_balance: None,
                is_postpaid: false,
                capacity: 10,
            },
        )
        .unwrap();
        AccessCode::create(
            conn,
            c,
            &AccessCodeInput {
                label: "Trunk".into(),
                public_text: "ID".into(),
                public_value: "pub-1".into(),
                private_master: "SECRET-M".into(),
                private_read: "SECRET-R".into(),
                private_write: "SECRET-W".into(),
            },
        )
        .unwrap();
    })
    .await;
    for (email, role, balance, private, company) in [
        ("ad@acme.example", Role::Administrator, true, true, true),
        ("de@acme.example", Role::Developer, false, true, false),
        ("us@acme.example", Role::User, false, false, false),
    ] {
        app.create_user(email, role, Some(c)).await;
        let b = app.browser();
        b.login_ok(email, PASSWORD).await;
        let acc = b.get("/portal/account").await;
        assert_eq!(acc.body.contains("data-field=\"balance\""), balance, "{email} balance");
        let prof = b.get("/portal/profile").await;
        assert_eq!(prof.body.contains("SECRET-M"), private, "{email} private codes");
        assert!(prof.body.contains("pub-1"));
        let r = b
            .post_form("/portal/profile/company", &[("company_name", "Renamed"), ("country_code", "DE"), ("phone", "")])
            .await;
        assert_eq!(r.status == 303, company, "{email} company edit: {}", r.status);
        if !company {
            assert_eq!(r.status, 403);
        }
        assert_eq!(b.get("/portal/users").await.status == 200, company, "{email} manages users");
    }
}
both!(roles_decide_balance_codes_and_company_edits);

async fn customers_cannot_see_each_others_users_or_codes(app: TestApp) {
    let (a, _ca, _) = customer_with(&app, "admin@a.example", Role::Administrator, &["account"]).await;
    let cb = app.create_customer("B corp", None).await;
    let b_user = app.create_user("victim@b.example", Role::User, Some(cb)).await;
    app.db(move |conn| {
        portico::customers::accounts::AccessCode::create(
            conn,
            cb,
            &portico::customers::accounts::AccessCodeInput {
                label: "B trunk".into(),
                private_master: "B-SECRET".into(),
                ..Default::default()
            },
        )
        .unwrap();
    })
    .await;
    let users = a.get("/portal/users").await;
    assert!(!users.body.contains("victim@b.example"));
    assert!(!a.get("/portal/profile").await.body.contains("B-SECRET"));
    let r = a.post_form(&format!("/portal/users/{b_user}/disable"), &[]).await;
    assert_eq!(r.status, 404);
    let disabled: bool = app.db(move |c| portico::users::User::find(c, b_user).unwrap().unwrap().disabled).await;
    assert!(!disabled);
}
both!(customers_cannot_see_each_others_users_or_codes);

async fn staff_preview_is_read_only_bannered_and_audited(app: TestApp) {
    let c = app.create_customer("Previewed", None).await;
    let p = make_profile(&app, "PP", &["account", "invoices"]).await;
    assign(&app, c, Some(p)).await;
    app.db(move |conn| {
        use portico::customers::accounts::*;
        Account::create(
            conn,
            c,
            &AccountInput {
                name: "Main".into(),
                currency: "EUR".into(),
                min_balance: 0,
                max_balance: None,
                is_postpaid: false,
                capacity: 1,
            },
        )
        .unwrap();
    })
    .await;
    let admin = app.admin().await;
    // A GET starts nothing and writes no audit row (SPEC §6: the preview starts by POST).
    let r = admin.get(&format!("/admin/customers/{c}/preview")).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), format!("/admin/customers/{c}"));
    assert_eq!(admin.get("/portal").await.status, 403, "no preview after a GET");
    let previews = move |conn: &mut portico::db::DbConnection| -> i64 {
        audit_log::table
            .filter(audit_log::action.eq("customer.preview"))
            .filter(audit_log::object_id.eq(c.to_string()))
            .count()
            .get_result(conn)
            .unwrap()
    };
    assert_eq!(app.db(previews).await, 0, "a GET writes no audit row");
    let page = admin.get(&format!("/admin/customers/{c}")).await;
    assert!(page.body.contains(&format!("action=\"/admin/customers/{c}/preview\"")), "the button is a form");
    let r = admin.post_form_raw(&format!("/admin/customers/{c}/preview"), &[]).await;
    assert_eq!(r.status, 403, "without the CSRF token");
    let r = admin.post_form(&format!("/admin/customers/{c}/preview"), &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/portal");
    let dash = admin.get("/portal").await;
    assert_eq!(dash.status, 200);
    assert!(dash.body.contains("Preview: Previewed"));
    assert!(dash.body.contains("data-section=\"invoices\""));
    let acc = admin.get("/portal/account").await;
    assert!(!acc.body.contains("data-field=\"balance\""), "as the user role sees it");
    let r = admin.post_form("/portal/profile/company", &[("company_name", "Hacked")]).await;
    assert_eq!(r.status, 403);
    assert_eq!(app.db(previews).await, 1);
    let r = admin.post_form("/admin/preview/exit", &[]).await;
    assert_eq!(r.location(), format!("/admin/customers/{c}"));
    assert_eq!(admin.get("/portal").await.status, 403);
}
both!(staff_preview_is_read_only_bannered_and_audited);

async fn app_settings_are_inherited_and_applied(app: TestApp) {
    let parent = app.create_customer("Brand", None).await;
    let child = app.create_customer("Brand child", Some(parent)).await;
    let p = make_profile(&app, "S", &["invoices"]).await;
    assign(&app, parent, Some(p)).await;
    app.db(move |c| {
        let mut i = portico::customers::Customer::get(c, parent).unwrap().input();
        i.override_app_settings = true;
        i.app_settings.page_title = Some("Brand Portal".into());
        i.app_settings.theme = portico::customers::settings::Theme::Dark;
        i.app_settings.custom_css = Some("body { --x: 1; } </style><script>alert(1)</script>".into());
        i.app_settings.logout_url = Some("https://brand.example/bye".into());
        i.app_settings.string_mappings.insert("nav.invoices".into(), "Bills & <b>more</b>".into());
        portico::customers::model::update(c, parent, i, "t").unwrap();
    })
    .await;
    app.create_user("kid@brand.example", Role::User, Some(child)).await;
    let b = app.browser();
    b.login_ok("kid@brand.example", PASSWORD).await;
    let dash = b.get("/portal").await;
    assert!(dash.body.contains("· Brand Portal</title>"));
    assert!(dash.body.contains("data-theme=\"dark\""));
    assert!(
        dash.body.contains("Bills &#38; &#60;b&#62;more&#60;/b&#62;"),
        "relabelled and escaped: {}",
        dash.body.lines().filter(|l| l.contains("Bills")).collect::<Vec<_>>().join("\n")
    );
    assert!(dash.body.contains("href=\"/portal/custom.css?v="));
    assert!(!dash.body.contains("alert(1)"), "custom CSS is never inlined");
    let css = b.get("/portal/custom.css").await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert!(css.body.contains("--x: 1"));
    let r = b.post_form("/logout", &[]).await;
    assert_eq!(r.location(), "https://brand.example/bye", "{} {}", r.status, r.body);
}
both!(app_settings_are_inherited_and_applied);
