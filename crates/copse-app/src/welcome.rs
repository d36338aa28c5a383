//! A welcome for every new member: once per person and community, an e-mail that says they
//! are in and leads to the community's first steps — what it is about, the questions waiting
//! for an answer, introducing oneself, choosing what copse e-mails.

use copse_core::Result;
use copse_core::domain::{AccountId, CommunityId};
use copse_store::Write;

use crate::app::App;
use crate::email_links::{self, LinkMail};
use crate::jobs::{Job, Welcome};
use crate::mail::{Delivery, Postman};
use crate::markdown;

/// Queues the welcome of `account` to `community`, in the caller's transaction. The job's key
/// is the pair, so a person who leaves and comes back is not welcomed twice.
pub async fn queue(w: &mut Write, community: CommunityId, account: AccountId) -> Result<()> {
    let now = w.now();
    Job::Welcome(Welcome { community, account })
        .add(w, now)
        .await
        .map(|_| ())
}

/// The same on its own, after an admission that has committed.
pub async fn queue_alone(app: &App, community: CommunityId, account: AccountId) -> Result<()> {
    let mut w = app.store.write().await?;
    let queued = queue(&mut w, community, account).await;
    w.finish(queued).await
}

/// Sends it, if the person is still a member and may receive mail.
pub async fn send(app: &App, postman: &Postman, job: &Welcome) -> Result<()> {
    let Some(person) = app.store.account(job.account).await? else {
        return Ok(());
    };
    if person.is_suspended() || person.deleted || !person.email_verified {
        return Ok(());
    }
    let Some(community) = app.store.community_by_id(job.community).await? else {
        return Ok(());
    };
    let standing = app.store.standing(community.id, Some(person.id)).await?;
    if !standing.role.is_some_and(|r| r.is_member()) {
        return Ok(());
    }
    let lead = format!(
        "You are a member of {} now. What it is about: {}",
        community.name,
        markdown::excerpt(&community.domain_statement, 300)
    );
    let subject = format!("Welcome to {}", community.name);
    let mail = email_links::compose(&LinkMail {
        to_name: &person.profile.display_name,
        to_address: &person.email,
        subject: &subject,
        lead: &lead,
        action: "Take your first steps",
        url: &app.absolute(&format!("/c/{}", community.slug)),
        validity: "First steps: read the questions waiting for an answer on the community's \
                   page — yours may be the one that helps —, introduce yourself in a new thread, \
                   and choose what copse e-mails you under Settings → E-mail.",
        ignore: "You get this e-mail once, when you join a community.",
    })?;
    let delivery = Delivery {
        key: format!("welcome:{}:{}", community.id.get(), person.id.get()),
        run: "welcomes".into(),
        account: person.id,
        kind: "welcome",
        items: 1,
    };
    postman.deliver_one(app, &delivery, &mail).await
}
