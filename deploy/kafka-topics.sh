#!/usr/bin/env bash
# Creates the gateway's topics on an external Kafka cluster (the gateway does the same at start when they
# are missing). Partitions >= the number of inference workers; 2 MiB messages hold one 1 MiB voxel chunk.
# Usage: deploy/kafka-topics.sh BOOTSTRAP [PARTITIONS] [REPLICATION]   (needs Kafka's bin/kafka-topics.sh on PATH)
set -euo pipefail
bootstrap=${1:?bootstrap servers}
partitions=${2:-6}
replication=${3:-3}
for topic in seg.jobs seg.results seg.jobs.dlq; do
  kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor "$replication" \
    --config max.message.bytes=2097152 --config min.insync.replicas=$(( replication > 1 ? 2 : 1 ))
done
