import {
  API_SCOPES,
  DEFAULT_SCOPES,
  isOperatorScope,
  mintApiKey,
  OPERATOR_SCOPES,
  type ApiScope,
} from '../api/api-keys';
import { CLIENT_ID_PATTERN } from '../contracts/payment-id';
import { EXIT } from './exit-codes';
import { parseCommandArgs } from './parse-command-args';
import { UsageError } from './run-cli';

/**
 * `payments mint-key`: prints a new API key once (it is stored nowhere) and the line that configures it, which holds
 * only the key's hash.
 */
export function mintKey(args: string[], json: boolean): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    strict: true,
    options: { client: { type: 'string' }, scopes: { type: 'string' } },
  });
  if (!values.client || !CLIENT_ID_PATTERN.test(values.client)) {
    throw new UsageError(
      `--client must be a client id (lowercase letters, digits and "-", up to 40), got "${values.client ?? ''}"`,
    );
  }
  const scopes = (values.scopes ?? DEFAULT_SCOPES.join(',')).split(',').map((scope) => scope.trim());
  const known = [...API_SCOPES, ...OPERATOR_SCOPES] as readonly string[];
  const unknown = scopes.filter((scope) => !known.includes(scope));
  if (unknown.length > 0 || scopes.length === 0)
    throw new UsageError(`--scopes takes ${known.join(', ')}; got ${unknown.join(', ')}`);
  const operator = scopes.filter(isOperatorScope);
  if (operator.length > 0 && operator.length < scopes.length) {
    throw new UsageError(`${operator.join(', ')} is an operator scope: mint it alone, not with client scopes`);
  }
  const { key, entry } = mintApiKey(values.client, scopes as ApiScope[]);
  if (json) {
    console.log(JSON.stringify({ clientId: values.client, scopes, key, entry }, null, 2));
    return Promise.resolve(EXIT.ok);
  }
  console.log(`API key for client "${values.client}" (${scopes.join(', ')}). It is shown once and stored nowhere:

  ${key}

Configure the server with its hash: add this line to the file named by API_KEYS_FILE
(or set API_KEY_ENTRY to it, quoted, for a single key):

  ${entry}`);
  return Promise.resolve(EXIT.ok);
}
