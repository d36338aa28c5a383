//! Images are decoded and written again before they are kept: what is kept is the pixels (and
//! an animated GIF's frames), turned upright, and nothing else — no EXIF (a phone's location),
//! no comments, nothing appended after the image (a GIF that is also a script is a GIF only).
//! Decoding is CPU work: it runs off the async threads, one image at a time, and an image of
//! more pixels than the limit is refused before it is decoded.

use std::io::Cursor;

use bytes::{Bytes, BytesMut};
use copse_core::domain::files::FileKind;
use copse_core::domain::uploads::{FileLimits, human_size};
use copse_core::{Error, OrInternal, Result};
use futures_util::{Stream, StreamExt};
use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use tokio::sync::Semaphore;

/// One image is decoded at a time, so uploads of photos never take every core.
static DECODING: Semaphore = Semaphore::const_new(1);
/// A JPEG's quality when it is written again: visually the same, a little smaller.
const JPEG_QUALITY: u8 = 88;
/// An animated GIF may hold this many times the image pixel limit over all its frames.
const ANIMATION_FRAMES_OF_PIXELS: u64 = 4;

/// An image as it is kept.
pub(super) struct Image {
    pub kind: FileKind,
    pub bytes: Bytes,
}

/// Reads the rest of an image upload (at most the file limit), then writes it again.
pub(super) async fn reencode<S, E>(
    head: Bytes,
    body: S,
    kind: FileKind,
    limits: &FileLimits,
) -> Result<Image>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let data = read_whole(head, body, limits.max_file_bytes).await?;
    let max_pixels = limits.max_image_pixels;
    decoding(move || written_again(&data, kind, max_pixels)).await
}

/// Square pictures of `sizes` pixels from an uploaded image, as JPEG.
pub(super) async fn squares(
    data: Bytes,
    kind: FileKind,
    max_pixels: u64,
    sizes: &'static [u32],
) -> Result<Vec<Bytes>> {
    decoding(move || {
        let image = decode(&data, kind, max_pixels)?;
        sizes
            .iter()
            .map(|&px| jpeg(&image.resize_to_fill(px, px, FilterType::Lanczos3)))
            .collect()
    })
    .await
}

/// Runs `work` on a blocking thread, one at a time.
async fn decoding<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let _turn = DECODING.acquire().await.or_internal()?;
    tokio::task::spawn_blocking(work)
        .await
        .or_internal_while("decoding an image")?
}

pub(super) async fn read_whole<S, E>(head: Bytes, mut body: S, limit: u64) -> Result<Bytes>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut data = BytesMut::from(&head[..]);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            Error::invalid("file", format!("the upload broke off before its end ({e})"))
        })?;
        data.extend_from_slice(&chunk);
        if data.len() as u64 > limit {
            return Err(Error::TooLarge {
                message: format!("a file may be at most {}", human_size(limit)),
            });
        }
    }
    Ok(data.freeze())
}

fn format_of(kind: FileKind) -> Result<ImageFormat> {
    match kind {
        FileKind::Png => Ok(ImageFormat::Png),
        FileKind::Jpeg => Ok(ImageFormat::Jpeg),
        FileKind::Gif => Ok(ImageFormat::Gif),
        FileKind::Webp => Ok(ImageFormat::WebP),
        other => Err(Error::internal(format!("{other:?} is not an image"))),
    }
}

fn unreadable(e: image::ImageError) -> Error {
    Error::invalid("file", format!("the image could not be read ({e})"))
}

fn too_many_pixels(max_pixels: u64) -> Error {
    Error::invalid(
        "file",
        format!(
            "an image may have at most {} megapixels",
            max_pixels / 1_000_000
        ),
    )
}

/// The image's pixels, upright; more than `max_pixels` is refused before decoding.
fn decode(data: &[u8], kind: FileKind, max_pixels: u64) -> Result<DynamicImage> {
    let mut reader = ImageReader::with_format(Cursor::new(data), format_of(kind)?);
    let mut limits = Limits::default();
    limits.max_alloc = Some(max_pixels * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(too_many_pixels(max_pixels));
    }
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// The image written again: JPEG as JPEG, GIF as GIF (every frame), PNG and WebP as PNG.
fn written_again(data: &[u8], kind: FileKind, max_pixels: u64) -> Result<Image> {
    if matches!(kind, FileKind::Gif) {
        return gif(data, max_pixels);
    }
    let image = decode(data, kind, max_pixels)?;
    let (kind, bytes) = match kind {
        FileKind::Jpeg => (FileKind::Jpeg, jpeg(&image)?),
        _ => {
            let mut out = Vec::new();
            image
                .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
                .or_internal_while("writing an image")?;
            (FileKind::Png, Bytes::from(out))
        }
    };
    Ok(Image { kind, bytes })
}

fn jpeg(image: &DynamicImage) -> Result<Bytes> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(&image.to_rgb8())
        .or_internal_while("writing an image")?;
    Ok(Bytes::from(out))
}

/// A GIF's frames written again as a GIF that repeats.
fn gif(data: &[u8], max_pixels: u64) -> Result<Image> {
    let decoder = GifDecoder::new(Cursor::new(data)).map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    let frame_pixels = u64::from(width) * u64::from(height);
    if frame_pixels > max_pixels {
        return Err(too_many_pixels(max_pixels));
    }
    let mut frames = Vec::new();
    for frame in decoder.into_frames() {
        frames.push(frame.map_err(unreadable)?);
        if frames.len() as u64 * frame_pixels > max_pixels * ANIMATION_FRAMES_OF_PIXELS {
            return Err(Error::invalid(
                "file",
                "this animation has too many frames for its size",
            ));
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        encoder
            .set_repeat(Repeat::Infinite)
            .or_internal_while("writing an image")?;
        encoder
            .encode_frames(frames)
            .or_internal_while("writing an image")?;
    }
    Ok(Image {
        kind: FileKind::Gif,
        bytes: Bytes::from(out),
    })
}
