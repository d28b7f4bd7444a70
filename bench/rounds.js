// Many short rounds of every task, median per task: the machine is shared, so load that comes
// and goes hits all contenders alike instead of whichever task happened to be running.
import { Bench } from 'tinybench';

/** Operations per second of each task, where one call of a task performs `batch` operations. */
export async function medianRounds(tasks, { rounds, timeMs, batch }) {
  const periods = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: timeMs / rounds, warmupTime: 20 });
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
    await bench.run();
    for (const t of bench.tasks) periods[t.name].push(t.result.period);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  return Object.fromEntries(Object.entries(periods).map(([name, p]) => [name, batch / (median(p) / 1000)]));
}
