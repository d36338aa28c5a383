//! The background worker that every `copse serve` runs. Each round it schedules what time has
//! made due (reminders, level recomputes, check-ins, digests, newsletters, notification
//! e-mails) into the job queue, then claims due jobs and runs them.
//!
//! Scheduling is idempotent — every job has a key — so any number of nodes may schedule the
//! same work; the queue's leases make one node run each job. Every job checks again, when it
//! runs, that it still applies: the member may still see the event and is still going, the
//! notification is still theirs to read, the issue is still going out.

mod runner;
mod schedule;

use std::time::Duration;

use copse_core::Result;

use crate::app::App;
use crate::mail::Postman;
use runner::Runner;
use schedule::Step;

/// Settings of the worker.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// A name for this node, unique among nodes sharing a database (in job leases).
    pub node: String,
    /// How often to look for due work.
    pub poll: Duration,
    /// How long a claimed job is this node's before another may take it over.
    pub lease: Duration,
    /// The first retry waits this long; each further one twice as long.
    pub backoff: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            node: "copse".into(),
            poll: Duration::from_secs(30),
            lease: Duration::from_secs(300),
            backoff: Duration::from_secs(60),
        }
    }
}

pub struct Worker {
    app: App,
    postman: Postman,
    config: WorkerConfig,
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Worker {
    pub fn new(app: App, postman: Postman, config: WorkerConfig) -> Worker {
        Worker {
            app,
            postman,
            config,
        }
    }

    /// Runs until `shutdown` turns true.
    pub async fn run(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        tracing::info!(node = %self.config.node, "worker started");
        loop {
            if let Err(e) = self.tick().await {
                tracing::warn!(error = %e.report(), "worker round failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(self.config.poll) => {}
                _ = shutdown.changed() => break,
            }
        }
    }

    /// One round: every scheduling step (a failing one is logged and the round goes on), then
    /// the jobs that are due. Returns how many jobs ran.
    pub async fn tick(&self) -> Result<usize> {
        for step in Step::ALL {
            if let Err(e) = step.run(&self.app, self.config.poll).await {
                tracing::warn!(step = ?step, error = %e.report(), "scheduling step failed");
            }
        }
        Runner {
            app: &self.app,
            postman: &self.postman,
            node: &self.config.node,
            lease_ms: millis(self.config.lease),
            backoff_ms: millis(self.config.backoff),
        }
        .run_due()
        .await
    }
}
