//! Pages of the directory and of one community: home, about, settings.

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::clock::human_date;
use copse_core::domain::uploads::human_size;
use copse_core::domain::{Community, MemberEntry, Reach, Role, Stage, Visibility};
use copse_core::policy::{self, Actor, CommunityAction as A, Standing};
use serde::Deserialize;

use super::{Nav, Notice, PageResult, done, form_problem, nav, render, render_with_status};
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use copse_app::access::Gated;
use copse_app::communities::{self as app, CommunityInput};
use copse_app::markdown;

/// The community header and tabs, with what the viewer may do shown as buttons.
pub struct CommunityHead {
    pub slug: String,
    pub name: String,
    pub stage: &'static str,
    pub visibility: &'static str,
    pub private: bool,
    pub join_label: &'static str,
    pub role: Option<&'static str>,
    pub observer: bool,
    pub may_join: bool,
    pub may_request: bool,
    pub pending_request: bool,
    pub may_follow: bool,
    pub may_leave: bool,
    pub sign_in_to_join: bool,
    pub may_see_members: bool,
    pub may_see_history: bool,
    pub may_review: bool,
    pub pending_count: usize,
    pub may_invite: bool,
    pub may_edit: bool,
    pub may_read: bool,
    pub may_post: bool,
    pub may_moderate: bool,
    /// Flagged posts waiting for the moderators (for them only).
    pub flagged_count: i64,
    pub tab: &'static str,
    /// While the community is archived: the banner's words.
    pub archived: Option<ArchivedBanner>,
    /// May archive the community, or reopen it.
    pub may_archive: bool,
    pub may_merge: bool,
    pub may_split: bool,
    pub may_export: bool,
    /// The navigation: sections and the open section's pages.
    pub sections: Vec<super::community_nav::NavSection>,
}

/// "Archived on 3 December 2026 by @maya: …"
pub struct ArchivedBanner {
    pub date: String,
    pub by: String,
    pub reason: String,
}

pub async fn head(
    state: &WebState,
    actor: &Actor,
    gated: &Gated,
    tab: &'static str,
) -> Result<CommunityHead, PageError> {
    let c = &gated.community;
    let role = gated.standing.role;
    let is_member = role.is_some_and(Role::is_member);
    // A member's page view of their community counts as that day's visit (not while it is
    // archived: its participation stays as it was).
    if is_member
        && c.archived.is_none()
        && let Some(me) = actor.account_id()
    {
        copse_app::participation::visit(state, c.id, me).await?;
    }
    let may_review = gated.may(actor, A::ReviewRequests);
    let pending_count = copse_app::membership::pending_count(state, actor, gated).await?;
    let may_request = !is_member && gated.may(actor, A::RequestToJoin);
    let pending_request =
        may_request && copse_app::membership::has_pending_request(state, actor, gated).await?;
    let signed_in = actor.account_id().is_some();
    let mut head = CommunityHead {
        slug: c.slug.clone(),
        name: c.name.clone(),
        stage: c.stage.as_str(),
        visibility: c.visibility.as_str(),
        private: c.visibility == Visibility::Private,
        join_label: match c.join_policy {
            copse_core::domain::JoinPolicy::Open => "open to join",
            copse_core::domain::JoinPolicy::Approval => "joins on approval",
            copse_core::domain::JoinPolicy::Invitation => "by invitation",
        },
        role: role.map(Role::as_str),
        observer: role == Some(Role::Observer),
        may_join: !is_member && gated.may(actor, A::Join),
        may_request,
        pending_request,
        may_follow: role.is_none() && gated.may(actor, A::Follow),
        may_leave: role.is_some() && gated.may(actor, A::Leave),
        sign_in_to_join: !signed_in && c.join_policy != copse_core::domain::JoinPolicy::Invitation,
        may_see_members: gated.may(actor, A::SeeMembers),
        may_see_history: gated.may(actor, A::SeeHistory),
        may_review,
        pending_count,
        may_invite: gated.may(actor, A::Invite),
        may_edit: gated.may(actor, A::Edit),
        may_read: gated.may(actor, A::ReadPublic),
        may_post: gated.may(actor, A::Post),
        may_moderate: gated.may(actor, A::Moderate),
        flagged_count: copse_app::moderation::waiting(state, actor, gated).await?,
        tab,
        archived: c.archived.as_ref().map(|a| ArchivedBanner {
            date: copse_core::clock::human_date(a.at),
            by: a.by_handle.clone(),
            reason: a.reason.clone(),
        }),
        may_archive: gated.may(actor, A::Archive),
        may_merge: gated.may(actor, A::Merge),
        may_split: gated.may(actor, A::Split),
        may_export: gated.may(actor, A::Export),
        sections: Vec::new(),
    };
    head.sections = super::community_nav::sections(&super::community_nav::Opens {
        slug: &head.slug,
        tab: head.tab,
        read: head.may_read,
        see_members: head.may_see_members,
        member_pages: head.may_see_members && head.role.is_some() && !head.observer,
        see_history: head.may_see_history,
        review: head.may_review,
        moderate: head.may_moderate,
        invite: head.may_invite,
        edit: head.may_edit,
        pending: i64::try_from(head.pending_count).unwrap_or(i64::MAX),
        flagged: head.flagged_count,
    });
    Ok(head)
}

