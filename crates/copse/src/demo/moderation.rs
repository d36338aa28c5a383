//! A little moderation in the nurses' community, so its coordinator finds the tools in use: the
//! ground rules pinned, and a reply that reads like an advert flagged by two members, waiting in
//! the review queue.

use copse_core::domain::{
    AccountId, Community, FlagReason, ModAction, NewFlag, NewLogEntry, Target, ThreadQuery,
};
use copse_core::policy::ThreadFilter;
use copse_store::{FlagRow, Store, ThreadSwitch};

pub async fn seed(
    store: &Store,
    ipc: &Community,
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<()> {
    let page = store
        .list_threads(ipc.id, ThreadFilter::All, &ThreadQuery::default(), 50, None)
        .await?;
    let Some(oldest) = page.items.iter().rfind(|t| t.circle_id.is_none()) else {
        return Ok(());
    };
    let Some(newest) = page.items.iter().find(|t| t.circle_id.is_none()) else {
        return Ok(());
    };
    let mut w = store.write().await?;
    w.switch_thread(oldest.id, ThreadSwitch::Pinned, true)
        .await?;
    w.log_moderation(&NewLogEntry {
        community: Some(ipc.id),
        moderator: Some(id("maya")),
        action: ModAction::Pin,
        target: Target::Thread,
        target_id: oldest.id,
        subject: Some(oldest.author.id),
        summary: oldest.title.clone(),
        reason: Some("A good first read for newcomers.".into()),
    })
    .await?;
    let advert = w
        .create_reply(
            newest,
            id("jonas"),
            "Our supplier does a great deal on gel dispensers — message me for a discount code.",
            None,
        )
        .await?;
    for (flagger, note) in [
        ("grace", "Reads like an advert."),
        ("priya", "A sales pitch, not practice."),
    ] {
        let flag = NewFlag {
            reason: FlagReason::Spam,
            note: Some(note.into()),
        };
        w.add_flag(&FlagRow {
            community: Some(ipc.id),
            target: Target::Reply,
            target_id: advert,
            thread: Some(newest.id),
            author: id("jonas"),
            flagger: id(flagger),
            established: true,
            flag: &flag,
        })
        .await?;
    }
    w.commit().await?;
    Ok(())
}
