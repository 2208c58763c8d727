#!/usr/bin/env bash
# Creates the gateway's topics on an external Kafka cluster (the gateway does the same at start when they
# are missing). Partitions >= the number of inference workers; 2 MiB messages hold one 1 MiB voxel chunk.
# Usage: deploy/kafka-topics.sh BOOTSTRAP [PARTITIONS] [REPLICATION]   (needs Kafka's bin/kafka-topics.sh on PATH)
set -euo pipefail
bootstrap=${1:?bootstrap servers}
partitions=${2:-6}
replication=${3:-3}
# Retention as the gateway creates them (seg-gateway.queue.retention, .dead-letter-retention): 24 h for volumes and
# label maps (longer than any worker outage you plan for), 14 days for the dead letters.
for topic in seg.jobs seg.results seg.jobs.dlq; do
  retention_ms=$([ "$topic" = seg.jobs.dlq ] && echo 1209600000 || echo 86400000)
  kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor "$replication" \
    --config max.message.bytes=2097152 --config retention.ms="$retention_ms" \
    --config min.insync.replicas=$(( replication > 1 ? 2 : 1 ))
done
