//! Pages for accounts: sign up, sign in and out, settings, API tokens and profiles.

use super::common::guarded;
use super::zones::filters;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use copse_core::OrInternal;
use copse_core::clock::human_date;
use copse_core::domain::{Account, ProfileInput, split_expertise};
use serde::Deserialize;

use super::{
    Nav, Notice, PageResult, done, form_problem, nav, render, render_with_status, safe_next,
};
use crate::auth::PageSignedIn;
use crate::auth::{self, ClientIp, PageViewer, Viewer};
use crate::error::PageError;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use copse_app::accounts::{self as app, SignupInput};
use copse_app::markdown;

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    nav: Nav,
    error: Option<String>,
    handle: String,
    email: String,
    display_name: String,
    /// Where the new member goes on to (the page that asked them to sign up).
    next: String,
}

#[derive(Deserialize)]
pub struct SignupForm {
    handle: String,
    email: String,
    password: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    next: String,
}

pub async fn signup_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PageQuery(q): PageQuery<NextQuery>,
) -> PageResult {
    render(&SignupPage {
        nav: nav(&state, &viewer, notice).await?,
        error: None,
        handle: String::new(),
        email: String::new(),
        display_name: String::new(),
        next: safe_next(q.next.as_deref().unwrap_or("/")).to_string(),
    })
}

/// Where a new account goes: back to the page that asked for it, or else to the profile to
/// fill in.
fn after_signup(next: &str) -> String {
    match safe_next(next) {
        "/" => "/settings/profile?notice=welcome".to_string(),
        next => {
            let sep = if next.contains('?') { '&' } else { '?' };
            format!("{next}{sep}notice=welcome")
        }
    }
}

/// A response that sets the new session cookie and goes on to `to`.
pub(super) fn signed_in_redirect(cookie: String, to: &str) -> PageResult {
    let mut response = Redirect::to(to).into_response();
    let value = HeaderValue::from_str(&cookie).or_internal()?;
    response.headers_mut().append(header::SET_COOKIE, value);
    Ok(response)
}

pub async fn signup(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    ClientIp(ip): ClientIp,
    PageForm(form): PageForm<SignupForm>,
) -> PageResult {
    let input = SignupInput {
        handle: form.handle.clone(),
        email: form.email.clone(),
        password: form.password,
        display_name: form.display_name.clone(),
    };
    match app::sign_up(&state, input, ip).await {
        Ok(account) => {
            let cookie = auth::start_session(&state, &account).await?;
            signed_in_redirect(cookie, &after_signup(&form.next))
        }
        Err(e) => {
            let (status, message) = form_problem(e)?;
            render_with_status(
                status,
                &SignupPage {
                    nav: nav(&state, &viewer, Notice(None)).await?,
                    error: Some(message),
                    handle: form.handle,
                    email: form.email,
                    display_name: form.display_name,
                    next: safe_next(&form.next).to_string(),
                },
            )
        }
    }
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    nav: Nav,
    error: Option<String>,
    email: String,
    next: String,
    /// (id, label) of each single sign-on provider: a button each.
    sso: Vec<(String, String)>,
    /// Whether the password form is offered.
    password: bool,
}

fn sso_buttons(state: &WebState) -> Vec<(String, String)> {
    copse_app::sso::providers(state)
        .iter()
        .map(|p| (p.id.clone(), p.label.clone()))
        .collect()
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct SigninForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn signin_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PageQuery(q): PageQuery<NextQuery>,
) -> PageResult {
    render(&SigninPage {
        nav: nav(&state, &viewer, notice).await?,
        error: None,
        email: String::new(),
        next: safe_next(q.next.as_deref().unwrap_or("/")).to_string(),
        sso: sso_buttons(&state),
        password: state.config.password_sign_in,
    })
}

pub async fn signin(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    ClientIp(ip): ClientIp,
    PageForm(form): PageForm<SigninForm>,
) -> PageResult {
    match app::sign_in(&state, &form.email, &form.password, ip).await {
        Ok(account) => {
            // A new session id at every sign-in; the old one (if any) ends.
            if let Some(old) = &viewer.session_hash {
                copse_app::sessions::end_session(&state, old).await?;
            }
            let cookie = auth::start_session(&state, &account).await?;
            let next = safe_next(&form.next);
            let sep = if next.contains('?') { '&' } else { '?' };
            signed_in_redirect(cookie, &format!("{next}{sep}notice=signed-in"))
        }
        Err(e) => {
            let (status, message) = form_problem(e)?;
            render_with_status(
                status,
                &SigninPage {
                    nav: nav(
                        &state,
                        &Viewer {
                            account: None,
                            session_hash: None,
                            require_verified: state.config.require_verified_email,
                        },
                        Notice(None),
                    )
                    .await?,
                    error: Some(message),
                    email: form.email,
                    next: safe_next(&form.next).to_string(),
                    sso: sso_buttons(&state),
                    password: state.config.password_sign_in,
                },
            )
        }
    }
}

