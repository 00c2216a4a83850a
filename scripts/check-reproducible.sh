#!/usr/bin/env bash
# Builds the published artifacts twice from clean and compares them byte for byte: the jars, the sources and Javadoc
# jars, the simulator's runnable jar and the BOM's flattened POM. Reproducible builds rest on
# project.build.outputTimestamp in the root pom.xml (every archive entry gets that time, and the Javadoc no date).
# Usage: scripts/check-reproducible.sh [extra mvn arguments, e.g. -o]
# Exit status 0 when both builds are identical; 1 with the differing files listed otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

modules=llm-autoscale-core,llm-autoscale-nvml,llm-autoscale-servlet,llm-autoscale-spring-starter,llm-autoscale-simulator,llm-autoscale-bom
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

build() {
  local dest=$1
  shift
  mvn -B -ntp -q -pl "$modules" -am -DskipTests clean package "$@"
  mkdir -p "$dest"
  for m in ${modules//,/ }; do
    find "$m/target" -maxdepth 1 -type f \( -name '*.jar' -o -name 'flattened-*.xml' \) ! -name 'original-*' \
      -exec cp {} "$dest/" \;
  done
  (cd "$dest" && sha256sum -- * | sort -k2) > "$dest.sha256"
}

build "$out/first" "$@"
build "$out/second" "$@"

count=$(wc -l < "$out/first.sha256")
if diff -u "$out/first.sha256" "$out/second.sha256"; then
  echo "reproducible: $count files identical across two clean builds"
  cat "$out/first.sha256"
else
  echo "NOT reproducible: the files above differ between two clean builds (unzip both and diff the entries)" >&2
  exit 1
fi
