//! Call recordings: the switch uploads the audio of a CDR (`PUT /api/v1/cdrs/{id}/recording`);
//! the portal plays it to people with `listen_recording`. Only audio is stored: the upload must
//! say it is audio and start like an audio file.

use std::path::Path;

use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::schema::cdrs;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, FieldError};

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

/// Stores a recording for a CDR under a server-chosen file name, replacing any earlier one, and
/// returns the file name. Refuses a missing CDR (404) and a body that is not audio (422).
pub fn attach_recording(conn: &mut DbConnection, dir: &Path, cdr_id: i64, body: &[u8]) -> AppResult<String> {
    let old: Option<String> = cdrs::table.find(cdr_id).select(cdrs::recording).first(conn)?;
    if sniff_audio(body).is_none() {
        return Err(not_audio());
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot create {}: {e}", dir.display())))?;
    let name = format!("{cdr_id}-{}.audio", crate::auth::sessions::random_token(9));
    let path = dir.join(&name);
    std::fs::write(&path, body)
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot write {}: {e}", path.display())))?;
    let stored = diesel::update(cdrs::table.find(cdr_id))
        .set((cdrs::recording.eq(&name), cdrs::recording_size.eq(body.len() as i64)))
        .execute(conn);
    if let Err(e) = stored {
        let _ = std::fs::remove_file(&path);
        return Err(e.into());
    }
    if let Some(old) = old.filter(|o| o != &name) {
        let _ = std::fs::remove_file(dir.join(old));
    }
    Ok(name)
}

/// Uploads a CDR's recording (the switch): the declared type must be audio (`audio/*`, else
/// 415), the CDR must exist (404) and the body must start like audio (422). Audited as
/// `ingest.recording`; nothing is kept when any step fails.
pub fn upload(
    c: &mut DbConnection,
    actor: &Actor,
    dir: &Path,
    cdr_id: i64,
    content_type: Option<&str>,
    body: &[u8],
) -> AppResult<String> {
    let declared = content_type.map(|t| t.trim().to_ascii_lowercase()).unwrap_or_default();
    if !declared.starts_with("audio/") {
        return Err(AppError::UnsupportedMediaType(format!(
            "Send the recording as audio (Content-Type: audio/wav, audio/mpeg, audio/ogg …), not `{}`.",
            if declared.is_empty() { "nothing" } else { &declared }
        )));
    }
    let mut written: Option<String> = None;
    let result = write_tx(c, |c| {
        let name = attach_recording(c, dir, cdr_id, body)?;
        written = Some(name.clone());
        let diff = json!({ "cdrId": cdr_id, "bytes": body.len() });
        audit::record(c, actor, "ingest.recording", "cdr", None, Some(diff))?;
        Ok(name)
    });
    if result.is_err()
        && let Some(name) = written
    {
        // The row change is rolled back: the file it pointed to must not stay behind.
        let _ = std::fs::remove_file(dir.join(name));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{audit_rows, each_backend};

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
        each_backend(|c| {
            let dir = tempfile::tempdir().unwrap();
            let cdr = crate::traffic::fixtures::one_cdr(c);
            let actor = Actor::system();
            let wav = crate::demo::wav_tone(1, 440.0);
            // Not declared as audio: 415; declared but not audio: 422; nothing stored either way.
            let e = upload(c, &actor, dir.path(), cdr, Some("application/json"), b"{}").unwrap_err();
            assert!(matches!(e, AppError::UnsupportedMediaType(_)), "{e:?}");
            let e = upload(c, &actor, dir.path(), cdr, Some("audio/wav"), b"{}").unwrap_err();
            assert!(matches!(e, AppError::Unprocessable(..)), "{e:?}");
            assert!(matches!(upload(c, &actor, dir.path(), 999_999, Some("audio/wav"), &wav), Err(AppError::NotFound)));
            assert!(audit_rows(c, "ingest.recording").is_empty());
            assert_eq!(std::fs::read_dir(dir.path()).map(|d| d.count()).unwrap_or(0), 0);
            let name = upload(c, &actor, dir.path(), cdr, Some("audio/wav"), &wav).unwrap();
            assert_eq!(std::fs::read(dir.path().join(&name)).unwrap(), wav);
            let rows = audit_rows(c, "ingest.recording");
            assert_eq!(rows, vec![(None, Some(json!({"cdrId": cdr, "bytes": wav.len()})))]);
        });
    }
}
