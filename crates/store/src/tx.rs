//! A transaction: the one way to write. A care action reads, writes and appends its audit
//! record on one `Tx`, then commits them together, so a crash can never leave a change without
//! its record or a record without its change.

use crate::{Conn, Db, Result};

pub struct Tx {
    pub(crate) db: Db,
    /// This writer's turn in the SQLite queue, released when the transaction ends.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").field("db", &self.db).finish()
    }
}

impl std::ops::Deref for Tx {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

impl Tx {
    pub(crate) fn new(db: Db, turn: Option<tokio::sync::OwnedMutexGuard<()>>) -> Tx {
        Tx { db, _turn: turn }
    }

    /// Undoes every write of this transaction now. Dropping a `Tx` also rolls back, but in
    /// the background: until then PostgreSQL keeps its row locks, and on SQLite the next
    /// writer could find the database still locked.
    pub async fn rollback(self) -> Result<()> {
        match self.db.conn {
            Conn::SqliteTx(m) => m.into_inner().rollback().await?,
            Conn::PostgresTx(m) => m.into_inner().rollback().await?,
            Conn::Sqlite(_) | Conn::Postgres(_) => {}
        }
        Ok(())
    }

    /// Makes every write of this transaction durable at once.
    pub async fn commit(self) -> Result<()> {
        match self.db.conn {
            Conn::SqliteTx(m) => m.into_inner().commit().await?,
            Conn::PostgresTx(m) => m.into_inner().commit().await?,
            Conn::Sqlite(_) | Conn::Postgres(_) => {}
        }
        Ok(())
    }
}
