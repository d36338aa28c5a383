//! One search box across the threads, replies and resources a person may read.

use copse_core::domain::ThreadKind;
use copse_core::domain::{AccountId, CommunityId};
use copse_core::policy::{self, Actor};
use copse_core::search::SearchQuery;
use copse_core::search::{SearchFilters, SearchHit};
use copse_core::{Error, Result};

use crate::app::App;

/// Raw search input from the search page or the API.
#[derive(Debug, Clone, Default)]
pub struct SearchInput {
    pub q: String,
    pub community: Option<String>,
    pub topic: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub author: Option<String>,
    /// YYYY-MM-DD, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

pub struct SearchResults {
    pub query: SearchQuery,
    pub hits: Vec<SearchHit>,
    pub page: i64,
    pub has_more: bool,
    /// Threads found, counted up to `COUNT_CAP`; `COUNT_CAP` means "at least that many".
    pub threads_found: i64,
}

pub const MAX_PAGE: i64 = 50;

/// How far the matching threads are counted: beyond it the page says "more than 1,000".
pub const COUNT_CAP: i64 = 1000;

fn day(field: &str, raw: Option<&str>, end_of_day: bool) -> Result<Option<i64>> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let date = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, "must be a date like 2026-03-31"))?;
    let time = if end_of_day {
        date.and_hms_milli_opt(23, 59, 59, 999)
    } else {
        date.and_hms_opt(0, 0, 0)
    };
    Ok(time.map(|t| t.and_utc().timestamp_millis()))
}

/// An id nobody has: filters naming an unknown (or hidden) community or person find nothing,
/// exactly as for a known one whose threads the reader may not see.
const NOBODY: i64 = -2;

/// The filters of a search as the store takes them, with its page and page size.
async fn filters(
    state: &App,
    input: &SearchInput,
    answered: Option<bool>,
) -> Result<(SearchFilters, i64, i64)> {
    let kind = input
        .kind
        .as_deref()
        .filter(|k| !k.is_empty() && *k != "all")
        .map(ThreadKind::parse)
        .transpose()?;
    let community = match input.community.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(slug) => Some(
            state
                .store
                .community_by_slug(slug)
                .await?
                .map_or(CommunityId(NOBODY), |c| c.id),
        ),
    };
    let author = match input
        .author
        .as_deref()
        .map(|a| a.trim().trim_start_matches('@'))
        .filter(|a| !a.is_empty())
    {
        None => None,
        Some(handle) => Some(
            state
                .store
                .account_by_handle(handle)
                .await?
                .map_or(AccountId(NOBODY), |a| a.id),
        ),
    };
    let (from, to) = (
        day("from", input.from.as_deref(), false)?,
        day("to", input.to.as_deref(), true)?,
    );
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Error::invalid("to", "must not be before from"));
    }
    let page = input.page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(Error::invalid(
            "page",
            format!("must be between 1 and {MAX_PAGE}"),
        ));
    }
    let limit = input.limit.unwrap_or(20).clamp(1, 50);
    let filters = SearchFilters {
        community,
        topic: input.topic.clone().filter(|t| !t.is_empty()),
        kind,
        answered,
        author,
        from,
        to,
    };
    Ok((filters, page, limit))
}

/// Searches the threads the actor may read.
pub async fn search(state: &App, actor: &Actor, input: &SearchInput) -> Result<SearchResults> {
    let query = SearchQuery::parse(&input.q)?;
    let answered = copse_core::domain::parse_answered(input.status.as_deref())?;
    let (filters, page, limit) = filters(state, input, answered).await?;
    let mut hits = state
        .store
        .search(
            policy::thread_filter(actor),
            &query,
            &filters,
            limit + 1,
            (page - 1) * limit,
        )
        .await?;
    let has_more = hits.len() as i64 > limit;
    hits.truncate(limit as usize);
    // A page that holds everything needs no second query for the count.
    let threads_found = if page == 1 && !has_more {
        hits.len() as i64
    } else {
        let filter = policy::thread_filter(actor);
        state
            .store
            .search_count(filter, &query, &filters, COUNT_CAP)
            .await?
    };
    Ok(SearchResults {
        query,
        hits,
        page,
        has_more,
        threads_found,
    })
}

/// A snippet with its match marks (U+0001 … U+0002) turned into `<mark>`, everything else
/// escaped.
pub fn snippet_html(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 16);
    for ch in snippet.chars() {
        match ch {
            '\u{1}' => out.push_str("<mark>"),
            '\u{2}' => out.push_str("</mark>"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_escape_everything_but_the_marks() {
        assert_eq!(
            snippet_html("a <b>\u{1}audit\u{2}</b> & \"x\""),
            "a &lt;b&gt;<mark>audit</mark>&lt;/b&gt; &amp; &quot;x&quot;"
        );
    }

    #[test]
    fn days_are_whole_utc_days() {
        assert_eq!(
            day("from", Some("2026-01-01"), false).unwrap(),
            Some(1_767_225_600_000)
        );
        assert_eq!(
            day("to", Some("2026-01-01"), true).unwrap(),
            Some(1_767_225_600_000 + 86_399_999)
        );
        assert!(day("from", Some("yesterday"), false).is_err());
    }
}
