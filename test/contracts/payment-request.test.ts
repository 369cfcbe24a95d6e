import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toFieldErrors, type FieldError } from '../../src/contracts/field-errors';
import { paymentRequestSchema } from '../../src/contracts/payment-request';
import { EIP55_VECTORS, flipFirstLetter } from './eip55-vectors';
import { omit } from './omit';

const TWO_POW_256 = (1n << 256n).toString();
const TWO_POW_256_MINUS_1 = ((1n << 256n) - 1n).toString();
const USDC = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

const NATIVE = {
  idempotencyKey: 'order-42',
  walletId: 'wa-01abc-def',
  network: 'EthereumSepolia',
  asset: { kind: 'Native' },
  to: RECIPIENT,
  amount: '1000000000000000',
} as const;

const ERC20 = {
  idempotencyKey: 'payout_123.v2',
  walletId: 'wa-01abc-def',
  network: 'Base',
  asset: { kind: 'Erc20', contract: USDC, symbol: 'USDC', decimals: 6 },
  to: RECIPIENT,
  amount: '1500000',
  reference: 'payout 123',
} as const;

function issuesOf(input: unknown): FieldError[] {
  const parsed = paymentRequestSchema.safeParse(input);
  assert.equal(parsed.success, false, `expected ${JSON.stringify(input)} to be refused`);
  assert.ok(!parsed.success);
  return toFieldErrors(parsed.error, { root: '(request)' });
}

/** Asserts the input is refused with exactly one issue, on `field`, whose message matches. */
function assertRefused(input: unknown, field: string, message: RegExp): void {
  const issues = issuesOf(input);
  assert.equal(issues.length, 1, JSON.stringify(issues));
  const [issue] = issues;
  assert.equal(issue?.field, field, JSON.stringify(issues));
  assert.match(issue?.message ?? '', message);
}

describe('paymentRequestSchema: valid requests', () => {
  it('accepts a Native request and returns it unchanged', () => {
    const parsed = paymentRequestSchema.parse(NATIVE);
    assert.deepEqual(parsed, NATIVE);
  });

  it('accepts an Erc20 request with symbol, decimals and reference', () => {
    const parsed = paymentRequestSchema.parse(ERC20);
    assert.deepEqual(parsed, ERC20);
  });

  it('accepts an Erc20 request without display metadata', () => {
    const request = { ...ERC20, asset: { kind: 'Erc20', contract: USDC } };
    assert.deepEqual(paymentRequestSchema.parse(request), request);
  });

  it('accepts the largest uint256 amount, 2^256 - 1', () => {
    assert.equal(paymentRequestSchema.parse({ ...NATIVE, amount: TWO_POW_256_MINUS_1 }).amount, TWO_POW_256_MINUS_1);
  });

  it('accepts a 100-character idempotency key using every allowed character class', () => {
    const key = `aZ09._-${'x'.repeat(93)}`;
    assert.equal(key.length, 100);
    assert.equal(paymentRequestSchema.parse({ ...NATIVE, idempotencyKey: key }).idempotencyKey, key);
  });
});

describe('paymentRequestSchema: amount', () => {
  const notInteger = /must be a positive integer string in minimum units/;
  const refused: [string, unknown, RegExp][] = [
    ['negative', '-1', notInteger],
    ['decimal', '1.5', notInteger],
    ['non-numeric', 'ten', notInteger],
    ['exponent', '1e6', notInteger],
    ['leading zero', '01', notInteger],
    ['empty', '', notInteger],
    ['zero', '0', /must be greater than zero/],
    ['2^256', TWO_POW_256, /too large for a uint256/],
    ['far too long', '1'.repeat(200), /too large for a uint256/],
    ['a number, not a string', 1500000, /must be a string of digits/],
  ];
  for (const [why, amount, message] of refused) {
    it(`refuses a ${why} amount, naming "amount"`, () => {
      assertRefused({ ...NATIVE, amount }, 'amount', message);
    });
  }
});

