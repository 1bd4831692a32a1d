//! Files — call recordings and invoice PDFs — behind one interface (SPEC §13), chosen by
//! `PORTICO_STORAGE_URL`: `file:///PATH` (the default: the `PORTICO_RECORDINGS_DIR` folder) or
//! `s3://BUCKET/PREFIX` with the standard `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_REGION` (and `AWS_ALLOW_HTTP=true` for a plain-http
//! endpoint). The `object_store` crate speaks to the store; every node sees every file.
//!
//! Keys are relative paths: a recording is its server-chosen file name at the root (so the
//! files of a local recordings folder keep working), an invoice PDF is `invoices/{id}.pdf`.

use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::{Stream, StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload};

use crate::error::{AppError, AppResult};

/// Where files live, as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageUrl {
    /// A folder on this machine (or a shared mount).
    File(std::path::PathBuf),
    /// An S3 bucket and key prefix.
    S3 { bucket: String, prefix: String },
}

impl StorageUrl {
    pub fn parse(url: &str) -> anyhow::Result<StorageUrl> {
        let url = url.trim();
        if let Some(path) = url.strip_prefix("file://") {
            if !path.starts_with('/') {
                anyhow::bail!(
                    "PORTICO_STORAGE_URL: a file URL needs an absolute path (file:///srv/portico), not {url}"
                );
            }
            return Ok(StorageUrl::File(path.into()));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                anyhow::bail!("PORTICO_STORAGE_URL: s3:// needs a bucket (s3://BUCKET/PREFIX)");
            }
            return Ok(StorageUrl::S3 { bucket: bucket.into(), prefix: prefix.trim_matches('/').into() });
        }
        anyhow::bail!("PORTICO_STORAGE_URL must be file:///PATH or s3://BUCKET/PREFIX (got {url})")
    }

    /// The URL written back, for logs.
    pub fn describe(&self) -> String {
        match self {
            StorageUrl::File(p) => format!("file://{}", p.display()),
            StorageUrl::S3 { bucket, prefix } => format!("s3://{bucket}/{prefix}"),
        }
    }
}

/// Facts about a stored file.
#[derive(Debug, Clone)]
pub struct FileMeta {
    pub size: u64,
    pub etag: Option<String>,
    pub last_modified: chrono::DateTime<chrono::Utc>,
}

/// S3 settings given in the configuration; each one set here wins over its `AWS_*` variable
/// (tests run several stores in one process, where the environment is shared).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct S3Settings {
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub allow_http: bool,
}

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    url: StorageUrl,
}

fn unavailable(e: object_store::Error) -> AppError {
    tracing::warn!(error = %e, "file storage failed");
    AppError::Unavailable("The file store is unavailable. Please try again shortly.".into())
}

fn key_path(key: &str) -> AppResult<Path> {
    if key.is_empty() || key.contains("..") || key.starts_with('/') {
        return Err(AppError::internal(anyhow::anyhow!("refusing the storage key {key:?}")));
    }
    Path::parse(key).map_err(|e| AppError::internal(anyhow::anyhow!("bad storage key {key:?}: {e}")))
}

impl Storage {
    /// Opens the store (a missing local folder is created), S3 from the `AWS_*` variables.
    pub fn open(url: &StorageUrl) -> anyhow::Result<Storage> {
        Storage::open_with(url, &S3Settings::default())
    }

