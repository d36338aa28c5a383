//! Outgoing e-mail. Messages are built with lettre (a plain-text and an HTML part, optional
//! `.ics` attachment, `List-Unsubscribe`) and go over SMTP when `smtp_url` is set; otherwise
//! they are written as `.eml` files to an outbox folder in the data dir, so a demo or a test
//! machine without a mail server still shows every message.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Where messages go.
#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

/// One message to send.
pub struct OutgoingMail {
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An unsubscribe link (one-click, RFC 8058).
    pub unsubscribe: Option<String>,
    /// `(file name, iCalendar text)`.
    pub calendar: Option<(String, String)>,
}

/// Removes what could break out of a header: line breaks and other control characters.
pub fn header_safe(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

impl Mailer {
    /// `smtp://[user:password@]host[:port]` (plain SMTP, e.g. a relay on the same machine or
    /// network), or the outbox folder when no URL is given.
    pub fn new(smtp_url: Option<&str>, outbox: PathBuf) -> anyhow::Result<Mailer> {
        let Some(url) = smtp_url.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(Mailer::Outbox(outbox));
        };
        let rest = url.strip_prefix("smtp://").ok_or_else(|| {
            anyhow::anyhow!("smtp_url must look like smtp://user:password@host:25")
        })?;
        let (credentials, server) = match rest.rsplit_once('@') {
            Some((creds, server)) => (Some(creds), server),
            None => (None, rest),
        };
        let server = server.trim_end_matches('/');
        let (host, port) = match server.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| anyhow::anyhow!("smtp_url has an invalid port"))?,
            ),
            None => (server, 25),
        };
        if host.is_empty() {
            anyhow::bail!("smtp_url names no host");
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(Duration::from_secs(30)));
        if let Some(creds) = credentials {
            let (user, password) = creds.split_once(':').unwrap_or((creds, ""));
            builder = builder.credentials(Credentials::new(user.to_string(), password.to_string()));
        }
        Ok(Mailer::Smtp(builder.build()))
    }

    /// Checks a sender address (`copse <copse@example.org>`) before it is used.
    pub fn check_from(from: &str) -> anyhow::Result<()> {
        from.parse::<Mailbox>()
            .map(|_| ())
            .map_err(|e| anyhow::anyhow!("mail_from {from:?} is not an address: {e}"))
    }

    /// Builds and sends (or files) one message.
    pub async fn send(&self, from: &str, mail: &OutgoingMail) -> anyhow::Result<()> {
        let message = build(from, mail)?;
        match self {
            Mailer::Smtp(transport) => {
                transport.send(message).await?;
            }
            Mailer::Outbox(folder) => {
                tokio::fs::create_dir_all(folder).await?;
                let mut bytes = [0u8; 8];
                getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("randomness: {e}"))?;
                let name = format!(
                    "{}-{}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S"),
                    hex::encode(bytes)
                );
                let path = folder.join(name);
                tokio::fs::write(&path, message.formatted()).await?;
                tracing::info!(path = %path.display(), to = %mail.to_address, "mail written to the outbox (no smtp_url set)");
            }
        }
        Ok(())
    }
}

fn build(from: &str, mail: &OutgoingMail) -> anyhow::Result<Message> {
    let from: Mailbox = from.parse()?;
    let to = Mailbox::new(Some(header_safe(&mail.to_name)), mail.to_address.parse()?);
    let alternative = MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone());
    let body = match &mail.calendar {
        Some((file, ics)) => MultiPart::mixed().multipart(alternative).singlepart(
            Attachment::new(header_safe(file)).body(
                ics.clone(),
                ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")?,
            ),
        ),
        None => alternative,
    };
    let message_id = message_id(from.email.domain())?;
    let mut message = Message::builder()
        .from(from)
        .to(to)
        .subject(header_safe(&mail.subject))
        .message_id(Some(message_id))
        .multipart(body)?;
    // Every message copse sends is made by a program, not typed by a person (RFC 3834): mail
    // systems must not answer it automatically (no vacation replies to a digest).
    message.headers_mut().insert_raw(HeaderValue::new(
        HeaderName::new_from_ascii_str("Auto-Submitted"),
        "auto-generated".to_string(),
    ));
    if let Some(url) = &mail.unsubscribe {
        let headers = message.headers_mut();
        headers.insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{}>", header_safe(url)),
        ));
        headers.insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_string(),
        ));
    }
    Ok(message)
}

/// A new `Message-ID` (RFC 5322 §3.6.4): random, at the sender's domain. Large providers refuse
/// mail without one.
fn message_id(domain: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("randomness: {e}"))?;
    Ok(format!("<{}@{}>", hex::encode(bytes), domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_cannot_be_injected() {
        let mail = OutgoingMail {
            to_name: "Eve\r\nBcc: victim@example.org".into(),
            to_address: "eve@example.org".into(),
            subject: "Reminder: Tea\r\nBcc: victim@example.org".into(),
            text: "plain".into(),
            html: "<p>html</p>".into(),
            unsubscribe: Some("https://copse.example/unsubscribe/x\r\nBcc: v@example.org".into()),
            calendar: Some((
                "event.ics".into(),
                "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into(),
            )),
        };
        let raw = String::from_utf8(
            build("copse <copse@example.org>", &mail)
                .unwrap()
                .formatted(),
        )
        .unwrap();
        assert!(!raw.contains("\r\nBcc:"), "{raw}");
        assert!(raw.contains(
            "List-Unsubscribe: <https://copse.example/unsubscribe/x  Bcc: v@example.org>"
        ));
        assert!(raw.contains("multipart/alternative") && raw.contains("text/calendar"));
        assert!(
            raw.contains("\r\nAuto-Submitted: auto-generated\r\n"),
            "{raw}"
        );
        let id = raw
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: "))
            .expect("a Message-ID header");
        assert!(id.starts_with('<') && id.ends_with("@example.org>"), "{id}");
    }

    #[test]
    fn smtp_urls_are_checked() {
        assert!(Mailer::new(Some("smtp://u:p@127.0.0.1:2525"), PathBuf::new()).is_ok());
        assert!(Mailer::new(Some("http://x"), PathBuf::new()).is_err());
        assert!(Mailer::new(Some("smtp://host:notaport"), PathBuf::new()).is_err());
        assert!(matches!(
            Mailer::new(None, PathBuf::from("o")).unwrap(),
            Mailer::Outbox(_)
        ));
    }
}
