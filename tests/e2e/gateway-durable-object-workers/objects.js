// The service that defines the Durable Object class, and is a gateway too: its 'flaky' upstream
// is the dead one.
import { EdgeguardDurableObject } from 'edgeguard/durable-object';
import { gateway } from './gateway.js';
import { dead } from './origins.js';

export class GatewayStore extends EdgeguardDurableObject {}

export default gateway(dead);
