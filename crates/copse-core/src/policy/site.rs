//! The rules for the site as a whole: what only site admins may do (the job queue, e-mail
//! runs, and — soon — user administration).

use super::actor::Actor;
use crate::domain::{Scope, Scopes};
use crate::error::{Error, Result};

/// Site admins may; other accounts are refused, anonymous visitors asked to sign in.
pub fn check_site_admin(actor: &Actor) -> Result<()> {
    match actor {
        Actor::Account { is_admin: true, .. } => Ok(()),
        Actor::Account { .. } => Err(Error::forbidden("Only site admins see this.")),
        Actor::Anonymous => Err(Error::Unauthenticated),
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
