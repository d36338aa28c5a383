//! The storage contract for search: each reader finds their share, as the text is now.

use crate::practice::*;
use copse_core::domain::*;
use copse_core::policy::{Actor, thread_filter};
use copse_store::testing::person;
use copse_store::{SearchFilters, Store};

fn q(raw: &str) -> copse_core::search::SearchQuery {
    copse_core::search::SearchQuery::parse(raw).unwrap()
}

/// What `actor` finds for `raw`: (thread, reply) of each hit.
async fn find(s: &Store, actor: Actor, raw: &str) -> Vec<(i64, Option<i64>)> {
    s.search(
        thread_filter(&actor),
        &q(raw),
        &SearchFilters::default(),
        50,
        0,
    )
    .await
    .unwrap()
    .into_iter()
    .map(|h| (h.thread_id, h.reply_id))
    .collect()
}

#[tokio::test]
async fn search_finds_current_text_that_the_reader_may_read() {
    for (db, _) in backends().await {
        let s = &db.store;
        let owner = person(s, "owner").await;
        let member = person(s, "member").await;
        let outsider = person(s, "outsider").await;
        let public = community(s, "public", Visibility::Public, owner.id).await;
        let private = community(s, "private", Visibility::Private, owner.id).await;
        s.join(public.id, member.id).await.unwrap();
        let mut open = thread(
            ThreadKind::Question,
            Space::Public,
            "Hand hygiene audits on night shifts",
            &[],
        );
        open.body = "How do you audit hand hygiene when wards are quiet?".into();
        let open = s.create_thread(public.id, owner.id, &open).await.unwrap();
        let mut secret = thread(
            ThreadKind::Discussion,
            Space::Members,
            "Outbreak on ward seven",
            &[],
        );
        secret.body = "Norovirus audit results, members only".into();
        let secret = s.create_thread(public.id, owner.id, &secret).await.unwrap();
        let mut elsewhere = thread(ThreadKind::Discussion, Space::Public, "Private audit", &[]);
        elsewhere.body = "An audit in a private community".into();
        s.create_thread(private.id, owner.id, &elsewhere)
            .await
            .unwrap();
        let t = s.thread(open).await.unwrap().unwrap();
        let reply = s
            .create_reply(
                &t,
                member.id,
                "We use observation audits with the WHO form.",
                None,
            )
            .await
            .unwrap();

        let anonymous = Actor::Anonymous;
        let member_actor = Actor::of(&member, false);
        let outsider_actor = Actor::of(&outsider, false);
        let owner_actor = Actor::of(&owner, false);

        // "audit" (stemmed) is in all three threads and the reply; each reader sees their
        // share, one hit per thread: the open thread's title and its reply both match, and it
        // is listed once, by its best match (the title weighs most).
        let anon_hits = find(s, anonymous, "audits").await;
        assert_eq!(anon_hits, vec![(open, None)]);
        assert_eq!(find(s, outsider_actor, "audit").await.len(), 1);
        let member_hits = find(s, member_actor, "audit").await;
        assert!(member_hits.contains(&(secret, None)));
        assert_eq!(
            member_hits.len(),
            2,
            "members-only of their community, not the private one"
        );
        assert_eq!(find(s, owner_actor, "audit").await.len(), 3);
        the_best_match_stands_for_its_thread(s, open, reply, owner_actor).await;
        assert!(
            find(s, anonymous, "norovirus").await.is_empty(),
            "no hint of the members-only thread"
        );

        phrases_exclusions_and_filters(s, owner_actor, open, secret, &owner, &private).await;
        found_as_it_is_now(s, open, &t, &member, owner_actor, reply, secret).await;
        db.finish().await;
    }
}

/// Where only a reply matches, the hit is the reply; the count is of threads, up to its cap.
async fn the_best_match_stands_for_its_thread(s: &Store, open: i64, reply: i64, owner: Actor) {
    let anonymous = Actor::Anonymous;
    assert_eq!(
        find(s, anonymous, "observation").await,
        vec![(open, Some(reply))]
    );
    let count = |actor: Actor, cap| async move {
        s.search_count(
            thread_filter(&actor),
            &q("audit"),
            &SearchFilters::default(),
            cap,
        )
        .await
        .unwrap()
    };
    assert_eq!(count(owner, 1000).await, 3, "threads, not hits");
    assert_eq!(count(anonymous, 1000).await, 1);
    assert_eq!(count(owner, 2).await, 2, "counted no further than the cap");
}

/// Phrases, exclusion, text that looks like syntax, and filters.
async fn phrases_exclusions_and_filters(
    s: &Store,
    owner_actor: Actor,
    open: i64,
    secret: i64,
    owner: &Account,
    private: &Community,
) {
    assert_eq!(
        find(s, owner_actor, "\"night shifts\"").await,
        vec![(open, None)]
    );
    assert!(find(s, owner_actor, "\"shifts night\"").await.is_empty());
    assert!(
        !find(s, owner_actor, "audit -norovirus")
            .await
            .contains(&(secret, None))
    );
    for raw in [
        "NEAR(audit",
        "audit*",
        "100%",
        "o'brien's audit",
        "\"unclosed audit",
    ] {
        let _ = find(s, owner_actor, raw).await;
    }

    // Filters.
    let filters = SearchFilters {
        kind: Some(ThreadKind::Question),
        answered: Some(false),
        author: Some(owner.id),
        ..Default::default()
    };
    let hits = s
        .search(thread_filter(&owner_actor), &q("audit"), &filters, 50, 0)
        .await
        .unwrap();
    assert_eq!(
        hits.iter().map(|h| h.thread_id).collect::<Vec<_>>(),
        vec![open]
    );
    assert!(
        hits[0].snippet.contains('\u{1}'),
        "matches are marked: {:?}",
        hits[0].snippet
    );
    let in_private = SearchFilters {
        community: Some(private.id),
        ..Default::default()
    };
    assert_eq!(
        s.search(thread_filter(&owner_actor), &q("audit"), &in_private, 50, 0)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// Edited text is found as it is now; deleted text is not found.
async fn found_as_it_is_now(
    s: &Store,
    open: i64,
    t: &Thread,
    member: &Account,
    owner_actor: Actor,
    reply: i64,
    secret: i64,
) {
    let r = s.replies(open, None).await.unwrap().remove(0);
    s.edit_reply(t, &r, member.id, "We now use an electronic checklist.")
        .await
        .unwrap();
    assert!(find(s, owner_actor, "observation").await.is_empty());
    assert_eq!(
        find(s, owner_actor, "electronic").await,
        vec![(open, Some(reply))]
    );
    s.delete_reply(t, reply).await.unwrap();
    assert!(find(s, owner_actor, "electronic").await.is_empty());
    s.delete_thread(secret).await.unwrap();
    assert!(find(s, owner_actor, "norovirus").await.is_empty());
}
