//! An upload: who may, what it is, how large, kept where.

use bytes::{Bytes, BytesMut};
use copse_core::clock::DAY;
use copse_core::domain::AccountId;
use copse_core::domain::files::{SNIFF_BYTES, clean_name, sniff};
use copse_core::domain::uploads::{FileId, StoredFile, human_size};
use copse_core::policy::{self, Actor};
use copse_core::{Error, Result};
use futures_util::{Stream, StreamExt};

use crate::app::App;
use crate::files::images;

/// The longest name an upload may be given (it is shortened further when shown).
const MAX_NAME_CHARS: usize = 500;

/// Keeps an upload named `raw_name` (as the client called it; only shown, never trusted)
/// from `body` and answers its record, unattached. The kind is decided from the first bytes,
/// the size counted as the bytes arrive; a refused upload keeps nothing.
pub async fn upload<S, E>(app: &App, actor: &Actor, raw_name: &str, body: S) -> Result<StoredFile>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin + Send,
    E: std::fmt::Display,
{
    policy::check_upload(actor)?;
    let owner = actor.account_id().ok_or(Error::Unauthenticated)?;
    if raw_name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "name",
            format!("a file's name is at most {MAX_NAME_CHARS} characters"),
        ));
    }
    let limits = &app.config.files;
    let used = app
        .store
        .uploaded_since(owner, app.now() - DAY)
        .await?
        .max(0) as u64;
    let left_today = limits.daily_bytes_per_account.saturating_sub(used);
    if left_today == 0 {
        return Err(day_is_full(limits.daily_bytes_per_account));
    }
    keep(app, owner, raw_name, body, left_today).await
}

/// Keeps a file the operator brings in on `owner`'s behalf (an attachment of an imported
/// mailing list archive): the same kinds, sizes and re-encoding as an upload, without the
/// sign-in rules and the daily allowance, which are for people uploading.
pub async fn keep_imported(
    app: &App,
    owner: AccountId,
    raw_name: &str,
    bytes: Bytes,
) -> Result<StoredFile> {
    let name: String = raw_name.chars().take(MAX_NAME_CHARS).collect();
    let body = futures_util::stream::iter([Ok::<Bytes, std::convert::Infallible>(bytes)]);
    keep(app, owner, &name, body, u64::MAX).await
}

/// Keeps the bytes (at most `left_today` of them) as `owner`'s file, unattached.
async fn keep<S, E>(
    app: &App,
    owner: AccountId,
    raw_name: &str,
    mut body: S,
    left_today: u64,
) -> Result<StoredFile>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin + Send,
    E: std::fmt::Display,
{
    let limits = &app.config.files;
    let head = read_head(&mut body).await?;
    let mut kind = sniff(&head, &limits.allowed)?;
    let id = FileId::from_random(crate::secrets::random_bytes());
    let object = id.object(None);
    let size = if kind.inline() {
        let image = images::reencode(head, body, kind, limits).await?;
        kind = image.kind;
        let size = image.bytes.len() as u64;
        app.files.put_bytes(&object, image.bytes).await?;
        size
    } else {
        app.files
            .put(&object, head, body, limits.max_file_bytes)
            .await?
    };
    if size > left_today {
        app.files.delete(&object).await?;
        return Err(day_is_full(limits.daily_bytes_per_account));
    }
    let file = StoredFile {
        id,
        owner,
        kind,
        size: size as i64,
        name: clean_name(raw_name),
        attached: None,
        community: None,
        supersedes: None,
        created_at: app.now(),
    };
    if let Err(e) = app.store.add_file(&file).await {
        // No row, no file: the bytes would be kept for no one.
        let _ = app.files.delete(&object).await;
        return Err(e);
    }
    Ok(file)
}

fn day_is_full(limit: u64) -> Error {
    Error::TooManyRequests {
        message: format!(
            "you have uploaded your {} for today; try again tomorrow",
            human_size(limit)
        ),
        retry_after_ms: Some(DAY),
    }
}

/// The first bytes, enough to decide the kind (fewer when the file is shorter).
pub(super) async fn read_head<S, E>(body: &mut S) -> Result<Bytes>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut head = BytesMut::new();
    while head.len() < SNIFF_BYTES {
        match body.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(e)) => {
                return Err(Error::invalid(
                    "file",
                    format!("the upload broke off before its end ({e})"),
                ));
            }
            None => break,
        }
    }
    if head.is_empty() {
        return Err(Error::invalid("file", "the file is empty"));
    }
    Ok(head.freeze())
}
