"""Reads every message of a maildir with Python's own e-mail parser (independent of copse's
lettre) and prints them as JSON: headers, the MIME structure, the text and HTML parts, and the
links of the HTML part."""
import json
import mailbox
import sys
from email import policy
from email.parser import BytesParser
from html.parser import HTMLParser


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            for name, value in attrs:
                if name == "href":
                    self.links.append(value)


def structure(part):
    if part.is_multipart():
        return {part.get_content_type(): [structure(p) for p in part.iter_parts()]}
    return part.get_content_type()


out = []
for key, raw in mailbox.Maildir(sys.argv[1], factory=None).iteritems():
    msg = BytesParser(policy=policy.default).parsebytes(raw.as_bytes())
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    links = Links()
    if html is not None:
        links.feed(html.get_content())
    out.append({
        "to": str(msg["To"]),
        "from": str(msg["From"]),
        "subject": str(msg["Subject"]),
        "message_id": str(msg["Message-ID"]),
        "auto_submitted": str(msg["Auto-Submitted"]),
        "list_unsubscribe": str(msg["List-Unsubscribe"]),
        "list_unsubscribe_post": str(msg["List-Unsubscribe-Post"]),
        "structure": structure(msg),
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
        "links": links.links,
    })
json.dump(out, sys.stdout)
