import type { ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError } from '../bridge/http-error';
import { PROBLEM_MEDIA_TYPE, problemBody } from './problem';

/** The status Node's HTTP parser error gets, as Node itself would choose it, and the problem it is answered with. */
function problemFor(code: string | undefined): ApiError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(431, 'headers_too_large', 'the request headers are larger than this server accepts');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError(408, 'request_timeout', 'the request was not received in time');
    default:
      return new ApiError(400, 'malformed_request', 'the request is not valid HTTP');
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Answers requests that Node's HTTP parser refuses before any route sees them (headers over `--max-http-header-size`,
 * malformed requests, request timeouts) with a problem document instead of Node's empty answer, then closes the
 * connection, as Node would. A socket that already wrote something, or can no longer be written, is just closed.
 */
export function answerClientErrorsAsProblems(server: ServerType): void {
  // `serve()` makes an HTTP/1.1 server unless given another factory, which this project never does.
  (server as Server).on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || socket.bytesWritten > 0 || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const problem = problemFor(error.code);
    const body = JSON.stringify(problemBody(problem));
    socket.end(
      `HTTP/1.1 ${problem.status} ${REASONS[problem.status]}\r\n` +
        `Content-Type: ${PROBLEM_MEDIA_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
