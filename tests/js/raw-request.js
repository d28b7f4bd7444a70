// One raw HTTP/1.1 request, for targets fetch() cannot send (`//`, absolute-form, `*`);
// resolves to the status line.
import { connect } from 'node:net';

export function rawRequest(port, target, method = 'GET') {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end(`${method} ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
    });
    let text = '';
    socket.on('data', (d) => { text += d; });
    socket.on('end', () => resolve(text.split('\r\n')[0]));
    socket.on('error', reject);
  });
}
