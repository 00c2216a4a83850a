#!/usr/bin/env bash
# Throughput of a trivial endpoint on embedded Jetty 12 with and without llm-autoscale-servlet's filter, in one run,
# measured with wrk (Debian package "wrk"; scripts/install-test-deps.sh installs it). Prints a Markdown table with
# the ratio (target >= 0.95). Options as system properties, e.g.:
#   scripts/bench-servlet-filter.sh -Drounds=5 -Dseconds=10 -Dconnections=16 -Dthreads=1
# Figures and the command used are recorded in docs/PERFORMANCE.md ("## llm-autoscale-servlet").
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null 2>&1 || { echo "wrk is not installed: run scripts/install-test-deps.sh" >&2; exit 1; }
# Built in the reactor (nothing is installed into ~/.m2); the benchmark starts its server JVMs on the same classpath.
mvn -B -q -pl llm-autoscale-servlet -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
m=llm-autoscale-servlet
exec java -Xmx256m "$@" -cp "$m/target/test-classes:$m/target/classes:$(cat $m/target/bench.classpath)" \
  dev.llmautoscale.servlet.bench.FilterThroughputBenchmark
