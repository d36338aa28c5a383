//! The people of an archive: a sender's address names an account when one has it; otherwise the
//! import makes an unclaimed profile for them — their name and address, no password, the address
//! unverified. Its owner claims it by asking for a new password at that address ("Forgot your
//! password?"): following that link proves the address and sets the password. Until then no
//! mail goes to it (copse mails verified addresses only) and nobody can sign in as it.

use std::collections::{HashMap, HashSet};

use copse_core::domain::{AccountId, Email, Handle, NewAccount, Profile, parse_display_name};
use copse_core::{Error, Result};
use copse_store::Write;

use crate::app::App;

/// A stored password no password matches: an unclaimed profile cannot be signed in to.
const UNCLAIMED: &str = "!unclaimed";
/// Who wrote a message that names no readable sender.
const UNKNOWN: (&str, &str) = ("Unknown sender", "unknown-sender@unknown.invalid");

#[derive(Default)]
pub struct People {
    by_address: HashMap<String, AccountId>,
    handles_made: HashSet<String>,
    pub matched: usize,
    pub created: usize,
}

impl People {
    /// The account for a sender, made when nobody has the address.
    pub async fn account(
        &mut self,
        state: &App,
        w: &mut Write,
        from: Option<&(Option<String>, String)>,
    ) -> Result<AccountId> {
        let (name, address) = match from.and_then(|(n, a)| Some((n.clone(), Email::parse(a).ok()?)))
        {
            Some(sender) => sender,
            None => (Some(UNKNOWN.0.to_string()), Email::parse(UNKNOWN.1)?),
        };
        if let Some(id) = self.by_address.get(address.as_str()) {
            return Ok(*id);
        }
        let id = match state.store.account_by_email(address.as_str()).await? {
            Some(account) => {
                self.matched += 1;
                account.id
            }
            None => {
                let new = self
                    .unclaimed(state, name.as_deref(), address.clone())
                    .await?;
                self.created += 1;
                w.create_account(&new).await?
            }
        };
        self.by_address.insert(address.as_str().to_string(), id);
        Ok(id)
    }

    async fn unclaimed(
        &mut self,
        state: &App,
        name: Option<&str>,
        email: Email,
    ) -> Result<NewAccount> {
        let local = email.as_str().split('@').next().unwrap_or_default();
        let handle = self.free_handle(state, local).await?;
        let display_name = name
            .and_then(|n| parse_display_name(n).ok())
            .unwrap_or_else(|| handle.as_str().to_string());
        Ok(NewAccount {
            handle,
            email,
            password_hash: UNCLAIMED.to_string(),
            profile: Profile {
                display_name,
                ..Profile::default()
            },
            is_admin: false,
            email_verified: false,
        })
    }

    /// A handle from the address's local part that nobody has: `ana_silva`, `ana_silva_2`, …
    async fn free_handle(&mut self, state: &App, local: &str) -> Result<Handle> {
        let mut base: String = local
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
            if !self.handles_made.contains(handle.as_str())
                && state
                    .store
                    .account_by_handle(handle.as_str())
                    .await?
                    .is_none()
            {
                self.handles_made.insert(handle.as_str().to_string());
                return Ok(handle);
            }
        }
        Err(Error::conflict("no free handle for an archive's sender"))
    }
}
