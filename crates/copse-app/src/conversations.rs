//! Direct conversations between a few members who share a community, their messages and read
//! state, and blocking. A conversation is for its people only: anyone else gets "not found".

use copse_core::domain::Conversation;
use copse_core::domain::ConversationId;
use copse_core::domain::Message;
use copse_core::domain::participation::{Act, private_in};
use copse_core::domain::text::single_line;
use copse_core::domain::uploads::AttachedTo;
use copse_core::domain::{AccountId, CommunityId, Space, parse_body};
use copse_core::policy::Actor;
use copse_core::{Error, Result};

use copse_store::{NewActivity, Write};

use crate::app::App;
use crate::moderation::{PostKind, check_posting};
use copse_core::clock::DAY;

/// The most people in one conversation, the starter included.
pub const MAX_PEOPLE: usize = 20;
/// New conversations one member may start per day.
pub const MAX_NEW_PER_DAY: i64 = 20;
/// Messages shown per conversation.
pub const MESSAGES_SHOWN: i64 = 500;

/// A message as its author writes it: the words, and the author's uploads to attach (ids).
#[derive(Debug, Clone, Default)]
pub struct MessageInput {
    pub body: String,
    pub files: Vec<String>,
}

impl MessageInput {
    /// Words alone.
    pub fn text(body: &str) -> MessageInput {
        MessageInput {
            body: body.to_string(),
            files: Vec::new(),
        }
    }
}

fn me(actor: &Actor) -> Result<AccountId> {
    actor.account_id().ok_or(Error::Unauthenticated)
}

