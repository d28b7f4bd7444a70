// The second gateway service: binds the objects service's namespaces, defines none.
import { handle } from './handler.js';

export default { fetch: handle };
