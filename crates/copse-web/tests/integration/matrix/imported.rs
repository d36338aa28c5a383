//! The authorization matrix on an imported site: the fixture is built on the embedded
//! database, every table is carried into a fresh one (PostgreSQL when configured) the way
//! `copse import` loads an export — in the tables' order, deferred columns filled after, the
//! counters moved past the rows — with the uploads, and a server on the copy must answer every
//! actor × object × surface cell as the original does. The same tokens and session cookies
//! work there, as an import keeps every id and secret's hash.

use std::collections::BTreeMap;
use std::path::Path;

use copse_store::{Row, Store, testing::TestDb};

use super::check::check;
use super::fixture::build;
use super::world::{Fixture, NOW, World};
use crate::common::*;

#[tokio::test]
async fn nothing_private_leaks_on_an_imported_site() {
    let mut apps = apps_at(NOW).await;
    let (source, _clock) = apps.remove(0);
    for (other, _) in apps {
        other.finish().await;
    }
    let f = build(&source).await;
    let (db, _clock) = TestDb::each_backend_with_clock(NOW)
        .await
        .unwrap()
        .pop()
        .unwrap();
    let rows = carry(&source.db.store, &db.store).await;
    let copy = TestApp::start(db, Config::default()).await;
    copy_folder(
        &source.files_dir.path().join("files"),
        &copy.files_dir.path().join("files"),
    );
    let f = rebased(f, &copy);
    let cells = check(&copy, &f, World::default(), &BTreeMap::new()).await;
    println!(
        "authorization matrix on a site imported into {:?}: {rows} rows carried, {cells} cells checked, 0 leaks",
        copy.db.backend()
    );
    assert!(cells > 1000, "the matrix ran: {cells} cells");
    copy.finish().await;
    source.finish().await;
}

/// Every table of `from` into the empty `into`, as `copse import` loads them; answers the rows.
async fn carry(from: &Store, into: &Store) -> u64 {
    let shapes = into.table_shapes().await.unwrap();
    let (mut late, mut carried) = (Vec::new(), 0);
    for shape in &shapes {
        let mut rows: Vec<Row> = Vec::new();
        carried += from
            .read_rows(shape, |row| {
                rows.push(row);
                Ok(())
            })
            .await
            .unwrap();
        for batch in rows.chunks(500) {
            into.load_rows(shape, batch).await.unwrap();
        }
        let waiting: Vec<Row> = rows.iter().filter_map(|r| shape.late_part(r)).collect();
        late.push((shape, waiting));
    }
    for (shape, rows) in late {
        into.fill_deferred(shape, &rows).await.unwrap();
    }
    into.finish_load(&shapes).await.unwrap();
    carried
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).into_iter().flatten().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The fixture's clients, asking the copy: the same tokens; the browsers' session cookies are
/// kept by host, which both servers share.
fn rebased(mut f: Fixture, copy: &TestApp) -> Fixture {
    for api in f.api.values_mut() {
        api.base = copy.base.clone();
        api.store = Some(copy.db.store.clone());
    }
    f
}
