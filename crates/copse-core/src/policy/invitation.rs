//! Who may take an invitation: the account it names, or — for an invitation sent to an e-mail
//! address — the account whose *verified* address it is. An unverified address proves nothing:
//! anyone can sign up with someone else's address.

use crate::domain::{Account, Invitation};
use crate::error::{Error, Result};

/// May `account` accept or decline this invitation?
pub fn check_take_invitation(account: &Account, invitation: &Invitation) -> Result<()> {
    if invitation.account_id.is_some_and(|a| a != account.id) {
        return Err(Error::NotFound);
    }
    let Some(address) = &invitation.email else {
        return Ok(());
    };
    if !address.eq_ignore_ascii_case(&account.email) {
        return Err(Error::forbidden(
            "This invitation was sent to another e-mail address: sign in with the account of \
             that address to answer it.",
        ));
    }
    if !account.email_verified {
        return Err(Error::forbidden(
            "Verify your e-mail address first: this invitation is for whoever owns it. Follow \
             the link we sent you (your account page sends a new one).",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AccountId, CommunityId, Profile, RequestStatus, Role};

    fn account(email: &str, verified: bool) -> Account {
        Account {
            id: AccountId(7),
            handle: "ada".into(),
            email: email.into(),
            profile: Profile::default(),
            is_admin: false,
            suspension: None,
            deleted: false,
            email_verified: verified,
            created_at: 0,
            profile_hidden: None,
        }
    }

    fn invitation(account_id: Option<AccountId>, email: Option<&str>) -> Invitation {
        Invitation {
            id: 1,
            community_id: CommunityId(2),
            community_slug: "ipc".into(),
            community_name: "IPC".into(),
            invited_by_handle: "maya".into(),
            invited_by: AccountId(3),
            account_id,
            email: email.map(str::to_string),
            invitee_label: String::new(),
            role: Role::Member,
            status: RequestStatus::Pending,
            created_at: 0,
            expires_at: 1,
        }
    }

    #[test]
    fn an_address_counts_only_once_verified() {
        let by_mail = invitation(None, Some("ada@example.org"));
        assert!(check_take_invitation(&account("ada@example.org", true), &by_mail).is_ok());
        assert!(check_take_invitation(&account("ADA@example.org", true), &by_mail).is_ok());
        assert!(matches!(
            check_take_invitation(&account("ada@example.org", false), &by_mail),
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            check_take_invitation(&account("eve@example.org", true), &by_mail),
            Err(Error::Forbidden(_))
        ));
    }

    #[test]
    fn an_invitation_by_handle_is_its_accounts_alone() {
        let mine = invitation(Some(AccountId(7)), None);
        let theirs = invitation(Some(AccountId(8)), None);
        let unverified = account("ada@example.org", false);
        assert!(check_take_invitation(&unverified, &mine).is_ok());
        assert!(matches!(
            check_take_invitation(&unverified, &theirs),
            Err(Error::NotFound)
        ));
    }
}
