import { state } from './state.js';

class Metric {
  constructor(name) {
    this.name = name;
    state.metrics[name] = [];
  }

  add(value) {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new Error(`metric ${this.name}: not a number: ${value}`);
    }
    state.metrics[this.name].push(value);
  }
}

export class Counter extends Metric {}
export class Trend extends Metric {}
