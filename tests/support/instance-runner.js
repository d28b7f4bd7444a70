// One instance for instances.js: imports the module, runs its optional `setup(input, index)`,
// waits for 'go', runs its default export, sends the result back, and exits.
process.once('message', async ({ moduleUrl, input, index }) => {
  try {
    const mod = await import(moduleUrl);
    const context = await mod.setup?.(input, index);
    const go = new Promise((resolve) => process.once('message', resolve));
    process.send({ type: 'ready' });
    await go;
    const result = await mod.default(input, index, context);
    await mod.teardown?.(context);
    process.send({ type: 'result', result }, () => process.exit(0));
  } catch (error) {
    process.send({ type: 'error', error: String(error?.stack ?? error) }, () => process.exit(1));
  }
});
