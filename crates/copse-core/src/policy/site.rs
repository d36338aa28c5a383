//! The rules for the site as a whole: what only site admins may do (the job queue, e-mail
//! runs, user administration).

use super::actor::Actor;
use crate::domain::{Account, Scope, Scopes};
use crate::error::{Error, Result};

/// Site admins may; other accounts are refused, anonymous visitors asked to sign in.
pub fn check_site_admin(actor: &Actor) -> Result<()> {
    match actor {
        Actor::Account { is_admin: true, .. } => Ok(()),
        Actor::Account { .. } => Err(Error::forbidden("Only site admins see this.")),
        Actor::Anonymous => Err(Error::Unauthenticated),
    }
}

/// Who may upload a file: anyone signed in whose address the site does not wait to verify (an
/// upload is the start of a post; where it may go is asked when the post is saved).
pub fn check_upload(actor: &Actor) -> Result<()> {
    match actor {
        Actor::Anonymous => Err(Error::Unauthenticated),
        Actor::Account {
            must_verify: true, ..
        } => Err(Error::forbidden(super::actor::VERIFY_FIRST)),
        Actor::Account { .. } => Ok(()),
    }
}

/// Who may read an upload not attached to anything yet: the one who uploaded it.
pub fn reads_unattached_file(actor: &Actor, owner: crate::domain::AccountId) -> bool {
    actor.account_id() == Some(owner)
}

/// Who reads a profile's own words while flags or a site admin hide them: its owner and the
/// site's admins (who review profiles).
pub fn reads_hidden_profile(actor: &Actor, owner: crate::domain::AccountId) -> bool {
    actor.is_admin() || actor.account_id() == Some(owner)
}

/// Who may flag a message or a profile they can see: anyone signed in, but not what they
/// wrote themselves.
pub fn check_flag_own(actor: &Actor, author: crate::domain::AccountId) -> Result<()> {
    match actor.account_id() {
        None => Err(Error::Unauthenticated),
        Some(me) if me == author => Err(Error::forbidden("You cannot flag what you wrote.")),
        Some(_) => Ok(()),
    }
}

/// May a request made with a token of these scopes do what needs `scope`? The refusal names
/// the scope, so a script's author knows which token to make.
pub fn check_token_scope(scopes: &Scopes, scope: Scope) -> Result<()> {
    if scopes.allows(scope) {
        Ok(())
    } else {
        Err(Error::forbidden(format!(
            "This API token lacks the `{}` scope; make a token with it.",
            scope.as_str()
        )))
    }
}

/// What a site admin does to an account from the user administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAction {
    Suspend,
    Restore,
    MakeAdmin,
    RemoveAdmin,
    SendPasswordReset,
    Delete,
}

/// May the actor do this to `target`? Only site admins may; and some deeds are refused even
/// to them, with what to do instead: nobody suspends themselves or another admin (remove the
/// role first), and a suspended account is restored before it is made an admin. Removing the
/// last admin is refused by the use case, which counts them in its transaction.
pub fn check_account_action(actor: &Actor, target: &Account, action: AccountAction) -> Result<()> {
    check_site_admin(actor)?;
    let own = actor.account_id() == Some(target.id);
    match action {
        AccountAction::Suspend if own => Err(Error::conflict("You cannot suspend yourself.")),
        AccountAction::Suspend if target.is_admin => Err(Error::conflict(format!(
            "@{} is a site admin: remove their admin role before suspending them.",
            target.handle
        ))),
        AccountAction::Delete if own => Err(Error::conflict(
            "Delete your own account from Settings → Your data.",
        )),
        AccountAction::Delete if target.is_admin => Err(Error::conflict(format!(
            "@{} is a site admin: remove their admin role before deleting the account.",
            target.handle
        ))),
        AccountAction::MakeAdmin if target.is_suspended() => Err(Error::conflict(format!(
            "@{} is suspended: restore them before making them an admin.",
            target.handle
        ))),
        _ => Ok(()),
    }
}
