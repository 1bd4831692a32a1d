//! What every page's frame needs: title, navigation, the signed-in person, CSRF token, flash
//! messages, theme. Page templates hold a `Layout` as `l` and extend `base.html`.

use actix_session::{Session, SessionExt};
use actix_web::{HttpMessage, HttpRequest};
use serde::{Deserialize, Serialize};

use crate::auth::sessions::keys;
use crate::http::Identity;
use crate::i18n::{self, AsCount, Lang};
use crate::users::User;

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: String,
    pub label: String,
    /// The catalog key of the section (`data-section` hook), empty for pages without one.
    pub section: &'static str,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    pub kind: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Public,
    Portal,
    Admin,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub brand: String,
    pub csrf: String,
    pub area: Area,
    pub user_name: String,
    pub user_detail: String,
    pub home: String,
    pub nav: Vec<NavItem>,
    pub flashes: Vec<Flash>,
    pub theme: String,
    pub custom_css: Option<String>,
    pub banner: Option<String>,
    /// The page's language: `<html lang>` and every text of the page.
    pub lang: Lang,
    /// A staff member previewing the portal: the banner offers to leave.
    pub preview: bool,
}

impl Layout {
    /// A frame without session: error pages.
    pub fn bare(lang: Lang, title: &str) -> Layout {
        Layout {
            title: title.to_string(),
            brand: "Portico".into(),
            csrf: String::new(),
            area: Area::Public,
            user_name: String::new(),
            user_detail: String::new(),
            home: "/".into(),
            nav: Vec::new(),
            flashes: Vec::new(),
            theme: "auto".into(),
            custom_css: None,
            banner: None,
            lang,
            preview: false,
        }
    }

    /// Pages with forms (sign-in, invitation; and every signed-in page): the CSRF token, the
    /// flash messages. For an anonymous visitor this writes nothing to the database.
    pub fn public(lang: Lang, title: &str, req: &HttpRequest) -> Layout {
        let mut l = Layout::bare(lang, title);
        l.csrf = crate::http::csrf::form_token(req);
        l.flashes = take_flashes(&req.get_session());
        l
    }

    /// Pages of a signed-in person.
    pub fn signed_in(lang: Lang, title: &str, req: &HttpRequest, user: &User, area: Area, nav: Vec<NavItem>) -> Layout {
        let mut l = Layout::public(lang, title, req);
        l.area = area;
        l.user_name = user.display_name();
        l.user_detail = role_label(lang, user.role);
        l.home = if user.is_staff() { "/admin".into() } else { "/portal".into() };
        l.nav = nav;
        l
    }

    pub fn is_signed_in(&self) -> bool {
        !self.user_name.is_empty()
    }

    /// The htmx request headers attribute: the CSRF token for every htmx request.
    pub fn hx_headers(&self) -> String {
        serde_json::json!({ crate::http::csrf::HEADER: self.csrf }).to_string()
    }
}

/// The language of a request: the signed-in person's setting when the request has been
/// authenticated, else (and for the browser-default setting) `Accept-Language`, else English.
pub fn request_lang(req: &HttpRequest) -> Lang {
    let accept = req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let setting = req.extensions().get::<Identity>().map(|i| i.user.lang.clone()).unwrap_or_default();
    i18n::resolve(&setting, accept)
}

/// A role as people read it.
pub fn role_label(lang: Lang, role: crate::users::model::Role) -> String {
    lang.t(&format!("role-{}", role.as_str()))
}

pub fn nav(href: &str, label: &str, section: &'static str, current: &str) -> NavItem {
    let active = if href == "/portal" || href == "/admin" { current == href } else { current.starts_with(href) };
    NavItem { href: href.into(), label: label.into(), section, active }
}

pub fn push_flash(session: &Session, kind: &str, message: impl Into<String>) {
    let mut all: Vec<Flash> = session.get(keys::FLASH).ok().flatten().unwrap_or_default();
    all.push(Flash { kind: kind.into(), message: message.into() });
    let _ = session.insert(keys::FLASH, all);
}

/// The flash messages waiting for this page. Removing marks the session changed (a write), so
/// it only happens when there is something to remove.
pub fn take_flashes(session: &Session) -> Vec<Flash> {
    if !session.contains_key(keys::FLASH) {
        return Vec::new();
    }
    match session.remove_as::<Vec<Flash>>(keys::FLASH) {
        Some(Ok(v)) => v,
        _ => Vec::new(),
    }
}

impl Layout {
    pub fn is_admin_area(&self) -> bool {
        self.area == Area::Admin
    }
    pub fn is_portal_area(&self) -> bool {
        self.area == Area::Portal
    }
    /// The first letter of the person's name, for the avatar.
    pub fn initial(&self) -> String {
        self.user_name.chars().next().map(|c| c.to_uppercase().collect()).unwrap_or_default()
    }
    pub fn asset(&self, name: &str) -> String {
        crate::web::assets::url(name)
    }

    // Translation and locale formatting for templates (see `crate::i18n`).
    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }
    pub fn t1(&self, id: &str, name: &'static str, value: impl std::fmt::Display) -> String {
        self.lang.t1(id, name, value)
    }
    pub fn t2(
        &self,
        id: &str,
        name: &'static str,
        value: impl std::fmt::Display,
        name2: &'static str,
        value2: impl std::fmt::Display,
    ) -> String {
        self.lang.t2(id, name, value, name2, value2)
    }
    pub fn tn(&self, id: &str, count: impl AsCount) -> String {
        self.lang.tn(id, count)
    }
    /// A message of model code (validation), translated when it is known.
    pub fn msg(&self, english: &str) -> String {
        self.lang.msg(english)
    }
    pub fn int(&self, n: impl AsCount) -> String {
        self.lang.int(n)
    }
    pub fn money(&self, micros: impl AsCount) -> String {
        self.lang.money(micros)
    }
}
