#!/bin/sh
# One-shot (docker-compose service temporal-namespace, admin-tools image): creates the namespace and registers the
# payment search attributes, once the server answers. Safe to re-run: what exists is left alone. The `temporal` CLI
# reads TEMPORAL_ADDRESS and, when mTLS is on, the same TEMPORAL_TLS_* variables as the worker and the app.
# Keep the attribute list in step with src/contracts/search-attributes.ts (test/deploy/compose-env.test.ts checks).
set -eu
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
RETENTION=${TEMPORAL_NAMESPACE_RETENTION:-720h}
tries=0
until temporal operator cluster health >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -le 90 ] || { echo "Temporal at $TEMPORAL_ADDRESS did not answer within 3 minutes" >&2; exit 1; }
  echo "waiting for Temporal at $TEMPORAL_ADDRESS"
  sleep 2
done
if temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $NAMESPACE exists"
else
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION"
fi
tries=0
until existing=$(temporal operator search-attribute list --namespace "$NAMESPACE" 2>/dev/null); do
  tries=$((tries + 1))
  [ "$tries" -le 30 ] || { echo "namespace $NAMESPACE is not usable after a minute" >&2; exit 1; }
  sleep 2
done
for entry in PaymentStatus=Keyword PaymentWallet=Keyword PaymentNetwork=Keyword PaymentAsset=Keyword \
  DfnsTransferId=Keyword DfnsApprovalId=Keyword PaymentStuck=Bool PaymentClient=Keyword PaymentWaitingForFunds=Bool \
  BatchId=Keyword BatchStatus=Keyword ReconciliationOpenFindings=Int ReconciliationFindingKinds=KeywordList \
  ReconciliationWallets=KeywordList; do
  name=${entry%%=*}
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "${entry#*=}"
  fi
done
