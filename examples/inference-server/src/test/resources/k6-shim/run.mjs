// Runs deploy/k6/test.js (copied next to this file as test.mjs) the way a k6 runner would call it: __ENV from the
// environment, every scenario's exec function ITERATIONS times. Prints one JSON line: checks, metrics, requests.
import { state } from 'k6/state-internal';

globalThis.__ENV = { ...process.env };
const script = await import('./test.mjs');
const iterations = parseInt(process.env.ITERATIONS || '3', 10);
const scenarios = script.options.scenarios;
const problems = [];
for (const [name, scenario] of Object.entries(scenarios)) {
  if (typeof script[scenario.exec] !== 'function') {
    problems.push(`scenario ${name}: exec ${scenario.exec} is not an exported function`);
    continue;
  }
  for (let i = 0; i < iterations; i++) {
    script[scenario.exec]();
  }
}
console.log(JSON.stringify({
  problems,
  scenarios: Object.fromEntries(Object.entries(scenarios).map(([n, s]) => [n, s])),
  expectedStatuses: state.responseCallback && state.responseCallback.expected,
  checks: state.checks,
  metrics: state.metrics,
  requests: state.requests,
}));
