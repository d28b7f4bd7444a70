// Many short rounds of every task, median per task: the machine is shared, so load that comes
// and goes hits all contenders alike instead of whichever task happened to be running.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { Bench } from 'tinybench';

/** The middle value (the upper of the two middle ones for an even count); `xs` is not changed. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Operations per second of each task, where one call of a task performs `batch` operations.
 * `rotate`: each round starts the task order that many places further on, so no task always
 * runs first or last. `warmupTime`: tinybench's warm-up per task and round, in ms.
 */
export async function medianRounds(tasks, { rounds, timeMs, batch, rotate = 0, warmupTime = 20 }) {
  const entries = Object.entries(tasks);
  const periods = Object.fromEntries(entries.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: timeMs / rounds, warmupTime });
    for (let i = 0; i < entries.length; i++) bench.add(...entries[(i + round * rotate) % entries.length]);
    await bench.run();
    for (const t of bench.tasks) periods[t.name].push(t.result.period);
  }
  return Object.fromEntries(Object.entries(periods).map(([name, p]) => [name, batch / (median(p) / 1000)]));
}

/**
 * Writes bench/results/<name>.json; with `merge`, over the fields of the file already there
 * (a bench whose parts run in processes of their own each add theirs).
 */
export async function writeResults(name, data, { merge = false } = {}) {
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(`./results/${name}.json`, import.meta.url);
  const previous = merge ? await readFile(file, 'utf8').then(JSON.parse, () => ({})) : {};
  await writeFile(file, `${JSON.stringify({ ...previous, ...data }, null, 2)}\n`);
}

/**
 * Latency of one call of each task (awaited one after another), over `rounds` rounds of
 * `timeMs / rounds` ms per task, task order rotated each round: calls/s (median over rounds)
 * and p50 / p99 in ms over every call of every round.
 */
export async function latencyRounds(tasks, { rounds, timeMs, warmupMs = 50 }) {
  const entries = Object.entries(tasks);
  const samples = Object.fromEntries(entries.map(([name]) => [name, []]));
  const rates = Object.fromEntries(entries.map(([name]) => [name, []]));
  const run = async (fn, ms, into) => {
    const start = process.hrtime.bigint();
    const end = start + BigInt(Math.round(ms * 1e6));
    let calls = 0;
    let now = start;
    while (now < end) {
      const before = now;
      await fn();
      now = process.hrtime.bigint();
      into?.push(Number(now - before) / 1e6);
      calls++;
    }
    return calls / (Number(now - start) / 1e9);
  };
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < entries.length; i++) {
      const [name, fn] = entries[(i + round) % entries.length];
      await run(fn, warmupMs);
      rates[name].push(await run(fn, timeMs / rounds, samples[name]));
    }
  }
  const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return Object.fromEntries(entries.map(([name]) => {
    const sorted = Float64Array.from(samples[name]).sort();
    return [name, { callsPerSecond: median(rates[name]), p50: at(sorted, 0.5), p99: at(sorted, 0.99), calls: sorted.length }];
  }));
}
