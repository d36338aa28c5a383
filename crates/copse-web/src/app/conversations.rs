//! Direct conversations between a few members who share a community, their messages and read
//! state, and blocking. A conversation is for its people only: anyone else gets "not found".

use copse_core::domain::text::single_line;
use copse_core::domain::{AccountId, parse_body};
use copse_core::policy::Actor;
use copse_core::{Error, Result};
use copse_store::{Conversation, ConversationId, Message};

use crate::state::AppState;

/// The most people in one conversation, the starter included.
pub const MAX_PEOPLE: usize = 20;
/// New conversations one member may start per day.
pub const MAX_NEW_PER_DAY: i64 = 20;
const DAY: i64 = 24 * 3600 * 1000;
/// Messages shown per conversation.
pub const MESSAGES_SHOWN: i64 = 500;

fn me(actor: &Actor) -> Result<AccountId> {
    actor.account_id().ok_or(Error::Unauthenticated)
}

/// Resolves handles to people the actor may write to: members of a community the actor is a
/// member of, who have not blocked the actor (nor been blocked by them). Everyone who fails
/// gets the same message, so the answer does not tell blocked from unknown.
pub(crate) async fn reachable(
    state: &AppState,
    actor: AccountId,
    handle: &str,
) -> Result<(AccountId, i64)> {
    let handle = handle.trim().trim_start_matches('@');
    let unreachable = || {
        Error::invalid(
            "people",
            format!("@{handle} is not someone you can write to (you must share a community)"),
        )
    };
    let account = state
        .store
        .account_by_handle(handle)
        .await?
        .filter(|a| !a.suspended)
        .ok_or_else(unreachable)?;
    if account.id == actor || state.store.blocked_between(actor, account.id).await? {
        return Err(unreachable());
    }
    let community = state
        .store
        .shared_community(actor, account.id)
        .await?
        .ok_or_else(unreachable)?;
    Ok((account.id, community))
}

/// Starts a conversation with up to 19 others and a first message.
pub async fn start(
    state: &AppState,
    actor: &Actor,
    handles: &[String],
    subject: &str,
    body: &str,
) -> Result<Conversation> {
    let me = me(actor)?;
    if handles.is_empty() {
        return Err(Error::invalid("people", "name at least one person"));
    }
    if handles.len() >= MAX_PEOPLE {
        return Err(Error::invalid(
            "people",
            format!("a conversation has at most {MAX_PEOPLE} people, you included"),
        ));
    }
    let subject = single_line("subject", subject, 1, 200)?;
    let body = parse_body(body)?;
    let since = state.store.now() - DAY;
    if state.store.conversations_started_since(me, since).await? >= MAX_NEW_PER_DAY {
        return Err(Error::TooManyRequests(
            "You have started many conversations today; try again tomorrow.".into(),
        ));
    }
    let mut people = vec![me];
    let mut community = None;
    for handle in handles {
        let (id, shared) = reachable(state, me, handle).await?;
        community.get_or_insert(shared);
        if !people.contains(&id) {
            people.push(id);
        }
    }
    let community = community.expect("at least one person");
    let id = state
        .store
        .create_conversation(community, me, &people, &subject, &body)
        .await?;
    if let Some(first) = state.store.messages(id, 1).await?.first() {
        crate::note_mail::queue_message(state, id, first.id, me, &people).await?;
    }
    state
        .store
        .conversation_for(id, me)
        .await?
        .ok_or(Error::NotFound)
}

/// The actor's conversations, newest first.
pub async fn list(state: &AppState, actor: &Actor, limit: i64) -> Result<Vec<Conversation>> {
    let me = me(actor)?;
    state.store.conversations_of(me, limit.clamp(1, 200)).await
}

/// One conversation with its messages; reading it marks it read.
pub async fn open(
    state: &AppState,
    actor: &Actor,
    id: ConversationId,
) -> Result<(Conversation, Vec<Message>)> {
    let me = me(actor)?;
    let conversation = state
        .store
        .conversation_for(id, me)
        .await?
        .ok_or(Error::NotFound)?;
    let messages = state.store.messages(id, MESSAGES_SHOWN).await?;
    state.store.mark_conversation_read(id, me).await?;
    Ok((conversation, messages))
}

/// Writes in a conversation. Refused when someone in it has blocked the writer (or the writer
/// them): a block stops new messages both ways.
pub async fn send(
    state: &AppState,
    actor: &Actor,
    id: ConversationId,
    body: &str,
) -> Result<Message> {
    let me = me(actor)?;
    let conversation = state
        .store
        .conversation_for(id, me)
        .await?
        .ok_or(Error::NotFound)?;
    let body = parse_body(body)?;
    for person in conversation.people.iter().filter(|p| p.id != me) {
        if state.store.blocked_between(me, person.id).await? {
            return Err(Error::forbidden(
                "You cannot write here: a block stands between you and someone in this conversation.",
            ));
        }
    }
    let message = state.store.add_message(id, me, &body).await?;
    let people: Vec<i64> = conversation.people.iter().map(|p| p.id).collect();
    crate::note_mail::queue_message(state, id, message, me, &people).await?;
    super::participation::record(
        state,
        copse_store::NewActivity {
            community: conversation.community_id,
            account: me,
            kind: "message",
            private: true,
            at: state.store.now(),
            source: format!("message:{message}"),
        },
    )
    .await;
    let messages = state.store.messages(id, 1).await?;
    messages
        .into_iter()
        .find(|m| m.id == message)
        .ok_or(Error::NotFound)
}

/// Leaves a conversation.
pub async fn leave(state: &AppState, actor: &Actor, id: ConversationId) -> Result<()> {
    let me = me(actor)?;
    if !state.store.in_conversation(id, Some(me)).await? {
        return Err(Error::NotFound);
    }
    state.store.leave_conversation(id, me).await
}

/// Blocks (or unblocks) someone by handle.
pub async fn set_block(state: &AppState, actor: &Actor, handle: &str, blocked: bool) -> Result<()> {
    let me = me(actor)?;
    let other = state
        .store
        .account_by_handle(handle.trim().trim_start_matches('@'))
        .await?
        .ok_or(Error::NotFound)?;
    if other.id == me {
        return Err(Error::invalid("handle", "you cannot block yourself"));
    }
    if blocked {
        state.store.block(me, other.id).await
    } else {
        state.store.unblock(me, other.id).await
    }
}
