//! The rules for changing an event (its details, occurrences, attendance, recap): its hosts who
//! are still members, and the community's coordinators and leaders. Who may *see* an event is
//! the thread policy's: an event lives in a space like a thread.

use super::actor::{Actor, Refusal, Standing};
use super::community::{CommunityAction, CommunityFacts, decide};
use crate::error::{Error, Result};

pub fn check_manage_event(
    actor: &Actor,
    standing: &Standing,
    community: &CommunityFacts,
    is_host: bool,
) -> Result<()> {
    if actor.account_id().is_none() {
        return Err(Error::Unauthenticated);
    }
    if community.archived {
        return Err(Refusal::Archived.into());
    }
    let host = is_host && standing.is_member();
    if host || decide(actor, standing, community, CommunityAction::Curate).allowed() {
        Ok(())
    } else {
        Err(Error::forbidden(
            "Only the event's hosts, coordinators and leaders may change it.",
        ))
    }
}
