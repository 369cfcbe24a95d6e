#!/usr/bin/env bash
# The test files `npm test` runs, the slowest first: with several files at a time, a long file started last would
# leave the run waiting on it alone. The order comes from the per-file durations of a full run (the TAP reporter's
# duration_ms); every other file follows in name order. Postgres-backed suites run apart (npm run test:postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
slow=(
  test/workflows/long-payments.test.ts
  test/integration/batch-payouts.test.ts
  test/policies/policies-cli.test.ts
  test/integration/dfns-budget.test.ts
  test/integration/worker-crash.test.ts
  test/integration/payments-cli-api.test.ts
  test/workflows/compliance.test.ts
  test/integration/worker-relaunch.test.ts
  test/integration/payments-cli.test.ts
  test/api/temporal-unavailable.test.ts
  test/integration/hsm-payment.test.ts
  test/app-server.test.ts
  test/integration/stuck-escalation.test.ts
  test/browser/operator-journey.test.ts
  test/approvals/approvals-cli.test.ts
  test/integration/payment-paths.test.ts
  test/docs/readme-examples.test.ts
  test/integration/payload-encryption.test.ts
)
all=$(find test -name '*.test.ts' ! -name 'postgres-*' | sort)
for file in "${slow[@]}"; do
  if grep -qxF "$file" <<<"$all"; then echo "$file"; fi
done
grep -vxF -f <(printf '%s\n' "${slow[@]}") <<<"$all"
