//! The demo's practice: topics and threads in each community, written as their members would
//! write them, with replies, accepted answers, helpful marks and library items. Each thread's
//! replies come from the people of its community, so the ledger of who helped whom is
//! believable.

use copse_core::clock::FixedClock;
use copse_core::domain::AccountId;
use copse_core::domain::CommunityId;
use copse_core::domain::{NewThread, Space, ThreadKind};
use copse_store::Store;

const HOUR: i64 = 3600 * 1000;

/// (kind, title, body) of a shorter thread.
pub type Short = (ThreadKind, &'static str, &'static str);

/// (author, kind, members only, topics, title, body, replies as (author, text), accepted reply
/// index, canonical)
pub type ThreadSeed = (
    &'static str,
    ThreadKind,
    bool,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    Option<usize>,
    bool,
);

/// Seeds topics and threads into a community, walking the clock forward between posts.
pub async fn seed(
    store: &Store,
    clock: &FixedClock,
    community: CommunityId,
    topics: &[(&str, &str, &str)],
    threads: &[ThreadSeed],
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<usize> {
    for (slug, name, description) in topics {
        store
            .create_topic(community, slug, name, Some(description))
            .await?;
    }
    let mut count = 0;
    for (author, kind, members_only, topics, title, body, replies, accepted, canonical) in threads {
        clock.advance(37 * HOUR);
        let thread_id = store
            .create_thread(
                community,
                id(author),
                &NewThread {
                    circle_id: None,
                    kind: *kind,
                    space: if *members_only {
                        Space::Members
                    } else {
                        Space::Public
                    },
                    title: title.to_string(),
                    body: body.to_string(),
                    link: None,
                    topics: topics.iter().map(|t| t.to_string()).collect(),
                },
            )
            .await?;
        let thread = store.thread(thread_id).await?.expect("just created");
        let mut reply_ids = Vec::new();
        for (who, text) in replies.iter() {
            clock.advance(5 * HOUR);
            reply_ids.push(store.create_reply(&thread, id(who), text, None).await?);
        }
        if let Some(i) = accepted {
            store.accept(&thread, Some(reply_ids[*i])).await?;
        }
        // The asker and the other repliers find the first answer helpful.
        if let Some(first) = reply_ids.first() {
            let first_author = replies[0].0;
            for (who, _) in replies
                .iter()
                .skip(1)
                .chain(std::iter::once(&(*author, "")))
            {
                if *who != first_author {
                    store.set_helpful(&thread, *first, id(who), true).await?;
                }
            }
        }
        if *canonical {
            store.set_canonical(thread_id, true).await?;
        }
        count += 1;
    }
    Ok(count)
}

/// Seeds the shorter everyday threads: questions get a few replies from the pool, and about half
/// of them an accepted answer; every third reply is marked helpful by the asker.
pub async fn seed_more(
    store: &Store,
    clock: &FixedClock,
    community: CommunityId,
    authors: &[&str],
    seeds: &[Short],
    pool: &[(&str, &str)],
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<usize> {
    for (n, (kind, title, body)) in seeds.iter().enumerate() {
        clock.advance(11 * HOUR);
        let author = authors[n % authors.len()];
        let thread_id = store
            .create_thread(
                community,
                id(author),
                &NewThread {
                    circle_id: None,
                    kind: *kind,
                    space: Space::Public,
                    title: title.to_string(),
                    body: body.to_string(),
                    link: None,
                    topics: Vec::new(),
                },
            )
            .await?;
        let thread = store.thread(thread_id).await?.expect("just created");
        let mut replies = Vec::new();
        for k in 0..(1 + n % 3) {
            let (who, text) = pool[(n * 5 + k * 7) % pool.len()];
            if who == author {
                continue;
            }
            clock.advance(3 * HOUR);
            replies.push((who, store.create_reply(&thread, id(who), text, None).await?));
        }
        if let Some((who, first)) = replies.first() {
            if matches!(kind, ThreadKind::Question) && n % 2 == 0 {
                store.accept(&thread, Some(*first)).await?;
            }
            if n % 3 == 0 && *who != author {
                store.set_helpful(&thread, *first, id(author), true).await?;
            }
        }
    }
    Ok(seeds.len())
}
