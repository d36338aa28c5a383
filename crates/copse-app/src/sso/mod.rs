//! Single sign-on with OpenID Connect: the authorization code flow with PKCE, `state` and
//! `nonce` checked, the provider's discovery document read and its ID token's signature and
//! claims validated (by the `openidconnect` crate). A person signs in with a provider linked to
//! their account; a provider that may create accounts makes one on a first sign-in with a
//! verified address; linking happens only from an account already signed in — never by matching
//! an e-mail address.

pub(crate) mod discovery;
mod http;

use copse_core::clock::Millis;
use copse_core::domain::{Account, AccountId, Email, Handle, NewAccount, Profile};
use copse_core::{Error, Result};
use copse_store::SsoLogin;
use discovery::Issuer;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreIdTokenClaims, CoreProviderMetadata,
    CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};

use crate::app::App;
use crate::secrets;

/// A sign-in started must come back within this long.
const LOGIN_LIFETIME: Millis = 10 * 60 * 1000;

pub use crate::app::SsoProvider;

/// How a callback ended.
#[derive(Debug, Clone)]
pub enum Finished {
    SignedIn(Account),
    Linked(Account),
}

pub fn providers(app: &App) -> &[SsoProvider] {
    &app.config.sso
}

fn provider<'a>(app: &'a App, id: &str) -> Result<&'a SsoProvider> {
    app.config
        .sso
        .iter()
        .find(|p| p.id == id)
        .ok_or(Error::NotFound)
}

/// Where the provider sends people back to.
pub fn callback_url(app: &App, site: &str, id: &str) -> String {
    let base = app.absolute("");
    let base = if base.is_empty() { site } else { &base };
    format!("{}/auth/sso/{id}/callback", base.trim_end_matches('/'))
}

/// A refused sign-in, saying why as a sentence (403: nobody is signed in).
fn refused(why: impl std::fmt::Display) -> Error {
    let why = why.to_string();
    let mut chars = why.chars();
    let sentence = match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => "The provider refused.".into(),
    };
    Error::forbidden(sentence)
}

type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

fn issuer(p: &SsoProvider) -> Issuer<'_> {
    Issuer {
        id: &p.id,
        url: &p.issuer,
    }
}

/// The client for the provider's discovery document (kept between sign-ins; the issuer it
/// names must be the configured one).
async fn client(
    app: &App,
    p: &SsoProvider,
    redirect: &str,
) -> Result<(http::ProviderClient, Client)> {
    let http = http::ProviderClient::new().map_err(refused)?;
    let metadata = app
        .sso_discovery
        .metadata(issuer(p), &http)
        .await
        .map_err(refused)?;
    Ok((http, client_for(p, metadata, redirect)?))
}

fn client_for(p: &SsoProvider, metadata: CoreProviderMetadata, redirect: &str) -> Result<Client> {
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(p.client_id.clone()),
        Some(ClientSecret::new(p.client_secret.clone())),
    )
    .set_redirect_uri(RedirectUrl::new(redirect.to_string()).map_err(refused)?))
}

/// Starts a sign-in (or, with `link`, the linking of the provider to that account): returns
/// the provider's address to send the browser to.
pub async fn start(app: &App, id: &str, site: &str, link: Option<AccountId>) -> Result<String> {
    let p = provider(app, id)?;
    let (_, client) = client(app, p, &callback_url(app, site, id)).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let login = SsoLogin {
        provider: id.to_string(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        link_account: link,
        expires_at: app.now() + LOGIN_LIFETIME,
    };
    app.store
        .start_sso_login(&secrets::hash_secret(state.secret()), &login)
        .await?;
    Ok(url.to_string())
}

/// What the provider said about the person, once checked.
struct Verified {
    subject: String,
    email: Option<String>,
    email_verified: bool,
    name: Option<String>,
    username: Option<String>,
}

impl Verified {
    fn from_id_token(claims: &CoreIdTokenClaims) -> Verified {
        Verified {
            subject: claims.subject().as_str().to_string(),
            email: claims.email().map(|e| e.as_str().to_lowercase()),
            email_verified: claims.email_verified().unwrap_or(false),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_string()),
            username: claims.preferred_username().map(|u| u.as_str().to_string()),
        }
    }

    /// What the ID token left out, from the provider's user info (for the same subject: the
    /// library checks it).
    fn fill_from(&mut self, info: &CoreUserInfoClaims) {
        if self.email.is_none() {
            self.email = info.email().map(|e| e.as_str().to_lowercase());
            self.email_verified = info.email_verified().unwrap_or(false);
        }
        if self.name.is_none() {
            self.name = info
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_string());
        }
        if self.username.is_none() {
            self.username = info.preferred_username().map(|u| u.as_str().to_string());
        }
    }
}

