import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../config';
import { resolveDfnsCredentials } from '../dfns/credentials';
import { createDfnsClient } from '../dfns/dfns-client';
import { dfnsErrorLine } from '../dfns/dfns-error';
import { SERVICE_ACCOUNT_OPERATIONS } from '../dfns/service-account-permissions';
import { setUpServiceAccount } from '../dfns/service-account-setup';
import { runCli, UsageError } from './run-cli';

const USAGE = `usage:
  dfns-setup service-account [--name NAME] [--out PATH]

  With admin credentials (DFNS_* variables, or the sandbox credentials file), creates on that Dfns org a role
  holding exactly the payment service's permissions (src/dfns/service-account-permissions.ts), a service account
  with a new P-256 key, and assigns the role to it. The new account's token, credential id and private key are
  written to PATH (default .local/dfns-service-account.json, readable by the owner only), never printed.
  Exit codes: 0 done, 1 bad input or configuration, 2 Dfns refused (e.g. the admin lacks Permissions:Create).`;

async function serviceAccount(args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { name: { type: 'string' }, out: { type: 'string' } } });
  const name = values.name ?? 'payment-orchestrator';
  if (!/^[\w.-]{1,64}$/.test(name)) throw new UsageError('--name: letters, digits, ".", "_" or "-", at most 64');
  const out = values.out ?? '.local/dfns-service-account.json';
  const admin = resolveDfnsCredentials(config);
  let setup;
  try {
    const options = { baseUrl: admin.baseUrl, name, ...(admin.orgId ? { orgId: admin.orgId } : {}) };
    setup = await setUpServiceAccount(createDfnsClient(admin), options);
  } catch (error) {
    console.error(`dfns-setup: Dfns refused at ${admin.baseUrl}: ${dfnsErrorLine(error)}`);
    return 2;
  }
  const { credentials } = setup;
  const file = {
    baseUrl: credentials.baseUrl,
    orgId: credentials.orgId,
    userId: setup.userId,
    authToken: credentials.authToken,
    credId: credentials.credId,
    privateKey: credentials.privateKey,
  };
  writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  console.log(`role ${setup.permissionId}: ${SERVICE_ACCOUNT_OPERATIONS.join(', ')}`);
  console.log(`service account ${setup.userId} (credential ${credentials.credId}); its secrets are in ${out}`);
  console.log('give the worker DFNS_AUTH_TOKEN, DFNS_CRED_ID and DFNS_PRIVATE_KEY from that file');
  return 0;
}

runCli({ name: 'dfns-setup', usage: USAGE, commands: { 'service-account': serviceAccount } });
