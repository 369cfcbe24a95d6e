import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyBalances,
  chooseWallet,
  emptyBook,
  lowWallets,
  redefine,
  release,
  reserve,
  type PoolBook,
} from '../../src/contracts/pool-book';
import type { PoolDefinition } from '../../src/contracts/pool-definition';

const NOW = '2026-11-30T00:00:00.000Z';
const pool: PoolDefinition = {
  name: 'usdc',
  network: 'EthereumSepolia',
  asset: { kind: 'Native' },
  wallets: ['wa-a', 'wa-b', 'wa-c'],
  lowBalanceThreshold: '500',
};
const funded = (balances: Record<string, string>): PoolBook => applyBalances(emptyBook(pool), balances, NOW);
const ask = (book: PoolBook, paymentId: string, amount: string, exclude: string[] = []) =>
  reserve(book, { paymentId, amount, exclude, pool }, NOW);
const walletOf = (answer: ReturnType<typeof chooseWallet>) => ('walletId' in answer ? answer.walletId : answer.refused);

describe('pool book (routing and reservations)', () => {
  it('prefers the least-loaded wallet, then the one with most left, then file order', () => {
    let book = funded({ 'wa-a': '1000', 'wa-b': '2000', 'wa-c': '1000' });
    const chosen: string[] = [];
    for (const id of ['p1', 'p2', 'p3', 'p4']) {
      let answer;
      [book, answer] = ask(book, id, '100');
      chosen.push(walletOf(answer));
    }
    // b holds most; then a and c (idle, tie: file order a); then c (idle); then b (one in flight, most left).
    assert.deepEqual(chosen, ['wa-b', 'wa-a', 'wa-c', 'wa-b']);
  });

  it('counts what is reserved in flight against a wallet, in exact integers beyond 2^53', () => {
    const big = (2n ** 70n).toString();
    let book = funded({ 'wa-a': big, 'wa-b': '0', 'wa-c': '0' });
    let answer;
    [book, answer] = ask(book, 'p1', (2n ** 69n).toString());
    assert.equal(walletOf(answer), 'wa-a');
    [book, answer] = ask(book, 'p2', (2n ** 69n).toString());
    assert.equal(walletOf(answer), 'wa-a');
    [book, answer] = ask(book, 'p3', '1');
    assert.match(walletOf(answer), /no wallet of pool usdc can cover 1 now \(wa-a: 0 available after 2 reservation/);
    book = release(book, { paymentId: 'p1', walletId: 'wa-a', outcome: 'unused', amount: '0' });
    [, answer] = ask(book, 'p3', '1');
    assert.equal(walletOf(answer), 'wa-a');
  });

  it('answers a payment that already holds a wallet with that wallet, unless it excludes it', () => {
    const [start, first] = ask(funded({ 'wa-a': '100', 'wa-b': '100', 'wa-c': '100' }), 'p1', '50');
    let book = start;
    let again;
    [book, again] = ask(book, 'p1', '50');
    assert.deepEqual(again, first);
    assert.equal(book.reservations.length, 1);
    [book, again] = ask(book, 'p1', '50', ['wa-a']);
    assert.equal(walletOf(again), 'wa-b');
    assert.deepEqual(
      book.reservations.map((r) => r.walletId),
      ['wa-b'],
    );
  });

  it('skips a wallet that refused an amount until a read shows it refilled', () => {
    let book = funded({ 'wa-a': '1000', 'wa-b': '0', 'wa-c': '0' });
    book = release(book, { paymentId: 'p1', walletId: 'wa-a', outcome: 'dry', amount: '900' });
    assert.match(walletOf(chooseWallet(book, 900n, [])), /wa-a: refused 900 for insufficient funds/);
    assert.equal(walletOf(chooseWallet(book, 100n, [])), 'wa-a'); // smaller amounts still fit
    book = applyBalances(book, { 'wa-a': '1000' }, NOW); // the same balance: still dry
    assert.match(walletOf(chooseWallet(book, 900n, [])), /refused 900/);
    book = applyBalances(book, { 'wa-a': '5000' }, NOW); // refilled
    assert.equal(walletOf(chooseWallet(book, 900n, [])), 'wa-a');
  });

  it('takes a paid amount off the known balance at once, and reports wallets below the threshold', () => {
    let book = funded({ 'wa-a': '800', 'wa-b': '499', 'wa-c': '500' });
    assert.deepEqual(lowWallets(book), ['wa-b']);
    [book] = ask(book, 'p1', '400');
    book = release(book, { paymentId: 'p1', walletId: 'wa-a', outcome: 'paid', amount: '400' });
    assert.equal(book.balances['wa-a'], '400');
    assert.deepEqual(book.reservations, []);
    assert.deepEqual(lowWallets(book), ['wa-a', 'wa-b']);
  });

  it('refuses before balances are read, and forgets wallets a new definition drops', () => {
    assert.match(walletOf(chooseWallet(emptyBook(pool), 1n, [])), /wa-a: balance not read yet/);
    let [book] = ask(funded({ 'wa-a': '10', 'wa-b': '10', 'wa-c': '10' }), 'p1', '5');
    book = redefine(book, { ...pool, wallets: ['wa-b', 'wa-c'] });
    assert.deepEqual(book.reservations, []);
    assert.deepEqual(Object.keys(book.balances), ['wa-b', 'wa-c']);
  });

  it('names the pool fee sponsor with the chosen wallet', () => {
    const book = { ...funded({ 'wa-a': '10', 'wa-b': '0', 'wa-c': '0' }), pool: { ...pool, feeSponsorId: 'fs-1' } };
    assert.deepEqual(chooseWallet(book, 5n, []), { walletId: 'wa-a', feeSponsorId: 'fs-1' });
  });
});
