// `npm run web`: serves the built browser edition on 127.0.0.1 and prints its URL on one line.
// Usage: tsx scripts/serve-web.ts [--port N]   (default 5178; 0 picks a free port)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createWebServer } from './web-server';

const root = join(import.meta.dirname, '..', 'dist', 'web');
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : Number(process.env.PORT ?? 5178);

if (!existsSync(join(root, 'index.html'))) {
  console.error('The browser edition is not built yet: run `npm run build:web` first (npm run web does both).');
  process.exit(2);
}

const server = createWebServer(root);

server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is busy: try \`npm run web -- --port 0\` for a free one.` : error.message);
  process.exit(2);
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  console.log(`GradLab (browser edition): http://127.0.0.1:${actual}/`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
