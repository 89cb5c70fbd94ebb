//! The response log's chunks: their keys, appending and pruning.

use feedback_domain::record::{self, RECORD_SEPARATOR};
use feedback_domain::KioskIdentity;

use super::{
    describe, owners, records, ResponseStore, StorageError, CHUNK_PREFIX, CHUNK_RECORDS,
    HEARTBEAT_PREFIX,
};
use crate::codec;

/// Keys that an earlier or later kiosk version may have written.
const FOREIGN_PREFIX: &str = "fk";

/// Where a chunk is: its writer (empty for chunks written before writers
/// existed) and its number within that writer's chunks.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChunkKey {
    /// The page that appends to it.
    pub writer: String,
    /// 0, 1, 2 … in saving order.
    pub number: u32,
}

impl ChunkKey {
    /// The `localStorage` key.
    pub fn key(&self) -> String {
        chunk_key(&self.writer, self.number)
    }

    /// Reads a key written by [`ChunkKey::key`]; `None` for anything else.
    pub fn parse(key: &str) -> Option<ChunkKey> {
        let rest = key.strip_prefix(CHUNK_PREFIX)?;
        let (writer, number) = rest.split_once('.').unwrap_or(("", rest));
        let chunk = ChunkKey {
            writer: writer.to_owned(),
            number: number.parse().ok()?,
        };
        let writer_ok = writer
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase());
        (writer_ok && chunk.key() == key).then_some(chunk)
    }
}

/// The key of chunk `number` of `writer`.
pub fn chunk_key(writer: &str, number: u32) -> String {
    if writer.is_empty() {
        format!("{CHUNK_PREFIX}{number}")
    } else {
        format!("{CHUNK_PREFIX}{writer}.{number}")
    }
}

impl ResponseStore {
    /// The chunks present, oldest writer first, and how many keys of the
    /// kiosk's family this version does not know.
    pub(super) fn chunk_keys(&self) -> Result<(Vec<ChunkKey>, usize), StorageError> {
        let length = self
            .storage
            .length()
            .map_err(|err| StorageError::Browser(describe(&err)))?;
        let mut chunks = Vec::new();
        let mut unknown = 0;
        for index in 0..length {
            let Some(key) = self
                .storage
                .key(index)
                .map_err(|err| StorageError::Browser(describe(&err)))?
            else {
                continue;
            };
            if key.starts_with(CHUNK_PREFIX) {
                match ChunkKey::parse(&key) {
                    Some(chunk) => chunks.push(chunk),
                    None => unknown += 1,
                }
            } else if key.starts_with(FOREIGN_PREFIX)
                && !records::KNOWN_KEYS.contains(&key.as_str())
                && !key.starts_with(HEARTBEAT_PREFIX)
            {
                unknown += 1;
            }
        }
        // An insertion sort: a few hundred chunks at most, mostly in order
        // already, and the standard sort's code is kilobytes the customer
        // kiosk would carry.
        for i in 1..chunks.len() {
            let mut j = i;
            while j > 0 && chunks[j - 1] > chunks[j] {
                chunks.swap(j - 1, j);
                j -= 1;
            }
        }
        Ok((chunks, unknown))
    }

    /// Every writer that has chunks, each once, in order.
    pub fn writers(&self) -> Result<Vec<String>, StorageError> {
        let mut writers: Vec<String> = self.chunk_keys()?.0.into_iter().map(|c| c.writer).collect();
        // The keys are sorted, so one writer's chunks are together.
        writers.dedup();
        Ok(writers)
    }

    /// The chunks this page may rewrite: its own and those it adopted.
    pub(super) fn owned_chunks(&self) -> Result<Vec<ChunkKey>, StorageError> {
        let (chunks, _) = self.chunk_keys()?;
        Ok(chunks
            .into_iter()
            .filter(|c| c.writer == self.writer || owners::owns(&c.writer))
            .collect())
    }

    /// The key and new value that append `line` to this writer's newest
    /// chunk, or start a new chunk when it is full or was taken under
    /// another identity.
    pub(super) fn append_target(
        &mut self,
        identity: &KioskIdentity,
        line: &str,
    ) -> Result<(String, String), StorageError> {
        let header = codec::identity_line(identity);
        if self.newest_chunk.is_none() {
            let (chunks, _) = self.chunk_keys()?;
            self.newest_chunk = chunks
                .iter()
                .filter(|c| c.writer == self.writer)
                .map(|c| c.number)
                .max();
        }
        let mut next = 0;
        if let Some(newest) = self.newest_chunk {
            let key = chunk_key(&self.writer, newest);
            if let Some(text) = self.get(&key)? {
                let records = text.matches(RECORD_SEPARATOR).count();
                let same_identity = text.split(RECORD_SEPARATOR).next() == Some(header.as_str());
                if same_identity && records < CHUNK_RECORDS {
                    let mut value = String::with_capacity(text.len() + line.len() + 1);
                    value.push_str(&text);
                    value.push(RECORD_SEPARATOR);
                    value.push_str(line);
                    return Ok((key, value));
                }
            }
            next = newest + 1;
        }
        self.newest_chunk = Some(next);
        Ok((
            chunk_key(&self.writer, next),
            format!("{header}{RECORD_SEPARATOR}{line}"),
        ))
    }

    /// Deletes the synced responses of the oldest owned chunk that has any;
    /// returns how many were deleted (0: nothing may be pruned).
    pub(super) fn prune_oldest_synced(&mut self) -> Result<usize, StorageError> {
        for chunk in self.owned_chunks()? {
            let key = chunk.key();
            let Some(text) = self.get(&key)? else {
                continue;
            };
            let mut lines = text.split(RECORD_SEPARATOR);
            let Some(header) = lines.next() else { continue };
            if codec::identity(header).is_none() {
                continue; // Set aside as a whole: never touched.
            }
            let mut kept = vec![header];
            let mut pruned = 0;
            for line in lines {
                let prunable = record::decode(line).is_ok_and(|entry| entry.state.may_be_pruned());
                if prunable {
                    pruned += 1;
                } else {
                    kept.push(line);
                }
            }
            if pruned == 0 {
                continue;
            }
            if kept.len() == 1 {
                self.remove(&key)?;
                if !self.writers()?.contains(&chunk.writer) {
                    let _ = self.remove(&format!("{HEARTBEAT_PREFIX}{}", chunk.writer));
                }
            } else {
                self.put(&key, &kept.join("\n"))?;
            }
            return Ok(pruned);
        }
        Ok(0)
    }
}