struct DirectoryCard {
    slug: String,
    name: String,
    stage: &'static str,
    visibility: &'static str,
    private: bool,
    join_policy: &'static str,
    excerpt: String,
    members_label: Option<String>,
    archived: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    nav: Nav,
    query: String,
    mine: Vec<(String, String, String)>,
    entries: Vec<DirectoryCard>,
    next_link: Option<String>,
}

#[derive(Deserialize)]
pub struct HomeQuery {
    q: Option<String>,
    cursor: Option<String>,
}

pub async fn home(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PageQuery(q): PageQuery<HomeQuery>,
) -> PageResult {
    if copse_app::setup::is_first_run(&state).await? {
        return super::setup::first_run_page(&state, &viewer).await;
    }
    let actor = viewer.actor();
    let text = q.q.clone().filter(|t| !t.trim().is_empty());
    let page = app::directory(
        &state,
        &actor,
        text.clone(),
        false,
        Some(24),
        q.cursor.as_deref(),
    )
    .await?;
    let entries = page
        .items
        .iter()
        .map(|e| {
            let c = &e.community;
            let standing = Standing {
                role: e.viewer_role,
                invited: false,
                silenced_until: None,
            };
            let readable = policy::decide(&actor, &standing, &c.into(), A::ReadPublic).allowed();
            DirectoryCard {
                slug: c.slug.clone(),
                name: c.name.clone(),
                stage: c.stage.as_str(),
                visibility: c.visibility.as_str(),
                private: c.visibility == Visibility::Private,
                join_policy: c.join_policy.as_str(),
                excerpt: markdown::excerpt(&c.domain_statement, 220),
                archived: c.archived.is_some(),
                members_label: readable.then(|| {
                    format!(
                        "{} member{}",
                        e.members,
                        if e.members == 1 { "" } else { "s" }
                    )
                }),
            }
        })
        .collect();
    let mine = match (&viewer.account, &text, &q.cursor) {
        (Some(a), None, None) => copse_app::accounts::my_communities(&state, a)
            .await?
            .into_iter()
            .map(|(s, n, r)| (s, n, r.as_str().to_string()))
            .collect(),
        _ => Vec::new(),
    };
    let next_link = page.next.map(|c| {
        let mut link = format!("/?cursor={}", c.encode());
        if let Some(t) = &text {
            link.push_str("&q=");
            link.push_str(&urlencode(t));
        }
        link
    });
    render(&HomePage {
        nav: nav(&state, &viewer, notice).await?,
        query: text.unwrap_or_default(),
        mine,
        entries,
        next_link,
    })
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub struct CoreMember {
    handle: String,
    display_name: String,
    role: &'static str,
    organisation: Option<String>,
}

impl From<&MemberEntry> for CoreMember {
    fn from(m: &MemberEntry) -> Self {
        CoreMember {
            handle: m.handle.clone(),
            display_name: m.display_name.clone(),
            role: m.role.as_str(),
            organisation: m.organisation.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "community.html")]
struct CommunityPage {
    nav: Nav,
    c: CommunityHead,
    domain_html: String,
    stage_text: &'static str,
    reach: Option<Reach>,
    core: Vec<CoreMember>,
    private_outsider: bool,
    unanswered: Vec<(i64, String, String)>,
    /// A newcomer's first steps, while some are to do.
    first_steps: Option<copse_app::first_steps::FirstSteps>,
}

pub async fn show(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let gated = copse_app::access::gate(&state, &actor, &slug, A::SeeListing).await?;
    let readable = gated.may(&actor, A::ReadPublic);
    // Members are the ones who can answer: show them the questions waiting longest.
    let unanswered = if gated.may(&actor, A::Post) {
        copse_app::threads::unanswered(&state, &actor, &gated, 5)
            .await?
            .into_iter()
            .map(|t| (t.id, t.title, human_date(t.created_at)))
            .collect()
    } else {
        Vec::new()
    };
    let reach = app::reach(&state, &actor, &gated).await?;
    let first_steps = match &viewer.account {
        Some(account) => {
            copse_app::first_steps::for_member(&state, &actor, account, &gated).await?
        }
        None => None,
    };
    let core = app::core_group(&state, &actor, &gated)
        .await?
        .iter()
        .map(CoreMember::from)
        .collect();
    render(&CommunityPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "about").await?,
        domain_html: markdown::to_html(&gated.community.domain_statement),
        stage_text: gated.community.stage.describe(),
        reach,
        core,
        private_outsider: !readable,
        unanswered,
        first_steps,
    })
}

