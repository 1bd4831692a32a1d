//! `portico import-cdrs FILE.csv`: the bulk path of CDR ingest. On PostgreSQL a first quick
//! pass reads the start times only (the months whose partitions the file needs); the file is
//! then validated and loaded in one transaction with a progress bar: a refused row (its number
//! in the error) rolls everything back. Known external ids are skipped.

use std::path::Path;

use diesel::Connection;

use crate::db::DbConnection;
use crate::traffic::ingest::{self, CdrIn, FIELDS, IngestResult};
use crate::traffic::partitions::{self, Month};

const BATCH: usize = 50_000;

fn reader(path: &Path) -> anyhow::Result<csv::Reader<std::fs::File>> {
    let r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    Ok(r)
}

/// Reads the file in batches, calling `f` with raw rows, the number of the first row and the
/// bytes of the file read so far.
fn each_batch(path: &Path, mut f: impl FnMut(Vec<CdrIn>, usize, u64) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let mut r = reader(path)?;
    let headers = r.headers()?.clone();
    for h in headers.iter() {
        if !FIELDS.contains(&h) {
            anyhow::bail!("unknown CSV column `{h}` (known: {})", FIELDS.join(", "));
        }
    }
    let mut batch = Vec::with_capacity(BATCH);
    let mut first = 1;
    let mut n = 0;
    let mut records = r.deserialize::<CdrIn>();
    while let Some(rec) = records.next() {
        n += 1;
        let rec = rec.map_err(|e| anyhow::anyhow!("refused, nothing stored: {}", ingest::csv_error(&headers, n, e)))?;
        batch.push(rec);
        if batch.len() == BATCH {
            f(std::mem::take(&mut batch), first, records.reader().position().byte())?;
            first = n + 1;
        }
    }
    if !batch.is_empty() {
        f(batch, first, records.reader().position().byte())?;
    }
    Ok(())
}

/// Pass 1 (PostgreSQL): the months of the rows' start times, reading the start-time column
/// only. A row the CSV reader refuses is refused here already; a start time that cannot
/// be read is left to the validation of pass 2, which names its row.
fn months_of_file(path: &Path) -> anyhow::Result<std::collections::BTreeSet<Month>> {
    let mut r = reader(path)?;
    let headers = r.headers()?.clone();
    let column = headers.iter().position(|h| h == "timeStart");
    let mut months = std::collections::BTreeSet::new();
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    loop {
        match r.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => n += 1,
            Err(e) => {
                anyhow::bail!("refused, nothing stored: {}", ingest::csv_error(&headers, n + 1, e));
            }
        }
        let time = column.and_then(|c| record.get(c)).and_then(|t| std::str::from_utf8(t).ok());
        if let Some(Ok(ms)) = time.map(crate::traffic::time::parse_instant) {
            months.insert(Month::of(ms));
        }
    }
    Ok(months)
}

pub fn import_file(conn: &mut DbConnection, path: &Path) -> anyhow::Result<IngestResult> {
    // The months' partitions (PostgreSQL; SQLite has one plain table) in a short transaction of
    // their own: made inside the long load below, they would lock every read of `cdrs` until it
    // ends.
    if matches!(conn, DbConnection::Postgresql(_)) {
        let mut months = months_of_file(path)?;
        months.extend(partitions::ahead(crate::traffic::time::now_ms()));
        partitions::ensure(conn, months).map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    // Pass 2: validate and load in one transaction; the bar follows the bytes of the file read.
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or_default();
    let bar = indicatif::ProgressBar::new(size);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "importing {bar:40} {binary_bytes}/{binary_total_bytes}, {msg} ({eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut sum = IngestResult::default();
    conn.transaction::<_, anyhow::Error, _>(|c| {
        // The file is parsed on a thread of its own, one batch ahead of the database.
        std::thread::scope(|s| {
            let (batches, next_batch) = std::sync::mpsc::sync_channel::<(anyhow::Result<Vec<_>>, u64)>(1);
            let reader = s.spawn(move || {
                each_batch(path, |rows, first, read| {
                    let parsed = rows
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            ingest::parse_row(r, first + i).map_err(|e| {
                                anyhow::anyhow!("refused, nothing stored: {} {}", e[0].field, e[0].message)
                            })
                        })
                        .collect::<anyhow::Result<_>>();
                    // The store has failed and stopped listening: stop reading too.
                    batches.send((parsed, read)).map_err(|_| anyhow::anyhow!("import stopped"))
                })
            });
            for (parsed, read) in next_batch {
                let r = ingest::store(c, parsed?)
                    .map_err(|e| anyhow::anyhow!("refused, nothing stored: {e}: {:?}", e.details()))?;
                sum.received += r.received;
                sum.inserted += r.inserted;
                sum.duplicates += r.duplicates;
                bar.set_position(read);
                bar.set_message(format!("{} rows", sum.received));
            }
            reader.join().map_err(|_| anyhow::anyhow!("the CSV reader failed"))??;
            Ok(())
        })
    })?;
    bar.finish_and_clear();
    Ok(sum)
}
