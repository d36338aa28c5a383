//! Coming from a mailing list: an archive written by Python's `mailbox` module (the way list
//! software keeps one) imported with `copse import mbox` into a community of a running site —
//! threads by Message-ID, In-Reply-To and References, a "Re:" found by its subject, senders
//! matched by address or made unclaimed profiles, quotes folded, and hostile messages (a bad
//! charset, no headers at all, HTML only, a conversation 10,000 replies deep) read without
//! harm. A second run on a longer archive adds only what is new.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::support::{SignedIn as Site, printed, run_copse as copse, start_copse, workspace_root};

const WRITER: &str = r#"
import mailbox, sys
from email.message import EmailMessage

def msg(mid, subject, sender, body, date="Mon, 01 Jan 2024 10:00:00 +0000", **headers):
    m = EmailMessage()
    if mid: m["Message-ID"] = mid
    if subject is not None: m["Subject"] = subject
    if sender: m["From"] = sender
    if date: m["Date"] = date
    for k, v in headers.items(): m[k.replace("_", "-")] = v
    m.set_content(body)
    return m

box = mailbox.mbox(sys.argv[1])
longer = sys.argv[2] == "longer"
box.add(msg("<m1@list>", "[ipc] Hand rub duration", "Tom Baker <tom@example.org>",
            "How long do you rub?\nFrom the ward: 20 seconds.", "Mon, 01 Jan 2024 09:00:00 +0000"))
box.add(msg("<m2@list>", "Re: [ipc] Hand rub duration", "Ana Silva <Ana.Silva@hospital.example>",
            "We use 30 seconds.\n\nOn Monday, Tom Baker wrote:\n> How long do you rub?\n",
            In_Reply_To="<m1@list>"))
box.add(msg("<m3@list>", "Re: [ipc] Hand rub duration", "tom@example.org", "Agreed.",
            "Mon, 01 Jan 2024 11:00:00 +0000", References="<m1@list> <m2@list>"))
box.add(msg("<m4@list>", "RE: Hand rub duration", "Ana Silva <ana.silva@hospital.example>",
            "Found by its subject.", "Mon, 01 Jan 2024 12:00:00 +0000"))
box.add(msg("<m5@list>", "=?iso-8859-1?q?Gr=FC=DFe?=", "=?iso-8859-1?q?J=FCrgen?= <j@klinik.example>",
            "Hallo", "Tue, 02 Jan 2024 09:00:00 +0000"))
raw = box.get_bytes(box.keys()[-1]).replace(b"Hallo", b"Gr\xfc\xdfe aus K\xf6ln")
box.remove(box.keys()[-1]); box.add(raw)
box.add(b"\nNo headers at all, only this line.\n")
html = EmailMessage(); html["Message-ID"] = "<m7@list>"; html["Subject"] = "Poster"
html["From"] = "tom@example.org"; html["Date"] = "Wed, 03 Jan 2024 09:00:00 +0000"
html.set_content("<p>Our <b>poster</b> &amp; checklist</p><script>alert(1)</script>", subtype="html")
box.add(html)
files = msg("<m8@list>", "Re: [ipc] Hand rub duration", "tom@example.org", "Our audit form, attached.",
            "Mon, 01 Jan 2024 13:00:00 +0000", In_Reply_To="<m1@list>")
files.add_attachment(b"%PDF-1.4\n%%EOF\n", maintype="application", subtype="pdf", filename="audit form.pdf")
files.add_attachment(b"MZ\x90\x00 not a document", maintype="application", subtype="octet-stream", filename="setup.exe")
box.add(files)
deep = 10000
box.add(msg("<deep0@list>", "Deep thread", "tom@example.org", "Start", "Thu, 04 Jan 2024 00:00:00 +0000"))
for i in range(1, deep):
    box.add(msg(f"<deep{i}@list>", "Re: Deep thread", "tom@example.org", f"Reply {i}",
                "Thu, 04 Jan 2024 00:00:00 +0000", In_Reply_To=f"<deep{i-1}@list>"))
if longer:
    box.add(msg("<m9@list>", "Re: [ipc] Hand rub duration", "tom@example.org", "One more.",
                "Fri, 05 Jan 2024 09:00:00 +0000", In_Reply_To="<m3@list>"))
box.flush()
"#;

