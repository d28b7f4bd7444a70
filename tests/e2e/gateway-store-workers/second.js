// The second gateway service: binds the objects service's namespace, defines none.
import gateway from './gateway.js';

export default gateway;
