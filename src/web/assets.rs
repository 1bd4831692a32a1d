//! Static files embedded in the binary, served with an ETag and long caching. Links carry a
//! content hash (`?v=`), so a new build is fetched at once.

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Assets;

fn hashes() -> &'static HashMap<String, String> {
    static H: OnceLock<HashMap<String, String>> = OnceLock::new();
    H.get_or_init(|| {
        Assets::iter()
            .filter_map(|name| {
                let f = Assets::get(&name)?;
                let hex: String = f.metadata.sha256_hash().iter().take(8).map(|b| format!("{b:02x}")).collect();
                Some((name.to_string(), hex))
            })
            .collect()
    })
}

/// The URL of a static file, with its content hash.
pub fn url(name: &str) -> String {
    match hashes().get(name) {
        Some(h) => format!("/static/{name}?v={h}"),
        None => format!("/static/{name}"),
    }
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "wav" => "audio/wav",
        _ => "application/octet-stream",
    }
}

pub async fn static_get(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let name = path.into_inner();
    let Some(file) = Assets::get(&name) else {
        return HttpResponse::NotFound().content_type("text/plain").body("not found");
    };
    let etag = format!("\"{}\"", hashes().get(&name).cloned().unwrap_or_default());
    if req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish();
    }
    let versioned = req.query_string().starts_with("v=");
    let cache = if versioned { "public, max-age=31536000, immutable" } else { "public, max-age=3600" };
    HttpResponse::Ok()
        .content_type(content_type(&name))
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache))
        .body(file.data.into_owned())
}
