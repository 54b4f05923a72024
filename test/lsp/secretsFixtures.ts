// Fixtures shared by the LSP tests of hovers, navigation and Python diagnostics. Every value is a
// recognisable canary: no canary may appear in anything the server writes outside a reveal.
export const globalSecrets = `global_only = "g-canary-1"
[db]
user = "g-canary-2"
port = 5432
[connections.warehouse]
type = "snowflake"
account = "g-canary-3"
`;

export const projectSecrets = `api_key = "p-canary-1"
"my-key" = "p-canary-2"
items = "p-canary-3"
debug = true
servers = [{ host = "p-canary-7" }]
[db]
user = "p-canary-4"
password = "p-canary-5"
[db.options]
sslmode = "p-canary-6"
`;

export const canaries = ['g-canary-1', 'g-canary-2', 'g-canary-3', 'p-canary-1', 'p-canary-2', 'p-canary-3', 'p-canary-4', 'p-canary-5', 'p-canary-6', 'p-canary-7'];

export function assertNoCanary(text: string, where: string): void {
  for (const canary of canaries) {
    if (text.includes(canary)) throw new Error(`${where} leaks ${canary}`);
  }
}
