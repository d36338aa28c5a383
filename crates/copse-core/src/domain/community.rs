//! Communities: a domain (the shared learning need, kept with its history), how open the community
//! is, how people join, and the stage of its life.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::text::{multi_line, single_line};
use crate::clock::Millis;
use crate::domain::account::AccountId;
use crate::error::{Error, Result};

pub use super::ids::CommunityId;

/// The community's address: `[a-z0-9-]{2,64}`, not starting or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

/// Slugs that would clash with pages of the site itself.
const RESERVED_SLUGS: &[&str] = &["new", "api", "admin", "static", "assets"];

impl Slug {
    pub fn parse(raw: &str) -> Result<Self> {
        let value = raw.trim();
        let chars_ok = value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !(2..=64).contains(&value.len()) || !chars_ok {
            return Err(Error::invalid(
                "slug",
                "must be 2–64 characters of a-z, 0-9 and -",
            ));
        }
        if value.starts_with('-') || value.ends_with('-') {
            return Err(Error::invalid("slug", "must not start or end with -"));
        }
        if RESERVED_SLUGS.contains(&value) {
            return Err(Error::invalid("slug", "is reserved; choose another"));
        }
        Ok(Slug(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who may read a community's public spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Anyone may read its public spaces.
    Public,
    /// Only members see more than its name and domain statement (and only when listed).
    Private,
}

/// How a person becomes a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JoinPolicy {
    Open,
    Approval,
    Invitation,
}

/// The stage of a community's life (Wenger, McDermott & Snyder 2002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Potential,
    Coalescing,
    Maturing,
    Stewardship,
    Transformation,
}

macro_rules! text_enum {
    ($ty:ty, $field:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self> {
                match raw.trim() {
                    $($text => Ok(<$ty>::$variant),)+
                    _ => Err(Error::invalid(
                        $field,
                        format!("must be one of: {}", [$($text),+].join(", ")),
                    )),
                }
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(Visibility, "visibility", { Public => "public", Private => "private" });
text_enum!(JoinPolicy, "join_policy", { Open => "open", Approval => "approval", Invitation => "invitation" });
text_enum!(Stage, "stage", {
    Potential => "potential", Coalescing => "coalescing", Maturing => "maturing",
    Stewardship => "stewardship", Transformation => "transformation",
});

impl Stage {
    /// One sentence for people who have not read the literature.
    pub fn describe(self) -> &'static str {
        match self {
            Stage::Potential => {
                "People are discovering a shared interest and what it could become."
            }
            Stage::Coalescing => {
                "The community is forming: first meetings, first shared resources."
            }
            Stage::Maturing => "The community is growing its practice and clarifying its focus.",
            Stage::Stewardship => "An established community keeping its practice relevant.",
            Stage::Transformation => {
                "The community is changing shape: merging, splitting or winding down."
            }
        }
    }
}

pub const MAX_JOIN_QUESTIONS: usize = 5;
pub const MAX_DOMAIN_STATEMENT: usize = 20_000;

pub fn parse_name(raw: &str) -> Result<String> {
    single_line("name", raw, 2, 100)
}

pub fn parse_domain_statement(raw: &str) -> Result<String> {
    multi_line("domain_statement", raw, 1, MAX_DOMAIN_STATEMENT)
}

pub fn parse_join_questions(raw: &[String]) -> Result<Vec<String>> {
    if raw.len() > MAX_JOIN_QUESTIONS {
        return Err(Error::invalid(
            "join_questions",
            format!("at most {MAX_JOIN_QUESTIONS} questions"),
        ));
    }
    let questions: Vec<String> = raw
        .iter()
        .filter(|q| !q.trim().is_empty())
        .map(|q| single_line("join_questions", q, 1, 300))
        .collect::<Result<_>>()?;
    if questions.len() > MAX_JOIN_QUESTIONS {
        return Err(Error::invalid(
            "join_questions",
            format!("at most {MAX_JOIN_QUESTIONS} questions"),
        ));
    }
    Ok(questions)
}

pub fn parse_change_reason(raw: Option<&str>) -> Result<Option<String>> {
    match raw {
        Some(r) if !r.trim().is_empty() => single_line("reason", r, 1, 300).map(Some),
        _ => Ok(None),
    }
}

/// A community as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Community {
    pub id: CommunityId,
    pub slug: String,
    pub name: String,
    pub domain_statement: String,
    pub visibility: Visibility,
    /// Whether a private community appears in the directory to non-members.
    pub listed: bool,
    pub join_policy: JoinPolicy,
    pub join_questions: Vec<String>,
    pub stage: Stage,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub moderation: ModerationSettings,
    /// Set while the community is archived: read-only everywhere until it is reopened.
    pub archived: Option<Archived>,
}

/// When, why and by whom a community was archived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archived {
    pub at: Millis,
    pub reason: String,
    pub by_handle: String,
}

/// The longest reason a coordinator may give for archiving.
pub const MAX_ARCHIVE_REASON_CHARS: usize = 500;

/// A reason for archiving: trimmed, 1–500 characters.
pub fn archive_reason(text: &str) -> crate::Result<String> {
    let reason = text.trim();
    if reason.is_empty() {
        return Err(crate::Error::invalid(
            "reason",
            "say why the community is archived: members will read it",
        ));
    }
    if reason.chars().count() > MAX_ARCHIVE_REASON_CHARS {
        return Err(crate::Error::invalid(
            "reason",
            format!("at most {MAX_ARCHIVE_REASON_CHARS} characters"),
        ));
    }
    Ok(reason.to_string())
}

/// How a community moderates: whether its leaders moderate beside its coordinators, and how
/// many flags from established members hide a post until a moderator looks at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ModerationSettings {
    pub leaders_moderate: bool,
    pub flags_to_hide: i64,
    /// A member's first posts here (this many) wait for a moderator's approval; 0: none wait.
    pub approve_first_posts: i64,
}

