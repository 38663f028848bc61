#!/usr/bin/python3
"""Independent check of a message produced by Ssmtp for Qt, as delivered by a real server.

    /usr/bin/python3 check_message.py FILE      (an .eml, or a Maildir file; "-" reads stdin)

Parses the message with Python's email package (BytesParser, policy=email.policy.default) and
prints one JSON object on stdout:

  defects            total number of defects: message.defects of every MIME part plus the
                     defects of every parsed header of every part
  defect_list        ["<part path> <header or 'body'>: DefectName: text", ...]
  headers            {name: decoded value} of the top-level header (first occurrence; names
                     as written in the message)
  header_list        [[name, decoded value], ...] every top-level header in order
  header_counts      {lower-case name: occurrences}
  addresses          {lower-case name: [{"name": display name, "address": addr-spec}]} for
                     From, Sender, Reply-To, To, Cc, Bcc, Return-Path, Disposition-Notification-To
  content_type       top-level content type
  parts              [{"path", "content_type", "charset", "cte", "filename", "disposition"}]
                     for every leaf part
  body               decoded text of the first text/plain part (or of the message when it is
                     not MIME), CRLF and CR normalised to LF; null when there is none
  body_charset, body_cte
  body_sha256        SHA-256 of the transfer-decoded octets of that part, line ends
                     normalised to CRLF
  raw_body_sha256    SHA-256 of the octets after the header/body separator, exactly as in the
                     file
  raw_body_crlf_sha256  the same after normalising every line end to CRLF (compare an .eml
                     stored with CRLF with a Maildir file stored with LF)
  raw_body_length    octets after the separator
  raw_header         the header block as text (for diagnostics)
  line_endings       {"crlf": n, "bare_lf": n, "bare_cr": n} over the whole file
  max_line_length    longest line in octets without its line end
  eight_bit_header   true when the raw header block has octets >= 0x80
  errors             problems that stopped part of the analysis (e.g. an unknown charset)

Exits 0 when the file could be read (defects are data, not failures), 2 otherwise.
"""
import email
import email.policy
import hashlib
import json
import re
import sys
from email.parser import BytesParser

ADDRESS_HEADERS = ("from", "sender", "reply-to", "to", "cc", "bcc", "return-path",
                   "disposition-notification-to")


def crlf(data: bytes) -> bytes:
    return re.sub(rb"\r\n|\r|\n", b"\r\n", data)


def split_raw(raw: bytes):
    """Returns (header bytes, body bytes) split at the first empty line."""
    m = re.search(rb"\r?\n\r?\n", raw)
    if not m:
        return raw, b""
    return raw[:m.start()], raw[m.end():]


def line_stats(raw: bytes):
    crlf_count = raw.count(b"\r\n")
    bare_lf = raw.count(b"\n") - crlf_count
    bare_cr = raw.count(b"\r") - crlf_count
    longest = 0
    for line in re.split(rb"\r\n|\r|\n", raw):
        longest = max(longest, len(line))
    return {"crlf": crlf_count, "bare_lf": bare_lf, "bare_cr": bare_cr}, longest


def decoded(value):
    try:
        return str(value)
    except Exception as e:  # a header the policy cannot render
        return "<undecodable: %s>" % e


def parse_header(part, name, value):
    """The parsed header object, or the exception the email package raised (it has bugs on
    some malformed input; such a header counts as a defect)."""
    try:
        h = part.policy.header_fetch_parse(name, value)
        str(h)
        return h
    except Exception as e:
        return e


def analyse(raw: bytes):
    errors = []
    defect_list = []
    msg = BytesParser(policy=email.policy.default).parsebytes(raw)

    def walk(part, path):
        yield part, path
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                for i, sub in enumerate(payload, 1):
                    yield from walk(sub, "%s.%d" % (path, i) if path else str(i))

    leaves = []
    for part, path in walk(msg, ""):
        label = path or "0"
        for d in part.defects:
            defect_list.append("%s body: %s: %s" % (label, type(d).__name__, d))
        for name, value in part.raw_items():
            h = parse_header(part, name, value)
            if isinstance(h, Exception):
                defect_list.append("%s %s: UnparsableHeader: %s: %s"
                                   % (label, name, type(h).__name__, h))
                continue
            for d in getattr(h, "defects", ()):
                defect_list.append("%s %s: %s: %s" % (label, name, type(d).__name__, d))
        if not part.is_multipart():
            leaves.append((part, label))

    headers = {}
    header_list = []
    header_counts = {}
    addresses = {}
    for name, value in msg.raw_items():
        h = parse_header(msg, name, value)
        v = "<unparsable: %s>" % h if isinstance(h, Exception) else decoded(h)
        header_list.append([name, v])
        headers.setdefault(name, v)
        lname = name.lower()
        header_counts[lname] = header_counts.get(lname, 0) + 1
        if lname in ADDRESS_HEADERS and not isinstance(h, Exception):
            out = addresses.setdefault(lname, [])
            for addr in getattr(h, "addresses", ()):
                out.append({"name": addr.display_name, "address": addr.addr_spec})

    def safe(fn, default=None):
        try:
            return fn()
        except Exception as e:
            errors.append("%s: %s" % (type(e).__name__, e))
            return default

    def cte_of(part):
        v = part.get("Content-Transfer-Encoding")
        return str(v).strip().lower() if v is not None else None

    parts = []
    for part, label in leaves:
        parts.append({
            "path": label,
            "content_type": safe(part.get_content_type),
            "charset": safe(part.get_content_charset),
            "cte": safe(lambda: cte_of(part)),
            "filename": safe(part.get_filename),
            "disposition": safe(part.get_content_disposition),
        })

    body = None
    body_sha = None
    body_charset = None
    body_cte = None
    text_part = None
    for part, label in leaves:
        if (safe(part.get_content_type) == "text/plain"
                and safe(part.get_content_disposition) != "attachment"):
            text_part = part
            break
    if text_part is not None:
        body_charset = safe(text_part.get_content_charset)
        body_cte = safe(lambda: cte_of(text_part)) or "7bit"
        octets = safe(lambda: text_part.get_payload(decode=True) or b"", b"")
        body_sha = hashlib.sha256(crlf(octets)).hexdigest()
        text = safe(text_part.get_content)
        if text is not None:
            body = text.replace("\r\n", "\n").replace("\r", "\n")

    raw_header, raw_body = split_raw(raw)
    endings, longest = line_stats(raw)
    defects = len(defect_list)
    return {
        "defects": defects,
        "defect_list": defect_list,
        "headers": headers,
        "header_list": header_list,
        "header_counts": header_counts,
        "addresses": addresses,
        "content_type": safe(msg.get_content_type),
        "parts": parts,
        "body": body,
        "body_charset": body_charset,
        "body_cte": body_cte,
        "body_sha256": body_sha,
        "raw_body_sha256": hashlib.sha256(raw_body).hexdigest(),
        "raw_body_crlf_sha256": hashlib.sha256(crlf(raw_body)).hexdigest(),
        "raw_body_length": len(raw_body),
        "raw_header": raw_header.decode("utf-8", errors="replace"),
        "line_endings": endings,
        "max_line_length": longest,
        "eight_bit_header": any(b >= 0x80 for b in raw_header),
        "errors": errors,
    }


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    try:
        if argv[1] == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(argv[1], "rb") as f:
                raw = f.read()
    except OSError as e:
        json.dump({"error": str(e)}, sys.stdout)
        sys.stdout.write("\n")
        return 2
    json.dump(analyse(raw), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
