export { RedisStore, RedisStoreOptions, RedisStoreStats, RedisClientKind } from './redis-store.js';
export { UpstashStore, UpstashStoreOptions, UpstashStoreStats } from './upstash-store.js';
export { StoreError, StoreErrorCode } from './store-error.js';
export { StoreScript, StoreScriptOptions, ScriptRun, defineScript } from './script.js';
export { hashTag, storeKey } from './store-key.js';
export { Store, StoreCallOptions, StoreSetOptions, StoreStats, ScriptReply, ScriptState } from './store.js';
export { DurableObjectStore, DurableObjectStoreOptions, DurableObjectStoreStats, DurableObjectNamespaceLike } from './durable-object-store.js';
