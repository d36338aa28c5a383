//! The demo's files: pictures for some of its people (the others show their initials), a
//! photo attached to a question, and a library document with an earlier version.

use std::collections::HashMap;
use std::io::Cursor;

use copse_app::App;
use copse_app::threads::{self, ThreadInput};
use copse_core::domain::AccountId;
use copse_core::policy::Actor;
use futures_util::stream;

/// People who have set a picture, and the colour it is drawn in.
const PICTURES: [(&str, [u8; 3]); 6] = [
    ("maya", [31, 95, 139]),
    ("aoife", [138, 59, 18]),
    ("samir", [46, 107, 58]),
    ("grace", [106, 61, 143]),
    ("priya", [122, 47, 79]),
    ("elena", [32, 95, 99]),
];

fn actor(id: AccountId) -> Actor {
    Actor::Account {
        id,
        is_admin: false,
        must_verify: false,
    }
}

/// A picture: a soft gradient with a lighter disc, like a blurred portrait.
fn picture([r, g, b]: [u8; 3]) -> Vec<u8> {
    let image = image::RgbImage::from_fn(160, 160, |x, y| {
        let (dx, dy) = (x as f32 - 80.0, y as f32 - 64.0);
        let light = if dx * dx + dy * dy < 38.0 * 38.0 {
            60
        } else {
            0
        };
        let shade = (y / 4) as u8;
        image::Rgb([
            r.saturating_add(light).saturating_sub(shade / 2),
            g.saturating_add(light).saturating_sub(shade / 3),
            b.saturating_add(light),
        ])
    });
    png(&image)
}

/// A photo of a hand-rub station: a wall, a dispenser and its sign.
fn station_photo() -> Vec<u8> {
    let image = image::RgbImage::from_fn(640, 420, |x, y| {
        let dispenser = (280..360).contains(&x) && (120..300).contains(&y);
        let sign = (400..560).contains(&x) && (90..190).contains(&y);
        match (dispenser, sign) {
            (true, _) => image::Rgb([235, 238, 240]),
            (_, true) => image::Rgb([36, 110, 160]),
            _ if y > 360 => image::Rgb([150, 140, 128]),
            _ => image::Rgb([214, 222, 206]),
        }
    });
    png(&image)
}

fn png(image: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("an image in memory is written");
    out
}

/// A one-page PDF that says `title` and `line`, with a correct cross-reference table.
fn pdf(title: &str, line: &str) -> Vec<u8> {
    let text = format!("BT /F1 20 Tf 60 760 Td ({title}) Tj /F1 12 Tf 0 -30 Td ({line}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

async fn upload(app: &App, who: AccountId, name: &str, bytes: Vec<u8>) -> anyhow::Result<String> {
    let body = stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(bytes))]);
    let file = copse_app::files::upload(app, &actor(who), name, body).await;
    Ok(file
        .map_err(|e| anyhow::anyhow!("demo upload {name}: {e}"))?
        .id
        .to_string())
}

/// Seeds the files in community `ipc`; answers how many files were kept.
pub async fn seed(
    app: &App,
    ids: &HashMap<&'static str, AccountId>,
    ipc: &str,
) -> anyhow::Result<usize> {
    for (handle, colour) in PICTURES {
        let body = stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(picture(colour)))]);
        copse_app::files::set_avatar(app, &actor(ids[handle]), body)
            .await
            .map_err(|e| anyhow::anyhow!("demo picture of {handle}: {e}"))?;
    }
    let maya = ids["maya"];
    let photo = upload(
        app,
        ids["aoife"],
        "hand-rub station, ward 4B.png",
        station_photo(),
    )
    .await?;
    let question = ThreadInput {
        kind: Some("question".into()),
        title: Some("Where do you mount hand-rub dispensers at the bedside?".into()),
        body: Some("Ours is by the door (photo attached). Auditors asked for one within reach of every bed — how did you solve it without drilling every wall?".into()),
        files: vec![photo],
        ..ThreadInput::default()
    };
    threads::create(app, &actor(ids["aoife"]), ipc, &question).await?;
    let first = upload(
        app,
        maya,
        "Hand hygiene audit checklist v1.pdf",
        pdf(
            "Hand hygiene audit checklist",
            "Version 1: the five moments, observed for 20 minutes per ward.",
        ),
    )
    .await?;
    let resource = ThreadInput {
        kind: Some("resource".into()),
        title: Some("Hand hygiene audit checklist".into()),
        body: Some("The checklist the network's wards use for their monthly audit. Print it, or fill it in on a tablet.".into()),
        files: vec![first],
        ..ThreadInput::default()
    };
    let thread = threads::create(app, &actor(maya), ipc, &resource).await?;
    let second = upload(
        app,
        maya,
        "Hand hygiene audit checklist v2.pdf",
        pdf(
            "Hand hygiene audit checklist",
            "Version 2: adds glove use and the patient zone.",
        ),
    )
    .await?;
    copse_app::files::new_version(app, &actor(maya), thread.id, &second).await?;
    Ok(PICTURES.len() + 3)
}
