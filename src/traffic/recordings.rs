//! Call recordings: the switch uploads the audio of a CDR (`PUT /api/v1/cdrs/{id}/recording`);
//! the portal plays it to people with `listen_recording`. Only audio is stored: the upload must
//! say it is audio and start like an audio file.

use bytes::Bytes;
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::schema::cdrs;
use crate::db::{DbConnection, Pool, run, write_tx};
use crate::error::{AppError, AppResult, FieldError};
use crate::storage::Storage;

/// The audio type of a recording, from its first bytes; `None` when it does not look like audio.
pub fn sniff_audio(head: &[u8]) -> Option<&'static str> {
    let at = |i: usize, magic: &[u8]| head.get(i..i + magic.len()) == Some(magic);
    if at(0, b"RIFF") && at(8, b"WAVE") {
        Some("audio/wav")
    } else if at(0, b"OggS") {
        Some("audio/ogg")
    } else if at(0, b"fLaC") {
        Some("audio/flac")
    } else if at(0, b"ID3") || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) {
        // An ID3 tag, or an MPEG audio frame (11 sync bits).
        Some("audio/mpeg")
    } else if at(0, b"#!AMR") {
        Some("audio/amr")
    } else if at(4, b"ftyp") && (at(8, b"M4A ") || at(8, b"mp42") || at(8, b"isom")) {
        Some("audio/mp4")
    } else {
        None
    }
}

/// The file extension of an audio type.
pub fn extension(content_type: &str) -> &'static str {
    match content_type {
        "audio/wav" => "wav",
        "audio/ogg" => "ogg",
        "audio/flac" => "flac",
        "audio/mpeg" => "mp3",
        "audio/amr" => "amr",
        "audio/mp4" => "m4a",
        _ => "bin",
    }
}

/// The content type a stored recording is served with.
pub fn served_as(head: &[u8]) -> &'static str {
    sniff_audio(head).unwrap_or("application/octet-stream")
}

fn not_audio() -> AppError {
    AppError::Unprocessable(
        "The body is not a recognisable recording: it must be audio (WAV, MP3, Ogg, FLAC, AMR or M4A).".into(),
        vec![FieldError::new("body", "not audio")],
    )
}

/// A new, server-chosen storage key for a recording of the CDR.
fn new_key(cdr_id: i64) -> String {
    format!("{cdr_id}-{}.audio", crate::auth::sessions::random_token(9))
}

/// Points the CDR's row at a stored recording.
fn point_at(conn: &mut DbConnection, cdr_id: i64, key: &str, size: usize) -> AppResult<()> {
    diesel::update(cdrs::table.find(cdr_id))
        .set((cdrs::recording.eq(key), cdrs::recording_size.eq(size as i64)))
        .execute(conn)?;
    Ok(())
}

/// The recording a CDR has now (its storage key), `None` without one; 404 for no such CDR.
fn current(conn: &mut DbConnection, cdr_id: i64) -> AppResult<Option<String>> {
    Ok(cdrs::table.find(cdr_id).select(cdrs::recording).first(conn)?)
}

