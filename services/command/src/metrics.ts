// The command service's own metrics (Prometheus names via OpenTelemetry):
//   nezuko_http_requests_total{route,method,status}
//   nezuko_http_request_duration_seconds{route,method}
//   nezuko_command_events_appended_total{type,duplicate}
import type { Meter } from '@opentelemetry/api';

export interface CommandMetrics {
  request(route: string, method: string, status: number, seconds: number): void;
  appended(type: string, duplicate: boolean): void;
}

export function commandMetrics(meter: Meter): CommandMetrics {
  const requests = meter.createCounter('nezuko_http_requests_total', {
    description: 'HTTP requests answered, by route template, method and status',
  });
  const duration = meter.createHistogram('nezuko_http_request_duration_seconds', {
    description: 'Time to answer an HTTP request',
    unit: 's',
  });
  const appended = meter.createCounter('nezuko_command_events_appended_total', {
    description:
      'Events appended to NZ_EVENTS by the command API; duplicate=true when JetStream deduplicated a retry',
  });
  return {
    request(route, method, status, seconds) {
      requests.add(1, { route, method, status: String(status) });
      duration.record(seconds, { route, method });
    },
    appended(type, duplicate) {
      appended.add(1, { type, duplicate: String(duplicate) });
    },
  };
}
