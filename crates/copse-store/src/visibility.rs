//! The SQL form of the access policy's thread filter (`policy::ThreadFilter`), written once and
//! used by every query that lists threads or things in them: thread lists, search, notifications,
//! the who-knows-what counts. The contract tests check it against `policy::decide_thread`.

use copse_core::domain::AccountId;
use copse_core::policy::ThreadFilter;

/// A thread is readable when the filter is "all" (site admins), or it is in the public space of
/// a public community, or the reader is a member (not an observer) of its community — and, for a
/// circle, of the circle too.
///
/// Aliases: `t` threads (or events), `c` its community, `vm` the reader's membership (LEFT
/// JOINed, see [`reader_join`]). `all` is the SQL expression of the "all" flag, a parameter or a
/// literal.
///
/// Hidden threads are left out for everyone: what search, notifications and e-mail show never
/// includes them. Lists use [`listed`], which shows them to their author and the moderators.
pub(crate) fn readable(all: &str) -> String {
    format!("({} AND t.hidden_at IS NULL)", space_readable(all))
}

/// [`readable`] for lists of a community's threads: a hidden thread stays in the list of its
/// author and its moderators (coordinators, leaders where they moderate, site admins), as
/// `policy::decide_thread` lets them read it.
pub(crate) fn listed(all: &str) -> String {
    format!(
        "({} AND (t.hidden_at IS NULL OR {all} = 1 OR vm.role = 'coordinator' \
           OR (vm.role = 'leader' AND c.leaders_moderate = 1) \
           OR (t.author_id = vm.account_id AND vm.role IN ('member', 'leader', 'coordinator'))))",
        space_readable(all)
    )
}

fn space_readable(all: &str) -> String {
    format!(
        "(({all} = 1 AND t.space <> 'direct') \
         OR (t.space = 'public' AND (c.visibility = 'public' OR vm.role IN ('member', 'leader', 'coordinator'))) \
         OR (t.space = 'members' AND vm.role IN ('member', 'leader', 'coordinator')) \
         OR (t.space = 'circle' AND vm.role IN ('member', 'leader', 'coordinator') AND EXISTS \
             (SELECT 1 FROM circle_members vcm WHERE vcm.circle_id = t.circle_id AND vcm.account_id = vm.account_id)))"
    )
}

/// [`readable`] for events, which may also be meetings of a direct conversation: those are for
/// the conversation's people only (`reader` is the reader's account, -1 for none).
pub(crate) fn readable_event(all: &str, reader: &str) -> String {
    format!(
        "({} OR (t.space = 'direct' AND EXISTS \
             (SELECT 1 FROM conversation_members vxm WHERE vxm.conversation_id = t.conversation_id AND vxm.account_id = {reader})))",
        space_readable(all)
    )
}

/// The joins [`readable`] needs, for a reader given by the SQL expression `reader`.
pub(crate) fn reader_join(reader: &str) -> String {
    format!(
        "JOIN communities c ON c.id = t.community_id \
         LEFT JOIN memberships vm ON vm.community_id = t.community_id AND vm.account_id = {reader}"
    )
}

/// The values to bind for a filter: the "all" flag and the reader's account (-1 for none).
pub(crate) fn binds(filter: ThreadFilter) -> (i64, i64) {
    match filter {
        ThreadFilter::All => (1, -1),
        ThreadFilter::Visible { account } => (0, account.map_or(-1, AccountId::get)),
    }
}

/// The SQL form of `policy::decide_story` for a reader who is a current member of the story's
/// community (aliases: `s` the story, `vm` the reader's membership; `reader` an SQL expression of
/// the reader's account): the teller; everyone for `community`; the circle's members for
/// `circle`; the coordinators for `coordinators`.
pub(crate) fn story_readable(reader: &str) -> String {
    format!(
        "(vm.role IN ('member', 'leader', 'coordinator') AND (s.author_id = {reader} \
          OR s.visibility = 'community' \
          OR (s.visibility = 'circle' AND EXISTS (SELECT 1 FROM circle_members vsm WHERE vsm.circle_id = s.circle_id AND vsm.account_id = {reader})) \
          OR (s.visibility = 'coordinators' AND vm.role = 'coordinator')))"
    )
}
