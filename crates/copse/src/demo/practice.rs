//! The demo's practice: topics and threads in each community, written as their members would
//! write them, with replies, accepted answers, helpful marks and library items. Each thread's
//! replies come from the people of its community, so the ledger of who helped whom is
//! believable.

use copse_core::clock::{Clock, FixedClock, Millis};
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

/// One community's everyday threads: who writes them, the threads, and the replies they draw on.
pub struct Everyday<'a> {
    pub community: CommunityId,
    pub authors: &'a [&'a str],
    pub seeds: &'a [Short],
    pub pool: &'a [(&'a str, &'a str)],
}

/// Seeds the shorter everyday threads of all communities, interleaved and spread evenly from
/// the clock's time to `until`, so that every community has threads up to its last days
/// whenever the demo is made. Each reply of a pool is used once, spread over the threads (the
/// others wait for an answer, as some do in a real community); about half the answered
/// questions have their answer accepted and every third is marked helpful by the asker.
pub async fn seed_everyday(
    store: &Store,
    clock: &FixedClock,
    communities: &[Everyday<'_>],
    until: Millis,
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<usize> {
    let order = interleaved(communities);
    let start = clock.now();
    let total = i64::try_from(order.len()).unwrap_or(1).max(1);
    for (k, &(c, n)) in order.iter().enumerate() {
        let k = i64::try_from(k).unwrap_or(0) + 1;
        clock.set(start + (until - start) * k / total);
        everyday_thread(store, clock, &communities[c], n, id).await?;
    }
    Ok(order.len())
}

/// (community, thread) pairs in the order they are written: by how far through its own list
/// each thread is, so that the communities take turns.
fn interleaved(communities: &[Everyday<'_>]) -> Vec<(usize, usize)> {
    let mut order: Vec<(usize, usize)> = communities
        .iter()
        .enumerate()
        .flat_map(|(c, e)| (0..e.seeds.len()).map(move |n| (c, n)))
        .collect();
    let through = |&(c, n): &(usize, usize)| (n * 1000 + c) / communities[c].seeds.len().max(1);
    order.sort_by_key(through);
    order
}

async fn everyday_thread(
    store: &Store,
    clock: &FixedClock,
    everyday: &Everyday<'_>,
    n: usize,
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<()> {
    let (kind, title, body) = everyday.seeds[n];
    let author = everyday.authors[n % everyday.authors.len()];
    let thread_id = store
        .create_thread(
            everyday.community,
            id(author),
            &NewThread {
                circle_id: None,
                kind,
                space: Space::Public,
                title: title.to_string(),
                body: body.to_string(),
                link: None,
                topics: Vec::new(),
            },
        )
        .await?;
    let thread = store.thread(thread_id).await?.expect("just created");
    // The pool's replies, each once: thread n gets those from n·P/L up to (n+1)·P/L.
    let (pool, len) = (everyday.pool, everyday.seeds.len());
    let mut replies = Vec::new();
    for &(who, text) in &pool[n * pool.len() / len..(n + 1) * pool.len() / len] {
        if who == author {
            continue;
        }
        clock.advance(3 * HOUR);
        replies.push((who, store.create_reply(&thread, id(who), text, None).await?));
    }
    if let Some((who, first)) = replies.first() {
        if matches!(kind, ThreadKind::Question) && n.is_multiple_of(2) {
            store.accept(&thread, Some(*first)).await?;
        }
        if n.is_multiple_of(3) && *who != author {
            store.set_helpful(&thread, *first, id(author), true).await?;
        }
    }
    Ok(())
}
