#!/usr/bin/env bash
# The main job for now: sample series -> volume -> synthetic SEG -> dciodvfy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/main-job}
rm -rf "$out" && mkdir -p "$out"
"$root/bin/seg-gateway" sample "$out/sample-ct"
