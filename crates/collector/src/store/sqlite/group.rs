//! Group commit: batches that arrive while another is being written wait and
//! are then written together, each in its own savepoint, under one commit.
//!
//! With `synchronous = FULL` every commit waits for the disk, so one commit
//! per batch makes many small kiosks queue behind each other's flushes. One
//! writer thread takes every batch waiting (up to [`MAX_ITEMS`] responses),
//! opens one `IMMEDIATE` transaction, writes each batch in a savepoint
//! (a batch that fails is rolled back alone and answered with its error),
//! commits once, and only then answers each batch: an acknowledgement still
//! means on disk. A failed commit fails every batch of the group; nothing of
//! it was stored, so the kiosks send again.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use rusqlite::TransactionBehavior;
use tokio::sync::oneshot;

use super::insert::insert_items;
use crate::db::Pool;
use crate::ingest::Poster;
use crate::store::{NewResponse, Outcome, StoreError};

/// Most responses written under one commit.
pub const MAX_ITEMS: usize = 5_000;

/// One batch waiting to be written, and where its answer goes.
pub struct Job {
    pub poster: Poster,
    pub items: Vec<NewResponse>,
    pub received_at: i64,
    pub reply: oneshot::Sender<Result<Vec<Outcome>, StoreError>>,
}

/// Starts the writer thread for `pool`; it ends when every sender is gone.
/// `write_lock` is held while a group is written, as by every other writer.
pub fn start(pool: Pool, write_lock: Arc<Mutex<()>>) -> std::io::Result<Sender<Job>> {
    let (sender, jobs) = mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("sqlite-writer".into())
        .spawn(move || run(&pool, &write_lock, &jobs))?;
    Ok(sender)
}

fn run(pool: &Pool, write_lock: &Mutex<()>, jobs: &Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        let mut items = group[0].items.len();
        while items < MAX_ITEMS {
            match jobs.try_recv() {
                Ok(job) => {
                    items += job.items.len();
                    group.push(job);
                }
                Err(_) => break,
            }
        }
        let (replies, work): (Vec<_>, Vec<_>) = group
            .into_iter()
            .map(|job| (job.reply, (job.poster, job.items, job.received_at)))
            .unzip();
        // A panic fails this group only; the thread goes on with the next.
        let answers = catch_unwind(AssertUnwindSafe(|| write_group(pool, write_lock, &work)))
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the writer panicked").into()));
        match answers {
            Ok(answers) => {
                for (reply, answer) in replies.into_iter().zip(answers) {
                    let _ = reply.send(answer);
                }
            }
            Err(err) => {
                let text = err.to_string();
                for reply in replies {
                    let _ = reply.send(Err(anyhow::anyhow!("{text}").into()));
                }
            }
        }
    }
}

type Work = (Poster, Vec<NewResponse>, i64);

/// Writes every batch of `work` under one commit: per batch its outcomes or
/// its own error; `Err` if the group as a whole could not be committed.
fn write_group(
    pool: &Pool,
    write_lock: &Mutex<()>,
    work: &[Work],
) -> Result<Vec<Result<Vec<Outcome>, StoreError>>, StoreError> {
    let mut conn = pool.get()?;
    // A poisoned lock only means another write panicked; SQLite rolled it back.
    let _writing = write_lock
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut answers = Vec::with_capacity(work.len());
    for (poster, items, received_at) in work {
        let savepoint = tx.savepoint()?;
        match insert_items(&savepoint, poster, items, *received_at) {
            Ok(outcomes) => {
                savepoint.commit()?;
                answers.push(Ok(outcomes));
            }
            // Dropping the savepoint rolls this batch back; the others stay.
            Err(err) => answers.push(Err(err.into())),
        }
    }
    tx.commit()?;
    Ok(answers)
}
