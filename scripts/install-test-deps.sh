#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine (run as root; CI runs it from .ci/run):
#   promtool, prometheus (Debian package "prometheus") - the exposition linter, and the server the PromQL of
#                                           deploy/ is evaluated on
#   redis-server                            - the queue the example queue worker's end-to-end tests run against
#   gcc                                     - builds the fake libnvidia-ml the NVML tests load through JNA
#   curl                                    - runs the guide's preStop loop against a live server
#   wrk                                     - the HTTP load tool of the servlet throughput benchmark
#   node (Debian package "nodejs")          - runs deploy/k6/test.js's scenarios against the example server
# A JDK 17 and Maven are expected on the machine already. Idempotent: does nothing when all are present.
set -euo pipefail

missing=()
{ command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; } || missing+=(prometheus)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v node >/dev/null 2>&1 || missing+=(nodejs)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: promtool, prometheus, redis-server, gcc, curl, wrk and node are present"
  exit 0
fi

echo "install-test-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The prometheus and redis-server packages start services where systemd runs; the tests start their own servers on
# free loopback ports and need only the binaries.
command -v promtool >/dev/null
command -v prometheus >/dev/null
command -v redis-server >/dev/null
echo "install-test-deps: done"
