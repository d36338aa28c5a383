//! How much of its file allowance a community uses, for its coordinators: they are the ones
//! who can remove old files before uploads are refused at the limit.

use copse_core::Result;
use copse_core::policy::{Actor, CommunityAction};

use crate::access::gate_reading;
use crate::app::App;

/// A community's files: how many, how many bytes, and the most it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub files: i64,
    pub bytes: u64,
    pub limit: u64,
}

impl Usage {
    /// The share of the limit used, in whole percent (at least 1 once anything is held).
    pub fn percent(&self) -> u64 {
        if self.bytes == 0 || self.limit == 0 {
            return 0;
        }
        (self.bytes.saturating_mul(100) / self.limit).clamp(1, 100)
    }
}

/// The community's file usage, for those who may change its settings.
pub async fn community_usage(app: &App, actor: &Actor, slug: &str) -> Result<Usage> {
    let gated = gate_reading(app, actor, slug, CommunityAction::Edit).await?;
    let (bytes, files) = app.store.community_files(gated.community.id).await?;
    Ok(Usage {
        files,
        bytes: bytes.max(0) as u64,
        limit: app.config.files.bytes_per_community,
    })
}

#[cfg(test)]
mod tests {
    use super::Usage;

    #[test]
    fn a_share_is_whole_percent_and_never_hides_a_small_use() {
        let used = |bytes| Usage {
            files: 1,
            bytes,
            limit: 1000,
        };
        assert_eq!(used(0).percent(), 0);
        assert_eq!(used(1).percent(), 1);
        assert_eq!(used(505).percent(), 50);
        assert_eq!(used(2000).percent(), 100);
    }
}