/// Uploads a CDR's recording (the switch): the declared type must be audio (`audio/*`, else
/// 415), the CDR must exist (404) and the body must start like audio (422). The bytes go to
/// the file store under a server-chosen key (a file name at the root), the CDR row is pointed
/// at it and the upload audited as `ingest.recording` in one transaction, then the replaced
/// recording is removed. Nothing is kept when any step fails: a row change that is rolled back
/// takes the stored file with it.
pub async fn upload(
    pool: &Pool,
    storage: &Storage,
    actor: &Actor,
    cdr_id: i64,
    content_type: Option<&str>,
    body: Bytes,
) -> AppResult<String> {
    let declared = content_type.map(|t| t.trim().to_ascii_lowercase()).unwrap_or_default();
    if !declared.starts_with("audio/") {
        return Err(AppError::UnsupportedMediaType(format!(
            "Send the recording as audio (Content-Type: audio/wav, audio/mpeg, audio/ogg …), not `{}`.",
            if declared.is_empty() { "nothing" } else { &declared }
        )));
    }
    run(pool, move |c| current(c, cdr_id)).await?;
    if sniff_audio(&body).is_none() {
        return Err(not_audio());
    }
    let name = new_key(cdr_id);
    storage.put(&name, body.clone()).await?;
    let (actor, key, size) = (actor.clone(), name.clone(), body.len());
    let stored = run(pool, move |c| {
        write_tx(c, |c| {
            let old = current(c, cdr_id)?;
            point_at(c, cdr_id, &key, size)?;
            let diff = json!({ "cdrId": cdr_id, "bytes": size });
            audit::record(c, &actor, "ingest.recording", "cdr", None, Some(diff))?;
            Ok(old)
        })
    })
    .await;
    match stored {
        Ok(old) => {
            if let Some(old) = old.filter(|o| o != &name)
                && let Err(e) = storage.delete(&old).await
            {
                tracing::warn!(error = %e, key = %old, "the replaced recording could not be removed");
            }
            Ok(name)
        }
        Err(e) => {
            // The row change is rolled back: the file it would have pointed to must not stay.
            if let Err(d) = storage.delete(&name).await {
                tracing::warn!(error = %d, key = %name, "an unused recording could not be removed");
            }
            Err(e)
        }
    }
}

