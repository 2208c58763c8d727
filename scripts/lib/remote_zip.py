"""Reads single entries of a zip (a jar) on an HTTP server with range requests: the central directory at the end,
then only the entries asked for. Maven Central serves byte ranges, so a few native libraries come out of a jar of
hundreds of MB without downloading the rest. Used by scripts/fetch-gpu-natives.sh."""
import hashlib
import io
import os
import shutil
import sys
import urllib.request
import zipfile


class RangeFile(io.RawIOBase):
    """A seekable, read-only file over an HTTP URL, one range request per read."""

    def __init__(self, url):
        self.url = url
        self.pos = 0
        head = urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=60)
        self.size = int(head.headers["Content-Length"])
        if head.headers.get("Accept-Ranges") != "bytes":
            raise SystemExit(f"{url}: the server does not serve byte ranges")

    def seekable(self):
        return True

    def readable(self):
        return True

    def tell(self):
        return self.pos

    def seek(self, offset, whence=0):
        self.pos = offset if whence == 0 else self.pos + offset if whence == 1 else self.size + offset
        return self.pos

    def readinto(self, b):
        n = min(len(b), self.size - self.pos)
        if n <= 0:
            return 0
        req = urllib.request.Request(self.url, headers={"Range": f"bytes={self.pos}-{self.pos + n - 1}"})
        with urllib.request.urlopen(req, timeout=600) as r:
            got = 0
            view = memoryview(b)
            while got < n:
                k = r.readinto(view[got:n])
                if not k:
                    raise IOError(f"{self.url}: short read at {self.pos + got}")
                got += k
        self.pos += n
        return n


def extract(url, members, folder):
    """Extracts each zip entry of members {entry path: file name} into folder; returns the names written."""
    os.makedirs(folder, exist_ok=True)
    raw = RangeFile(url)
    # big buffered reads: one request per MiB-sized block instead of one per small read
    with zipfile.ZipFile(io.BufferedReader(raw, buffer_size=8 << 20)) as z:
        names = set(z.namelist())
        for entry, name in members.items():
            if entry not in names:
                raise SystemExit(f"{url} has no entry {entry}; it holds "
                                 + ", ".join(sorted(n for n in names if n.endswith(".so") or ".so." in n)))
            target = os.path.join(folder, name)
            with z.open(entry) as src, open(target + ".part", "wb") as dst:
                shutil.copyfileobj(src, dst, 8 << 20)
            os.replace(target + ".part", target)
            print(f"  {name}: {os.path.getsize(target) / 1e6:.1f} MB", file=sys.stderr)
    return list(members.values())


def listing(url):
    raw = RangeFile(url)
    with zipfile.ZipFile(io.BufferedReader(raw, buffer_size=1 << 20)) as z:
        return [(i.filename, i.file_size, i.compress_size) for i in z.infolist()]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


if __name__ == "__main__":
    # remote_zip.py list URL | remote_zip.py extract URL FOLDER ENTRY=NAME...
    if sys.argv[1] == "list":
        for name, size, packed in listing(sys.argv[2]):
            print(f"{size:>12} {packed:>12} {name}")
    elif sys.argv[1] == "extract":
        pairs = dict(a.split("=", 1) for a in sys.argv[4:])
        extract(sys.argv[2], pairs, sys.argv[3])
    else:
        raise SystemExit("usage: remote_zip.py list URL | extract URL FOLDER ENTRY=NAME...")
