//! Who gets which newsletter: the communities a person is in or follows, each subscribed or not.

use copse_core::Result;
use copse_core::domain::AccountId;
use copse_core::domain::CommunityId;

use crate::app::App;

/// One community's newsletter as a person gets it.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub community: CommunityId,
    pub slug: String,
    pub name: String,
    pub subscribed: bool,
}

/// The newsletters of the communities this person is in or follows.
pub async fn subscriptions(state: &App, account: AccountId) -> Result<Vec<Subscription>> {
    Ok(state
        .store
        .newsletter_choices(account)
        .await?
        .into_iter()
        .map(|(community, slug, name, subscribed)| Subscription {
            community,
            slug,
            name,
            subscribed,
        })
        .collect())
}
