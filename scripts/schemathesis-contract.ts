// The contract Schemathesis runs with (scripts/schemathesis-api.ts): the API's own, with the bodies that produce
// payments and batches narrowed to what the run's stack can pay. JSON Schema cannot say that a recipient must carry
// its network's checksum, or that a wallet must be one the sandbox holds, so generated starts from the contract alone
// are refused (400) and the stateful phase never gets a payment to read, cancel, retry or speed up. Everything else
// (every other field, every other operation, every negative case) stays as the contract says.

/** A wallet the run pays from: one of the sandbox's funded wallets, on an EVM network. */
export interface PayingWallet {
  walletId: string;
  network: string;
}

/** Recipients valid on every EVM network: EIP-55 test vectors, none of them the sandbox's wallets or tokens. */
export const RECIPIENTS = [
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];

type Schema = Record<string, unknown>;

const isNative = (variant: Schema) => JSON.stringify(variant).includes('"enum":["Native"]');

/** The run's copy of the contract: PaymentRequest and the batch rows pay from `wallets`, natively, to RECIPIENTS. */
export function runContract(document: Schema, wallets: readonly PayingWallet[]): Schema {
  if (wallets.length === 0) throw new Error('no wallet to pay from');
  const contract = structuredClone(document) as { components: { schemas: Record<string, Schema> } } & Schema;
  const schemas = contract.components.schemas;
  const payment = schemas.PaymentRequest as { properties: Record<string, Schema>; required?: string[] } & Schema;
  const native = (payment.properties.asset?.oneOf as Schema[] | undefined)?.find(isNative);
  if (!native) throw new Error('PaymentRequest.asset has no Native variant');
  const [first] = wallets as [PayingWallet];
  const properties: Record<string, Schema> = {
    ...payment.properties,
    walletId: { type: 'string', enum: wallets.map((wallet) => wallet.walletId) },
    network: { type: 'string', enum: [...new Set(wallets.map((wallet) => wallet.network))] },
    asset: native,
    to: { type: 'string', enum: RECIPIENTS },
  };
  // A pool or a fee sponsor needs the stack's configuration; this run pays from wallets, without sponsors.
  delete properties.pool;
  delete properties.feeSponsorId;
  const required = [...new Set([...(payment.required ?? []), 'walletId'])];
  const example = {
    walletId: first.walletId,
    network: first.network,
    asset: { kind: 'Native' },
    to: RECIPIENTS[0],
    amount: '1500000',
    reference: 'schemathesis',
  };
  schemas.PaymentRequest = { ...payment, properties, required, example };

  // A batch: one to three such payments, each with its row key.
  const row = {
    type: 'object',
    properties: { key: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,20}$' }, ...properties },
    required: ['key', ...required],
    additionalProperties: false,
    example: { key: 'r1', ...example },
  };
  const batch = schemas.BatchRequest as { properties: Record<string, Schema> } & Schema;
  schemas.BatchRequest = {
    ...batch,
    properties: { ...batch.properties, rows: { type: 'array', minItems: 1, maxItems: 3, items: row } },
  };
  const csv = (contract.paths as Record<string, Record<string, Schema>>)['/v1/batches']?.post?.requestBody as
    { content: Record<string, { schema: Schema }> } | undefined;
  const csvSchema = csv?.content['text/csv']?.schema;
  if (csvSchema) {
    const line = `r1,${first.walletId},${first.network},native,${RECIPIENTS[0]},1500000`;
    csvSchema.example = `key,walletId,network,asset,to,amount\n${line}\n`;
  }
  // The contract's example keys would name one payment (and one batch) for every generated body: 422 after the
  // first. Without them, keys are generated like any other value.
  for (const path of ['/v1/payments', '/v1/batches']) {
    const operation = (contract.paths as Record<string, Record<string, { parameters?: Schema[] }>>)[path]?.post;
    for (const parameter of operation?.parameters ?? []) {
      if (parameter.name !== 'idempotency-key') continue;
      delete parameter.example;
      if (parameter.schema) delete (parameter.schema as Schema).example;
    }
  }
  return contract;
}
