// k6 load test for the guide's k6-operator step (docs/KUBERNETES.md): an open-model ramp against the
// OpenAI-compatible completions endpoint of the llm-inference Service, long enough to watch the HPA (or KEDA)
// scale up, hold, and scale down after its 300 s stabilization window.
//
// Environment (all optional): BASE_URL, MODEL, PROMPT_TOKENS (4 characters each), MAX_TOKENS, PEAK_RATE (req/s).
import http from 'k6/http';
import { check } from 'k6';
import { Counter, Trend } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://llm-inference.ml-workloads.svc:8000';
const MODEL = __ENV.MODEL || 'meta-llama/Llama-2-13b-chat-hf';
const PROMPT_TOKENS = parseInt(__ENV.PROMPT_TOKENS || '128', 10);
const MAX_TOKENS = parseInt(__ENV.MAX_TOKENS || '64', 10);
const PEAK_RATE = parseInt(__ENV.PEAK_RATE || '40', 10);

const overloaded = new Counter('llm_overloaded_429');
const unavailable = new Counter('llm_unavailable_503');
const completionTokens = new Counter('llm_completion_tokens');
const perToken = new Trend('llm_ms_per_output_token', true);

// 429 (overload, with Retry-After) is an expected answer while the autoscaler catches up; it is counted, not failed.
http.setResponseCallback(http.expectedStatuses(200, 429));

export const options = {
  scenarios: {
    ramp: {
      // Open model: new requests arrive at the planned rate whether or not earlier ones finished, like real users.
      executor: 'ramping-arrival-rate',
      startRate: 1,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: 1000,
      stages: [
        { target: 5, duration: '2m' },
        { target: PEAK_RATE, duration: '5m' },
        { target: PEAK_RATE, duration: '5m' },
        { target: 2, duration: '3m' },
        { target: 2, duration: '6m' },
      ],
    },
  },
  thresholds: {
    checks: ['rate>0.95'],
    http_req_failed: ['rate<0.01'],
  },
};

const body = JSON.stringify({
  model: MODEL,
  prompt: 'tok '.repeat(PROMPT_TOKENS),
  max_tokens: MAX_TOKENS,
});
const params = { headers: { 'Content-Type': 'application/json' }, timeout: '180s' };

export default function () {
  const res = http.post(`${BASE_URL}/v1/completions`, body, params);
  if (res.status === 429) {
    overloaded.add(1);
  } else if (res.status === 503) {
    unavailable.add(1);
  }
  const ok = check(res, {
    'answered (200 or 429)': (r) => r.status === 200 || r.status === 429,
    '200 has usage': (r) => r.status !== 200 || (r.json('usage.completion_tokens') || 0) > 0,
  });
  if (ok && res.status === 200) {
    const tokens = res.json('usage.completion_tokens');
    completionTokens.add(tokens);
    perToken.add(res.timings.duration / tokens);
  }
}
