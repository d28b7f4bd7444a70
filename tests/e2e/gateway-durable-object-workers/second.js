// The second gateway service: binds the objects service's namespace, defines none; its 'flaky'
// upstream is the live backend.
import { gateway } from './gateway.js';
import { backend } from './origins.js';

export default gateway(backend);
