//! The demo's newsletters: in each community, last month's issue — drafted by copse, with a word
//! from the coordinator — in the archive, and this month's draft waiting for the coordinator.
//! (Sent without e-mail: the demo has no mail server, so no copies are recorded.)

use std::sync::Arc;

use copse_app::newsletters;
use copse_app::{App, AppConfig};
use copse_core::clock::FixedClock;
use copse_core::domain::AccountId;
use copse_core::domain::checkin::Cadence;
use copse_core::domain::newsletter::NewsletterSettings;
use copse_core::domain::newsletter::first_draft_after;
use copse_core::policy::Actor;
use copse_store::Store;

const WORD: &str = "Thank you for another month of sharing what works. If something here \
helped you, tell the community what you did with it: a value story takes five minutes.";

/// Seeds each community (slug, coordinator); returns the issues made.
pub async fn seed(
    url: &str,
    communities: &[(String, AccountId)],
    now: i64,
    files: &copse_files::FileStore,
) -> anyhow::Result<usize> {
    // The first of this month, 07:00 UTC: when last month's issue was drafted and sent.
    let sent_at = Cadence::Monthly.previous(first_draft_after(now));
    let mut issues = 0;
    for (at, send) in [(sent_at, true), (now, false)] {
        let store = Store::connect(url, Arc::new(FixedClock::at(at))).await?;
        let state = App::new(store.clone(), files.clone(), AppConfig::default());
        for (slug, coordinator) in communities {
            let actor = Actor::Account {
                id: *coordinator,
                is_admin: false,
                must_verify: false,
            };
            let issue = newsletters::draft_now(&state, &actor, slug).await?;
            if send {
                let body = issue
                    .body
                    .replace("<!-- Write a few lines to the community here. -->", WORD);
                newsletters::update(&state, &actor, slug, issue.number, &issue.subject, &body)
                    .await?;
                store.start_newsletter(issue.id).await?;
                store.finish_newsletter(issue.id).await?;
                store
                    .set_newsletter_settings(
                        issue.community_id,
                        NewsletterSettings {
                            cadence: Cadence::Monthly,
                            next_at: Some(first_draft_after(now)),
                        },
                    )
                    .await?;
            }
            issues += 1;
        }
        store.close().await;
    }
    Ok(issues)
}