/// Writes a recording straight into a local folder and points the CDR at it (the demo's data,
/// generated inside one transaction before the server starts; the folder is the default file
/// store, and `portico migrate-storage` copies it elsewhere).
pub fn attach_local(conn: &mut DbConnection, dir: &std::path::Path, cdr_id: i64, body: &[u8]) -> AppResult<String> {
    current(conn, cdr_id)?;
    std::fs::create_dir_all(dir)
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot create {}: {e}", dir.display())))?;
    let name = new_key(cdr_id);
    let path = dir.join(&name);
    std::fs::write(&path, body)
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot write {}: {e}", path.display())))?;
    if let Err(e) = point_at(conn, cdr_id, &name, body.len()) {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(name)
}

/// Copies the recordings of a local folder (`PORTICO_RECORDINGS_DIR`) into the store, under
/// their file names (`portico migrate-storage`): a file the store already holds with the same
/// size is left alone, so the copy can be re-run. Returns (copied, already there).
pub async fn copy_local(dir: &std::path::Path, storage: &Storage) -> AppResult<(u64, u64)> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, 0)),
        Err(e) => return Err(AppError::internal(anyhow::anyhow!("cannot read {}: {e}", dir.display()))),
    };
    let (mut copied, mut present) = (0, 0);
    for entry in entries {
        let entry = entry.map_err(|e| AppError::internal(anyhow::anyhow!("cannot read {}: {e}", dir.display())))?;
        let Ok(name) = entry.file_name().into_string() else { continue };
        if !entry.file_type().is_ok_and(|t| t.is_file()) || name.starts_with('.') {
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if storage.meta(&name).await?.is_some_and(|m| m.size == size) {
            present += 1;
            continue;
        }
        let bytes = std::fs::read(entry.path())
            .map_err(|e| AppError::internal(anyhow::anyhow!("cannot read {}: {e}", entry.path().display())))?;
        storage.put(&name, Bytes::from(bytes)).await?;
        copied += 1;
    }
    Ok((copied, present))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{audit_rows, each_backend_pool};
    use crate::storage::StorageUrl;

    #[test]
    fn audio_is_recognised_by_its_header() {
        assert_eq!(sniff_audio(b"RIFF\x24\0\0\0WAVEfmt "), Some("audio/wav"));
        assert_eq!(sniff_audio(b"ID3\x04"), Some("audio/mpeg"));
        assert_eq!(sniff_audio(&[0xFF, 0xFB, 0x90, 0x00]), Some("audio/mpeg"));
        assert_eq!(sniff_audio(b"OggS\0\x02"), Some("audio/ogg"));
        assert_eq!(sniff_audio(b"fLaC\0\0\0\x22"), Some("audio/flac"));
        assert_eq!(sniff_audio(b"{}"), None);
        assert_eq!(sniff_audio(b"RIFF"), None, "a RIFF file that is not WAVE is not audio");
        assert_eq!(sniff_audio(&[0xFF, 0x00]), None);
    }

    #[test]
    fn only_audio_is_stored_and_each_upload_is_audited() {
        each_backend_pool(|pool| async move {
            let dir = tempfile::tempdir().unwrap();
            let store = Storage::open(&StorageUrl::File(dir.path().into())).unwrap();
            let cdr = crate::traffic::fixtures::one_cdr(&mut pool.get().unwrap());
            let actor = Actor::system();
            let wav = Bytes::from(crate::demo::wav_tone(1, 440.0));
            let files = || std::fs::read_dir(dir.path()).map(|d| d.count()).unwrap_or(0);
            // Not declared as audio: 415; declared but not audio: 422; nothing stored either way.
            let json = Bytes::from_static(b"{}");
            let e = upload(&pool, &store, &actor, cdr, Some("application/json"), json.clone()).await.unwrap_err();
            assert!(matches!(e, AppError::UnsupportedMediaType(_)), "{e:?}");
            let e = upload(&pool, &store, &actor, cdr, Some("audio/wav"), json).await.unwrap_err();
            assert!(matches!(e, AppError::Unprocessable(..)), "{e:?}");
            let e = upload(&pool, &store, &actor, 999_999, Some("audio/wav"), wav.clone()).await.unwrap_err();
            assert!(matches!(e, AppError::NotFound), "{e:?}");
            assert!(audit_rows(&mut pool.get().unwrap(), "ingest.recording").is_empty());
            assert_eq!(files(), 0);
            let name = upload(&pool, &store, &actor, cdr, Some("audio/wav"), wav.clone()).await.unwrap();
            assert_eq!(std::fs::read(dir.path().join(&name)).unwrap(), wav);
            let rows = audit_rows(&mut pool.get().unwrap(), "ingest.recording");
            assert_eq!(rows, vec![(None, Some(json!({"cdrId": cdr, "bytes": wav.len()})))]);
            // A new upload replaces the file: the old one is gone, only the new one is kept.
            let again = upload(&pool, &store, &actor, cdr, Some("audio/wav"), wav.clone()).await.unwrap();
            assert_ne!(again, name);
            assert_eq!(store.keys("").await.unwrap(), vec![again.clone()]);
            let mut c = pool.get().unwrap();
            assert_eq!(current(&mut c, cdr).unwrap(), Some(again));
        });
    }

    #[test]
    fn a_rolled_back_upload_leaves_no_file() {
        each_backend_pool(|pool| async move {
            use diesel::connection::SimpleConnection;
            let dir = tempfile::tempdir().unwrap();
            let store = Storage::open(&StorageUrl::File(dir.path().into())).unwrap();
            let cdr = crate::traffic::fixtures::one_cdr(&mut pool.get().unwrap());
            // The audit row cannot be written: the transaction fails after the file was put.
            pool.get().unwrap().batch_execute("DROP TABLE audit_log").unwrap();
            let wav = Bytes::from(crate::demo::wav_tone(1, 440.0));
            assert!(upload(&pool, &store, &Actor::system(), cdr, Some("audio/wav"), wav).await.is_err());
            assert_eq!(store.keys("").await.unwrap(), Vec::<String>::new(), "the put file was removed");
            assert_eq!(current(&mut pool.get().unwrap(), cdr).unwrap(), None, "the row is unchanged");
        });
    }

    #[test]
    fn local_recordings_are_copied_once() {
        let (from, to) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::fs::write(from.path().join("1-abc.audio"), b"RIFF....WAVE").unwrap();
        std::fs::write(from.path().join("2-def.audio"), b"OggS").unwrap();
        let store = Storage::open(&StorageUrl::File(to.path().into())).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            assert_eq!(copy_local(from.path(), &store).await.unwrap(), (2, 0));
            assert_eq!(copy_local(from.path(), &store).await.unwrap(), (0, 2), "a re-run copies nothing");
            assert_eq!(&store.read_all("1-abc.audio").await.unwrap()[..], b"RIFF....WAVE");
            assert_eq!(copy_local(&from.path().join("none"), &store).await.unwrap(), (0, 0));
        });
    }
}
