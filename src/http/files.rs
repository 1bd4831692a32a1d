//! Serving a stored file (recording, PDF) over HTTP with `Range` support, read from the file
//! store with ranged reads — so seeking in a long recording fetches only what is played.

use std::ops::Range;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};

use crate::error::{AppError, AppResult};
use crate::storage::Storage;

/// A single byte range of a `Range: bytes=…` header against a file of `size` bytes: `None`
/// when there is no usable header (serve everything), `Err` when it cannot be satisfied.
fn requested_range(header: Option<&str>, size: u64) -> Result<Option<Range<u64>>, ()> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else { return Ok(None) };
    if spec.contains(',') {
        return Ok(None); // several ranges: the whole file is a valid answer
    }
    let (start, end) = spec.split_once('-').ok_or(())?;
    let (start, end) = (start.trim(), end.trim());
    let range = if start.is_empty() {
        let suffix: u64 = end.parse().map_err(|_| ())?;
        if suffix == 0 {
            return Err(());
        }
        size.saturating_sub(suffix)..size
    } else {
        let a: u64 = start.parse().map_err(|_| ())?;
        let b: u64 = if end.is_empty() { size.saturating_sub(1) } else { end.parse().map_err(|_| ())? };
        if b < a {
            return Err(());
        }
        a..(b.min(size.saturating_sub(1)) + 1)
    };
    if range.start >= size { Err(()) } else { Ok(Some(range)) }
}

/// Answers a GET for a stored file: 200 with the whole file, 206 with the asked-for range,
/// 304 when the client's copy is current, 416 for a range outside the file.
pub async fn serve(
    req: &HttpRequest,
    storage: &Storage,
    key: &str,
    content_type: &str,
    file_name: &str,
) -> AppResult<HttpResponse> {
    let meta = storage.meta(key).await?.ok_or(AppError::NotFound)?;
    let etag = match &meta.etag {
        Some(t) if t.starts_with('"') => t.clone(),
        Some(t) => format!("\"{t}\""),
        None => format!("\"{:x}-{:x}\"", meta.size, meta.last_modified.timestamp()),
    };
    let last_modified = meta.last_modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    if if_none_match.is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*")) {
        return Ok(HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish());
    }
    let range_header = req.headers().get(header::RANGE).and_then(|v| v.to_str().ok());
    let range = match requested_range(range_header, meta.size) {
        Ok(r) => r,
        Err(()) => {
            return Ok(HttpResponse::build(StatusCode::RANGE_NOT_SATISFIABLE)
                .insert_header((header::CONTENT_RANGE, format!("bytes */{}", meta.size)))
                .insert_header((header::ACCEPT_RANGES, "bytes"))
                .finish());
        }
    };
    let mut resp = match &range {
        Some(r) => {
            let mut b = HttpResponse::build(StatusCode::PARTIAL_CONTENT);
            b.insert_header((header::CONTENT_RANGE, format!("bytes {}-{}/{}", r.start, r.end - 1, meta.size)));
            b
        }
        None => HttpResponse::Ok(),
    };
    let length = range.as_ref().map_or(meta.size, |r| r.end - r.start);
    resp.content_type(content_type)
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::ETAG, etag))
        .insert_header((header::LAST_MODIFIED, last_modified))
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{file_name}\"")))
        .no_chunking(length);
    Ok(resp.streaming(storage.read(key, range).await?))
}

#[cfg(test)]
mod tests {
    use actix_web::web::Bytes;

    use super::*;
    use crate::storage::StorageUrl;

    #[test]
    fn ranges() {
        assert_eq!(requested_range(None, 10), Ok(None));
        assert_eq!(requested_range(Some("bytes=0-3"), 10), Ok(Some(0..4)));
        assert_eq!(requested_range(Some("bytes=4-"), 10), Ok(Some(4..10)));
        assert_eq!(requested_range(Some("bytes=-3"), 10), Ok(Some(7..10)));
        assert_eq!(requested_range(Some("bytes=8-100"), 10), Ok(Some(8..10)));
        assert_eq!(requested_range(Some("bytes=0-1,4-5"), 10), Ok(None));
        assert!(requested_range(Some("bytes=10-"), 10).is_err());
        assert!(requested_range(Some("bytes=5-2"), 10).is_err());
        assert!(requested_range(Some("bytes=x-"), 10).is_err());
    }

    #[actix_web::test]
    async fn full_partial_not_modified_and_unsatisfiable() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(&StorageUrl::File(dir.path().into())).unwrap();
        s.put("a.wav", Bytes::from_static(b"RIFF....WAVEdata")).await.unwrap();
        let get = |range: Option<&'static str>, inm: Option<String>| {
            let mut r = actix_web::test::TestRequest::get();
            if let Some(v) = range {
                r = r.insert_header((header::RANGE, v));
            }
            if let Some(v) = inm {
                r = r.insert_header((header::IF_NONE_MATCH, v));
            }
            r.to_http_request()
        };
        let full = serve(&get(None, None), &s, "a.wav", "audio/wav", "a.wav").await.unwrap();
        assert_eq!(full.status(), 200);
        let etag = full.headers().get(header::ETAG).unwrap().to_str().unwrap().to_string();
        assert_eq!(actix_web::body::to_bytes(full.into_body()).await.unwrap().len(), 16);
        let part = serve(&get(Some("bytes=8-11"), None), &s, "a.wav", "audio/wav", "a.wav").await.unwrap();
        assert_eq!(part.status(), 206);
        assert_eq!(part.headers().get(header::CONTENT_RANGE).unwrap(), "bytes 8-11/16");
        assert_eq!(&actix_web::body::to_bytes(part.into_body()).await.unwrap()[..], b"WAVE");
        let same = serve(&get(None, Some(etag)), &s, "a.wav", "audio/wav", "a.wav").await.unwrap();
        assert_eq!(same.status(), 304);
        let bad = serve(&get(Some("bytes=99-"), None), &s, "a.wav", "audio/wav", "a.wav").await.unwrap();
        assert_eq!(bad.status(), 416);
        assert!(matches!(serve(&get(None, None), &s, "none.wav", "audio/wav", "x").await, Err(AppError::NotFound)));
    }
}
