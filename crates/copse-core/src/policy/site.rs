//! The rules for the site as a whole: what only site admins may do (the job queue, e-mail
//! runs, and — soon — user administration).

use super::actor::Actor;
use crate::error::{Error, Result};

/// Site admins may; other accounts are refused, anonymous visitors asked to sign in.
pub fn check_site_admin(actor: &Actor) -> Result<()> {
    match actor {
        Actor::Account { is_admin: true, .. } => Ok(()),
        Actor::Account { .. } => Err(Error::forbidden("Only site admins see this.")),
        Actor::Anonymous => Err(Error::Unauthenticated),
    }
}
