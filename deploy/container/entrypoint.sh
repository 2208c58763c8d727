#!/bin/sh
# The image's entry point. "gateway": the Quarkus service in the foreground, as bin/seg-gateway serve runs it (the
# working folder's config/application.properties, then environment variables). Anything else: the command line
# (worker, hash-password, audit verify, ...). JAVA_OPTS: options for the JVM (heap, GC).
set -eu
if [ "${1-}" = gateway ]; then
  shift
  # shellcheck disable=SC2086 # JAVA_OPTS holds several options
  exec java --enable-native-access=ALL-UNNAMED ${JAVA_OPTS-} -jar /opt/seg-gateway/gateway/quarkus-run.jar "$@"
fi
# shellcheck disable=SC2086
exec java --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn ${JAVA_OPTS-} \
  -cp "/opt/seg-gateway/cli/seg-gateway.jar:/opt/seg-gateway/cli/lib/*" org.seggateway.cli.SegGateway "$@"
