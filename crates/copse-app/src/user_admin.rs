//! User administration for site admins: the account list, one account's page, suspending and
//! restoring, the admin role, a password reset sent on someone's behalf — each deed written to
//! the audit log in its own transaction — and the worker's step that ends suspensions whose
//! end has passed.

use copse_core::domain::{Account, AccountId, Role, Suspension};
use copse_core::policy::{self, AccountAction, Actor};
use copse_core::{Error, Result};
pub use copse_store::{AccountCounts, AccountKind, AccountLine, AuditEntry, RecentPost};
use copse_store::{NewAudit, Write};

use crate::app::App;
use crate::jobs::{EmailLink, Job};

/// Accounts shown per page of the list.
pub const PAGE_SIZE: i64 = 50;
/// The audit log shows this many entries (an account's page a tenth of it).
const AUDIT_SHOWN: i64 = 200;

/// The admin home's counts.
pub async fn overview(app: &App, actor: &Actor) -> Result<AccountCounts> {
    policy::check_site_admin(actor)?;
    app.store.account_counts().await
}

/// A page of the account list.
#[derive(Debug, Clone)]
pub struct AccountPage {
    pub lines: Vec<AccountLine>,
    pub total: i64,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
}

/// Reads the list's filter from its query word; an unknown one is a 400 naming the choices.
pub fn parse_kind(word: Option<&str>) -> Result<AccountKind> {
    match word.unwrap_or("") {
        "" | "all" => Ok(AccountKind::All),
        "suspended" => Ok(AccountKind::Suspended),
        "unverified" => Ok(AccountKind::Unverified),
        "admins" => Ok(AccountKind::Admins),
        _ => Err(Error::invalid(
            "filter",
            "must be one of all, suspended, unverified, admins",
        )),
    }
}

