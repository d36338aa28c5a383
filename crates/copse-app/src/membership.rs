//! Joining, requesting, following, leaving, invitations, roles and the member list.

use copse_core::domain::AccountId;
use copse_core::domain::NotificationKind as K;
use copse_core::domain::{
    Email, Handle, Invitation, JoinRequest, MemberEntry, Role, parse_join_answers,
};
use copse_core::page::{Cursor, Page, clamp_limit};
use copse_core::policy::{Actor, CommunityAction};
use copse_core::{Error, Result};
use copse_store::{Invitee, NewNotification};

use crate::access::{Gated, gate};
use crate::app::App;
use crate::secrets;

fn me(actor: &Actor) -> Result<AccountId> {
    actor.account_id().ok_or(Error::Unauthenticated)
}

/// What happened when someone asked to come in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinOutcome {
    Joined,
    Requested(JoinRequest),
}

/// Joins an open community at once, or files a request (with answers) for an approval one.
pub async fn join(
    state: &App,
    actor: &Actor,
    slug: &str,
    answers: &[String],
) -> Result<JoinOutcome> {
    let account = me(actor)?;
    let gated = gate(state, actor, slug, CommunityAction::SeeListing).await?;
    let community = gated.community.id;
    if gated.may(actor, CommunityAction::Join) {
        state.store.join(community, account).await?;
        crate::welcome::queue_alone(state, community, account).await?;
        return Ok(JoinOutcome::Joined);
    }
    gate(state, actor, slug, CommunityAction::RequestToJoin).await?;
    let answers = parse_join_answers(&gated.community.join_questions, answers)?;
    let coordinators = state.store.coordinator_ids(community).await?;
    let mut w = state.store.write().await?;
    let asked = async {
        let id = w.request_to_join(community, account, &answers).await?;
        // The coordinators hear of it in the app, and by e-mail as each of them chose.
        let notes: Vec<NewNotification> = coordinators
            .iter()
            .map(|c| NewNotification::community(*c, community, K::JoinRequest, account))
            .collect();
        w.notify(&notes).await?;
        Ok(id)
    }
    .await;
    let id = w.finish(asked).await?;
    let request = state
        .store
        .join_request(community, id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(JoinOutcome::Requested(request))
}

pub async fn withdraw_request(state: &App, actor: &Actor, slug: &str) -> Result<()> {
    let gated = gate(state, actor, slug, CommunityAction::SeeListing).await?;
    state
        .store
        .withdraw_request(gated.community.id, me(actor)?)
        .await
}

pub async fn follow(state: &App, actor: &Actor, slug: &str) -> Result<()> {
    let gated = gate(state, actor, slug, CommunityAction::Follow).await?;
    state.store.follow(gated.community.id, me(actor)?).await
}

pub async fn leave(state: &App, actor: &Actor, slug: &str) -> Result<()> {
    let gated = gate(state, actor, slug, CommunityAction::Leave).await?;
    state.store.leave(gated.community.id, me(actor)?).await
}

pub async fn pending_requests(
    state: &App,
    actor: &Actor,
    slug: &str,
) -> Result<(Gated, Vec<JoinRequest>)> {
    let gated =
        crate::access::gate_reading(state, actor, slug, CommunityAction::ReviewRequests).await?;
    let requests = state.store.pending_requests(gated.community.id).await?;
    Ok((gated, requests))
}

pub async fn decide_request(
    state: &App,
    actor: &Actor,
    slug: &str,
    request: i64,
    approve: bool,
) -> Result<()> {
    let gated = gate(state, actor, slug, CommunityAction::ReviewRequests).await?;
    let (community, by) = (gated.community.id, me(actor)?);
    let mut w = state.store.write().await?;
    let decided = async {
        let applicant = w.decide_request(community, request, approve, by).await?;
        let kind = if approve {
            K::JoinApproved
        } else {
            K::JoinDeclined
        };
        w.notify(&[NewNotification::community(applicant, community, kind, by)])
            .await?;
        if approve {
            crate::welcome::queue(&mut w, community, applicant).await?;
        }
        Ok(())
    }
    .await;
    w.finish(decided).await
}

/// Invites a person by `@handle` or e-mail address. The returned link carries the secret that
/// lets the invitee in; it is shown once to the inviter. Leaders may invite members; giving a
/// higher role takes a coordinator.
pub async fn invite(
    state: &App,
    actor: &Actor,
    slug: &str,
    who: &str,
    role: Option<&str>,
) -> Result<(Invitation, String)> {
    let gated = gate(state, actor, slug, CommunityAction::Invite).await?;
    let role = match role {
        Some(r) if !r.trim().is_empty() => Role::parse_member_role(r)?,
        _ => Role::Member,
    };
    if role > Role::Member {
        gated.check(actor, CommunityAction::InviteLeaders)?;
    }
    let who = who.trim();
    let invitee = if who.contains('@') && !who.starts_with('@') {
        let email = Email::parse(who)
            .map_err(|_| Error::invalid("invitee", "must be an @handle or an e-mail address"))?;
        // Only a verified address names its account: anyone may have signed up with an
        // address that is not theirs, and an invitation must not go to them.
        match state.store.account_by_email(email.as_str()).await? {
            Some(account) if account.email_verified => Invitee::Account(account.id),
            _ => Invitee::Email(email.as_str().to_string()),
        }
    } else {
        let handle = Handle::parse(who)
            .map_err(|_| Error::invalid("invitee", "must be an @handle or an e-mail address"))?;
        let account = state
            .store
            .account_by_handle(handle.as_str())
            .await?
            .filter(|a| !a.is_suspended())
            .ok_or_else(|| {
                Error::invalid(
                    "invitee",
                    format!("nobody has the handle @{}", handle.as_str()),
                )
            })?;
        Invitee::Account(account.id)
    };
    let secret = secrets::new_secret("cpi");
    let by = me(actor)?;
    let mut w = state.store.write().await?;
    let invited = async {
        let id = w
            .invite(
                gated.community.id,
                &invitee,
                role,
                &secrets::hash_secret(&secret),
                by,
            )
            .await?;
        crate::invitation_mail::queue(&mut w, id).await?;
        Ok(id)
    }
    .await;
    let id = w.finish(invited).await?;
    let invitation = state.store.invitation(id).await?.ok_or(Error::NotFound)?;
    Ok((
        invitation,
        state.absolute(&format!("/invitations/link/{secret}")),
    ))
}

pub async fn community_invitations(
    state: &App,
    actor: &Actor,
    slug: &str,
) -> Result<Vec<Invitation>> {
    let gated = crate::access::gate_reading(state, actor, slug, CommunityAction::Invite).await?;
    state.store.community_invitations(gated.community.id).await
}

/// Sends an open invitation's e-mail again.
pub async fn resend_invitation(state: &App, actor: &Actor, slug: &str, id: i64) -> Result<()> {
    let gated = gate(state, actor, slug, CommunityAction::Invite).await?;
    let open = state
        .store
        .community_invitations(gated.community.id)
        .await?
        .into_iter()
        .any(|i| i.id == id);
    if !open {
        return Err(Error::NotFound);
    }
    let mut w = state.store.write().await?;
    let queued = crate::invitation_mail::queue(&mut w, id).await;
    w.finish(queued).await
}

pub async fn revoke_invitation(state: &App, actor: &Actor, slug: &str, id: i64) -> Result<()> {
    let gated = gate(state, actor, slug, CommunityAction::Invite).await?;
    state.store.revoke_invitation(gated.community.id, id).await
}

/// The invitation behind a secret link, if it is still open and meant for this actor.
pub async fn invitation_by_secret(state: &App, actor: &Actor, secret: &str) -> Result<Invitation> {
    let account = me(actor)?;
    if secret.len() > 200 {
        return Err(Error::NotFound);
    }
    let invitation = state
        .store
        .invitation_by_token(&secrets::hash_secret(secret))
        .await?
        .ok_or(Error::NotFound)?;
    if invitation.account_id.is_some_and(|a| a != account) {
        return Err(Error::NotFound);
    }
    Ok(invitation)
}

/// The actor's account as it is stored now (its address may have been verified since the
/// request began).
async fn my_account(state: &App, actor: &Actor) -> Result<copse_core::domain::Account> {
    state
        .store
        .account(me(actor)?)
        .await?
        .ok_or(Error::Unauthenticated)
}

/// Accepts or declines an invitation found by its secret link or, for invitations addressed to
/// the account, by id.
pub async fn answer_invitation(
    state: &App,
    actor: &Actor,
    invitation: &Invitation,
    accept: bool,
) -> Result<()> {
    let account = my_account(state, actor).await?;
    copse_core::policy::check_take_invitation(&account, invitation)?;
    // Declining is always possible; joining an archived community is not (nothing can be done
    // in it until it is reopened).
    let community = state.store.community_by_id(invitation.community_id).await?;
    if accept && community.is_some_and(|c| c.archived.is_some()) {
        return Err(copse_core::policy::Refusal::Archived.into());
    }
    state
        .store
        .answer_invitation(invitation, account.id, accept)
        .await?;
    if accept {
        crate::welcome::queue_alone(state, invitation.community_id, account.id).await?;
    }
    Ok(())
}

/// The actor's own open invitations: by handle, and by their e-mail address once it is
/// verified (anyone could sign up with an address that is not theirs).
pub async fn my_invitations(state: &App, actor: &Actor) -> Result<Vec<Invitation>> {
    let account = my_account(state, actor).await?;
    let email = account.email_verified.then_some(account.email.as_str());
    state.store.invitations_for(account.id, email).await
}

pub async fn invitation_for_me(state: &App, actor: &Actor, id: i64) -> Result<Invitation> {
    my_invitations(state, actor)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or(Error::NotFound)
}

pub async fn set_role(
    state: &App,
    actor: &Actor,
    slug: &str,
    handle: &str,
    role: &str,
) -> Result<()> {
    let gated = gate(state, actor, slug, CommunityAction::ManageMembers).await?;
    let role = Role::parse_member_role(role)?;
    let target = member_account(state, &gated, handle).await?;
    state
        .store
        .set_role(gated.community.id, target, role, me(actor)?)
        .await
}

pub async fn remove(state: &App, actor: &Actor, slug: &str, handle: &str) -> Result<()> {
    let gated = gate(state, actor, slug, CommunityAction::ManageMembers).await?;
    let target = member_account(state, &gated, handle).await?;
    state
        .store
        .remove_member(gated.community.id, target, me(actor)?)
        .await
}

async fn member_account(state: &App, gated: &Gated, handle: &str) -> Result<AccountId> {
    let account = state
        .store
        .account_by_handle(handle)
        .await?
        .ok_or(Error::NotFound)?;
    let standing = state
        .store
        .standing(gated.community.id, Some(account.id))
        .await?;
    standing.role.ok_or(Error::NotFound)?;
    Ok(account.id)
}

/// A page of the member list (or of the observers), as the policy allows.
pub async fn members(
    state: &App,
    actor: &Actor,
    slug: &str,
    observers: bool,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<(Gated, Page<MemberEntry>)> {
    let gated = gate(state, actor, slug, CommunityAction::SeeMembers).await?;
    let after = Cursor::decode_opt(cursor)?;
    let page = state
        .store
        .members(
            gated.community.id,
            observers,
            clamp_limit(limit),
            after.as_ref(),
        )
        .await?;
    Ok((gated, page))
}

/// How many join requests wait — for those who review them; 0 for others.
pub async fn pending_count(state: &App, actor: &Actor, gated: &Gated) -> Result<usize> {
    if !gated.may(actor, CommunityAction::ReviewRequests) {
        return Ok(0);
    }
    Ok(state
        .store
        .pending_requests(gated.community.id)
        .await?
        .len())
}

/// Whether the actor has asked to join and waits for an answer.
pub async fn has_pending_request(state: &App, actor: &Actor, gated: &Gated) -> Result<bool> {
    match actor.account_id() {
        Some(me) => Ok(state
            .store
            .pending_request_of(gated.community.id, me)
            .await?
            .is_some()),
        None => Ok(false),
    }
}