describe('paymentRequestSchema: network', () => {
  it('refuses an unknown network, listing the supported ones', () => {
    assertRefused(
      { ...NATIVE, network: 'Cardano' },
      'network',
      /must be one of Ethereum, EthereumSepolia, .*PolygonAmoy/,
    );
  });

  it('refuses a network spelled in another case', () => {
    assertRefused({ ...NATIVE, network: 'ethereum' }, 'network', /must be one of/);
  });
});

describe('paymentRequestSchema: addresses', () => {
  it('refuses a malformed recipient, naming "to"', () => {
    assertRefused({ ...NATIVE, to: '0x1234' }, 'to', /must be 0x followed by 40 hex characters/);
  });

  it('refuses a missing recipient, naming "to"', () => {
    const rest = omit(NATIVE, 'to');
    assertRefused(rest, 'to', /is required/);
  });

  it('refuses a malformed token contract, naming "asset.contract"', () => {
    assertRefused(
      { ...ERC20, asset: { ...ERC20.asset, contract: 'usdc' } },
      'asset.contract',
      /must be 0x followed by 40 hex characters/,
    );
  });

  for (const vector of EIP55_VECTORS) {
    it(`accepts ${vector} as recipient and as contract, checksummed, lower- and uppercase`, () => {
      for (const address of [vector, vector.toLowerCase(), `0x${vector.slice(2).toUpperCase()}`]) {
        assert.equal(paymentRequestSchema.safeParse({ ...NATIVE, to: address }).success, true, address);
        // Paid to another vector: a token's own contract is never a recipient.
        const to = EIP55_VECTORS.find((other) => other !== vector) as string;
        assert.equal(
          paymentRequestSchema.safeParse({ ...ERC20, to, asset: { ...ERC20.asset, contract: address } }).success,
          true,
          address,
        );
      }
    });

    it(`refuses ${vector} with one letter's case flipped (bad EIP-55 checksum)`, () => {
      const typo = flipFirstLetter(vector);
      assertRefused({ ...NATIVE, to: typo }, 'to', /invalid EIP-55 checksum/);
      assertRefused(
        { ...ERC20, asset: { ...ERC20.asset, contract: typo } },
        'asset.contract',
        /invalid EIP-55 checksum/,
      );
    });
  }

  it('reports a bad recipient and a bad contract together', () => {
    const issues = issuesOf({
      ...ERC20,
      to: flipFirstLetter(RECIPIENT),
      asset: { ...ERC20.asset, contract: flipFirstLetter(USDC) },
    });
    assert.deepEqual(issues.map((i) => i.field).sort(), ['asset.contract', 'to']);
  });
});

describe('paymentRequestSchema: idempotency key', () => {
  it('refuses a missing key, naming "idempotencyKey"', () => {
    const rest = omit(NATIVE, 'idempotencyKey');
    assertRefused(rest, 'idempotencyKey', /is required/);
  });

  it('refuses an empty key, every issue naming "idempotencyKey"', () => {
    const issues = issuesOf({ ...NATIVE, idempotencyKey: '' });
    assert.ok(issues.length > 0);
    assert.ok(
      issues.every((issue) => issue.field === 'idempotencyKey'),
      JSON.stringify(issues),
    );
    assert.ok(
      issues.some((issue) => issue.message === 'is required'),
      JSON.stringify(issues),
    );
  });

  for (const key of ['order:42', 'order 42', 'order/42', 'ordér']) {
    it(`refuses the key ${JSON.stringify(key)}`, () => {
      assertRefused({ ...NATIVE, idempotencyKey: key }, 'idempotencyKey', /may contain only letters, digits/);
    });
  }

  it('refuses a key longer than 100 characters', () => {
    assertRefused({ ...NATIVE, idempotencyKey: 'k'.repeat(101) }, 'idempotencyKey', /at most 100 characters/);
  });
});