/// Form values of the community form, as typed.
#[derive(Deserialize, Default)]
pub struct CommunityForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    domain_statement: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    listed: String,
    #[serde(default)]
    join_policy: String,
    #[serde(default)]
    join_questions: String,
    #[serde(default)]
    stage: String,
}

struct FormValues {
    name: String,
    slug: String,
    domain_statement: String,
    visibility: String,
    listed: bool,
    join_policy: String,
    join_questions: String,
    stage: String,
}

impl From<&CommunityForm> for FormValues {
    fn from(f: &CommunityForm) -> Self {
        FormValues {
            name: f.name.clone(),
            slug: f.slug.clone(),
            domain_statement: f.domain_statement.clone(),
            visibility: f.visibility.clone(),
            listed: f.listed != "false",
            join_policy: f.join_policy.clone(),
            join_questions: f.join_questions.clone(),
            stage: f.stage.clone(),
        }
    }
}

impl From<&Community> for FormValues {
    fn from(c: &Community) -> Self {
        FormValues {
            name: c.name.clone(),
            slug: c.slug.clone(),
            domain_statement: c.domain_statement.clone(),
            visibility: c.visibility.as_str().into(),
            listed: c.listed,
            join_policy: c.join_policy.as_str().into(),
            join_questions: c.join_questions.join("\n"),
            stage: c.stage.as_str().into(),
        }
    }
}

