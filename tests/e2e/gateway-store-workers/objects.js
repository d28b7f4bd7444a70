// The service that defines the Durable Object class, and is a gateway too.
import { EdgeguardDurableObject } from 'edgeguard/durable-object';
import gateway from './gateway.js';

export class GatewayStore extends EdgeguardDurableObject {}

export default gateway;
