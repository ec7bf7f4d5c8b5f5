// The one place errors become HTTP answers. Bot API paths answer in Telegram's envelope;
// control paths answer { ok: false, error, field? } with the status of the refusal.
// Unexpected errors are logged and answered 500 without internals.

import { botApiErrors } from './errors.ts';
import { ControlInputError } from './control/http.ts';
import { ActionRefused } from './state/userActions.ts';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';

const isControlPath = (request: FastifyRequest): boolean => request.url.startsWith('/control');

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ActionRefused)
      return reply.code(error.status).send({ ok: false, error: error.message });
    if (error instanceof ControlInputError) {
      return reply
        .code(400)
        .send({ ok: false, error: error.message, ...(error.field ? { field: error.field } : {}) });
    }
    const clientError =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500;
    if (clientError) {
      if (isControlPath(request)) return reply.code(400).send({ ok: false, error: error.message });
      return reply.code(400).send(botApiErrors.cantParseJson().toResponse());
    }
    request.log.error({ err: error }, 'request failed');
    if (isControlPath(request))
      return reply.code(500).send({ ok: false, error: 'Internal Server Error' });
    return reply
      .code(500)
      .send({ ok: false, error_code: 500, description: 'Internal Server Error' });
  });

  app.setNotFoundHandler((request, reply) => {
    if (isControlPath(request))
      return reply.code(404).send({ ok: false, error: 'no such control endpoint' });
    return reply.code(404).send(botApiErrors.notFound().toResponse());
  });
}
