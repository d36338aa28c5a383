//! Who is asking and how they stand in a community, and the shape of every answer: allow, or
//! deny as hidden, sign-in or forbidden.

use crate::clock::{Millis, rfc3339};
use crate::domain::{Account, AccountId, Role};
use crate::error::Error;

/// Who is asking. Suspended accounts never become an `Actor::Account`: the sign-in layer refuses
/// their sessions and tokens, so they are anonymous to the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    Account {
        id: AccountId,
        is_admin: bool,
        /// The site waits for this account to verify its e-mail address before it may post
        /// (its address is unverified and the site requires verification).
        must_verify: bool,
    },
}

impl Actor {
    /// The actor of a signed-in account; `require_verified` is the site's setting that an
    /// address must be verified before its account posts.
    pub fn of(account: &Account, require_verified: bool) -> Actor {
        Actor::Account {
            id: account.id,
            is_admin: account.is_admin,
            must_verify: require_verified && !account.email_verified,
        }
    }

    pub fn account_id(&self) -> Option<AccountId> {
        match self {
            Actor::Anonymous => None,
            Actor::Account { id, .. } => Some(*id),
        }
    }

    pub(crate) fn is_admin(&self) -> bool {
        matches!(self, Actor::Account { is_admin: true, .. })
    }

    /// A signed-in account that may read but not post until its e-mail address is verified.
    pub(crate) fn must_verify(&self) -> bool {
        matches!(
            self,
            Actor::Account {
                must_verify: true,
                ..
            }
        )
    }
}

/// The actor's relation to one community, as the store reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    /// `Some(Observer)` for followers, another role for members, `None` for outsiders.
    pub role: Option<Role>,
    /// The actor holds a pending invitation to this community.
    pub invited: bool,
    /// A moderator silenced the actor here until then (only a silence still running is set).
    pub silenced_until: Option<Millis>,
}

impl Standing {
    pub(crate) fn is_member(&self) -> bool {
        self.role.is_some_and(Role::is_member)
    }

    pub(crate) fn has_role_at_least(&self, role: Role) -> bool {
        self.role.is_some_and(|r| r.is_member() && r >= role)
    }
}

/// Why an unverified account may not post yet, and what to do about it.
pub const VERIFY_FIRST: &str = "Verify your e-mail address first: follow the link we sent you \
     (your account page sends a new one).";

/// Why an action was refused; maps one-to-one onto [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The actor may not know the thing exists.
    Hidden,
    /// The actor must sign in first.
    SignIn,
    /// The actor sees the thing but may not do this; the text says why.
    Forbidden(&'static str),
    /// The actor may read but not post here until then: a moderator silenced them.
    Silenced { until: Millis },
    /// The community is archived: read-only until a coordinator reopens it.
    Archived,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(Refusal),
}

impl Decision {
    pub fn allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// What an archived community answers to any change.
pub const ARCHIVED: &str =
    "This community is archived: it is read-only until a coordinator reopens it.";

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Hidden => Error::NotFound,
            Refusal::SignIn => Error::Unauthenticated,
            Refusal::Forbidden(why) => Error::Forbidden(why.to_string()),
            Refusal::Archived => Error::conflict(ARCHIVED),
            Refusal::Silenced { until } => Error::Forbidden(format!(
                "A moderator silenced you in this community until {}: you can read, but not \
                 post or reply until then.",
                rfc3339(until).replace('T', " ").replace('Z', " UTC")
            )),
        }
    }
}
