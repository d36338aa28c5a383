//! The people a community's archive names, found here or made. A person is the account here
//! whose verified address is theirs — named outright in a site admin's archive, by its SHA-256
//! in a coordinator's — when they had verified it there too. Anyone else becomes an unclaimed
//! profile (see [`crate::unclaimed`]) with their name and profile: with their address when the
//! archive has it and nobody here uses it (so they can claim the profile by proving it), else
//! with an address that reaches nobody.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use copse_core::domain::{AccountId, Email, Profile, ProfileInput, parse_display_name};
use copse_core::{Error, OrInternal, Result};
use copse_store::{Remap, Write};
use serde::Deserialize;

use crate::app::App;
use crate::community_export::archive::email_digest;
use crate::unclaimed::{Handles, unclaimed_account};

/// A line of the archive's `people.jsonl`.
#[derive(Debug, Deserialize)]
struct Person {
    id: i64,
    handle: String,
    display_name: String,
    bio: Option<String>,
    organisation: Option<String>,
    department: Option<String>,
    country: Option<String>,
    time_zone: Option<String>,
    #[serde(default)]
    expertise: Vec<String>,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    email_verified: bool,
    email: Option<String>,
    email_sha256: Option<String>,
}

/// How the archive's people were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleCount {
    /// People who have an account here (by a verified address).
    pub matched: usize,
    /// Unclaimed profiles made for the others.
    pub created: usize,
}

/// The site's verified addresses, and which of its accounts an archive's people became.
struct Known {
    by_address: HashMap<String, AccountId>,
    by_digest: HashMap<String, AccountId>,
    /// Accounts already standing for one of the archive's people: nobody is two people.
    taken: HashSet<AccountId>,
    /// Addresses given to profiles made in this import.
    given: HashSet<String>,
    handles: Handles,
}

/// Finds or makes an account for each person of `people.jsonl`, noting it in `remap`.
pub async fn bring(
    app: &App,
    w: &mut Write,
    path: &Path,
    remap: &mut Remap,
) -> Result<PeopleCount> {
    let file = File::open(path).map_err(|_| Error::invalid("archive", "it has no people.jsonl"))?;
    let verified = app.store.verified_addresses().await?;
    let mut known = Known {
        by_digest: verified
            .iter()
            .map(|(id, address)| (email_digest(address), *id))
            .collect(),
        by_address: verified
            .into_iter()
            .map(|(id, address)| (address.to_lowercase(), id))
            .collect(),
        taken: HashSet::new(),
        given: HashSet::new(),
        handles: Handles::default(),
    };
    let mut count = PeopleCount::default();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.or_internal()?;
        let person: Person = serde_json::from_str(&line)
            .map_err(|e| Error::invalid("archive", format!("people.jsonl line {}: {e}", n + 1)))?;
        let id = match known.matching(&person) {
            Some(id) => {
                count.matched += 1;
                id
            }
            None => {
                count.created += 1;
                make(app, w, &person, &mut known).await?
            }
        };
        known.taken.insert(id);
        remap.map("accounts", person.id, id.get());
    }
    Ok(count)
}

impl Known {
    /// The account here that is this person: their address verified on both sites.
    fn matching(&self, person: &Person) -> Option<AccountId> {
        if !person.email_verified {
            return None;
        }
        let found = match (&person.email, &person.email_sha256) {
            (Some(address), _) => self.by_address.get(&address.trim().to_lowercase()),
            (None, Some(digest)) => self.by_digest.get(&digest.to_lowercase()),
            (None, None) => None,
        };
        found.copied().filter(|id| !self.taken.contains(id))
    }
}

/// An unclaimed profile for someone with no account here.
async fn make(app: &App, w: &mut Write, person: &Person, known: &mut Known) -> Result<AccountId> {
    let handle = known.handles.free(app, &person.handle).await?;
    let email = free_address(app, person, known).await?;
    let plain = Profile {
        display_name: parse_display_name(&person.display_name)
            .unwrap_or_else(|_| handle.as_str().to_string()),
        ..Profile::default()
    };
    // An archive's profile text is checked as a form's would be; what fails is left out.
    let profile = plain
        .apply(ProfileInput {
            bio: person.bio.clone(),
            organisation: person.organisation.clone(),
            department: person.department.clone(),
            country: person.country.clone(),
            time_zone: person.time_zone.clone(),
            expertise: Some(person.expertise.clone()),
            ..ProfileInput::default()
        })
        .unwrap_or(plain);
    let id = w
        .create_account(&unclaimed_account(handle, email, profile))
        .await?;
    if person.deleted {
        w.mark_left(id).await?;
    }
    Ok(id)
}

/// The person's address when the archive names it and nobody here has it; else one that
/// reaches nobody (`.invalid` is a name no mail server answers for).
async fn free_address(app: &App, person: &Person, known: &mut Known) -> Result<Email> {
    if let Some(address) = person.email.as_deref().and_then(|a| Email::parse(a).ok())
        && !person.deleted
        && !known.given.contains(address.as_str())
        && app
            .store
            .account_by_email(address.as_str())
            .await?
            .is_none()
    {
        known.given.insert(address.as_str().to_string());
        return Ok(address);
    }
    let nobody = hex::encode(crate::secrets::random_bytes::<8>());
    Email::parse(&format!("unclaimed-{nobody}@unclaimed.invalid"))
}
