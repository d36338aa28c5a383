//! A person's picture: an uploaded image cropped to a square and kept in three sizes; without
//! one, their initials on a colour chosen from their handle.

use bytes::Bytes;
use copse_core::domain::files::{FileGroup, FileKind, sniff};
use copse_core::domain::uploads::{FileId, StoredFile};
use copse_core::policy::{self, Actor};
use copse_core::{Error, Result};
use copse_files::Fetched;
use futures_util::Stream;

use crate::app::App;
use crate::files::images;

/// The sizes kept, in pixels: the profile's, a reply's, a list's.
pub const AVATAR_SIZES: [u32; 3] = [256, 96, 48];

/// What `/u/<handle>/avatar/<size>` shows.
pub enum AvatarImage {
    Picture(Fetched),
    /// An SVG drawn here (never an upload): two letters on a colour.
    Initials(String),
}

/// A picture and the tag that changes when it does.
pub struct Avatar {
    pub image: AvatarImage,
    pub etag: String,
}

/// Makes the actor's upload their picture (an image; the one before is removed).
pub async fn set_avatar<S, E>(app: &App, actor: &Actor, body: S) -> Result<FileId>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin + Send,
    E: std::fmt::Display,
{
    policy::check_upload(actor)?;
    let owner = actor.account_id().ok_or(Error::Unauthenticated)?;
    let limits = &app.config.files;
    let mut body = body;
    let head = super::upload::read_head(&mut body).await?;
    let kind = sniff(&head, &[FileGroup::Images])?;
    let data = images::read_whole(head, body, limits.max_file_bytes).await?;
    let squares = images::squares(data, kind, limits.max_image_pixels, &AVATAR_SIZES).await?;
    let id = FileId::from_random(crate::secrets::random_bytes());
    let mut size = 0;
    for (i, (px, bytes)) in AVATAR_SIZES.iter().zip(squares).enumerate() {
        size += bytes.len() as i64;
        let variant = (i > 0).then_some(*px);
        app.files.put_bytes(&id.object(variant), bytes).await?;
    }
    let file = StoredFile {
        id: id.clone(),
        owner,
        kind: FileKind::Jpeg,
        size,
        name: "avatar.jpg".into(),
        attached: None,
        community: None,
        supersedes: None,
        created_at: app.now(),
    };
    app.store.add_file(&file).await?;
    app.store.set_avatar(owner, Some(&id)).await?;
    Ok(id)
}

/// Removes the actor's picture (their initials show again).
pub async fn remove_avatar(app: &App, actor: &Actor) -> Result<()> {
    let owner = actor.account_id().ok_or(Error::Unauthenticated)?;
    app.store.set_avatar(owner, None).await
}

/// The picture of the person with `handle`, at the kept size nearest above `size`.
pub async fn avatar(app: &App, handle: &str, size: u32) -> Result<Avatar> {
    let person = app
        .store
        .account_by_handle(handle)
        .await?
        .ok_or(Error::NotFound)?;
    let px = AVATAR_SIZES
        .iter()
        .rev()
        .find(|&&px| px >= size)
        .copied()
        .unwrap_or(AVATAR_SIZES[0]);
    if let Some(file) = app.store.avatar_of(person.id).await? {
        let variant = (px != AVATAR_SIZES[0]).then_some(px);
        if let Some(fetched) = app.files.get(&file.object(variant), None).await? {
            return Ok(Avatar {
                image: AvatarImage::Picture(fetched),
                etag: format!("\"{}\"", file.object(variant)),
            });
        }
    }
    let letters = initials(&person.profile.display_name);
    let svg = initials_svg(&letters, colour(handle), px);
    Ok(Avatar {
        etag: format!(
            "\"i-{}-{px}\"",
            crate::secrets::hash_secret(&svg).get(..16).unwrap_or("")
        ),
        image: AvatarImage::Initials(svg),
    })
}

/// The first letters of the first and last words of a name: "Maya Okafor" → "MO".
fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = words.first().and_then(|w| w.chars().next());
    let last = words
        .get(1..)
        .and_then(|w| w.last())
        .and_then(|w| w.chars().next());
    let letters: String = first
        .into_iter()
        .chain(last)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".into()
    } else {
        letters
    }
}

/// A colour for a handle, from a palette dark enough for white letters (WCAG AA).
fn colour(handle: &str) -> &'static str {
    const PALETTE: [&str; 8] = [
        "#1f5f8b", "#2e6b3a", "#8a3b12", "#6a3d8f", "#7a2f4f", "#205f63", "#5b5b16", "#44546a",
    ];
    let sum = handle.bytes().fold(0_usize, |acc, b| {
        acc.wrapping_mul(31).wrapping_add(b.into())
    });
    PALETTE[sum % PALETTE.len()]
}

fn initials_svg(letters: &str, colour: &str, px: u32) -> String {
    let text: String = letters
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '?')
        .collect();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{px}\" height=\"{px}\" viewBox=\"0 0 100 100\">\
         <rect width=\"100\" height=\"100\" fill=\"{colour}\"/>\
         <text x=\"50\" y=\"50\" dy=\".35em\" text-anchor=\"middle\" fill=\"#fff\" \
         font-family=\"system-ui, sans-serif\" font-size=\"42\" font-weight=\"600\">{text}</text></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_are_first_and_last_letters_and_markup_cannot_get_in() {
        assert_eq!(initials("Maya Okafor"), "MO");
        assert_eq!(initials("tom"), "T");
        assert_eq!(initials("Ana María de la Cruz"), "AC");
        assert_eq!(initials("   "), "?");
        let svg = initials_svg("<s", "#000", 48);
        assert!(svg.contains(">S<") || svg.contains(">s<"), "{svg}");
        assert!(!svg.contains("<s<"));
    }
}
