// One instance for instances.js: imports the module and runs its optional `setup(input, index)`,
// says it is ready, then either runs its default export once on 'go' (runInstances) or the
// module's exported `steps` one message at a time as the test sends them, concurrently, until
// 'stop' (startInstances). A step's answer or error goes back with the step's id.
process.once('message', async ({ moduleUrl, input, index }) => {
  let mod;
  let context;
  try {
    mod = await import(moduleUrl);
    context = await mod.setup?.(input, index);
  } catch (error) {
    fail(error);
    return;
  }
  process.on('message', (message) => {
    if (message.type === 'go') go(mod, input, index, context);
    else if (message.type === 'step') step(mod, context, message);
    else if (message.type === 'stop') stop(mod, context);
  });
  process.send({ type: 'ready' });
});

function fail(error) {
  process.send({ type: 'error', error: String(error?.stack ?? error) }, () => process.exit(1));
}

async function go(mod, input, index, context) {
  try {
    const result = await mod.default(input, index, context);
    await mod.teardown?.(context);
    process.send({ type: 'result', result }, () => process.exit(0));
  } catch (error) {
    fail(error);
  }
}

function step(mod, context, { id, name, args }) {
  const run = mod.steps?.[name];
  // Begun at once, before the next message is heard: a step sent after it (advance the clock)
  // finds what it armed (a deadline) in place.
  const answer = new Promise((resolve) => {
    if (typeof run !== 'function') throw new Error(`no step ${name}`);
    resolve(run(context, ...args));
  });
  answer.then((result) => process.send({ type: 'step', id, result }),
    (error) => process.send({ type: 'step', id, error: String(error?.stack ?? error) }));
}

async function stop(mod, context) {
  try {
    await mod.teardown?.(context);
    process.exit(0);
  } catch (error) {
    fail(error);
  }
}