fn write_mbox(path: &Path, which: &str) {
    let python = workspace_root().join(".venv/bin/python");
    let python = if python.exists() {
        python
    } else {
        "python3".into()
    };
    let _ = std::fs::remove_file(path);
    let status = Command::new(python)
        .args(["-c", WRITER])
        .arg(path)
        .arg(which)
        .status()
        .unwrap();
    assert!(status.success(), "writing the mbox");
}

impl Site {
    /// Every thread of the community: title → (author handle, replies, id).
    async fn threads(&self) -> Vec<(String, String, i64, i64)> {
        let list = self
            .get("/api/v1/communities/ipc-list/threads?limit=100")
            .await;
        let mut threads: Vec<(String, String, i64, i64)> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["title"].as_str().unwrap().to_string(),
                    t["author"]["handle"].as_str().unwrap().to_string(),
                    t["reply_count"].as_i64().unwrap(),
                    t["id"].as_i64().unwrap(),
                )
            })
            .collect();
        threads.sort();
        threads
    }
}

async fn site(data: &Path) -> (crate::support::Copse, Site) {
    for (handle, admin) in [("root", true), ("tom", false)] {
        let mut args = vec!["admin", "create-user", "--email"];
        let email = format!("{handle}@example.org");
        args.extend([email.as_str(), "--handle", handle]);
        if admin {
            args.push("--admin");
        }
        let made = copse(&args, data, "correct horse battery\n");
        assert!(made.status.success(), "{}", printed(&made));
    }
    let running = start_copse(data);
    let site = Site::new(&running.url, "root@example.org", "correct horse battery").await;
    let made = site
        .http
        .post(format!("{}/api/v1/communities", site.url))
        .bearer_auth(&site.token)
        .json(&json!({"name": "IPC list", "slug": "ipc-list", "domain_statement": "The old IPC mailing list."}))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 201);
    (running, site)
}

#[tokio::test]
async fn a_mailing_list_archive_becomes_threads_and_replies_once() {
    let data = tempfile::tempdir().unwrap();
    let (_running, site) = site(data.path()).await;
    let mbox = data.path().join("list.mbox");
    write_mbox(&mbox, "first");
    let path = mbox.to_str().unwrap();

    let dry = copse(
        &[
            "import",
            "mbox",
            path,
            "--community",
            "ipc-list",
            "--dry-run",
        ],
        data.path(),
        "",
    );
    assert!(dry.status.success(), "{}", printed(&dry));
    assert!(
        printed(&dry).contains("would add 5 threads"),
        "{}",
        printed(&dry)
    );
    assert!(site.threads().await.is_empty(), "a dry run changes nothing");

    let first = copse(
        &["import", "mbox", path, "--community", "ipc-list"],
        data.path(),
        "",
    );
    assert!(first.status.success(), "{}", printed(&first));
    println!("{}", printed(&first));
    assert!(
        printed(&first).contains("1 attachments kept, 1 left out"),
        "{}",
        printed(&first)
    );
    assert!(
        printed(&first).contains(
            "10008 messages read: added 5 threads and 10002 replies (1 threads continued"
        ),
        "{}",
        printed(&first)
    );
    the_threads_read_as_the_list_had_them(&site).await;
    the_owner_of_an_address_claims_its_profile(&site, data.path()).await;

    write_mbox(&mbox, "longer");
    let second = copse(
        &["import", "mbox", path, "--community", "ipc-list"],
        data.path(),
        "",
    );
    assert!(second.status.success(), "{}", printed(&second));
    assert!(
        printed(&second).contains("added 0 threads and 1 replies"),
        "{}",
        printed(&second)
    );
    assert!(
        printed(&second).contains("10008 imported before"),
        "{}",
        printed(&second)
    );
    assert!(
        printed(&second).contains("0 attachments kept"),
        "files are not kept twice: {}",
        printed(&second)
    );
    let threads = site.threads().await;
    let hand_rub = threads.iter().find(|t| t.0 == "Hand rub duration").unwrap();
    assert_eq!(hand_rub.2, 5, "the one new reply");

    an_unknown_community_is_refused(path, data.path());
}

