// The two other instances' service: binds the objects service's namespace, defines none.
import { handle } from './handler.js';

export default { fetch: handle };
