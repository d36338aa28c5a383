//! API tokens: what a token may do (its scopes) and until when. A token never does more than
//! its account may; scopes narrow it further.

use std::collections::BTreeSet;

use crate::clock::{DAY, Millis};
use crate::error::{Error, Result};

/// What a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Read what the account may read (GET).
    Read,
    /// Change things (POST, PUT, PATCH, DELETE).
    Write,
    /// The site administration API (`/api/v1/admin/…`), for site admins.
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Read, Scope::Write, Scope::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Scope> {
        Scope::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| Error::invalid("scopes", "each scope is read, write or admin"))
    }
}

/// A token's scopes, stored as words separated by spaces.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(pub BTreeSet<Scope>);

impl Scopes {
    /// What a new token gets when none are asked for: all its account may hold.
    pub fn all_for(is_admin: bool) -> Scopes {
        let mut set = BTreeSet::from([Scope::Read, Scope::Write]);
        if is_admin {
            set.insert(Scope::Admin);
        }
        Scopes(set)
    }

    /// Scopes asked for a new token: known words, at least one, `admin` for site admins only.
    pub fn requested(words: &[String], is_admin: bool) -> Result<Scopes> {
        let set = words
            .iter()
            .map(|w| Scope::parse(w))
            .collect::<Result<BTreeSet<_>>>()?;
        if set.is_empty() {
            return Err(Error::invalid("scopes", "name at least one scope"));
        }
        if set.contains(&Scope::Admin) && !is_admin {
            return Err(Error::invalid(
                "scopes",
                "only site admins may hold the admin scope",
            ));
        }
        Ok(Scopes(set))
    }

    /// Stored scopes; unknown words (from a later version) grant nothing.
    pub fn from_stored(text: &str) -> Scopes {
        Scopes(
            text.split_whitespace()
                .filter_map(|w| Scope::parse(w).ok())
                .collect(),
        )
    }

    pub fn to_stored(&self) -> String {
        self.words().join(" ")
    }

    pub fn words(&self) -> Vec<&'static str> {
        self.0.iter().map(|s| s.as_str()).collect()
    }

    pub fn allows(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }
}

/// The longest life a token may be given, in days.
pub const MAX_TOKEN_DAYS: i64 = 366;

/// When a token made at `now` to last `days` expires (`None`: until revoked).
pub fn token_expiry(now: Millis, days: Option<i64>) -> Result<Option<Millis>> {
    match days {
        None => Ok(None),
        Some(d) if (1..=MAX_TOKEN_DAYS).contains(&d) => Ok(Some(now + d * DAY)),
        Some(_) => Err(Error::invalid(
            "expires_in_days",
            format!("must be between 1 and {MAX_TOKEN_DAYS}"),
        )),
    }
}

/// A token as its owner sees it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub scopes: Scopes,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub expires_at: Option<Millis>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_known_words_and_admin_is_for_admins() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Scopes::requested(&words(&["read"]), false).unwrap().words(),
            ["read"]
        );
        assert!(Scopes::requested(&words(&["admin"]), false).is_err());
        assert!(Scopes::requested(&words(&["admin"]), true).is_ok());
        assert!(Scopes::requested(&words(&["sudo"]), true).is_err());
        assert!(Scopes::requested(&[], true).is_err());
        assert_eq!(Scopes::all_for(false).to_stored(), "read write");
        assert_eq!(Scopes::from_stored("read later").words(), ["read"]);
    }

    #[test]
    fn expiry_is_bounded() {
        assert_eq!(token_expiry(0, None).unwrap(), None);
        assert_eq!(token_expiry(0, Some(1)).unwrap(), Some(DAY));
        assert!(token_expiry(0, Some(0)).is_err());
        assert!(token_expiry(0, Some(MAX_TOKEN_DAYS + 1)).is_err());
    }
}
