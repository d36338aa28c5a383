//! A database failure reaches the use case as `Error::Internal` with its cause and the line of
//! the store that met it, on both backends: the log can tell what failed and where.

use copse_core::Error;
use copse_store::testing::{TestDb, person};

use crate::contract::{T0, community};
use copse_core::domain::{JoinPolicy, Visibility};

#[tokio::test]
async fn a_failed_write_keeps_its_cause_and_where_it_happened() {
    for (db, _) in TestDb::each_backend_with_clock(T0).await.unwrap() {
        let s = &db.store;
        let ada = person(s, "ada").await;
        let c = s
            .create_community(
                &community("ipc", Visibility::Public, true, JoinPolicy::Open),
                ada.id,
            )
            .await
            .unwrap();
        db.fail_inserts("topics", "slug", "audits").await;
        let failed = s.create_topic(c.id, "audits", "Audits", None).await;
        let Err(Error::Internal(internal)) = failed else {
            panic!("a refused insert is an internal error: {failed:?}");
        };
        let chain = internal.chain();
        assert!(
            chain.contains("injected failure"),
            "the database's own message is kept ({:?}): {chain}",
            db.backend()
        );
        assert!(
            internal.at.file().ends_with("copse-store/src/threads.rs"),
            "raised where the store met it, not in a helper: {}",
            internal.at
        );
        assert!(
            std::error::Error::source(&internal).is_some(),
            "the sqlx error is its source"
        );
        db.heal("topics").await;
        assert!(s.create_topic(c.id, "audits", "Audits", None).await.is_ok());
        db.finish().await;
    }
}
