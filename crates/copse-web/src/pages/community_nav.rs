//! A community's navigation: a few sections (About · Talk · Meet · People · Value · Manage) and,
//! under the open one, its pages. Seventeen tabs in one row took six rows of a phone's screen
//! before any content; six sections take one, and the open section's pages one more.
//!
//! Which pages a person sees follows the same rules as before (what the policy lets them do);
//! a section without a page for them is left out.

/// What the viewer may open in the community, as the policy decided for its header.
pub struct Opens<'a> {
    pub slug: &'a str,
    /// The page shown.
    pub tab: &'a str,
    pub read: bool,
    pub see_members: bool,
    /// A member's own pages (value stories, participation, people to meet): not observers'.
    pub member_pages: bool,
    pub see_history: bool,
    pub review: bool,
    pub moderate: bool,
    pub invite: bool,
    pub edit: bool,
    /// Join requests waiting for a coordinator.
    pub pending: i64,
    /// Flagged posts waiting for the moderators.
    pub flagged: i64,
}

/// One section of the community: its label, where it opens (its first page), and its pages.
pub struct NavSection {
    pub label: &'static str,
    pub href: String,
    /// The page shown is one of this section's.
    pub current: bool,
    /// Work waiting in the section (requests and flags in Manage), 0 when none.
    pub waiting: i64,
    pub pages: Vec<NavPage>,
}

/// One page of a section.
pub struct NavPage {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
    /// Work waiting on the page, 0 when none.
    pub waiting: i64,
}

/// (label, path under the community, tab, shown, waiting) of one page.
type Entry = (&'static str, &'static str, &'static str, bool, i64);

/// The sections the viewer may open, in order, with the one holding the page shown marked.
pub fn sections(c: &Opens<'_>) -> Vec<NavSection> {
    let mine = c.member_pages;
    let table: [(&'static str, Vec<Entry>); 6] = [
        (
            "About",
            vec![
                ("About", "", "about", true, 0),
                ("History", "/history", "history", c.see_history, 0),
            ],
        ),
        (
            "Talk",
            vec![
                ("Discussions", "/threads", "threads", c.read, 0),
                ("Topics", "/topics", "topics", c.read, 0),
                ("Library", "/library", "library", c.read, 0),
                ("Newsletter", "/newsletter", "newsletter", c.read, 0),
            ],
        ),
        (
            "Meet",
            vec![
                ("Events", "/events", "events", c.read, 0),
                ("Rhythm", "/rhythm", "rhythm", c.read, 0),
                ("Circles", "/circles", "circles", c.read, 0),
            ],
        ),
        (
            "People",
            vec![
                ("Members", "/members", "members", c.see_members, 0),
                ("Who knows what", "/experts", "experts", c.see_members, 0),
                ("People to meet", "/people", "people", mine, 0),
            ],
        ),
        (
            "Value",
            vec![
                ("Value stories", "/stories", "stories", mine, 0),
                ("Participation", "/participation", "participation", mine, 0),
            ],
        ),
        (
            "Manage",
            vec![
                ("Requests", "/requests", "requests", c.review, c.pending),
                (
                    "Moderation",
                    "/moderation",
                    "moderation",
                    c.moderate,
                    c.flagged,
                ),
                ("Invite", "/invite", "invite", c.invite, 0),
                ("Settings", "/settings", "settings", c.edit, 0),
            ],
        ),
    ];
    table
        .into_iter()
        .filter_map(|(label, entries)| section(c, label, &entries))
        .collect()
}

/// The section of `entries` the viewer may open, or none when they may open none of them.
fn section(c: &Opens<'_>, label: &'static str, entries: &[Entry]) -> Option<NavSection> {
    let pages: Vec<NavPage> = entries
        .iter()
        .filter(|e| e.3)
        .map(|&(label, path, tab, _, waiting)| NavPage {
            label,
            href: format!("/c/{}{path}", c.slug),
            current: c.tab == tab,
            waiting,
        })
        .collect();
    let first = pages.first()?;
    Some(NavSection {
        label,
        href: first.href.clone(),
        current: pages.iter().any(|p| p.current),
        waiting: pages.iter().map(|p| p.waiting).sum(),
        pages,
    })
}
