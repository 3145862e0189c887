//! Group commit for audit records that change nothing else: reads of patient data and refused
//! requests. Every read is audited before its data is served, so each one needs a durable
//! write; committed one by one they would queue behind the disk's flush (a few milliseconds
//! each on SQLite), and reads would stall. Records that arrive while one batch is being
//! committed go together in the next transaction, so one flush serves many requests. A caller
//! waits until its own record is committed, and fails if the commit fails: nothing is served
//! without its record.

use std::sync::OnceLock;

use physio_store::{NewAuditEvent, Store};
use tokio::sync::{mpsc, oneshot};

use crate::error::ApiError;

/// The most records in one transaction; more wait for the next.
const MAX_BATCH: usize = 256;

type Job = (NewAuditEvent, oneshot::Sender<Result<(), String>>);

/// The writer of batched audit records, started on first use.
#[derive(Default)]
pub(crate) struct AuditBatcher {
    queue: OnceLock<mpsc::UnboundedSender<Job>>,
}

impl AuditBatcher {
    /// Appends `event` to the audit trail, durably, together with whatever else is waiting.
    pub(crate) async fn append(&self, store: &Store, event: NewAuditEvent) -> Result<(), ApiError> {
        let queue = self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(run(store.clone(), rx));
            tx
        });
        let (done, result) = oneshot::channel();
        queue
            .send((event, done))
            .map_err(|_| ApiError::Internal("the audit writer has stopped".into()))?;
        match result.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(ApiError::Internal(format!("appending to the audit trail: {e}"))),
            Err(_) => Err(ApiError::Internal("the audit writer has stopped".into())),
        }
    }
}

async fn run(store: Store, mut rx: mpsc::UnboundedReceiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let result = commit(&store, &batch).await.map_err(|e| e.to_string());
        for (_, done) in batch.drain(..) {
            // A caller that has gone away no longer needs the answer.
            let _ = done.send(result.clone());
        }
    }
}

async fn commit(store: &Store, batch: &[Job]) -> Result<(), physio_store::StoreError> {
    let mut tx = store.begin().await?;
    for (event, _) in batch {
        tx.append_audit(event).await?;
    }
    tx.commit().await
}
