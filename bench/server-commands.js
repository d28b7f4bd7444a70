// Counts the commands a redis-server runs, on the server side, so every contender is counted the
// same way whatever its client does: MONITOR sees each command a client sends (one line each,
// "[db host:port]") and each command a script runs ("[db lua]"); INFO commandstats, reset with
// CONFIG RESETSTAT, breaks them down by name. Our own INFO / CONFIG calls are left out of both.
import { createConnection } from 'node:net';

const OWN = /^(info|config\|resetstat|monitor)$/;

/** Starts counting; `stop()` resolves with { sent, inScripts, byName } since the start. */
export async function countCommands(server) {
  await server.command('CONFIG', 'RESETSTAT');
  const socket = createConnection({ host: server.host, port: server.port });
  let sent = 0;
  let inScripts = 0;
  let pending = '';
  let started;
  let flushed = null;
  const ready = new Promise((resolve, reject) => {
    started = resolve;
    socket.once('error', reject);
  });
  socket.on('connect', () => socket.write('*1\r\n$7\r\nMONITOR\r\n'));
  socket.on('data', (chunk) => {
    const lines = (pending + chunk).split('\r\n');
    pending = lines.pop();
    for (const line of lines) {
      if (line === '+OK') started();
      // +<unix time> [<db> <client address or "lua">] "<command>" ...
      const match = /^\+\d+\.\d+ \[\d+ (\S+)\] "([^"]*)"/.exec(line);
      if (!match || OWN.test(match[2].toLowerCase())) continue;
      if (flushed && match[2].toLowerCase() === 'ping') {
        flushed();
        continue;
      }
      if (match[1] === 'lua') inScripts++;
      else sent++;
    }
  });
  await ready;
  return {
    async stop() {
      // A PING through the monitored server comes after every line before it on our socket.
      const marker = new Promise((resolve) => { flushed = resolve; });
      await server.command('PING');
      await marker;
      socket.destroy();
      const stats = await server.command('INFO', 'commandstats');
      const byName = {};
      for (const [, name, calls] of stats.matchAll(/^cmdstat_(\S+?):calls=(\d+)/gm)) {
        if (!OWN.test(name)) byName[name] = Number(calls);
      }
      if (--byName.ping === 0) delete byName.ping;  // the flushing PING
      return { sent, inScripts, byName };
    },
  };
}