async fn the_threads_read_as_the_list_had_them(site: &Site) {
    let threads = site.threads().await;
    let titles: Vec<&str> = threads.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(
        titles,
        [
            "(no subject)",
            "Deep thread",
            "Deep thread (continued)",
            "Grüße",
            "Hand rub duration",
            "Poster"
        ],
        "{threads:?}"
    );
    let hand_rub = threads.iter().find(|t| t.0 == "Hand rub duration").unwrap();
    assert_eq!(
        (hand_rub.1.as_str(), hand_rub.2),
        ("tom", 4),
        "Tom's own account; the subject-only reply found its thread"
    );
    let files = site
        .get(&format!("/api/v1/threads/{}/files", hand_rub.3))
        .await;
    let names: Vec<&str> = files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["audit form.pdf"],
        "the PDF is kept; the program is not: {files}"
    );
    let deep = threads.iter().find(|t| t.0 == "Deep thread").unwrap();
    assert_eq!(
        deep.2, 5000,
        "a thread holds 5,000 replies; the rest goes on in the next"
    );
    let thread = site.get(&format!("/api/v1/threads/{}", hand_rub.3)).await;
    assert!(
        thread["body"].as_str().unwrap().contains("From the ward"),
        "mbox escaping undone"
    );
    let ana = &thread["replies"][0];
    assert_eq!(ana["author"]["display_name"], "Ana Silva");
    assert_eq!(
        ana["body"], "We use 30 seconds.",
        "the quote is folded away"
    );
    assert_eq!(
        thread["replies"][2]["author"]["handle"], ana["author"]["handle"],
        "one profile per address"
    );
    let german = threads.iter().find(|t| t.0 == "Grüße").unwrap();
    assert_eq!(
        german.1, "j_",
        "a handle from the address, made long enough"
    );
    let poster = threads.iter().find(|t| t.0 == "Poster").unwrap();
    let poster = site.get(&format!("/api/v1/threads/{}", poster.3)).await;
    assert_eq!(poster["body"], "Our poster & checklist");
    // The unclaimed profile cannot be signed in to until its owner proves the address.
    let handle = ana["author"]["handle"].as_str().unwrap();
    let sign_in = site
        .http
        .post(format!("{}/api/v1/auth/tokens", site.url))
        .json(&json!({"email": "ana.silva@hospital.example", "password": "!unclaimed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in.status(), 401, "@{handle} is unclaimed");
}

/// The reset link copse mailed to `address` (the outbox holds every e-mail of the site).
async fn mailed_token(outbox: &Path, address: &str) -> String {
    for _ in 0..150 {
        for entry in std::fs::read_dir(outbox).into_iter().flatten().flatten() {
            let mail = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let mail = mail
                .replace("=\r\n", "")
                .replace("=\n", "")
                .replace("=3D", "=");
            if let Some(at) = mail
                .find("cpr_")
                .filter(|_| mail.contains(&format!("<{address}>")))
            {
                let token: String = mail[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                return token;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("no reset e-mail to {address}");
}

/// "Forgot your password?" with the list address: the link proves it, and the profile with
/// its posts is theirs.
async fn the_owner_of_an_address_claims_its_profile(site: &Site, data: &Path) {
    let address = "ana.silva@hospital.example";
    let post = |path: &str, body: Value| {
        site.http
            .post(format!("{}{path}", site.url))
            .json(&body)
            .send()
    };
    let asked = post("/api/v1/auth/password-reset", json!({"email": address}))
        .await
        .unwrap();
    assert!(asked.status().is_success(), "{}", asked.status());
    let token = mailed_token(&data.join("outbox"), address).await;
    let set = post(
        "/api/v1/auth/password-reset/confirm",
        json!({"token": token, "new_password": "my own list password"}),
    )
    .await
    .unwrap();
    assert!(set.status().is_success(), "{}", set.text().await.unwrap());
    let signed_in = post(
        "/api/v1/auth/tokens",
        json!({"email": address, "password": "my own list password"}),
    )
    .await
    .unwrap();
    assert_eq!(signed_in.status(), 201);
    let token: Value = signed_in.json().await.unwrap();
    let me: Value = site
        .http
        .get(format!("{}/api/v1/me", site.url))
        .bearer_auth(token["token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["display_name"].as_str(), me["email_verified"].as_bool()),
        (Some("Ana Silva"), Some(true)),
        "{me}"
    );
}

fn an_unknown_community_is_refused(path: &str, data: &Path) {
    let refused = copse(
        &["import", "mbox", path, "--community", "no-such-list"],
        data,
        "",
    );
    assert!(!refused.status.success());
    assert!(
        printed(&refused).contains("no community has this address"),
        "{}",
        printed(&refused)
    );
}
