//! Building a batch of digests: read what the period brings once, then make each person's
//! digest from it.

use copse_core::Result;
use copse_core::domain::email::DigestPeriod;
use copse_store::Recipient;

use super::gather::{communities, for_you, index, period_data};
use super::model::Digest;
use super::sections::for_community;
use crate::app::App;

/// The digests of a batch of people for a period, built with a fixed number of queries.
pub async fn build(
    state: &App,
    period: &DigestPeriod,
    recipients: Vec<Recipient>,
) -> Result<Vec<Digest>> {
    let (Some(lo), Some(hi)) = (
        recipients.first().map(|r| r.id),
        recipients.last().map(|r| r.id),
    ) else {
        return Ok(Vec::new());
    };
    let facts = state.store.recipient_facts(lo, hi).await?;
    let data = period_data(state, period, (lo, hi)).await?;
    let communities = communities(state, (lo, hi)).await?;
    let by_person = index(&facts);
    let mut for_you = for_you(state, period, (lo, hi)).await?;
    let mut out = Vec::with_capacity(recipients.len());
    for r in recipients {
        let mut parts = Vec::new();
        if let Some(mine) = by_person.get(&r.id) {
            for (c, events) in communities.values() {
                let Some(role) = mine.roles.get(&c.id) else {
                    continue;
                };
                let part = for_community(state, &r, mine, *role, c, events, &data)?;
                if part.items() > 0 {
                    parts.push(part);
                }
            }
        }
        out.push(Digest {
            for_you: for_you.remove(&r.id).unwrap_or_default(),
            communities: parts,
            recipient: r,
        });
    }
    Ok(out)
}
