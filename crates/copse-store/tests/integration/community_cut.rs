//! A community's archive follows every reference between rows: each id column of the schema
//! is a foreign key, one of the references the cut knows without one (`IMPLICIT`), or listed
//! here as naming no row. A new id column that is none of these would let rows hanging from
//! something left out (a circle's thread, a deleted post) into a coordinator's archive.

use copse_store::IMPLICIT;

use crate::contract::backends;

/// Id columns that name no row of the site, each with the reason.
const NOT_ROWS: &[(&str, &str, &str)] = &[
    (
        "imported_messages",
        "message_id",
        "the Message-ID header of an imported e-mail",
    ),
    (
        "email_cursors",
        "last_id",
        "how far the site's mailer has read a log; the table belongs to no community",
    ),
];

#[tokio::test]
async fn every_id_column_is_a_reference_the_community_cut_follows() {
    for (db, _clock) in backends().await {
        let shapes = db.store.table_shapes().await.unwrap();
        let mut unknown = Vec::new();
        for table in &shapes {
            for column in &table.columns {
                let name = column.name.as_str();
                let id_like = name.ends_with("_id") || name.ends_with("_into");
                let declared = table.references.iter().any(|(c, _)| c == name);
                let implicit = IMPLICIT
                    .iter()
                    .any(|(t, c, _)| *t == table.name && *c == name);
                let not_a_row = NOT_ROWS
                    .iter()
                    .any(|(t, c, _)| *t == table.name && *c == name);
                if id_like && !declared && !implicit && !not_a_row {
                    unknown.push(format!("{}.{name}", table.name));
                }
            }
        }
        assert!(
            unknown.is_empty(),
            "id columns the community cut does not follow: {unknown:?}"
        );
        // Both lists name columns that are there: a stale entry would hide a new column.
        let listed = IMPLICIT.iter().map(|(t, c, _)| (*t, *c));
        for (t, c) in listed.chain(NOT_ROWS.iter().map(|(t, c, _)| (*t, *c))) {
            let table = shapes.iter().find(|s| s.name == t);
            assert!(
                table.is_some_and(|s| s.has(c)),
                "{t}.{c} is listed but not in the schema"
            );
        }
    }
}
