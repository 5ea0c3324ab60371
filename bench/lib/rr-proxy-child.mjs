// The proxy's process (see rr-proxy.mjs): listens on a free loopback port, reports its URL over IPC, and
// passes each request, headers and body as they are, to the next backend; stops when the parent goes.
import { Agent, createServer, request } from 'node:http';

const backends = JSON.parse(process.argv[2]).map((base) => new URL(base));
// One keep-alive pool per backend, as large as the load: a proxy must not queue what the client sends. Idle
// sockets are dropped after 4 s, before the server closes them (5 s), so none is reused as it closes.
const agents = backends.map(() => new Agent({ keepAlive: true, maxSockets: 1024, timeout: 4000 }));
let next = 0;

const server = createServer((req, res) => {
  const index = next++ % backends.length;
  const target = backends[index];
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent: agents[index],
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.once('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: ${error.message}`);
  });
  req.pipe(upstream);
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => process.send({ url: `http://127.0.0.1:${server.address().port}` }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