pub async fn signout(State(state): State<WebState>, PageViewer(viewer): PageViewer) -> PageResult {
    if let Some(hash) = &viewer.session_hash {
        copse_app::sessions::end_session(&state, hash).await?;
    }
    let mut response = Redirect::to("/?notice=signed-out").into_response();
    let value = HeaderValue::from_str(&auth::expired_session_cookie(&state)).or_internal()?;
    response.headers_mut().append(header::SET_COOKIE, value);
    Ok(response)
}

struct ProfileFormValues {
    display_name: String,
    bio: String,
    organisation: String,
    department: String,
    country: String,
    time_zone: String,
    expertise: String,
}

struct TokenRow {
    id: i64,
    name: String,
    scopes: String,
    created: String,
    last_used: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
pub(super) struct SettingsPage {
    nav: Nav,
    section: &'static str,
    handle: String,
    error: Option<String>,
    email: String,
    email_verified: bool,
    profile: ProfileFormValues,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    is_admin: bool,
    /// Single sign-on providers: (id, label, the linked identity's address if linked).
    sso_links: Vec<(String, String, Option<String>)>,
}

fn profile_values(a: &Account) -> ProfileFormValues {
    let p = &a.profile;
    ProfileFormValues {
        display_name: p.display_name.clone(),
        bio: p.bio.clone().unwrap_or_default(),
        organisation: p.organisation.clone().unwrap_or_default(),
        department: p.department.clone().unwrap_or_default(),
        country: p.country.clone().unwrap_or_default(),
        time_zone: p.time_zone.clone().unwrap_or_default(),
        expertise: p.expertise.join(", "),
    }
}

pub(super) async fn settings_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    me: &copse_core::domain::Account,
    notice: Notice,
    section: &'static str,
    error: Option<String>,
    new_token: Option<String>,
) -> Result<SettingsPage, PageError> {
    let account = me;
    let tokens = if section == "tokens" {
        copse_app::sessions::api_tokens(state, account)
            .await?
            .iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name.clone(),
                scopes: t.scopes.words().join(", "),
                expires: t
                    .expires_at
                    .map(human_date)
                    .unwrap_or_else(|| "when revoked".into()),
                created: human_date(t.created_at),
                last_used: t
                    .last_used_at
                    .map(human_date)
                    .unwrap_or_else(|| "never".into()),
            })
            .collect()
    } else {
        Vec::new()
    };
    let sso_links = if section == "password" {
        copse_app::sso::links(state, account)
            .await?
            .into_iter()
            .map(|(p, linked)| (p.id, p.label, linked))
            .collect()
    } else {
        Vec::new()
    };
    Ok(SettingsPage {
        sso_links,
        nav: nav(state, viewer, notice).await?,
        section,
        error,
        handle: account.handle.clone(),
        email: account.email.clone(),
        email_verified: account.email_verified,
        profile: profile_values(account),
        tokens,
        new_token,
        is_admin: account.is_admin,
    })
}

/// A settings section shown again with the problem named next to its form.
pub(super) async fn settings_failure(
    state: &WebState,
    viewer: &Viewer,
    account: &Account,
    section: &'static str,
    e: copse_core::Error,
) -> PageResult {
    let (status, message) = form_problem(e)?;
    let page = settings_page(
        state,
        viewer,
        account,
        Notice(None),
        section,
        Some(message),
        None,
    )
    .await?;
    render_with_status(status, &page)
}

pub async fn profile_form(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    notice: Notice,
) -> PageResult {
    render(&settings_page(&state, &viewer, &account, notice, "profile", None, None).await?)
}

#[derive(Deserialize)]
pub struct ProfileForm {
    display_name: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    expertise: String,
}

pub async fn save_profile(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    PageForm(form): PageForm<ProfileForm>,
) -> PageResult {
    let input = ProfileInput {
        display_name: Some(form.display_name.clone()),
        bio: Some(form.bio.clone()),
        organisation: Some(form.organisation.clone()),
        department: Some(form.department.clone()),
        country: Some(form.country.clone()),
        time_zone: Some(form.time_zone.clone()),
        expertise: Some(split_expertise(&form.expertise)),
    };
    match app::update_profile(&state, &account, input).await {
        Ok(_) => done("/settings/profile", "profile-saved"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            let mut page = settings_page(
                &state,
                &viewer,
                &account,
                Notice(None),
                "profile",
                Some(message),
                None,
            )
            .await?;
            page.profile = ProfileFormValues {
                display_name: form.display_name,
                bio: form.bio,
                organisation: form.organisation,
                department: form.department,
                country: form.country,
                time_zone: form.time_zone,
                expertise: form.expertise,
            };
            render_with_status(status, &page)
        }
    }
}

