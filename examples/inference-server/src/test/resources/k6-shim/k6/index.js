import { state } from './state.js';

// k6's check(): runs every named predicate on the value, records pass/fail by name, true when all passed.
export function check(value, predicates) {
  let all = true;
  for (const [name, predicate] of Object.entries(predicates)) {
    let ok;
    try {
      ok = Boolean(predicate(value));
    } catch (e) {
      ok = false;
    }
    const c = state.checks[name] || (state.checks[name] = { passes: 0, fails: 0 });
    if (ok) {
      c.passes++;
    } else {
      c.fails++;
      all = false;
    }
  }
  return all;
}
