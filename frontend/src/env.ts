// Environment the SvelteKit server reads when it starts (see $app/env/private).
import { defineEnvVars } from '@sveltejs/kit/env';

function origin(name: string, fallback: string) {
  return (value: string | undefined): string => {
    const url = value?.trim() || fallback;
    try {
      new URL(url);
    } catch {
      throw new Error(`${name} must be an absolute URL, got "${url}"`);
    }
    return url.replace(/\/+$/, '');
  };
}

export const variables = defineEnvVars({
  READ_API_URL: {
    description: 'Base URL of the read API (websocket-push) that server-side rendering calls.',
    schema: origin('READ_API_URL', 'http://127.0.0.1:3002'),
  },
  COMMAND_API_URL: {
    description:
      'Base URL of the command API that server-side rendering asks who is signed in (and reads configuration and admins from).',
    schema: origin('COMMAND_API_URL', 'http://127.0.0.1:3001'),
  },
});
