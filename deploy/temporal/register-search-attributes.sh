#!/bin/sh
# Registers the payment search attributes on the namespace, once the server answers. Safe to re-run:
# attributes that already exist are left alone. Keep the list in step with src/contracts/search-attributes.ts.
set -eu
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
until temporal operator cluster health >/dev/null 2>&1; do echo "waiting for Temporal at $TEMPORAL_ADDRESS"; sleep 2; done
until temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; do echo "waiting for namespace $NAMESPACE"; sleep 2; done
existing=$(temporal operator search-attribute list --namespace "$NAMESPACE")
for entry in PaymentStatus=Keyword PaymentWallet=Keyword PaymentNetwork=Keyword PaymentAsset=Keyword \
  DfnsTransferId=Keyword DfnsApprovalId=Keyword PaymentStuck=Bool PaymentClient=Keyword; do
  name=${entry%%=*}
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "${entry#*=}"
  fi
done
