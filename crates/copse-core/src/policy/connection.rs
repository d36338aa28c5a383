//! The rules between two people: connection requests and their answers, meeting times, and
//! writing in a conversation. A block stands between two people both ways.

use super::Actor;
use crate::error::{Error, Result};

/// What someone may do with a connection request they are part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionAction {
    /// The person asked accepts or declines.
    Answer,
    /// The person who asked takes it back.
    Withdraw,
    /// The other person picks one of the proposed times.
    PickTime { proposed_by_actor: bool },
}

/// The facts of one request, seen from the actor (who is one of its two people).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionFacts {
    pub actor_asked: bool,
    pub actor_was_asked: bool,
    pub blocked: bool,
}

pub fn check_connection(facts: &ConnectionFacts, action: ConnectionAction) -> Result<()> {
    match action {
        ConnectionAction::Answer if !facts.actor_was_asked => Err(Error::forbidden(
            "Only the person asked can accept or decline.",
        )),
        ConnectionAction::Answer if facts.blocked => {
            Err(Error::forbidden("A block stands between you."))
        }
        ConnectionAction::Withdraw if !facts.actor_asked => {
            Err(Error::forbidden("Only the person who asked can withdraw."))
        }
        ConnectionAction::PickTime {
            proposed_by_actor: true,
        } => Err(Error::forbidden(
            "The other person picks one of your times.",
        )),
        _ => Ok(()),
    }
}

/// Whether the actor reads a message (its words and its files): the conversation's people do,
/// and a hidden message stays with its author — as the conversation's page shows it.
pub fn reads_message(
    actor: &Actor,
    in_conversation: bool,
    hidden: bool,
    author: crate::domain::AccountId,
) -> bool {
    in_conversation && (!hidden || super::reads_hidden(actor, author, false))
}

/// Whether the actor may write in a conversation: not while a block stands between them and
/// someone in it.
pub fn check_write_message(blocked: bool) -> Result<()> {
    if blocked {
        Err(Error::forbidden(
            "You cannot write here: a block stands between you and someone in this conversation.",
        ))
    } else {
        Ok(())
    }
}
