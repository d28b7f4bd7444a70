// Several edgeguard instances as separate Node processes (separate isolates, separate memory), as
// a deployment runs them: each runs the default export of one module, `(input, index) => result`.
// They start together: each says it is ready once its setup is done (exported `setup`), and all
// are told to go at once. Results come back over IPC; every process is killed by the deadline,
// and at exit.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('./instance-runner.js', import.meta.url));
const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

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
      for (const child of children) {
        child.kill('SIGKILL');
        live.delete(child);
      }
      if (error) reject(error);
      else resolve(results);
    };
    const timer = setTimeout(() => finish(new Error(`instances did not finish within ${deadlineMs} ms`)), deadlineMs);
    for (let index = 0; index < count; index++) {
      const child = fork(RUNNER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
      children.push(child);
      live.add(child);
      child.on('message', (message) => {
        if (message.type === 'ready' && ++ready === count) for (const c of children) c.send({ type: 'go' });
        else if (message.type === 'result') {
          results[index] = message.result;
          if (++done === count) finish();
        } else if (message.type === 'error') {
          finish(new Error(`instance ${index}: ${message.error}`));
        }
      });
      child.on('exit', (code) => {
        live.delete(child);
        if (results[index] === undefined) finish(new Error(`instance ${index} exited (${code}) without a result`));
      });
      child.send({ type: 'start', moduleUrl: String(moduleUrl), input, index });
    }
  });
}
