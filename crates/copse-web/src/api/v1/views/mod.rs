//! Wire types: what the API sends and accepts. Kept apart from the domain types so the JSON shape
//! is a deliberate contract. Request bodies refuse unknown fields.

mod accounts;
mod communities;
mod members;
mod practice;

pub use accounts::{
    MeView, PasswordChange, ProfileFields, ProfilePatch, ProfileView, SignupRequest, TokenCreated,
    TokenList, TokenRequest, TokenView,
};
pub use communities::{
    ArchiveCommunity, ArchivedView, CommunityPage, CommunitySummary, CommunityView,
    CreateCommunity, Health, MergeCommunity, MergedView, ReachView, RevisionList, RevisionView,
    SplitCommunity, SplitView, StageChangeList, StageChangeView, UpdateCommunity,
};
pub use members::{
    InvitationCreated, InvitationList, InvitationView, InviteBody, JoinBody, JoinRequestList,
    JoinRequestView, JoinResult, JoinStatus, MemberPage, MemberRole, MemberView, RoleBody,
};
pub use practice::{
    AcceptBody, CreateReply, CreateThread, CreateTopic, Created, MergeTopic, PersonView,
    QuotedView, ReplyView, ThreadPage, ThreadView, ThreadWithReplies, TopicList, TopicTag,
    TopicView, UpdateReply, UpdateThread, UpdateTopic,
};
