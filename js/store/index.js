// edgeguard/store: shared state for many instances. The store interface is documented in
// store.d.ts; RedisStore implements it over node-redis and ioredis, UpstashStore over @upstash/redis.
export { RedisStore } from './redis-store.js';
export { UpstashStore } from './upstash-store.js';
export { StoreError } from './store-error.js';
export { StoreScript, defineScript } from './script.js';
export { hashTag, storeKey } from './store-key.js';
export { DurableObjectStore } from './durable-object-store.js';
