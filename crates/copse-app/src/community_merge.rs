//! Merging one community into another: when two communities find they share a domain. A site
//! admin, or a coordinator of both, merges B into A; everything of B becomes A's in one
//! transaction, B's people are told, and every old address of B leads to A.

use copse_core::domain::{Community, NotificationKind, Role};
use copse_core::policy::{Actor, CommunityAction};
use copse_core::{Error, Result};
use copse_store::{MergeReport, NewNotification};

use crate::access::{Gated, gate};
use crate::app::App;

/// Merges the community `from` into `into`; answers `into` as it is now and what moved.
pub async fn merge(
    state: &App,
    actor: &Actor,
    from: &str,
    into: &str,
) -> Result<(Community, MergeReport)> {
    let into = into.trim();
    if into.is_empty() {
        return Err(Error::invalid("into", "choose the community to merge into"));
    }
    // The community merged into first: when it is archived, whoever asks is told so.
    let target = gate(state, actor, into, CommunityAction::Merge).await?;
    let source = gate(state, actor, from, CommunityAction::Merge).await?;
    if source.community.id == target.community.id {
        return Err(Error::invalid(
            "into",
            "choose another community than this one",
        ));
    }
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let (b, a) = (&source.community, &target.community);
    let mut w = state.store.write().await?;
    let merged = async {
        let told: Vec<NewNotification> = w
            .people_in(b.id)
            .await?
            .into_iter()
            .filter(|person| *person != by)
            .map(|person| NewNotification::community(person, a.id, NotificationKind::Merged, by))
            .collect();
        let report = w.merge_community(b, a, by).await?;
        w.notify(&told).await?;
        Ok(report)
    }
    .await;
    let report = w.finish(merged).await?;
    // Levels follow the merged ledger; should this fail, the daily recomputation catches up.
    if let Err(e) = crate::participation::recompute(state, a.id).await {
        tracing::warn!(community = %a.slug, error = %e, "levels after a merge");
    }
    let community = state
        .store
        .community_by_id(a.id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok((community, report))
}

/// The communities the actor may merge `gated` into: those they coordinate (all of them for a
/// site admin), by name, without archived ones and without this one.
pub async fn targets(state: &App, actor: &Actor, gated: &Gated) -> Result<Vec<(String, String)>> {
    let Some(account) = actor.account_id() else {
        return Ok(Vec::new());
    };
    let admin = matches!(actor, Actor::Account { is_admin: true, .. });
    let candidates: Vec<(String, String)> = if admin {
        state.store.community_names().await?
    } else {
        state
            .store
            .memberships_of(account)
            .await?
            .into_iter()
            .filter(|(_, _, role)| *role == Role::Coordinator)
            .map(|(slug, name, _)| (slug, name))
            .collect()
    };
    let mut open = Vec::new();
    for (slug, name) in candidates {
        if slug == gated.community.slug.as_str() {
            continue;
        }
        // A site admin's list holds open communities only; a coordinator's asks the policy.
        if admin
            || gate(state, actor, &slug, CommunityAction::Merge)
                .await
                .is_ok()
        {
            open.push((slug, name));
        }
    }
    Ok(open)
}

/// Where an address of a merged community now leads, for those who may know the community
/// that took it in: its address and how far the newsletter issues were renumbered. `None`
/// for everyone else, who get the "not found" they would have had.
pub async fn moved_to(state: &App, actor: &Actor, old_slug: &str) -> Result<Option<(String, i64)>> {
    let Some((community, offset)) = state.store.community_redirect(old_slug).await? else {
        return Ok(None);
    };
    let slug = community.slug.as_str().to_owned();
    match gate(state, actor, &slug, CommunityAction::SeeListing).await {
        Ok(_) => Ok(Some((slug, offset))),
        Err(_) => Ok(None),
    }
}
