//! Signing up, signing in (throttled), passwords, profiles and API tokens.

use std::net::IpAddr;

use copse_core::domain::token::token_expiry;
use copse_core::domain::{
    Account, Email, Handle, NewAccount, Password, Profile, ProfileInput, parse_display_name,
};
use copse_core::domain::{ApiTokenInfo, Scopes};
use copse_core::{Error, Result};
use copse_store::NewApiToken;

use crate::app::App;
use crate::{passwords, secrets};

#[derive(Debug, Clone, Default)]
pub struct SignupInput {
    pub handle: String,
    pub email: String,
    pub password: String,
    pub display_name: String,
}

/// Signs up a new account. New accounts per client address are throttled, so a stranger cannot
/// fill the database with accounts.
pub async fn sign_up(state: &App, input: SignupInput, client: Option<IpAddr>) -> Result<Account> {
    if !state.config.password_sign_in {
        return Err(Error::forbidden(
            "This site signs people in with single sign-on: use the sign-in page's buttons.",
        ));
    }
    if !state.config.allow_signup {
        return Err(Error::forbidden(
            "Sign-up is closed on this site; ask an administrator for an account.",
        ));
    }
    let key = client.map(|ip| format!("signup:ip:{ip}"));
    let rule = state.config.throttle_signup;
    if let Some(key) = &key
        && let Some(wait) = state.store.throttled_for(key, rule).await?
    {
        return Err(Error::too_many(
            "Too many new accounts from your address; try again in an hour.",
            Some(wait),
        ));
    }
    let new = new_account(input, false, false).await?;
    let mut w = state.store.write().await?;
    let created = async {
        let id = w.create_account(&new).await?;
        crate::verification::queue_link(&mut w, id, new.email.as_str()).await?;
        Ok(id)
    }
    .await;
    let id = w.finish(created).await?;
    let account = state.store.account(id).await?.ok_or(Error::NotFound)?;
    if let Some(key) = &key {
        state.store.record_hit(key, rule).await?;
    }
    Ok(account)
}

/// Creates an account without the sign-up switch (used by `copse admin create-user` and the
/// demo): the admin who types the address vouches for it, so it counts as verified.
pub async fn create_account(state: &App, input: SignupInput, is_admin: bool) -> Result<Account> {
    let new = new_account(input, is_admin, true).await?;
    state.store.create_account(&new).await
}

/// A sign-up's input checked and its password hashed.
pub(crate) async fn new_account(
    input: SignupInput,
    is_admin: bool,
    email_verified: bool,
) -> Result<NewAccount> {
    let handle = Handle::parse(&input.handle)?;
    let email = Email::parse(&input.email)?;
    let password = Password::parse(&input.password)?;
    let display_name = if input.display_name.trim().is_empty() {
        handle.as_str().to_string()
    } else {
        parse_display_name(&input.display_name)?
    };
    let password_hash = passwords::hash(password.expose().to_string()).await?;
    Ok(NewAccount {
        handle,
        email,
        password_hash,
        profile: Profile {
            display_name,
            ..Profile::default()
        },
        is_admin,
        email_verified,
    })
}

fn throttle_message(wait_ms: i64) -> Error {
    let minutes = (wait_ms + 59_999) / 60_000;
    Error::too_many(
        format!("Too many failed sign-in attempts. Try again in {minutes} minute(s)."),
        Some(wait_ms),
    )
}

/// Checks e-mail and password. Failures are counted per e-mail address and per client address
/// in the database (so every node sees them), and the answer is the same whether or not the
/// account exists — including the time it takes, thanks to a decoy hash.
pub async fn sign_in(
    state: &App,
    email: &str,
    password: &str,
    client: Option<IpAddr>,
) -> Result<Account> {
    if !state.config.password_sign_in {
        return Err(Error::forbidden(
            "This site signs people in with single sign-on only: use the buttons above.",
        ));
    }
    let store = &state.store;
    let email = email.trim().to_lowercase();
    if email.len() > 254 || password.len() > Password::MAX * 4 {
        return Err(Error::InvalidCredentials);
    }
    let account_key = format!("signin:email:{email}");
    let ip_key = client.map(|ip| format!("signin:ip:{ip}"));
    let cfg = &state.config;
    if let Some(wait) = store
        .throttled_for(&account_key, cfg.throttle_account)
        .await?
    {
        return Err(throttle_message(wait));
    }
    if let Some(key) = &ip_key
        && let Some(wait) = store.throttled_for(key, cfg.throttle_ip).await?
    {
        return Err(throttle_message(wait));
    }
    let found = store.credentials(&email).await?;
    let stored_hash = match &found {
        Some((_, hash)) => hash.clone(),
        None => passwords::decoy_hash().await,
    };
    let matches = passwords::verify(password.to_string(), stored_hash).await?;
    let found = match found {
        Some((account, hash)) if matches && suspension_ended(state, &account) => {
            // The worker restores it on its next round; signing in need not wait for that.
            crate::user_admin::end_ended_suspensions(state).await?;
            let account = store.account(account.id).await?.ok_or(Error::NotFound)?;
            Some((account, hash))
        }
        other => other,
    };
    match found {
        Some((account, _)) if matches && !account.is_suspended() => {
            store.clear_hits(&account_key).await?;
            Ok(account)
        }
        _ => {
            store.record_hit(&account_key, cfg.throttle_account).await?;
            if let Some(key) = &ip_key {
                store.record_hit(key, cfg.throttle_ip).await?;
            }
            Err(Error::InvalidCredentials)
        }
    }
}

