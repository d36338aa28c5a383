//! One transaction that a use case passes along: everything a use case writes — the reply, its
//! ledger row, its notifications, the job it implies — goes through one [`Write`] and commits
//! together or not at all.
//!
//! ```ignore
//! let mut w = store.write().await?;
//! let done = post(&mut w, …).await; // every write of the use case, with `?`
//! w.finish(done).await              // commit on Ok, roll back on Err
//! ```
//!
//! On SQLite a write transaction takes the write lock at once (`BEGIN IMMEDIATE`), so what it
//! reads before it writes cannot change under it; on PostgreSQL methods that must serialise
//! take row locks (`SELECT … FOR UPDATE`). The time of the transaction is read once when it
//! begins, so every row it writes carries the same instant.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::clock::Millis;
use sqlx::{Any, AnyConnection, Transaction};

use crate::{Backend, Store};

/// A write transaction. Dropping it without [`Write::finish`] or [`Write::commit`] rolls it
/// back (later); `finish` rolls back at once and releases SQLite's write lock.
pub struct Write {
    tx: Transaction<'static, Any>,
    backend: Backend,
    now: Millis,
}

impl Store {
    /// Begins a write transaction.
    pub async fn write(&self) -> Result<Write> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .or_internal()?;
        Ok(Write {
            tx,
            backend: self.backend,
            now: self.now(),
        })
    }
}

impl Write {
    /// The instant this transaction began; every row it writes carries it.
    pub fn now(&self) -> Millis {
        self.now
    }

    pub(crate) fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection to run statements on.
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await.or_internal()
    }

    /// Commits when the use case succeeded, rolls back at once when it failed, and returns its
    /// result (or the commit's error).
    /// Takes back everything written, at once (a dry run's end).
    pub async fn roll_back(self) {
        let _ = self.tx.rollback().await;
    }

    pub async fn finish<T>(self, result: Result<T>) -> Result<T> {
        match result {
            Ok(value) => {
                self.commit().await?;
                Ok(value)
            }
            Err(e) => {
                let _ = self.tx.rollback().await;
                Err(e)
            }
        }
    }
}

/// Store methods that run one [`Write`] method in a transaction of their own, for callers with
/// nothing else to write.
macro_rules! write_alone {
    ($($(#[$meta:meta])* fn $name:ident(&self $(, $arg:ident: $ty:ty)* $(,)?) -> $ret:ty;)+) => {
        impl $crate::Store {
            $(
                $(#[$meta])*
                pub async fn $name(&self $(, $arg: $ty)*) -> copse_core::Result<$ret> {
                    let mut w = self.write().await?;
                    let result = w.$name($($arg),*).await;
                    w.finish(result).await
                }
            )+
        }
    };
}
pub(crate) use write_alone;
