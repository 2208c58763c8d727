#!/usr/bin/env bash
# The main job: the single-machine demo. Starts a Kafka broker and PostgreSQL (the local server, else a
# private one), the gateway, a CPU worker with the demo model and a stand-in PACS; sends the bundled
# sample CT series by C-STORE, waits for the DICOM SEG at the PACS, prints where it went and the timings.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec "$root/bin/seg-gateway" demo "$@"