fn suspension_ended(state: &App, account: &Account) -> bool {
    account
        .suspension
        .as_ref()
        .is_some_and(|s| s.has_ended(state.now()))
}

/// Changes the password after checking the current one; every session of the account ends.
pub async fn change_password(
    state: &App,
    account: &Account,
    current: &str,
    new: &str,
) -> Result<()> {
    let stored = state.store.password_hash(account.id).await?;
    if !passwords::verify(current.to_string(), stored).await? {
        return Err(Error::invalid(
            "current_password",
            "is not your current password",
        ));
    }
    let new = Password::parse(new).map_err(|e| match e {
        Error::Invalid { message, .. } => Error::invalid("new_password", message),
        other => other,
    })?;
    let hash = passwords::hash(new.expose().to_string()).await?;
    state.store.set_password(account.id, &hash).await
}

pub async fn update_profile(
    state: &App,
    account: &Account,
    input: ProfileInput,
) -> Result<Account> {
    let profile = account.profile.apply(input)?;
    state.store.update_profile(account.id, &profile).await
}

/// What a new API token is to be: its name, its scopes (all the account may hold when none
/// are given) and how many days it lasts (until revoked when none).
#[derive(Debug, Clone, Default)]
pub struct TokenInput {
    pub name: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub expires_in_days: Option<i64>,
}

/// Issues an API token. The secret is returned once and never stored.
pub async fn create_api_token(
    state: &App,
    account: &Account,
    input: &TokenInput,
) -> Result<(ApiTokenInfo, String)> {
    let scopes = match &input.scopes {
        Some(words) => Scopes::requested(words, account.is_admin)?,
        None => Scopes::all_for(account.is_admin),
    };
    let expires_at = token_expiry(state.now(), input.expires_in_days)?;
    let name = input.name.as_deref();
    let name = match name {
        Some(n) if !n.trim().is_empty() => {
            copse_core::domain::text::single_line("name", n, 1, 100)?
        }
        _ => "API token".to_string(),
    };
    let existing = state.store.api_tokens(account.id).await?;
    if existing.len() >= 50 {
        return Err(Error::conflict(
            "You have 50 tokens; revoke one before creating another.",
        ));
    }
    let secret = secrets::new_secret("cpt");
    let hash = secrets::hash_secret(&secret);
    let new = NewApiToken {
        name: &name,
        token_hash: &hash,
        scopes,
        expires_at,
    };
    let info = state.store.create_api_token(account.id, &new).await?;
    Ok((info, secret))
}

/// Another person's profile, as the policy lets the actor see it.
pub async fn profile_of(
    state: &App,
    actor: &copse_core::policy::Actor,
    handle: &str,
) -> Result<Account> {
    if !copse_core::policy::may_view_profiles(actor) {
        return Err(Error::Unauthenticated);
    }
    let mut account = state
        .store
        .account_by_handle(handle)
        .await?
        .ok_or(Error::NotFound)?;
    if account.deleted || (account.is_suspended() && actor.account_id() != Some(account.id)) {
        return Err(Error::NotFound);
    }
    // A flagged profile's own words wait for a site admin; its owner still sees them.
    if account.profile_hidden.is_some()
        && !copse_core::policy::reads_hidden_profile(actor, account.id)
    {
        let p = &mut account.profile;
        (p.bio, p.organisation, p.department) = (None, None, None);
        p.expertise.clear();
    }
    Ok(account)
}

/// The communities named on someone's profile: only those where the actor may see members, with
/// the person's role there.
pub async fn communities_shown(
    state: &App,
    actor: &copse_core::policy::Actor,
    account: copse_core::domain::AccountId,
) -> Result<Vec<(String, String, copse_core::domain::Role)>> {
    let mut shown = Vec::new();
    for (slug, name, role) in state.store.memberships_of(account).await? {
        let seen = crate::access::gate(
            state,
            actor,
            &slug,
            copse_core::policy::CommunityAction::SeeMembers,
        )
        .await;
        match seen {
            Ok(_) => shown.push((slug, name, role)),
            Err(e @ Error::Internal(_)) => return Err(e),
            Err(_) => {}
        }
    }
    Ok(shown)
}

/// The communities the account belongs to or follows, by name, with its role in each.
pub async fn my_communities(
    state: &App,
    account: &Account,
) -> Result<Vec<(String, String, copse_core::domain::Role)>> {
    state.store.memberships_of(account.id).await
}
