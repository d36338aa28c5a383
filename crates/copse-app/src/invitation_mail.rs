//! Invitations that arrive: an invitation is mailed, in the transaction that makes it, to the
//! account it names (at its verified address) or to the address it was sent to. The e-mail
//! carries no secret: it leads to the invitations page, where the invited answer once signed in
//! with that address — verified, as an invitation by e-mail requires.

use copse_core::Result;
use copse_core::domain::RequestStatus;
use copse_store::Write;

use crate::app::App;
use crate::email_links::{self, LinkMail, readable_time};
use crate::jobs::{InvitationMail, Job};
use crate::mail::{Delivery, Postman};

/// Queues the e-mail of invitation `id`, in the caller's transaction.
pub async fn queue(w: &mut Write, id: i64) -> Result<()> {
    let now = w.now();
    let job = Job::InvitationEmail(InvitationMail {
        invitation: id,
        asked_at: now,
    });
    job.add(w, now).await?;
    Ok(())
}

/// Sends it, if the invitation is still open and its person may receive mail.
pub async fn send(app: &App, postman: &Postman, job: &InvitationMail) -> Result<()> {
    let Some(invitation) = app.store.invitation(job.invitation).await? else {
        return Ok(());
    };
    if invitation.status != RequestStatus::Pending || invitation.expires_at <= app.now() {
        return Ok(());
    }
    let (name, address, account) = match (invitation.account_id, &invitation.email) {
        (Some(id), _) => match app.store.account(id).await? {
            Some(a) if !a.is_suspended() && a.email_verified => {
                (a.profile.display_name.clone(), a.email.clone(), a.id)
            }
            _ => return Ok(()),
        },
        // Nobody has the address yet: the delivery is counted under the inviter.
        (None, Some(address)) => (address.clone(), address.clone(), invitation.invited_by),
        (None, None) => return Ok(()),
    };
    let lead = format!(
        "@{} invites you to {} on copse, as {}. A community of practice is a group of people \
         who share a domain and learn from each other.",
        invitation.invited_by_handle,
        invitation.community_name,
        invitation.role.as_str()
    );
    let validity = format!(
        "The invitation is open until {}. Sign in — or sign up — with this address to answer it.",
        readable_time(invitation.expires_at)
    );
    let subject = format!("You are invited to {}", invitation.community_name);
    let mail = email_links::compose(&LinkMail {
        to_name: &name,
        to_address: &address,
        subject: &subject,
        lead: &lead,
        action: "See the invitation",
        url: &app.absolute("/invitations"),
        validity: &validity,
        ignore: "If you do not know the sender, ignore this e-mail: nothing else will come of it.",
    })?;
    let delivery = Delivery {
        key: format!("invitation:{}:{}", invitation.id, job.asked_at),
        run: "invitations".into(),
        account,
        kind: "invitation",
        items: 1,
    };
    postman.deliver_one(app, &delivery, &mail).await
}