/// Accounts of one kind matching `query` (handle, name or address), newest first.
pub async fn accounts(
    app: &App,
    actor: &Actor,
    kind: AccountKind,
    query: &str,
    page: i64,
) -> Result<AccountPage> {
    policy::check_site_admin(actor)?;
    if query.chars().count() > 100 {
        return Err(Error::invalid("q", "must be at most 100 characters"));
    }
    if !(1..=10_000).contains(&page) {
        return Err(Error::invalid("page", "must be between 1 and 10000"));
    }
    let (lines, total) = app
        .store
        .account_lines(kind, query, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        .await?;
    Ok(AccountPage {
        lines,
        total,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
    })
}

/// One account as a site admin sees it.
#[derive(Debug, Clone)]
pub struct AccountDetail {
    pub account: Account,
    /// (slug, name, role) of every community it belongs to or follows.
    pub memberships: Vec<(String, String, Role)>,
    /// Its latest threads and replies.
    pub recent: Vec<RecentPost>,
    pub live_sessions: i64,
    /// How it signs in: "password" (when it has one) and each linked single sign-on provider.
    pub sign_in_methods: Vec<String>,
    /// API tokens not revoked (expired ones included: they show as expired).
    pub api_tokens: usize,
    pub audit: Vec<AuditEntry>,
}

pub async fn account(app: &App, actor: &Actor, handle: &str) -> Result<AccountDetail> {
    policy::check_site_admin(actor)?;
    let account = by_handle(app, handle).await?;
    Ok(AccountDetail {
        memberships: app.store.memberships_of(account.id).await?,
        recent: app.store.recent_posts_by(account.id, 10).await?,
        live_sessions: app.store.live_sessions(account.id).await?,
        sign_in_methods: sign_in_methods(app, &account).await?,
        api_tokens: app.store.api_tokens(account.id).await?.len(),
        audit: app
            .store
            .audit_log(Some(account.id), AUDIT_SHOWN / 10)
            .await?,
        account,
    })
}

async fn sign_in_methods(app: &App, account: &Account) -> Result<Vec<String>> {
    let mut methods = Vec::new();
    if app.store.password_hash(account.id).await? != "!" {
        methods.push("password".to_string());
    }
    for identity in app.store.identities_of(account.id).await? {
        let label = app
            .config
            .sso
            .iter()
            .find(|p| p.id == identity.provider)
            .map_or(identity.provider.clone(), |p| p.label.clone());
        methods.push(label);
    }
    Ok(methods)
}

/// The audit log, newest first.
pub async fn audit_log(app: &App, actor: &Actor) -> Result<Vec<AuditEntry>> {
    policy::check_site_admin(actor)?;
    app.store.audit_log(None, AUDIT_SHOWN).await
}

/// Suspends an account with a reason and an optional end (a date or an RFC 3339 time);
/// suspending a suspended account changes its reason and end.
pub async fn suspend(
    app: &App,
    actor: &Actor,
    handle: &str,
    reason: &str,
    until: Option<&str>,
) -> Result<Account> {
    let target = by_handle(app, handle).await?;
    policy::check_account_action(actor, &target, AccountAction::Suspend)?;
    let suspension = Suspension::parse(app.now(), reason, until)?;
    let detail = match suspension.until {
        Some(until) => format!(
            "{} (until {})",
            reason.trim(),
            copse_core::clock::rfc3339(until)
        ),
        None => reason.trim().to_string(),
    };
    let id = target.id;
    audited(app, actor, &target, "suspended", Some(&detail), move |w| {
        Box::pin(async move { w.set_suspension(id, Some(&suspension)).await })
    })
    .await
}

pub async fn restore(app: &App, actor: &Actor, handle: &str) -> Result<Account> {
    let target = by_handle(app, handle).await?;
    policy::check_account_action(actor, &target, AccountAction::Restore)?;
    if !target.is_suspended() {
        return Ok(target);
    }
    let id = target.id;
    audited(app, actor, &target, "restored", None, move |w| {
        Box::pin(async move { w.set_suspension(id, None).await })
    })
    .await
}

/// Makes an account a site admin or takes the role away; the last admin keeps it.
pub async fn set_admin(app: &App, actor: &Actor, handle: &str, make: bool) -> Result<Account> {
    let target = by_handle(app, handle).await?;
    let action = if make {
        AccountAction::MakeAdmin
    } else {
        AccountAction::RemoveAdmin
    };
    policy::check_account_action(actor, &target, action)?;
    if target.is_admin == make {
        return Ok(target);
    }
    let word = if make { "made admin" } else { "admin removed" };
    let id = target.id;
    audited(app, actor, &target, word, None, move |w| {
        Box::pin(async move {
            if !make && w.admin_count().await? <= 1 {
                return Err(Error::conflict(
                    "This is the site's last admin: make someone else an admin first.",
                ));
            }
            w.set_admin(id, make).await
        })
    })
    .await
}

/// Sends the account a password reset link, as if its owner had asked (no throttle: admins
/// are few and every send is in the audit log).
pub async fn send_password_reset(app: &App, actor: &Actor, handle: &str) -> Result<()> {
    let target = by_handle(app, handle).await?;
    policy::check_account_action(actor, &target, AccountAction::SendPasswordReset)?;
    if target.is_suspended() {
        return Err(Error::conflict(format!(
            "@{} is suspended: restore them before sending a reset link.",
            target.handle
        )));
    }
    let email = target.email.clone();
    let id = target.id;
    audited(app, actor, &target, "password reset sent", None, move |w| {
        Box::pin(async move {
            let now = w.now();
            let job = Job::PasswordReset(EmailLink {
                account: id,
                email,
                asked_at: now,
            });
            job.add(w, now).await.map(|_| ())
        })
    })
    .await
    .map(|_| ())
}

/// Deletes someone's account as their owner could (see `leaving`), with or without what they
/// wrote; the audit log names the admin.
pub async fn delete(
    app: &App,
    actor: &Actor,
    handle: &str,
    remove_contributions: bool,
) -> Result<()> {
    let target = by_handle(app, handle).await?;
    policy::check_account_action(actor, &target, AccountAction::Delete)?;
    if target.deleted {
        return Err(Error::NotFound);
    }
    let (admin, label) = admin_label(app, actor).await?;
    let mut w = app.store.write().await?;
    let by = Some((admin, label.as_str()));
    let done = crate::leaving::erase(&mut w, &target, remove_contributions, by).await;
    w.finish(done).await
}

/// The worker's step: restores every account whose suspension has ended, each in its own
/// transaction with its audit entry. Returns how many.
pub async fn end_ended_suspensions(app: &App) -> Result<usize> {
    let mut restored = 0;
    for (id, handle) in app.store.ended_suspensions(100).await? {
        let mut w = app.store.write().await?;
        let done = async {
            if !w.end_suspension_if_ended(id).await? {
                return Ok(false);
            }
            w.record_audit(&NewAudit {
                actor: None,
                actor_label: "copse",
                action: "restored",
                target: id,
                target_label: &handle,
                detail: Some("the suspension ended"),
            })
            .await?;
            Ok(true)
        }
        .await;
        if w.finish(done).await? {
            restored += 1;
        }
    }
    Ok(restored)
}

/// `copse admin suspend-user` / `restore-user`: the same deed from the command line, logged
/// as done there.
pub async fn from_command_line(app: &App, handle: &str, suspend: bool) -> Result<Account> {
    let target = by_handle(app, handle).await?;
    let mut w = app.store.write().await?;
    let done = async {
        let suspension = suspend.then(|| Suspension {
            since: w.now(),
            reason: Some("suspended from the command line".into()),
            until: None,
        });
        w.set_suspension(target.id, suspension.as_ref()).await?;
        w.record_audit(&NewAudit {
            actor: None,
            actor_label: "command line",
            action: if suspend { "suspended" } else { "restored" },
            target: target.id,
            target_label: &format!("@{}", target.handle),
            detail: None,
        })
        .await
    }
    .await;
    w.finish(done).await?;
    app.store.account(target.id).await?.ok_or(Error::NotFound)
}

async fn by_handle(app: &App, handle: &str) -> Result<Account> {
    app.store
        .account_by_handle(handle.trim_start_matches('@'))
        .await?
        .ok_or(Error::NotFound)
}

/// The acting admin and how the audit log names them.
async fn admin_label(app: &App, actor: &Actor) -> Result<(AccountId, String)> {
    let id = actor.account_id().ok_or(Error::Unauthenticated)?;
    match app.store.account(id).await? {
        Some(a) => Ok((id, format!("@{}", a.handle))),
        None => Err(Error::Unauthenticated),
    }
}

type Deed<'w> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + Send + 'w>>;

/// Does `deed` and writes its audit entry in one transaction, then reads the account again.
async fn audited<F>(
    app: &App,
    actor: &Actor,
    target: &Account,
    action: &str,
    detail: Option<&str>,
    deed: F,
) -> Result<Account>
where
    F: for<'w> FnOnce(&'w mut Write) -> Deed<'w>,
{
    let (_, label) = admin_label(app, actor).await?;
    let mut w = app.store.write().await?;
    let done = async {
        deed(&mut w).await?;
        w.record_audit(&NewAudit {
            actor: actor.account_id(),
            actor_label: &label,
            action,
            target: target.id,
            target_label: &format!("@{}", target.handle),
            detail,
        })
        .await
    }
    .await;
    w.finish(done).await?;
    app.store.account(target.id).await?.ok_or(Error::NotFound)
}
