import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { state } from './state.js';

function get(object, path) {
  let node = object;
  for (const key of path.split('.')) {
    if (node === null || node === undefined) {
      return undefined;
    }
    node = node[key];
  }
  return node;
}

// A synchronous POST like k6's: curl writes the body to a file and prints status and content type.
function post(url, body, params) {
  const dir = mkdtempSync(join(tmpdir(), 'k6-shim-'));
  const out = join(dir, 'body');
  const args = ['-sS', '-X', 'POST', '--data-binary', '@-', '-o', out, '-w', '%{http_code} %{content_type}',
    '--max-time', '180'];
  for (const [k, v] of Object.entries((params && params.headers) || {})) {
    args.push('-H', `${k}: ${v}`);
  }
  args.push(url);
  const start = process.hrtime.bigint();
  const written = execFileSync('curl', args, { input: body, encoding: 'utf8' });
  const duration = Number(process.hrtime.bigint() - start) / 1e6;
  const [status, contentType] = written.split(' ');
  const text = readFileSync(out, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const res = {
    status: parseInt(status, 10),
    body: text,
    headers: { 'Content-Type': contentType || '' },
    timings: { duration },
    json(path) {
      const parsed = JSON.parse(text);
      return path ? get(parsed, path) : parsed;
    },
  };
  state.requests.push({ url, status: res.status });
  return res;
}

function setResponseCallback(callback) {
  state.responseCallback = callback;
}

function expectedStatuses(...statuses) {
  return { expected: statuses };
}

export default { post, setResponseCallback, expectedStatuses };
