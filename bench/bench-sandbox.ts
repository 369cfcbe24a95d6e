// The Dfns sandbox for the benchmark: the same program as sandbox/src/main.ts, kept in memory only. The CLI entry
// always persists its state, and rewriting the whole state file every 20 ms under load would make the sandbox the
// bottleneck being measured. Arguments: <port> <webhook url> <credentials file> <time scale> [dfns-limit]; with
// `dfns-limit`, the sandbox answers 429 past its default rate limit (1,000 requests a minute, as Dfns), else never.
import { startSandbox } from '../sandbox/src/sandbox';

const [port, webhookUrl, credentialsFile, timeScale, limit] = process.argv.slice(2);
if (!port || !webhookUrl || !credentialsFile || !timeScale) {
  console.error('usage: bench-sandbox.ts <port> <webhook url> <credentials file> <time scale> [dfns-limit]');
  process.exit(2);
}
const handle = await startSandbox({
  port: Number(port),
  webhookUrl,
  credentialsFile,
  timeScale: Number(timeScale),
  // No rate limit unless asked: the benchmark measures the orchestrator, not Dfns's per-org budget.
  ...(limit === 'dfns-limit' ? {} : { rateLimitPerMinute: 0 }),
});
console.log(`Dfns sandbox listening on ${handle.url}`);
const stop = () => void handle.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