fn invalid_token(e: impl std::fmt::Display) -> Error {
    refused(format!("the ID token is not valid ({e})"))
}

/// Verifies the ID token again with the provider's document fetched anew (at most once a
/// minute), for keys rotated since it was kept.
async fn reverified(
    app: &App,
    p: &SsoProvider,
    http: &http::ProviderClient,
    redirect: &str,
    id_token: &CoreIdToken,
    nonce: &Nonce,
) -> Result<CoreIdTokenClaims> {
    let metadata = app
        .sso_discovery
        .refreshed(issuer(p), http)
        .await
        .map_err(refused)?;
    let client = client_for(p, metadata, redirect)?;
    id_token
        .claims(&client.id_token_verifier(), nonce)
        .cloned()
        .map_err(invalid_token)
}

/// Finishes a sign-in from the provider's callback: the state must be one this site started
/// (once, within ten minutes, for this provider); the code is exchanged with its PKCE verifier;
/// the ID token's signature, issuer, audience, expiry and nonce are checked.
pub async fn finish(app: &App, id: &str, site: &str, state: &str, code: &str) -> Result<Finished> {
    let p = provider(app, id)?;
    let login = app
        .store
        .take_sso_login(&secrets::hash_secret(state))
        .await?
        .filter(|l| l.provider == id && l.expires_at > app.now())
        .ok_or_else(|| refused("it was not started here, or it was used or it expired"))?;
    let redirect = callback_url(app, site, id);
    let (http, client) = client(app, p, &redirect).await?;
    let exchange = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(refused)?
        .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier.clone()));
    let tokens = exchange
        .request_async(&http)
        .await
        .map_err(|_| refused("the provider did not accept the code (expired or used)"))?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| refused("the provider sent no ID token"))?;
    let nonce = Nonce::new(login.nonce.clone());
    let claims = match id_token.claims(&client.id_token_verifier(), &nonce) {
        Ok(claims) => claims.clone(),
        // The provider may have rotated its keys since its document was kept.
        Err(ClaimsVerificationError::SignatureVerification(_)) => {
            reverified(app, p, &http, &redirect, id_token, &nonce).await?
        }
        Err(e) => return Err(invalid_token(e)),
    };
    let mut verified = Verified::from_id_token(&claims);
    if verified.email.is_none() {
        // Providers that follow the core spec to the letter put the address in user info only.
        let request = client.user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        );
        if let Ok(request) = request {
            match request.request_async(&http).await {
                Ok(info) => verified.fill_from(&info),
                Err(e) => tracing::warn!(provider = id, "user info unreadable: {e}"),
            }
        }
    }
    check_domain(p, &verified)?;
    match login.link_account {
        Some(account) => link(app, p, account, &verified).await.map(Finished::Linked),
        None => sign_in(app, p, &verified).await.map(Finished::SignedIn),
    }
}

fn check_domain(p: &SsoProvider, v: &Verified) -> Result<()> {
    if p.allowed_domains.is_empty() {
        return Ok(());
    }
    let domain = v
        .email
        .as_deref()
        .and_then(|e| e.rsplit_once('@'))
        .map(|(_, d)| d.to_string())
        .unwrap_or_default();
    if v.email_verified
        && p.allowed_domains
            .iter()
            .any(|d| d.eq_ignore_ascii_case(&domain))
    {
        Ok(())
    } else {
        Err(refused(format!(
            "{} signs in only addresses at {}",
            p.label,
            p.allowed_domains.join(", ")
        )))
    }
}

async fn link(app: &App, p: &SsoProvider, account: AccountId, v: &Verified) -> Result<Account> {
    let mut w = app.store.write().await?;
    let linked = w
        .link_identity(&p.id, &v.subject, account, v.email.as_deref())
        .await;
    w.finish(linked).await?;
    app.store.account(account).await?.ok_or(Error::NotFound)
}

