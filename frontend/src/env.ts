// Environment the SvelteKit server reads when it starts (see $app/env/private).
import { defineEnvVars } from '@sveltejs/kit/env';

export const variables = defineEnvVars({
  READ_API_URL: {
    description: 'Base URL of the read API (websocket-push) that server-side rendering calls.',
    schema: (value) => {
      const url = value?.trim() || 'http://127.0.0.1:3002';
      try {
        new URL(url);
      } catch {
        throw new Error(`READ_API_URL must be an absolute URL, got "${url}"`);
      }
      return url.replace(/\/+$/, '');
    },
  },
});
