// How a store on the Redis protocol (RedisStore, UpstashStore) runs a script: EVALSHA with the
// digest, and EVAL with the source when the server answers NOSCRIPT (restarted, flushed, a new
// cluster node). EVAL both runs the script and caches it where its keys live.

function isNoScript(error) {
  return typeof error?.message === 'string' && error.message.startsWith('NOSCRIPT');
}

/**
 * `send(text, bySha)` sends EVALSHA of the digest (bySha) or EVAL of the source, and returns the
 * engine's promise; `onReload()` is told of each resend; `live()` (StoreCalls') false: the call
 * was given up, and a NOSCRIPT that comes after is not resent (the script would run late, its
 * writes made for a caller that has already fallen back). Once the digest is known this runs
 * without an await of its own: a script call is a store's hot path.
 */
export function evalCached(script, send, onReload, live) {
  const digest = script.digest;
  if (digest === undefined) return script.sha1().then(() => evalCached(script, send, onReload, live));
  return send(digest, true).catch((error) => {
    if (!isNoScript(error) || !live()) throw error;
    onReload();
    return send(script.source, false);
  });
}
