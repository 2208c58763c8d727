#!/usr/bin/env bash
# The main job until the single-machine demo lands: the bundled synthetic sample CT series ->
# volume (JSON on stdout) -> DICOM SEG of a synthetic sphere -> dciodvfy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/main-job}
rm -rf "$out" && mkdir -p "$out"
cli="$root/bin/seg-gateway"
"$cli" sample "$out/sample-ct"
"$cli" volume "$out/sample-ct"
"$cli" seg --series "$out/sample-ct" --synthetic --out "$out/sample-seg.dcm"
echo "dciodvfy $out/sample-seg.dcm:"
dciodvfy "$out/sample-seg.dcm" 2>&1 | sed 's/^/  /'
if dciodvfy "$out/sample-seg.dcm" 2>&1 | grep -q '^Error'; then echo "main job: the SEG has errors" >&2; exit 1; fi
echo "main job: OK, SEG at $out/sample-seg.dcm"