/// Resolves handles to people the actor may write to: members of a community the actor is a
/// member of, who have not blocked the actor (nor been blocked by them). Everyone who fails
/// gets the same message, so the answer does not tell blocked from unknown.
pub(crate) async fn reachable(
    state: &App,
    actor: AccountId,
    handle: &str,
) -> Result<(AccountId, CommunityId)> {
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
        .filter(|a| !a.is_suspended())
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
    state: &App,
    actor: &Actor,
    handles: &[String],
    subject: &str,
    message: &MessageInput,
) -> Result<Conversation> {
    let me = me(actor)?;
    copse_core::policy::may_publish(actor)?;
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
    let body = parse_body(&message.body)?;
    let files = crate::files::file_ids(&message.files)?;
    let since = state.store.now() - DAY;
    if state.store.conversations_started_since(me, since).await? >= MAX_NEW_PER_DAY {
        return Err(Error::too_many(
            "You have started many conversations today; try again tomorrow.",
            None,
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
    let account = state
        .store
        .account(me)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let mut w = state.store.write().await?;
    let started = async {
        let limits = &state.config.posting;
        check_posting(&mut w, limits, &account, PostKind::Message, &body).await?;
        let (id, first) = w
            .create_conversation(community, me, &people, &subject, &body)
            .await?;
        wrote(&mut w, community, id, first, me, &people).await?;
        let to = AttachedTo::Message(first);
        crate::files::attach(state, &mut w, me, &files, &body, to, community).await?;
        Ok(id)
    }
    .await;
    let id = w.finish(started).await?;
    state
        .store
        .conversation_for(id, me)
        .await?
        .ok_or(Error::NotFound)
}

/// The actor's conversations, newest first.
pub async fn list(state: &App, actor: &Actor, limit: i64) -> Result<Vec<Conversation>> {
    let me = me(actor)?;
    state.store.conversations_of(me, limit.clamp(1, 200)).await
}

/// One conversation with its messages; reading it marks it read.
pub async fn open(
    state: &App,
    actor: &Actor,
    id: ConversationId,
) -> Result<(Conversation, Vec<Message>)> {
    let me = me(actor)?;
    let conversation = state
        .store
        .conversation_for(id, me)
        .await?
        .ok_or(Error::NotFound)?;
    copse_core::policy::may_publish(actor)?;
    let mut messages = state.store.messages(id, MESSAGES_SHOWN).await?;
    // A hidden message's words stay with its author (the moderators read it in their queue,
    // not here).
    for m in messages.iter_mut() {
        if !copse_core::policy::reads_message(actor, true, m.hidden.is_some(), m.author.id) {
            m.body.clear();
        }
    }
    state.store.mark_conversation_read(id, me).await?;
    Ok((conversation, messages))
}

/// Writes in a conversation. Refused when someone in it has blocked the writer (or the writer
/// them): a block stops new messages both ways.
pub async fn send(
    state: &App,
    actor: &Actor,
    id: ConversationId,
    message: &MessageInput,
) -> Result<Message> {
    let me = me(actor)?;
    let conversation = state
        .store
        .conversation_for(id, me)
        .await?
        .ok_or(Error::NotFound)?;
    let body = parse_body(&message.body)?;
    let files = crate::files::file_ids(&message.files)?;
    for person in conversation.people.iter().filter(|p| p.id != me) {
        let blocked = state.store.blocked_between(me, person.id).await?;
        copse_core::policy::check_write_message(blocked)?;
    }
    let people: Vec<AccountId> = conversation.people.iter().map(|p| p.id).collect();
    let account = state
        .store
        .account(me)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let mut w = state.store.write().await?;
    let sent = async {
        let limits = &state.config.posting;
        check_posting(&mut w, limits, &account, PostKind::Message, &body).await?;
        let message = w.add_message(id, me, &body).await?;
        wrote(&mut w, conversation.community_id, id, message, me, &people).await?;
        let (to, community) = (AttachedTo::Message(message), conversation.community_id);
        crate::files::attach(state, &mut w, me, &files, &body, to, community).await?;
        Ok(message)
    }
    .await;
    let message = w.finish(sent).await?;
    let messages = state.store.messages(id, 1).await?;
    messages
        .into_iter()
        .find(|m| m.id == message)
        .ok_or(Error::NotFound)
}

/// What a new message implies, in its transaction: the e-mails to the others (after a grace
/// period) and the author's ledger entry (private: conversations are never named).
async fn wrote(
    w: &mut Write,
    community: CommunityId,
    conversation: ConversationId,
    message: i64,
    author: AccountId,
    people: &[AccountId],
) -> Result<()> {
    crate::note_mail::queue_message(w, conversation, message, author, people).await?;
    let act = NewActivity {
        community,
        account: author,
        kind: Act::Message,
        private: private_in(Space::Direct),
        at: w.now(),
        source: format!("message:{message}"),
    };
    w.record_activity(&[act]).await
}

/// Leaves a conversation.
pub async fn leave(state: &App, actor: &Actor, id: ConversationId) -> Result<()> {
    let me = me(actor)?;
    if !state.store.in_conversation(id, Some(me)).await? {
        return Err(Error::NotFound);
    }
    state.store.leave_conversation(id, me).await
}

/// Blocks (or unblocks) someone by handle.
pub async fn set_block(state: &App, actor: &Actor, handle: &str, blocked: bool) -> Result<()> {
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

/// How many of the account's conversations have messages it has not read.
pub async fn unread_count(state: &App, account: &copse_core::domain::Account) -> Result<i64> {
    state.store.unread_conversations(account.id).await
}

/// The people the actor blocked.
pub async fn blocked(state: &App, actor: &Actor) -> Result<Vec<copse_core::domain::Person>> {
    let me = me(actor)?;
    state.store.blocked_by(me).await
}

/// The conversation's community, when the actor may post there (to tell a value story about
/// it); `None` otherwise.
pub async fn community_to_tell(
    state: &App,
    actor: &Actor,
    c: &Conversation,
) -> Result<Option<copse_core::domain::Community>> {
    let Some(community) = state.store.community_by_id(c.community_id).await? else {
        return Ok(None);
    };
    let allowed = crate::access::gate(
        state,
        actor,
        &community.slug,
        copse_core::policy::CommunityAction::Post,
    )
    .await;
    match allowed {
        Ok(gated) => Ok(Some(gated.community)),
        Err(e @ Error::Internal(_)) => Err(e),
        Err(_) => Ok(None),
    }
}
