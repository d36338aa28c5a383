//! The people of a list archive: a sender's address names an account when one has it;
//! otherwise the import makes an unclaimed profile for them (see [`crate::unclaimed`]) with
//! their name and address.

use std::collections::HashMap;

use copse_core::Result;
use copse_core::domain::{AccountId, Email, NewAccount, Profile, parse_display_name};
use copse_store::Write;

use crate::app::App;
use crate::unclaimed::{Handles, unclaimed_account};

/// Who wrote a message that names no readable sender.
const UNKNOWN: (&str, &str) = ("Unknown sender", "unknown-sender@unknown.invalid");

#[derive(Default)]
pub struct People {
    by_address: HashMap<String, AccountId>,
    handles: Handles,
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
        let handle = self.handles.free(state, local).await?;
        let display_name = name
            .and_then(|n| parse_display_name(n).ok())
            .unwrap_or_else(|| handle.as_str().to_string());
        let profile = Profile {
            display_name,
            ..Profile::default()
        };
        Ok(unclaimed_account(handle, email, profile))
    }
}
