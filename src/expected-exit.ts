/**
 * An error a process expects and documents (bad configuration, a server it cannot reach): `runMain` prints its
 * message as one line, without a stack trace, and exits with its code. Anything else is a bug and keeps its stack.
 */
export class ExpectedExit extends Error {
  override name = 'ExpectedExit';

  constructor(
    message: string,
    /** The documented exit code; 1 (bad input, configuration, or a dependency the process cannot work without). */
    readonly exitCode = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
