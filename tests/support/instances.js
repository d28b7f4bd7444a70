// Several edgeguard instances as separate Node processes (separate isolates, separate memory), as
// a deployment runs them, each running one module (instance-runner.js says what it may export).
// runInstances: each runs the module's default export once, `(input, index) => result`, all told
// to go at once. startInstances: each runs the module's `steps` as the test asks, one at a time
// or several at once, until stop(). Every process is killed by its deadline, and at exit.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('./instance-runner.js', import.meta.url));
const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

// One instance process, set up with `input`; `onMessage(message)` hears it, `onExit(code)` its end.
function spawn(moduleUrl, input, index, onMessage, onExit) {
  const child = fork(RUNNER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  live.add(child);
  child.on('message', onMessage);
  child.on('exit', (code) => {
    live.delete(child);
    onExit(code);
  });
  child.send({ type: 'start', moduleUrl: String(moduleUrl), input, index });
  return child;
}

function killAll(children) {
  for (const child of children) {
    child.kill('SIGKILL');
    live.delete(child);
  }
}

/**
 * Runs `count` processes of `moduleUrl` with `input`; resolves with their results in index
 * order, or rejects (killing them all) if one fails or `deadlineMs` passes.
 */
export function runInstances(moduleUrl, count, input, { deadlineMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const children = [];
    const results = new Array(count);
    let ready = 0;
    let done = 0;
    let over = false;
    const finish = (error) => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      killAll(children);
      if (error) reject(error);
      else resolve(results);
    };
    const timer = setTimeout(() => finish(new Error(`instances did not finish within ${deadlineMs} ms`)), deadlineMs);
    for (let index = 0; index < count; index++) {
      children.push(spawn(moduleUrl, input, index, (message) => {
        if (message.type === 'ready' && ++ready === count) for (const c of children) c.send({ type: 'go' });
        else if (message.type === 'result') {
          results[index] = message.result;
          if (++done === count) finish();
        } else if (message.type === 'error') {
          finish(new Error(`instance ${index}: ${message.error}`));
        }
      }, (code) => {
        if (results[index] === undefined) finish(new Error(`instance ${index} exited (${code}) without a result`));
      }));
    }
  });
}

/**
 * Starts `count` processes of `moduleUrl` with `input`; resolves once every one is set up with
 * `{ step(index, name, ...args), all(name, ...args), stop() }`: step() resolves with the answer
 * of the module's `steps[name](context, ...args)` in that instance (rejects with its error, or
 * when it has not answered within `stepDeadlineMs`), all() with every instance's in index order.
 * Steps sent to one instance start in the order sent. Rejects if they are not all set up within
 * `startDeadlineMs`. stop() runs each one's teardown and ends it.
 */
export function startInstances(moduleUrl, count, input, { startDeadlineMs = 60000, stepDeadlineMs = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const children = [];
    const waiting = new Map();  // step id -> { resolve, reject, timer, index }
    let nextId = 0;
    let ready = 0;
    let started = false;
    const errors = [];  // what instances reported failing (their setup, a teardown)
    // Settles step `id` (if it still waits) with `error`, or else `result`.
    const answer = (id, error, result) => {
      const w = waiting.get(id);
      if (w === undefined) return;
      waiting.delete(id);
      clearTimeout(w.timer);
      if (error) w.reject(error);
      else w.resolve(result);
    };
    const fail = (index, error) => {
      for (const [id, w] of waiting) if (w.index === index) answer(id, error);
      if (!started) {
        started = true;
        clearTimeout(startTimer);
        killAll(children);
        reject(error);
      }
    };
    const startTimer = setTimeout(() => fail(-1, new Error(`instances not set up within ${startDeadlineMs} ms`)), startDeadlineMs);
    const step = (index, name, ...args) => new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => answer(id, new Error(`instance ${index}: step ${name} did not answer within ${stepDeadlineMs} ms`)),
        stepDeadlineMs);
      waiting.set(id, { resolve, reject, timer, index });
      children[index].send({ type: 'step', id, name, args }, (error) => {
        if (error) answer(id, new Error(`instance ${index}: step ${name} not sent (${error.message})`));
      });
    });
    const stop = async () => {
      const ended = children.map((child) => new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) done();
        else child.once('exit', done);
      }));
      for (const child of children) if (child.connected) child.send({ type: 'stop' });
      const timer = setTimeout(() => killAll(children), stepDeadlineMs);
      await Promise.all(ended);
      clearTimeout(timer);
      if (errors.length > 0) throw new Error(errors.join('\n'));
    };
    for (let index = 0; index < count; index++) {
      children.push(spawn(moduleUrl, input, index, (message) => {
        if (message.type === 'ready' && ++ready === count) {
          started = true;
          clearTimeout(startTimer);
          resolve({ step, all: (name, ...args) => Promise.all(children.map((_, i) => step(i, name, ...args))), stop });
        } else if (message.type === 'step') {
          answer(message.id, 'error' in message ? new Error(`instance ${index}: ${message.error}`) : undefined, message.result);
        } else if (message.type === 'error') {
          errors.push(`instance ${index}: ${message.error}`);
          fail(index, new Error(errors.at(-1)));
        }
      }, (code) => fail(index, new Error(`instance ${index} exited (${code})`))));
    }
  });
}
