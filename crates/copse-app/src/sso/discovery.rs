//! The providers' discovery documents, with their signing keys, kept for a while: pressing
//! "Sign in with …" must not make the site fetch from the provider each time (anyone can press
//! it, as often as they like). One fetch per provider runs at a time and the others wait for
//! its answer; a failed fetch is remembered briefly, so a provider that is down is not asked
//! again by every press; keys a provider has rotated are fetched again when a token names one
//! the kept document lacks (at most once a minute).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use openidconnect::IssuerUrl;
use openidconnect::core::CoreProviderMetadata;
use tokio::sync::Mutex;

use super::http::ProviderClient;

/// A document, or why there is none (a sentence for the person who pressed the button).
pub type Fetched = Result<CoreProviderMetadata, String>;

/// The provider a document is for: its id (a slot) and its configured issuer.
#[derive(Clone, Copy)]
pub struct Issuer<'a> {
    pub id: &'a str,
    pub url: &'a str,
}

/// A document is used this long before it is fetched again.
const FRESH_FOR: Duration = Duration::from_secs(15 * 60);
/// After a failed fetch, the same failure is answered this long without asking again.
const FAILURE_KEPT_FOR: Duration = Duration::from_secs(30);
/// A document at least this old may be fetched again for a key it lacks.
const REFRESH_AFTER: Duration = Duration::from_secs(60);

enum Kept {
    Document(Box<CoreProviderMetadata>),
    Failure(String),
}

struct Entry {
    kept: Kept,
    at: Instant,
}

/// The kept documents, one slot per configured provider.
pub struct Discovery {
    slots: HashMap<String, Mutex<Option<Entry>>>,
}

impl Discovery {
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Discovery {
        Discovery {
            slots: ids
                .into_iter()
                .map(|id| (id.to_string(), Mutex::new(None)))
                .collect(),
        }
    }

    /// The provider's document: the kept one while fresh, else fetched (the issuer it names
    /// must be the configured one).
    pub async fn metadata(&self, p: Issuer<'_>, http: &ProviderClient) -> Fetched {
        self.get(p, http, |entry| match entry.kept {
            Kept::Document(_) => entry.at.elapsed() < FRESH_FOR,
            Kept::Failure(_) => entry.at.elapsed() < FAILURE_KEPT_FOR,
        })
        .await
    }

    /// The provider's document fetched again if the kept one is older than a minute (a token
    /// is signed with a key it does not list); otherwise the kept one.
    pub async fn refreshed(&self, p: Issuer<'_>, http: &ProviderClient) -> Fetched {
        self.get(p, http, |entry| entry.at.elapsed() < REFRESH_AFTER)
            .await
    }

    async fn get(
        &self,
        p: Issuer<'_>,
        http: &ProviderClient,
        keep: impl Fn(&Entry) -> bool,
    ) -> Fetched {
        let slot = self
            .slots
            .get(p.id)
            .ok_or_else(|| "this provider is not configured".to_string())?;
        // Held across the fetch: whoever comes meanwhile waits for this answer.
        let mut slot = slot.lock().await;
        if let Some(entry) = slot.as_ref().filter(|e| keep(e)) {
            return answer(&entry.kept);
        }
        let kept = match fetch(p, http).await {
            Ok(document) => Kept::Document(Box::new(document)),
            Err(why) => Kept::Failure(why),
        };
        let result = answer(&kept);
        *slot = Some(Entry {
            kept,
            at: Instant::now(),
        });
        result
    }
}

fn answer(kept: &Kept) -> Fetched {
    match kept {
        Kept::Document(document) => Ok(document.as_ref().clone()),
        Kept::Failure(why) => Err(why.clone()),
    }
}

async fn fetch(p: Issuer<'_>, http: &ProviderClient) -> Fetched {
    let issuer = IssuerUrl::new(p.url.to_string()).map_err(|e| e.to_string())?;
    CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| format!("the provider's discovery failed ({e})"))
}
