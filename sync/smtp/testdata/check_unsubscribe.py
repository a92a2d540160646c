"""Reads one newsletter message (as the SMTP server received it) on stdin with Python's own
e-mail parser, a reader Hearth did not write, and prints what a mail client would find to
unsubscribe, as JSON: the List-Unsubscribe header's URIs (RFC 2369), whether a one-click
List-Unsubscribe-Post header (RFC 8058) is there, the mailto address and subject of the
unsubscribe URI, and the unsubscribe links of the HTML part and the text part.

Exits non-zero, saying why, when the message cannot be read under the strict default policy."""

import email
import email.policy
import email.utils
import html.parser
import json
import re
import sys
import urllib.parse


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            for k, v in attrs:
                if k == "href" and v:
                    self.hrefs.append(v)


def main():
    raw = sys.stdin.buffer.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if msg.defects:
        sys.exit("defects in the message: %r" % msg.defects)
    header = msg.get_all("List-Unsubscribe") or []
    if len(header) != 1:
        sys.exit("want one List-Unsubscribe header, got %r" % header)
    # RFC 2369: a list of angle-bracketed URIs, separated by commas.
    uris = re.findall(r"<([^>]*)>", str(header[0]))
    rest = re.sub(r"<[^>]*>", "", str(header[0])).replace(",", "").strip()
    if rest:
        sys.exit("List-Unsubscribe has text outside its <URIs>: %r" % rest)
    out = {"uris": uris, "post": msg.get("List-Unsubscribe-Post")}
    mailto = [u for u in uris if u.startswith("mailto:")]
    if mailto:
        u = urllib.parse.urlsplit(mailto[0])
        q = urllib.parse.parse_qs(u.query)
        out["mailto"] = urllib.parse.unquote(u.path)
        out["subject"] = q.get("subject", [""])[0]
    out["from"] = email.utils.parseaddr(str(msg["From"]))[1]
    html_part = msg.get_body(preferencelist=("html",))
    text_part = msg.get_body(preferencelist=("plain",))
    links = Links()
    links.feed(html_part.get_content() if html_part is not None else "")
    out["htmlLinks"] = [h for h in links.hrefs if h.startswith("mailto:") and "unsubscribe" in h]
    text = text_part.get_content() if text_part is not None else ""
    out["textLinks"] = re.findall(r"mailto:\S+", text)
    json.dump(out, sys.stdout)


main()
