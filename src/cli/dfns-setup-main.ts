import { writeFileSync } from 'node:fs';
import type { Config } from '../config';
import { resolveDfnsCredentials } from '../dfns/credentials';
import { createDfnsClient } from '../dfns/dfns-client';
import { dfnsErrorLine } from '../dfns/dfns-error';
import { pkcs11ServiceAccountKey, type Pkcs11ServiceAccountKey } from '../dfns/pkcs11/pkcs11-service-key';
import { SERVICE_ACCOUNT_OPERATIONS } from '../dfns/service-account-permissions';
import { setUpServiceAccount } from '../dfns/service-account-setup';
import { describePkcs11Key, resolvePkcs11Settings } from '../dfns/signing-key';
import { parseCommandArgs } from './parse-command-args';
import { runCli, UsageError } from './run-cli';

const USAGE = `usage:
  dfns-setup service-account [--name NAME] [--out PATH] [--key pem|pkcs11 [--existing-key]]

  With admin credentials (DFNS_* variables, or the sandbox credentials file), creates on that Dfns org a role
  holding exactly the payment service's permissions (src/dfns/service-account-permissions.ts), a service account
  with a new P-256 key, and assigns the role to it. The new account's token and credential id are written to PATH
  (default .local/dfns-service-account.json, readable by the owner only), never printed.
  --key pem (default) makes the key here and writes its private half to PATH too.
  --key pkcs11 generates the key pair inside the PKCS#11 token that DFNS_PKCS11_MODULE, DFNS_PKCS11_TOKEN_LABEL (or
  DFNS_PKCS11_SLOT), DFNS_PKCS11_KEY_LABEL and DFNS_PKCS11_PIN_FILE (or DFNS_PKCS11_PIN) name; the private key is
  non-extractable and never leaves the token, only its public key is registered. --existing-key registers a key
  pair already in the token under that label instead (it must be P-256, sensitive and non-extractable).
  See docs/hsm.md.
  Exit codes: 0 done, 1 bad input or configuration, 2 Dfns refused (e.g. the admin lacks Permissions:Create).`;

async function serviceAccount(args: string[], config: Config): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    strict: true,
    options: {
      name: { type: 'string' },
      out: { type: 'string' },
      key: { type: 'string' },
      'existing-key': { type: 'boolean' },
    },
  });
  const name = values.name ?? 'payment-orchestrator';
  if (!/^[\w.-]{1,64}$/.test(name)) throw new UsageError('--name: letters, digits, ".", "_" or "-", at most 64');
  const keySource = values.key ?? 'pem';
  if (keySource !== 'pem' && keySource !== 'pkcs11') throw new UsageError('--key: pem or pkcs11');
  if (values['existing-key'] && keySource !== 'pkcs11') throw new UsageError('--existing-key goes with --key pkcs11');
  const out = values.out ?? '.local/dfns-service-account.json';
  const admin = resolveDfnsCredentials(config);
  const adminClient = createDfnsClient(admin);
  // The token is opened (and the key made) before Dfns is asked for anything, so a token mistake changes nothing.
  let tokenKey: Pkcs11ServiceAccountKey | undefined;
  if (keySource === 'pkcs11') {
    const settings = resolvePkcs11Settings(config, '--key pkcs11 is given');
    tokenKey = pkcs11ServiceAccountKey(settings, { existing: values['existing-key'] === true });
  }
  let setup;
  try {
    const options = { baseUrl: admin.baseUrl, name, ...(admin.orgId ? { orgId: admin.orgId } : {}) };
    setup = await setUpServiceAccount(adminClient, { ...options, ...(tokenKey ? { key: tokenKey } : {}) });
  } catch (error) {
    tokenKey?.discard();
    console.error(`dfns-setup: Dfns refused at ${admin.baseUrl}: ${dfnsErrorLine(error)}`);
    return 2;
  } finally {
    tokenKey?.close();
  }
  const { credentials } = setup;
  const common = {
    baseUrl: credentials.baseUrl,
    orgId: credentials.orgId,
    userId: setup.userId,
    authToken: credentials.authToken,
    credId: credentials.credId,
  };
  // The PIN is never written: the worker reads it from its own DFNS_PKCS11_PIN_FILE.
  const file = credentials.pkcs11
    ? {
        ...common,
        signer: 'pkcs11',
        pkcs11: {
          module: credentials.pkcs11.module,
          tokenLabel: credentials.pkcs11.tokenLabel,
          slotId: credentials.pkcs11.slotId?.toString(),
          keyLabel: credentials.pkcs11.keyLabel,
        },
      }
    : { ...common, privateKey: credentials.privateKey };
  writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  console.log(`role ${setup.permissionId}: ${SERVICE_ACCOUNT_OPERATIONS.join(', ')}`);
  console.log(`service account ${setup.userId} (credential ${credentials.credId}); its secrets are in ${out}`);
  if (credentials.pkcs11) {
    const made = tokenKey?.generated ? 'generated in' : 'already in';
    console.log(`its key was ${made} ${describePkcs11Key(credentials.pkcs11)} and never left the token`);
    console.log(
      'give the worker DFNS_AUTH_TOKEN and DFNS_CRED_ID from that file, DFNS_SIGNER=pkcs11, and the DFNS_PKCS11_* ' +
        'variables used here',
    );
  } else console.log('give the worker DFNS_AUTH_TOKEN, DFNS_CRED_ID and DFNS_PRIVATE_KEY from that file');
  return 0;
}

runCli({
  name: 'dfns-setup',
  usage: USAGE,
  help: {
    'service-account': {
      summary:
        "Creates the payment service's role, its service account with a new P-256 key, and the assignment, with the\n" +
        "admin's credentials; writes the new account's secrets to --out, never to the terminal.",
      examples: [
        'npm run dfns-setup -- service-account --name payments --out .local/dfns-service-account.json',
        'npm run dfns-setup -- service-account --key pkcs11',
      ],
    },
  },
  commands: { 'service-account': serviceAccount },
});
