// Many short rounds of every task, median per task: the machine is shared, so load that comes
// and goes hits all contenders alike instead of whichever task happened to be running.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { Bench } from 'tinybench';

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
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
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
