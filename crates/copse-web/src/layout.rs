//! What the layout (`base.html`) needs on every page, apart from the page itself: the header's
//! account menu and counts, the notice after an action, and moderators' warnings. It depends
//! on nothing else in the crate, so error pages can be drawn in the layout too.

/// What the layout needs on every page.
pub struct Nav {
    pub handle: Option<String>,
    /// The menu links the admin's home.
    pub is_admin: bool,
    pub invitations: usize,
    pub unread: i64,
    /// Conversations with unread messages.
    pub conversations: i64,
    pub notice: Option<&'static str>,
    /// Moderators' warnings the viewer has not acknowledged: (id, community, message).
    pub warnings: Vec<(i64, String, String)>,
}

impl Nav {
    /// The header of someone not signed in.
    pub fn visitor() -> Nav {
        Nav {
            handle: None,
            is_admin: false,
            invitations: 0,
            unread: 0,
            conversations: 0,
            notice: None,
            warnings: Vec::new(),
        }
    }
}
