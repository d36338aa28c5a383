//! Wire types of accounts: your account, profiles, sign-up, tokens and passwords.

use copse_core::clock::rfc3339;
use copse_core::domain::Account;
use copse_core::domain::ApiTokenInfo;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Your own account, with the private fields only you see.
#[derive(Serialize, ToSchema)]
pub struct MeView {
    pub id: i64,
    pub handle: String,
    pub email: String,
    #[serde(flatten)]
    pub profile: ProfileFields,
    pub is_admin: bool,
    /// Whether the address is verified: until it is, nothing but its verification link is
    /// mailed to it, and the site may refuse posts.
    pub email_verified: bool,
    /// RFC 3339 time.
    pub created_at: String,
    /// Why others do not see what your profile says about you (flagged, or by a site admin).
    pub profile_hidden: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ProfileFields {
    pub display_name: String,
    pub bio: Option<String>,
    pub organisation: Option<String>,
    pub department: Option<String>,
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub expertise: Vec<String>,
}

/// Another person's public profile. Never carries an e-mail address.
#[derive(Serialize, ToSchema)]
pub struct ProfileView {
    pub handle: String,
    #[serde(flatten)]
    pub profile: ProfileFields,
    pub created_at: String,
}

fn profile_fields(a: &Account) -> ProfileFields {
    let p = &a.profile;
    ProfileFields {
        display_name: p.display_name.clone(),
        bio: p.bio.clone(),
        organisation: p.organisation.clone(),
        department: p.department.clone(),
        country: p.country.clone(),
        time_zone: p.time_zone.clone(),
        expertise: p.expertise.clone(),
    }
}

impl From<&Account> for MeView {
    fn from(a: &Account) -> Self {
        MeView {
            id: a.id.get(),
            handle: a.handle.clone(),
            email: a.email.clone(),
            profile: profile_fields(a),
            is_admin: a.is_admin,
            email_verified: a.email_verified,
            created_at: rfc3339(a.created_at),
            profile_hidden: a.profile_hidden.clone(),
        }
    }
}

impl From<&Account> for ProfileView {
    fn from(a: &Account) -> Self {
        ProfileView {
            handle: a.handle.clone(),
            profile: profile_fields(a),
            created_at: rfc3339(a.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    /// 2–32 characters: a-z, 0-9 and _.
    #[schema(pattern = "^@?[A-Za-z0-9_]{2,32}$")]
    pub handle: String,
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    /// Defaults to the handle.
    #[schema(max_length = 80)]
    pub display_name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
    /// A label to recognise the token by, e.g. "laptop".
    #[schema(max_length = 100)]
    pub name: Option<String>,
    /// What the token may do: any of `read`, `write` and (site admins) `admin`. Default: all
    /// the account may hold.
    pub scopes: Option<Vec<String>>,
    /// Days until the token stops working (1–366). Default: until revoked.
    pub expires_in_days: Option<i64>,
}

/// A new API token. `token` is shown only in this response.
#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    pub id: i64,
    pub name: String,
    pub token: String,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
}

impl From<&ApiTokenInfo> for TokenView {
    fn from(t: &ApiTokenInfo) -> Self {
        TokenView {
            id: t.id,
            name: t.name.clone(),
            scopes: t.scopes.words().iter().map(|w| w.to_string()).collect(),
            created_at: rfc3339(t.created_at),
            last_used_at: t.last_used_at.map(rfc3339),
            expires_at: t.expires_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenView>,
}

/// Profile fields to change; absent fields stay, empty strings clear.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    #[schema(min_length = 1, max_length = 80)]
    pub display_name: Option<String>,
    #[schema(max_length = 2000)]
    pub bio: Option<String>,
    #[schema(max_length = 120)]
    pub organisation: Option<String>,
    #[schema(max_length = 120)]
    pub department: Option<String>,
    #[schema(max_length = 60)]
    pub country: Option<String>,
    /// An IANA time zone such as `Europe/Berlin`.
    pub time_zone: Option<String>,
    #[schema(max_items = 20)]
    pub expertise: Option<Vec<String>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    #[schema(min_length = 10, max_length = 256)]
    pub new_password: String,
}
