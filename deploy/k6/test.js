// k6 load test for the guide's k6-operator step (docs/KUBERNETES.md, k6.yaml): an open-model ramp against the
// OpenAI-compatible endpoints of the llm-inference Service, long enough to watch the HPA (or KEDA) scale up, hold,
// and scale down after its 300 s stabilization window. Two scenarios share the planned rate: non-streaming
// /v1/completions (70%) and streaming /v1/chat/completions with server-sent events (30%). With the K6 resource's
// parallelism 4 the four runners split every rate between them (execution segments), so PEAK_RATE is the total.
//
// Environment (all optional): BASE_URL, MODEL, PROMPT_TOKENS (4 characters each), MAX_TOKENS, PEAK_RATE (req/s),
// STREAM_SHARE (0-1, the streaming part of the rate), TIME_SCALE (1: the stages below; 0.01 runs them 100 times
// faster, for a smoke test).
import http from 'k6/http';
import { check } from 'k6';
import { Counter, Trend } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://llm-inference.ml-workloads.svc:8000';
const MODEL = __ENV.MODEL || 'meta-llama/Llama-2-13b-chat-hf';
const PROMPT_TOKENS = parseInt(__ENV.PROMPT_TOKENS || '128', 10);
const MAX_TOKENS = parseInt(__ENV.MAX_TOKENS || '64', 10);
const PEAK_RATE = parseInt(__ENV.PEAK_RATE || '40', 10);
const STREAM_SHARE = parseFloat(__ENV.STREAM_SHARE || '0.3');
const TIME_SCALE = parseFloat(__ENV.TIME_SCALE || '1');

const overloaded = new Counter('llm_overloaded_429');
const unavailable = new Counter('llm_unavailable_503');
const completionTokens = new Counter('llm_completion_tokens');
const streamedChunks = new Counter('llm_streamed_chunks');
const perToken = new Trend('llm_ms_per_output_token', true);

// 429 (overload, with Retry-After) is an expected answer while the autoscaler catches up; it is counted, not failed.
http.setResponseCallback(http.expectedStatuses(200, 429));

// The planned total rate over time (req/s), before the split between the scenarios.
const PLAN = [
  { target: 5, seconds: 120 },
  { target: PEAK_RATE, seconds: 300 },
  { target: PEAK_RATE, seconds: 300 },
  { target: 2, seconds: 180 },
  { target: 2, seconds: 360 },
];

function scenario(exec, share) {
  return {
    // Open model: new requests arrive at the planned rate whether or not earlier ones finished, like real users.
    executor: 'ramping-arrival-rate',
    exec,
    startRate: Math.max(1, Math.round(share * 5)),
    timeUnit: '1s',
    preAllocatedVUs: Math.max(4, Math.round(50 * share)),
    maxVUs: Math.max(4, Math.round(1000 * share)),
    stages: PLAN.map((s) => ({
      target: Math.max(1, Math.round(s.target * share)),
      duration: `${Math.max(1, Math.round(s.seconds * TIME_SCALE))}s`,
    })),
  };
}

export const options = {
  scenarios: {
    completions: scenario('completions', 1 - STREAM_SHARE),
    chat_stream: scenario('chatStream', STREAM_SHARE),
  },
  thresholds: {
    checks: ['rate>0.95'],
    http_req_failed: ['rate<0.01'],
  },
};

const params = { headers: { 'Content-Type': 'application/json' }, timeout: '180s' };
const prompt = 'tok '.repeat(PROMPT_TOKENS);
const completionBody = JSON.stringify({ model: MODEL, prompt, max_tokens: MAX_TOKENS });
const chatBody = JSON.stringify({
  model: MODEL,
  messages: [{ role: 'user', content: prompt }],
  max_tokens: MAX_TOKENS,
  stream: true,
  stream_options: { include_usage: true },
});

function countRefusal(res) {
  if (res.status === 429) {
    overloaded.add(1);
  } else if (res.status === 503) {
    unavailable.add(1);
  }
}

// Non-streaming: one JSON answer with usage.
export function completions() {
  const res = http.post(`${BASE_URL}/v1/completions`, completionBody, params);
  countRefusal(res);
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

// Parses a server-sent-events body: the JSON of every "data:" event, and whether it ended with [DONE].
export function events(body) {
  const chunks = [];
  let done = false;
  for (const line of String(body || '').split('\n')) {
    if (!line.startsWith('data: ')) {
      continue;
    }
    const data = line.substring(6).trim();
    if (data === '[DONE]') {
      done = true;
    } else {
      chunks.push(JSON.parse(data));
    }
  }
  return { chunks, done };
}

// Streaming: server-sent events, one chunk per token, the usage in the last chunk, then [DONE]. (k6 reads the whole
// stream before it returns, so time to first token is the server's llm_time_to_first_token_seconds, not a k6 trend.)
export function chatStream() {
  const res = http.post(`${BASE_URL}/v1/chat/completions`, chatBody, params);
  countRefusal(res);
  let parsed = { chunks: [], done: false };
  if (res.status === 200) {
    parsed = events(res.body);
  }
  const usage = parsed.chunks.length > 0 ? parsed.chunks[parsed.chunks.length - 1].usage : null;
  const ok = check(res, {
    'answered (200 or 429)': (r) => r.status === 200 || r.status === 429,
    '200 is an event stream': (r) => r.status !== 200
      || String(r.headers['Content-Type'] || '').startsWith('text/event-stream'),
    '200 stream ends with [DONE]': (r) => r.status !== 200 || parsed.done,
    '200 stream carries usage': (r) => r.status !== 200 || (usage && usage.completion_tokens > 0),
  });
  if (ok && res.status === 200) {
    completionTokens.add(usage.completion_tokens);
    streamedChunks.add(parsed.chunks.length);
    perToken.add(res.timings.duration / usage.completion_tokens);
  }
}
