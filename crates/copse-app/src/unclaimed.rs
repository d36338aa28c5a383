//! Unclaimed profiles: people an import brings in who have no account here — a mailing list's
//! senders, the people of a community's archive. Each gets their name and (when it is known) an
//! address, unverified, and no password. Its owner claims it by asking for a new password at
//! that address ("Forgot your password?"): following that link proves the address and sets the
//! password. Until then no mail goes to it (copse mails verified addresses only) and nobody can
//! sign in as it.

use std::collections::HashSet;

use copse_core::domain::{Email, Handle, NewAccount, Profile};
use copse_core::{Error, Result};

use crate::app::App;

/// A stored password no password matches: an unclaimed profile cannot be signed in to.
pub const UNCLAIMED: &str = "!unclaimed";

/// An unclaimed profile's account, to be created.
pub fn unclaimed_account(handle: Handle, email: Email, profile: Profile) -> NewAccount {
    NewAccount {
        handle,
        email,
        password_hash: UNCLAIMED.to_string(),
        profile,
        is_admin: false,
        email_verified: false,
    }
}

/// Handles handed out during one import, so that two people never get the same one before
/// the import's transaction makes them visible.
#[derive(Default)]
pub struct Handles {
    made: HashSet<String>,
}

impl Handles {
    /// A handle from `wanted` that nobody has: `ana_silva`, `ana_silva_2`, …
    pub async fn free(&mut self, state: &App, wanted: &str) -> Result<Handle> {
        let mut base: String = wanted
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(26)
            .collect();
        if base.trim_matches('_').is_empty() {
            base = "member".to_string();
        }
        if base.len() < 2 {
            base.push('_');
        }
        for n in 1..10_000 {
            let candidate = if n == 1 {
                base.clone()
            } else {
                format!("{base}_{n}")
            };
            let handle = Handle::parse(&candidate)?;
            if !self.made.contains(handle.as_str())
                && state
                    .store
                    .account_by_handle(handle.as_str())
                    .await?
                    .is_none()
            {
                self.made.insert(handle.as_str().to_string());
                return Ok(handle);
            }
        }
        Err(Error::conflict("no free handle for an imported person"))
    }
}