impl CommunityForm {
    fn input(&self, creating: bool) -> CommunityInput {
        let text = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
        CommunityInput {
            name: Some(self.name.clone()),
            slug: creating.then(|| self.slug.clone()),
            domain_statement: Some(self.domain_statement.clone()),
            reason: text(&self.reason),
            visibility: text(&self.visibility),
            listed: Some(self.listed != "false"),
            join_policy: text(&self.join_policy),
            join_questions: Some(
                self.join_questions
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            stage: text(&self.stage),
        }
    }
}

#[derive(Template)]
#[template(path = "community_form.html")]
struct CommunityFormPage {
    nav: Nav,
    head: Option<CommunityHead>,
    editing: bool,
    action: String,
    error: Option<String>,
    form: FormValues,
    stages: Vec<(&'static str, &'static str)>,
    /// The community's files against its limit, in words (settings only).
    storage: Option<String>,
}

/// "12 files, 3.4 MiB of 5 GiB (1%)": what the coordinators see of the files limit.
async fn storage_line(state: &WebState, actor: &Actor, slug: &str) -> Result<String, PageError> {
    let usage = copse_app::files::community_usage(state, actor, slug).await?;
    let files = match usage.files {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    };
    Ok(format!(
        "{files}, {} of {} ({}%)",
        human_size(usage.bytes),
        human_size(usage.limit),
        usage.percent()
    ))
}

fn stage_choices() -> Vec<(&'static str, &'static str)> {
    Stage::ALL
        .iter()
        .map(|s| (s.as_str(), s.describe()))
        .collect()
}

pub async fn new_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
) -> PageResult {
    copse_core::policy::may_create_community(&viewer.actor())?;
    render(&CommunityFormPage {
        nav: nav(&state, &viewer, notice).await?,
        head: None,
        editing: false,
        action: "/communities/new".into(),
        error: None,
        form: FormValues::from(&CommunityForm {
            visibility: "public".into(),
            join_policy: "open".into(),
            stage: "potential".into(),
            ..CommunityForm::default()
        }),
        stages: stage_choices(),
        storage: None,
    })
}

pub async fn create(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PageForm(form): PageForm<CommunityForm>,
) -> PageResult {
    match app::create(&state, &viewer.actor(), &form.input(true)).await {
        Ok(c) => done(&format!("/c/{}", c.slug), "created"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            render_with_status(
                status,
                &CommunityFormPage {
                    nav: nav(&state, &viewer, Notice(None)).await?,
                    head: None,
                    editing: false,
                    action: "/communities/new".into(),
                    error: Some(message),
                    form: FormValues::from(&form),
                    stages: stage_choices(),
                    storage: None,
                },
            )
        }
    }
}

pub async fn settings_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let gated = copse_app::access::gate(&state, &actor, &slug, A::Edit).await?;
    render(&CommunityFormPage {
        nav: nav(&state, &viewer, notice).await?,
        head: Some(head(&state, &actor, &gated, "settings").await?),
        editing: true,
        action: format!("/c/{slug}/settings"),
        error: None,
        form: FormValues::from(&gated.community),
        stages: stage_choices(),
        storage: Some(storage_line(&state, &actor, &slug).await?),
    })
}

pub async fn save_settings(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<CommunityForm>,
) -> PageResult {
    let actor = viewer.actor();
    match app::update(&state, &actor, &slug, &form.input(false)).await {
        Ok(c) => done(&format!("/c/{}", c.slug), "saved"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            let gated = copse_app::access::gate(&state, &actor, &slug, A::Edit).await?;
            render_with_status(
                status,
                &CommunityFormPage {
                    nav: nav(&state, &viewer, Notice(None)).await?,
                    head: Some(head(&state, &actor, &gated, "settings").await?),
                    editing: true,
                    action: format!("/c/{slug}/settings"),
                    error: Some(message),
                    form: FormValues::from(&form),
                    stages: stage_choices(),
                    storage: Some(storage_line(&state, &actor, &slug).await?),
                },
            )
        }
    }
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/", get(home))
        .route(
            "/communities/new",
            get(new_form).merge(guarded(state, create)),
        )
        .route("/c/{slug}", get(show))
        .route(
            "/c/{slug}/settings",
            get(settings_form).merge(guarded(state, save_settings)),
        )
}
