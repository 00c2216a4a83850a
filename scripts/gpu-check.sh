#!/usr/bin/env bash
# The one check that needs a real NVIDIA GPU: what llm-autoscale-nvml reads, next to what nvidia-smi reports.
# Run on a GPU machine from the repository root; paste both blocks into the issue note.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests install -pl llm-autoscale-core,llm-autoscale-nvml
mvn -B -ntp -q package -pl benchmarks
echo "== nvidia-smi"
nvidia-smi --query-gpu=index,uuid,memory.used,memory.total,utilization.gpu --format=csv,nounits
echo "== llm-autoscale-nvml"
java -cp benchmarks/target/benchmarks.jar dev.llmautoscale.benchmarks.nvml.NvmlReadout