describe('paymentRequestSchema: shape', () => {
  it('refuses an unknown extra field (strict), naming it in the issue', () => {
    const issues = issuesOf({ ...NATIVE, memo: 'hello' });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.field, '(request)');
    assert.match(issues[0]?.message ?? '', /memo/);
  });

  it('refuses a bad wallet id, naming "walletId"', () => {
    assertRefused({ ...NATIVE, walletId: 'wallet-1' }, 'walletId', /Dfns wallet id/);
  });

  it('refuses an unknown asset kind, naming "asset.kind"', () => {
    assertRefused({ ...NATIVE, asset: { kind: 'Erc721' } }, 'asset.kind', /must be \{"kind":"Native"\}/);
  });

  it('refuses an Erc20 asset without a contract, naming "asset.contract"', () => {
    assertRefused({ ...NATIVE, asset: { kind: 'Erc20' } }, 'asset.contract', /expected string/);
  });

  it('refuses a reference longer than 200 characters', () => {
    assertRefused({ ...NATIVE, reference: 'r'.repeat(201) }, 'reference', /.+/);
  });

  it('reports every bad field at once', () => {
    const issues = issuesOf({ ...NATIVE, idempotencyKey: 'a b', amount: '-5', to: flipFirstLetter(RECIPIENT) });
    assert.deepEqual(issues.map((i) => i.field).sort(), ['amount', 'idempotencyKey', 'to']);
  });

  it('refuses a non-object with a request-level issue', () => {
    const issues = issuesOf('not a request');
    assert.deepEqual(
      issues.map((i) => i.field),
      ['(request)'],
    );
  });
});

describe('paymentRequestSchema: callbackUrl', () => {
  for (const url of [
    'https://payouts.example.com/dfns/outcome',
    'http://localhost:3000/callback?x=1',
    'https://10.0.0.7:8443/cb',
  ]) {
    it(`accepts ${url} and returns it unchanged`, () => {
      assert.deepEqual(paymentRequestSchema.parse({ ...NATIVE, callbackUrl: url }), { ...NATIVE, callbackUrl: url });
    });
  }

  it('is optional', () => {
    assert.equal(paymentRequestSchema.parse(NATIVE).callbackUrl, undefined);
  });

  const refused: [string, unknown][] = [
    ['ftp', 'ftp://files.example.com/cb'],
    ['javascript', 'javascript:alert(1)'],
    ['file', 'file:///etc/passwd'],
    ['websocket', 'wss://example.com/cb'],
    ['mailto', 'mailto:ops@example.com'],
    ['scheme-less', 'example.com/cb'],
    ['hostless', 'https://'],
    ['not a URL', 'not a url'],
    ['empty', ''],
    ['too long (over 2000 characters)', `https://example.com/${'x'.repeat(2000)}`],
    ['a number', 42],
    // Found by Schemathesis: WHATWG URL takes these (rewriting them), RFC 3986 and the contract's `format: uri` do not.
    ['non-ASCII host', 'https://Ï'],
    ['space in the path', 'https://payouts.example.com/out come'],
  ];
  for (const [why, callbackUrl] of refused) {
    it(`refuses a ${why} callbackUrl, naming "callbackUrl"`, () => {
      const issues = issuesOf({ ...NATIVE, callbackUrl });
      assert.deepEqual(
        issues.map((i) => i.field),
        ['callbackUrl'],
        JSON.stringify(issues),
      );
    });
  }

  it('says an http(s) URL is required', () => {
    assertRefused({ ...NATIVE, callbackUrl: 'ftp://files.example.com/cb' }, 'callbackUrl', /must be an http\(s\) URL/);
  });
});

describe('paymentRequestSchema: a wallet or a pool', () => {
  it('accepts a pool instead of a wallet', () => {
    const { walletId: _wallet, ...rest } = NATIVE;
    assert.deepEqual(paymentRequestSchema.parse({ ...rest, pool: 'eth-hot' }), { ...rest, pool: 'eth-hot' });
  });

  it('refuses a request that names neither, on walletId', () => {
    assertRefused(omit(NATIVE, 'walletId'), 'walletId', /is required \(or name a pool\)/);
  });

  it('refuses a request that names both, on pool', () => {
    assertRefused({ ...NATIVE, pool: 'eth-hot' }, 'pool', /name either walletId or pool, not both/);
  });

  it('refuses a pool name outside its alphabet, on pool', () => {
    assertRefused({ ...omit(NATIVE, 'walletId'), pool: 'Eth Hot' }, 'pool', /must be a pool name/);
    assertRefused({ ...omit(NATIVE, 'walletId'), pool: 42 }, 'pool', /must be a string/);
  });
});