impl Default for ModerationSettings {
    fn default() -> Self {
        ModerationSettings {
            leaders_moderate: false,
            flags_to_hide: 3,
            approve_first_posts: 0,
        }
    }
}

impl ModerationSettings {
    /// From a settings form: `flags_to_hide` between 1 and 50, `approve_first_posts` between
    /// 0 and 20.
    pub fn parse(
        leaders_moderate: bool,
        flags_to_hide: Option<&str>,
        approve_first_posts: Option<&str>,
    ) -> Result<Self> {
        Ok(ModerationSettings {
            leaders_moderate,
            flags_to_hide: whole("flags_to_hide", flags_to_hide, 3, 1..=50)?,
            approve_first_posts: whole("approve_first_posts", approve_first_posts, 0, 0..=20)?,
        })
    }
}

/// A whole number of a form, in `range`; `default` when left out.
fn whole(
    field: &str,
    raw: Option<&str>,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64> {
    let n = match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => default,
        Some(r) => r
            .parse()
            .map_err(|_| Error::invalid(field, "must be a whole number"))?,
    };
    if !range.contains(&n) {
        return Err(Error::invalid(
            field,
            format!("must be between {} and {}", range.start(), range.end()),
        ));
    }
    Ok(n)
}

/// A validated new community.
#[derive(Debug, Clone)]
pub struct NewCommunity {
    pub slug: Slug,
    pub name: String,
    pub domain_statement: String,
    pub visibility: Visibility,
    pub listed: bool,
    pub join_policy: JoinPolicy,
    pub join_questions: Vec<String>,
    pub stage: Stage,
}

/// A validated change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CommunityChange {
    pub name: Option<String>,
    pub domain_statement: Option<String>,
    /// Why the domain statement changed; kept in its history.
    pub reason: Option<String>,
    pub visibility: Option<Visibility>,
    pub listed: Option<bool>,
    pub join_policy: Option<JoinPolicy>,
    pub join_questions: Option<Vec<String>>,
    pub stage: Option<Stage>,
}

impl CommunityChange {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.domain_statement.is_none()
            && self.visibility.is_none()
            && self.listed.is_none()
            && self.join_policy.is_none()
            && self.join_questions.is_none()
            && self.stage.is_none()
    }
}

/// One version of the domain statement: who wrote it, when, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRevision {
    pub id: i64,
    pub body: String,
    pub reason: Option<String>,
    pub author_handle: String,
    pub author_name: String,
    pub created_at: Millis,
    /// The community this version was written for, when that one was merged into this.
    pub merged_from: Option<String>,
}

/// One entry of the stage log: a change of stage, or the community archived or reopened (its
/// stage then stays what it was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageChange {
    pub from: Option<Stage>,
    pub to: Stage,
    pub kind: StageChangeKind,
    /// The reason given for archiving; the merged community's name.
    pub note: Option<String>,
    pub author_handle: String,
    pub created_at: Millis,
    /// The community this entry was logged in, when that one was merged into this.
    pub merged_from: Option<String>,
}

/// What an entry of the stage log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StageChangeKind {
    Stage,
    Archived,
    Reopened,
    /// Another community was merged into this one (the note names it).
    Merged,
    /// A new community was split off this one (the note names it).
    SplitOff,
    /// This community was split off another (the note names it).
    SplitFrom,
}

impl StageChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StageChangeKind::Stage => "stage",
            StageChangeKind::Archived => "archived",
            StageChangeKind::Reopened => "reopened",
            StageChangeKind::Merged => "merged",
            StageChangeKind::SplitOff => "split_off",
            StageChangeKind::SplitFrom => "split_from",
        }
    }

    pub fn parse(s: &str) -> crate::Result<Self> {
        match s {
            "stage" => Ok(StageChangeKind::Stage),
            "archived" => Ok(StageChangeKind::Archived),
            "reopened" => Ok(StageChangeKind::Reopened),
            "merged" => Ok(StageChangeKind::Merged),
            "split_off" => Ok(StageChangeKind::SplitOff),
            "split_from" => Ok(StageChangeKind::SplitFrom),
            other => Err(crate::Error::internal(format!("stage log kind {other:?}"))),
        }
    }
}

/// How far a community reaches: distinct organisations and countries among its members.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    pub members: i64,
    pub observers: i64,
    pub organisations: i64,
    pub departments: i64,
    pub countries: i64,
}

/// Who created what, for the store's records.
#[derive(Debug, Clone, Copy)]
pub struct Author(pub AccountId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_documented_shape() {
        assert!(Slug::parse("infection-control").is_ok());
        assert!(Slug::parse("gis2").is_ok());
        for bad in [
            "a",
            "Has-Caps",
            "with space",
            "-lead",
            "trail-",
            "new",
            &"a".repeat(65),
            "é-x",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn enums_parse_their_text_and_name_the_field() {
        assert_eq!(Stage::parse("maturing").unwrap(), Stage::Maturing);
        let err = JoinPolicy::parse("closed").unwrap_err();
        assert!(matches!(err, Error::Invalid { ref field, .. } if field == "join_policy"));
        for v in Visibility::ALL {
            assert_eq!(Visibility::parse(v.as_str()).unwrap(), *v);
        }
    }

    #[test]
    fn join_questions_are_bounded() {
        let six: Vec<String> = (0..6).map(|i| format!("q{i}")).collect();
        assert!(parse_join_questions(&six).is_err());
        assert_eq!(
            parse_join_questions(&["Where do you work?".into(), " ".into()]).unwrap(),
            vec!["Where do you work?".to_string()]
        );
    }
}
