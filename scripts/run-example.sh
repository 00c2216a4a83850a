#!/usr/bin/env bash
# The README's main job: builds the example inference server (and the modules it uses) from this clone, then
# starts it in the foreground. Environment as in the guide: MODEL_NAME, MAX_BATCH_SIZE, MAX_CONCURRENT_REQUESTS,
# PORT (8000), METRICS_PORT (8001), MODEL_LOAD_SECONDS, ... (see docs/EXAMPLES.md). Ctrl-C (SIGINT) or SIGTERM drains.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=examples/inference-server/target/inference-server.jar
echo "run-example: building $jar (first build downloads dependencies; tests skipped)" >&2
mvn -B -ntp -q -DskipTests package -pl examples/inference-server -am
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
