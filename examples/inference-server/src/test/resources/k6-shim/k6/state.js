// What the shim records while the script runs: check results by name, and metric samples by metric name.
export const state = { checks: {}, metrics: {}, responseCallback: null, requests: [] };
