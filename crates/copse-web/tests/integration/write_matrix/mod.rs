//! The write side of the authorization matrix: every kind of actor tries every kind of write —
//! through the API, and the main ones through the page forms — on objects made fresh for the
//! try. Each answer must be exactly what the rule table says (allowed, or refused as "sign in",
//! "forbidden" or "not found"), and a refused write must change nothing: what the object looks
//! like to a site admin is read before and after and compared. An allowed write must change it.
//!
//! The rules are written out in `rules.rs`, not asked of the policy, so that weakening a rule in
//! `copse_core::policy` makes this matrix fail. The same writes are tried again with the
//! community archived: each must be refused and change nothing.

mod actors;
mod community_ops;
mod file_ops;
mod more_ops;
mod ops;
mod rules;

use crate::common::*;
use actors::{ACTORS, people};
use ops::{OPS, try_op};

#[tokio::test]
async fn every_write_is_allowed_or_refused_as_the_rules_say() {
    for app in apps().await {
        let people = people(&app).await;
        let mut cells = 0;
        let mut wrong = Vec::new();
        for op in OPS {
            for who in ACTORS {
                if let Some(problem) = try_op(&app, &people, *op, who, false).await {
                    wrong.push(problem);
                }
                cells += 1;
            }
        }
        println!(
            "write matrix ({:?}): {cells} cells ({} writes × {} actors), {} wrong answers",
            app.db.backend(),
            OPS.len(),
            ACTORS.len(),
            wrong.len()
        );
        assert!(
            wrong.is_empty(),
            "{} wrong answers:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        assert_eq!(cells, OPS.len() * ACTORS.len());
        app.finish().await;
    }
}

#[tokio::test]
async fn every_write_to_an_archived_community_is_refused_and_changes_nothing() {
    for app in apps().await {
        let people = people(&app).await;
        let mut wrong = Vec::new();
        for op in OPS {
            for who in ACTORS {
                if let Some(problem) = try_op(&app, &people, *op, who, true).await {
                    wrong.push(problem);
                }
            }
        }
        println!(
            "archived write matrix ({:?}): {} cells, {} wrong answers",
            app.db.backend(),
            OPS.len() * ACTORS.len(),
            wrong.len()
        );
        assert!(
            wrong.is_empty(),
            "{} wrong answers:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        app.finish().await;
    }
}
