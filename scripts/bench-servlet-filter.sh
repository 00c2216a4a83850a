#!/usr/bin/env bash
# Throughput of a trivial endpoint on embedded Jetty 12 with and without llm-autoscale-servlet's filter, in one run,
# measured with wrk (Debian package "wrk"; scripts/install-test-deps.sh installs it). Prints a Markdown table with
# the ratio (target >= 0.95). Options as system properties, e.g.:
#   scripts/bench-servlet-filter.sh -Drounds=5 -Dseconds=10 -Dconnections=16 -Dthreads=1
# Figures and the command used are recorded in docs/PERFORMANCE.md ("## llm-autoscale-servlet").
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null 2>&1 || { echo "wrk is not installed: run scripts/install-test-deps.sh" >&2; exit 1; }
mvn -B -q install -pl llm-autoscale-core -DskipTests
mvn -B -q -pl llm-autoscale-servlet test-compile org.codehaus.mojo:exec-maven-plugin:3.5.1:exec -Dexec.executable=java -Dexec.classpathScope=test \
  "-Dexec.args=-Xmx256m $* -cp %classpath dev.llmautoscale.servlet.bench.FilterThroughputBenchmark"
