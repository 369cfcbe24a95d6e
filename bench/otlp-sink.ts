// The trace backend's stand-in for the benchmark: an OTLP/HTTP receiver on loopback that reads every export and
// keeps only counts, so the traced processes pay the whole cost of exporting and nothing waits on a real backend.
// Usage: node --import tsx bench/otlp-sink.ts PORT   (GET /stats answers {"requests": n, "bytes": n})
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: otlp-sink.ts PORT');
  process.exit(2);
}
const stats = { requests: 0, bytes: 0 };
const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(stats));
    return;
  }
  request.on('data', (chunk: Buffer) => void (stats.bytes += chunk.length));
  request.on('end', () => {
    stats.requests += 1;
    response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/x-protobuf' });
    response.end();
  });
});
server.listen(port, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'otlp sink listening', port })));
const stop = () => server.close(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