pub async fn password_form(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    notice: Notice,
) -> PageResult {
    render(&settings_page(&state, &viewer, &account, notice, "password", None, None).await?)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    PageForm(form): PageForm<PasswordForm>,
) -> PageResult {
    match app::change_password(&state, &account, &form.current_password, &form.new_password).await {
        Ok(()) => {
            // Every session ended with the old password; this browser gets a fresh one.
            let cookie = auth::start_session(&state, &account).await?;
            signed_in_redirect(cookie, "/settings/password?notice=password-changed")
        }
        Err(e) => settings_failure(&state, &viewer, &account, "password", e).await,
    }
}

pub async fn tokens(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    notice: Notice,
) -> PageResult {
    render(&settings_page(&state, &viewer, &account, notice, "tokens", None, None).await?)
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    /// `read`, `read write` or `read write admin`.
    #[serde(default)]
    scopes: String,
    /// Days, or empty for "until revoked".
    #[serde(default)]
    expires_in_days: String,
}

pub async fn create_token(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    PageForm(form): PageForm<TokenForm>,
) -> PageResult {
    let input = app::TokenInput {
        name: Some(form.name),
        scopes: (!form.scopes.trim().is_empty())
            .then(|| form.scopes.split_whitespace().map(str::to_string).collect()),
        expires_in_days: form.expires_in_days.trim().parse().ok(),
    };
    match app::create_api_token(&state, &account, &input).await {
        Ok((_, secret)) => render(
            &settings_page(
                &state,
                &viewer,
                &account,
                Notice(None),
                "tokens",
                None,
                Some(secret),
            )
            .await?,
        ),
        Err(e) => settings_failure(&state, &viewer, &account, "tokens", e).await,
    }
}

pub async fn revoke_token(
    State(state): State<WebState>,
    PageSignedIn(_viewer, account): PageSignedIn,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    copse_app::sessions::revoke_api_token(&state, &account, id).await?;
    done("/settings/tokens", "token-revoked")
}

#[derive(Template)]
#[template(path = "user.html")]
struct PersonPage {
    nav: Nav,
    person: copse_core::domain::Profile,
    handle: String,
    bio_html: String,
    communities: Vec<(String, String, String)>,
    /// Stories the viewer may read that credit this person's threads or events: (id, what
    /// the teller took from it).
    credits: Vec<(i64, String)>,
    /// Why the profile's own words are hidden (shown to its owner and site admins).
    hidden: Option<String>,
    own: bool,
    may_flag: bool,
}

pub async fn person(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(handle): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let account = app::profile_of(&state, &actor, &handle).await?;
    let own = actor.account_id() == Some(account.id);
    let communities = app::communities_shown(&state, &actor, account.id)
        .await?
        .into_iter()
        .map(|(slug, name, role)| (slug, name, role.as_str().to_string()))
        .collect();
    let credits = copse_app::value::credited_to(&state, &actor, account.id)
        .await?
        .into_iter()
        .map(|r| (r.story.id, r.story.took))
        .collect();
    render(&PersonPage {
        nav: nav(&state, &viewer, notice).await?,
        credits,
        bio_html: account
            .profile
            .bio
            .as_deref()
            .map(markdown::to_html)
            .unwrap_or_default(),
        person: account.profile.clone(),
        handle: account.handle.clone(),
        communities,
        hidden: account
            .profile_hidden
            .clone()
            .filter(|_| copse_core::policy::reads_hidden_profile(&actor, account.id)),
        own,
        may_flag: actor.account_id().is_some() && !own,
    })
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/signup", get(signup_form).merge(guarded(state, signup)))
        .route("/signin", get(signin_form).merge(guarded(state, signin)))
        .route("/signout", guarded(state, signout))
        .route(
            "/settings/profile",
            get(profile_form).merge(guarded(state, save_profile)),
        )
        .route(
            "/settings/password",
            get(password_form).merge(guarded(state, change_password)),
        )
        .route(
            "/settings/tokens",
            get(tokens).merge(guarded(state, create_token)),
        )
        .route("/settings/tokens/{id}/revoke", guarded(state, revoke_token))
        .route("/u/{handle}", get(person))
}
