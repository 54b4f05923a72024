// Asks a built language server (by default server/out/server.js; the UI tests pass the packaged one) what it offers, with a real LSP `initialize`
// over stdio, so UI tests of features the server does not offer yet are reported as skipped rather
// than failed (they run as soon as the capability appears).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../vscode/runtime.mjs';

export async function serverCapabilities(serverJs = join(repoRoot, 'server/out/server.js'), timeoutMs = 15_000) {
  const server = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the language server did not answer initialize')), timeoutMs);
      let buffer = Buffer.alloc(0);
      server.on('error', reject);
      server.on('exit', (code) => reject(new Error(`the language server exited (${code}) before answering initialize`)));
      server.stdout.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const headerEnd = buffer.indexOf('\r\n\r\n');
          if (headerEnd < 0) return;
          const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1] ?? 0);
          if (buffer.length < headerEnd + 4 + length) return;
          const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString());
          buffer = buffer.subarray(headerEnd + 4 + length);
          if (message.id === 1) {
            clearTimeout(timer);
            resolve(message.result?.capabilities ?? {});
          }
        }
      });
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null } });
      server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  } finally {
    server.kill('SIGKILL');
  }
}
