"""The pack: the guide's precache entries in one file, so a first save is one request.

Over a slow, costly link each response pays for its headers and round trips, and brotli
compresses each small page alone; one stream of all the pages compresses to less than half.
So the precache entries are concatenated into one file, served like any hashed static file
(brotli and gzip twins, immutable) and split by the service worker into its own cache entries.

Format (version 1). Text is UTF-8, lines end with a single LF, numbers are decimal:

    GUIDE-PACK 1
    <url> <revision> <content type> <length>      one index line per entry
    ...
                                                  an empty line ends the index
    <body of the first entry: exactly `length` bytes, as the server sends it, unencoded>
    <body of the second entry>...                 the file ends after the last body

`url` and `revision` contain no space; the content type may (``text/html; charset=utf-8``), so
a reader takes the first two fields and the last one, and the rest is the type. Bodies are raw
bytes (PNG allowed): a reader never looks inside them, it counts `length` bytes, so it can
store each entry as soon as its last byte arrives. The index comes first because it compresses
better in one piece than spread between the bodies. The entries are those of the precache list
(web/offline.py) with the same revisions, text first and images last, where they do not
interrupt the text's compression context.
"""

MAGIC = "GUIDE-PACK 1"


class PackError(ValueError):
    """A pack that does not follow the format."""


def pack_order(entries):
    """Return the entries in pack order: text first, then images, each in the list's order."""
    return sorted(entries, key=lambda entry: entry["type"].startswith("image/"))


def build_pack(entries):
    """Return the pack of entries, each {url, revision, type, data}, in pack order."""
    entries = pack_order(entries)
    lines = [MAGIC]
    for entry in entries:
        if " " in entry["url"] + entry["revision"] or "\n" in entry["url"] + entry["type"]:
            raise PackError(f"{entry['url']!r}: a space or newline where the format has none")
        lines.append(f"{entry['url']} {entry['revision']} {entry['type']} {len(entry['data'])}")
    index = "\n".join(lines).encode() + b"\n\n"
    return index + b"".join(entry["data"] for entry in entries)


def read_pack(data):
    """Return the entries of a pack as [{url, revision, type, data}]; raise PackError if bad."""
    head, blank, bodies = data.partition(b"\n\n")
    lines = head.decode().split("\n")
    if lines[0] != MAGIC or not blank:
        raise PackError("not a guide pack (bad first line or no end of index)")
    entries, at = [], 0
    for line in lines[1:]:
        url, revision, *kind, length = line.split(" ")
        if not kind or not length.isdigit():
            raise PackError(f"bad index line {line!r}")
        body = bodies[at:at + int(length)]
        if len(body) != int(length):
            raise PackError(f"{url}: body cut short ({len(body)} of {length} bytes)")
        entries.append({"url": url, "revision": revision, "type": " ".join(kind), "data": body})
        at += int(length)
    if at != len(bodies):
        raise PackError(f"{len(bodies) - at} bytes after the last body")
    return entries