async fn sign_in(app: &App, p: &SsoProvider, v: &Verified) -> Result<Account> {
    if let Some(id) = app.store.identity_account(&p.id, &v.subject).await? {
        let account = app.store.account(id).await?.ok_or(Error::NotFound)?;
        if account.is_suspended() || account.deleted {
            return Err(Error::InvalidCredentials);
        }
        return Ok(account);
    }
    if !p.create_accounts {
        return Err(refused(format!(
            "no account here is linked to this {} sign-in: sign in with your password, then link \
             it under Settings → Sign-in",
            p.label
        )));
    }
    let email = match (&v.email, v.email_verified) {
        (Some(e), true) => Email::parse(e)?,
        _ => return Err(refused("the provider did not vouch for an e-mail address")),
    };
    if app.store.account_by_email(email.as_str()).await?.is_some() {
        return Err(refused(format!(
            "an account here has the address {}: sign in with its password, then link {} under \
             Settings → Sign-in",
            email.as_str(),
            p.label
        )));
    }
    create(app, p, v, email).await
}

/// A first sign-in's account: the provider vouched for the address; the handle comes from the
/// provider's user name or the address, with a number added when taken; there is no password.
async fn create(app: &App, p: &SsoProvider, v: &Verified, email: Email) -> Result<Account> {
    let handle = free_handle(app, v.username.as_deref().unwrap_or(email.as_str())).await?;
    let display_name = v
        .name
        .clone()
        .filter(|n| copse_core::domain::parse_display_name(n).is_ok())
        .unwrap_or_else(|| handle.as_str().to_string());
    let new = NewAccount {
        handle,
        email,
        // Not a hash of anything: no password signs in.
        password_hash: "!".into(),
        profile: Profile {
            display_name,
            ..Profile::default()
        },
        is_admin: false,
        email_verified: true,
    };
    let mut w = app.store.write().await?;
    let created = async {
        let id = w.create_account(&new).await?;
        w.link_identity(&p.id, &v.subject, id, Some(new.email.as_str()))
            .await?;
        Ok(id)
    }
    .await;
    let id = w.finish(created).await?;
    app.store.account(id).await?.ok_or(Error::NotFound)
}

/// Unlinks a provider from the account — unless it is the only way left to sign in.
pub async fn unlink(app: &App, account: &Account, id: &str) -> Result<()> {
    provider(app, id)?;
    let identities = app.store.identities_of(account.id).await?;
    let has_password =
        app.config.password_sign_in && app.store.password_hash(account.id).await? != "!";
    if identities.len() <= 1 && !has_password {
        return Err(Error::conflict(
            "This is your only way to sign in: set a password or link another provider first.",
        ));
    }
    if app.store.unlink_identity(account.id, id).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// The providers with the account's identity at each, if linked: (provider, its address).
pub async fn links(app: &App, account: &Account) -> Result<Vec<(SsoProvider, Option<String>)>> {
    let mine = app.store.identities_of(account.id).await?;
    Ok(app
        .config
        .sso
        .iter()
        .map(|p| {
            let linked = mine
                .iter()
                .find(|i| i.provider == p.id)
                .map(|i| i.email.clone().unwrap_or_default());
            (p.clone(), linked)
        })
        .collect())
}

/// `ada.lovelace@…` → `ada_lovelace`, or `ada_lovelace2` … when taken.
async fn free_handle(app: &App, wanted: &str) -> Result<Handle> {
    let local = wanted.split('@').next().unwrap_or(wanted).to_lowercase();
    let mut base: String = local
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(28)
        .collect();
    if base.len() < 2 {
        base = format!("member_{base}");
    }
    for n in 0..100 {
        let candidate = if n == 0 {
            base.clone()
        } else {
            format!("{base}{n}")
        };
        let handle = Handle::parse(&candidate)?;
        if app
            .store
            .account_by_handle(handle.as_str())
            .await?
            .is_none()
        {
            return Ok(handle);
        }
    }
    Err(Error::conflict(
        "no free handle could be made; ask an admin for an account",
    ))
}
