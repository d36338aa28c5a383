//! Membership: the roles people hold in a community, observers who follow it, join requests and
//! invitations.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::community::text_enum;
use super::text::multi_line;
use crate::clock::Millis;
use crate::domain::account::AccountId;
use crate::domain::community::CommunityId;
use crate::error::{Error, Result};

/// A person's standing in one community. Observers follow without joining; the other three are
/// members, and coordinators and leaders form the core group.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Observer,
    Member,
    Leader,
    Coordinator,
}

text_enum!(Role, "role", {
    Observer => "observer", Member => "member", Leader => "leader", Coordinator => "coordinator",
});

impl Role {
    pub fn is_member(self) -> bool {
        self != Role::Observer
    }

    /// The roles a member can be given (an observer is not given; one follows).
    pub fn parse_member_role(raw: &str) -> Result<Role> {
        match Role::parse(raw)? {
            Role::Observer => Err(Error::invalid(
                "role",
                "must be one of: member, leader, coordinator",
            )),
            role => Ok(role),
        }
    }
}

/// One row of a member list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberEntry {
    pub account_id: AccountId,
    pub handle: String,
    pub display_name: String,
    pub organisation: Option<String>,
    pub department: Option<String>,
    pub country: Option<String>,
    pub role: Role,
    pub joined_at: Millis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Approved,
    Declined,
    Withdrawn,
}

text_enum!(RequestStatus, "status", {
    Pending => "pending", Approved => "approved", Declined => "declined", Withdrawn => "withdrawn",
});

/// A question of the community and the applicant's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct JoinAnswer {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    pub id: i64,
    pub community_id: CommunityId,
    pub account_id: AccountId,
    pub handle: String,
    pub display_name: String,
    pub organisation: Option<String>,
    pub answers: Vec<JoinAnswer>,
    pub status: RequestStatus,
    pub created_at: Millis,
}

/// Pairs each join question with an answer; every question must be answered.
pub fn parse_join_answers(questions: &[String], answers: &[String]) -> Result<Vec<JoinAnswer>> {
    if answers.len() > questions.len() {
        return Err(Error::invalid(
            "answers",
            format!("this community asks {} question(s)", questions.len()),
        ));
    }
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let raw = answers.get(i).map(String::as_str).unwrap_or("");
            let answer = multi_line("answers", raw, 1, 2000).map_err(|_| {
                Error::invalid(
                    "answers",
                    format!("answer question {}: \"{q}\" (up to 2000 characters)", i + 1),
                )
            })?;
            Ok(JoinAnswer {
                question: q.clone(),
                answer,
            })
        })
        .collect()
}

/// An invitation to join, addressed to an account (by handle) or to an e-mail address. The
/// secret token in its link is what the invitee presents; only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub community_id: CommunityId,
    pub community_slug: String,
    pub community_name: String,
    pub invited_by_handle: String,
    pub invited_by: AccountId,
    pub account_id: Option<AccountId>,
    /// The address an invitation by e-mail was sent to.
    pub email: Option<String>,
    pub invitee_label: String,
    pub role: Role,
    pub status: RequestStatus,
    pub created_at: Millis,
    pub expires_at: Millis,
}

pub const INVITATION_LIFETIME_MS: Millis = 30 * 24 * 3600 * 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_question_needs_an_answer() {
        let qs = vec!["Where do you work?".to_string(), "Why join?".to_string()];
        let err = parse_join_answers(&qs, &["Ward 3".into()]).unwrap_err();
        assert!(
            matches!(err, Error::Invalid { ref message, .. } if message.contains("question 2"))
        );
        let ok = parse_join_answers(&qs, &["Ward 3".into(), "To learn".into()]).unwrap();
        assert_eq!(ok[1].answer, "To learn");
        assert!(parse_join_answers(&[], &["extra".into()]).is_err());
    }

    #[test]
    fn roles_order_from_observer_to_coordinator() {
        assert!(Role::Coordinator > Role::Leader && Role::Leader > Role::Member);
        assert!(!Role::Observer.is_member());
        assert!(Role::parse_member_role("observer").is_err());
    }
}