    /// Opens the store; `s3` overrides the `AWS_*` variables it sets.
    pub fn open_with(url: &StorageUrl, s3: &S3Settings) -> anyhow::Result<Storage> {
        let store: Arc<dyn ObjectStore> = match url {
            StorageUrl::File(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
                Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?)
            }
            StorageUrl::S3 { bucket, prefix } => {
                let mut b = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket);
                if let Some(v) = &s3.endpoint {
                    b = b.with_endpoint(v);
                }
                if let Some(v) = &s3.region {
                    b = b.with_region(v);
                }
                if let Some(v) = &s3.access_key_id {
                    b = b.with_access_key_id(v);
                }
                if let Some(v) = &s3.secret_access_key {
                    b = b.with_secret_access_key(v);
                }
                if s3.allow_http {
                    b = b.with_allow_http(true);
                }
                let s3 = b.build()?;
                if prefix.is_empty() {
                    Arc::new(s3)
                } else {
                    Arc::new(object_store::prefix::PrefixStore::new(s3, prefix.as_str()))
                }
            }
        };
        Ok(Storage { store, url: url.clone() })
    }

    pub fn url(&self) -> &StorageUrl {
        &self.url
    }

    /// Stores `bytes` under `key` (atomically: a reader sees the old file or the new one).
    pub async fn put(&self, key: &str, bytes: Bytes) -> AppResult<()> {
        self.store.put(&key_path(key)?, PutPayload::from_bytes(bytes)).await.map_err(unavailable)?;
        Ok(())
    }

    /// The file's size and version, or `None` when there is no such file.
    pub async fn meta(&self, key: &str) -> AppResult<Option<FileMeta>> {
        match self.store.head(&key_path(key)?).await {
            Ok(m) => Ok(Some(FileMeta { size: m.size, etag: m.e_tag, last_modified: m.last_modified })),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// The whole file, or the bytes of `range`, as a stream of chunks.
    pub async fn read(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> AppResult<impl Stream<Item = Result<Bytes, std::io::Error>> + use<>> {
        let options = GetOptions { range: range.map(GetRange::Bounded), ..GetOptions::default() };
        let got = match self.store.get_opts(&key_path(key)?, options).await {
            Ok(g) => g,
            Err(object_store::Error::NotFound { .. }) => return Err(AppError::NotFound),
            Err(e) => return Err(unavailable(e)),
        };
        Ok(got.into_stream().map_err(std::io::Error::other))
    }

    /// The whole file in memory (small files: the first bytes of a recording, a PDF).
    pub async fn read_all(&self, key: &str) -> AppResult<Bytes> {
        let mut out = Vec::new();
        let mut s = std::pin::pin!(self.read(key, None).await?);
        while let Some(chunk) = s.next().await {
            out.extend_from_slice(&chunk.map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?);
        }
        Ok(Bytes::from(out))
    }

    /// Removes a file; a file that is not there is not an error.
    pub async fn delete(&self, key: &str) -> AppResult<()> {
        match self.store.delete(&key_path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// Every key below `prefix` (`""`: every key).
    pub async fn keys(&self, prefix: &str) -> AppResult<Vec<String>> {
        let prefix = if prefix.is_empty() { None } else { Some(key_path(prefix)?) };
        let metas: Vec<object_store::ObjectMeta> =
            self.store.list(prefix.as_ref()).try_collect().await.map_err(unavailable)?;
        Ok(metas.into_iter().map(|m| m.location.to_string()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(StorageUrl::parse("file:///srv/p").unwrap(), StorageUrl::File("/srv/p".into()));
        assert_eq!(
            StorageUrl::parse("s3://bucket/a/b/").unwrap(),
            StorageUrl::S3 { bucket: "bucket".into(), prefix: "a/b".into() }
        );
        assert_eq!(
            StorageUrl::parse("s3://bucket").unwrap(),
            StorageUrl::S3 { bucket: "bucket".into(), prefix: "".into() }
        );
        assert!(StorageUrl::parse("file://relative").is_err());
        assert!(StorageUrl::parse("s3:///x").is_err());
        assert!(StorageUrl::parse("ftp://x").is_err());
    }

    #[actix_web::test]
    async fn local_files_round_trip_with_ranges() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(&StorageUrl::File(dir.path().into())).unwrap();
        s.put("invoices/7.pdf", Bytes::from_static(b"%PDF-1.4 hello")).await.unwrap();
        assert_eq!(s.meta("invoices/7.pdf").await.unwrap().unwrap().size, 14);
        assert!(s.meta("nothing").await.unwrap().is_none());
        let chunks: Vec<Bytes> = s.read("invoices/7.pdf", Some(0..4)).await.unwrap().try_collect().await.unwrap();
        assert_eq!(chunks.concat(), b"%PDF");
        assert_eq!(&s.read_all("invoices/7.pdf").await.unwrap()[..], b"%PDF-1.4 hello");
        assert!(dir.path().join("invoices/7.pdf").exists(), "a plain file on disk");
        assert_eq!(s.keys("").await.unwrap(), vec!["invoices/7.pdf".to_string()]);
        s.delete("invoices/7.pdf").await.unwrap();
        s.delete("invoices/7.pdf").await.unwrap();
        assert!(matches!(s.read("invoices/7.pdf", None).await, Err(AppError::NotFound)));
        assert!(s.put("../escape", Bytes::new()).await.is_err());
    }
}
