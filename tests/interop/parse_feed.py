"""Reads an Atom feed from standard input with Python's feedparser (independent of copse's
atom_syndication) and prints what the tests check as JSON: whether it parsed cleanly (bozo),
its version and title, and each entry's title, link and content."""
import json
import sys

import feedparser

feed = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
    "bozo": int(bool(feed.bozo)),
    "version": feed.version,
    "title": feed.feed.get("title"),
    "entries": [{"title": e.title, "link": e.link, "content": e.content[0].value}
                for e in feed.entries],
}))
