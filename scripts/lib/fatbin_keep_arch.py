"""Zeroes, in a shared library's .nv_fatbin section, the GPU code of every architecture but the ones kept, so that the
library compresses to a fraction of its size (the kept code and all headers stay as they are; the driver picks the
entry of its own architecture). Used by scripts/pack-gpu-check.sh to fit the CUDA provider into one device call.

    fatbin_keep_arch.py LIBRARY SM[,SM...]     (e.g. 90 for the H100/H200)

Fatbin layout as read here (checked on ONNX Runtime's CUDA provider): blobs of a 16-byte header (magic 0xBA55ED50,
version u16, header size u16, size u64) holding entries of a header (kind u16: 1 PTX, 2 ELF; version u16; header size
u32; payload size u64; ...; sm u32 at byte 28) and their payload."""
import mmap
import struct
import sys

MAGIC = 0xBA55ED50


def sections(m):
    shoff = struct.unpack_from("<Q", m, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", m, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", m, shoff + i * shentsize) for i in range(shnum)]
    names = headers[shstrndx][4]
    for h in headers:
        start = names + h[0]
        yield m[start:m.find(b"\0", start)].decode(), h[4], h[5]


def keep(path, archs):
    kept = zeroed = 0
    seen = {}
    with open(path, "r+b") as f, mmap.mmap(f.fileno(), 0) as m:
        if m[:4] != b"\x7fELF":
            raise SystemExit(f"{path}: not an ELF file")
        found = [(o, s) for n, o, s in sections(m) if n == ".nv_fatbin"]
        if not found:
            raise SystemExit(f"{path}: no .nv_fatbin section")
        offset, size = found[0]
        pos, end = offset, offset + size
        while pos + 16 <= end:
            magic, _, header, blob = struct.unpack_from("<IHHQ", m, pos)
            if magic != MAGIC:
                pos += 8  # blobs are 8-byte aligned
                continue
            entry, blob_end = pos + header, pos + header + blob
            while entry < blob_end:
                kind, _, entry_header, payload = struct.unpack_from("<HHIQ", m, entry)
                sm = struct.unpack_from("<I", m, entry + 28)[0]
                seen[sm] = seen.get(sm, 0) + payload
                start = entry + entry_header
                if sm in archs:
                    kept += payload
                else:
                    m[start:start + payload] = bytes(payload)
                    zeroed += payload
                entry = start + payload
            pos = blob_end
        m.flush()
    print(f"{path}: GPU code by architecture (MB) " + ", ".join(f"sm_{k}: {v / 1e6:.1f}" for k, v in sorted(seen.items()))
          + f"; kept {kept / 1e6:.1f} MB for {sorted(archs)}, zeroed {zeroed / 1e6:.1f} MB", file=sys.stderr)
    if kept == 0:
        raise SystemExit(f"{path}: no GPU code for {sorted(archs)}; it has {sorted(seen)}")


if __name__ == "__main__":
    keep(sys.argv[1], {int(a) for a in sys.argv[2].split(",")})
