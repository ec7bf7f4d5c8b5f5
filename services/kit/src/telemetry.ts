// OpenTelemetry for a service: metrics exposed in Prometheus text on the ops server's
// /metrics, traces exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
// Trace context crosses NATS in the `traceparent` header (W3C), see nats/tracing.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Telemetry {
  readonly meter: Meter;
  readonly tracer: Tracer;
  /** Writes the Prometheus exposition of every metric to the response. */
  serveMetrics(req: IncomingMessage, res: ServerResponse): void;
  shutdown(): Promise<void>;
}

export function startTelemetry(service: string, otlpEndpoint?: string): Telemetry {
  const prometheus = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
    metricReaders: [prometheus],
    spanProcessors: otlpEndpoint
      ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint}/v1/traces` }))]
      : [],
    instrumentations: [],
  });
  sdk.start();
  return {
    meter: metrics.getMeter(service),
    tracer: trace.getTracer(service),
    serveMetrics: (req, res) => prometheus.getMetricsRequestHandler(req, res),
    shutdown: () => sdk.shutdown(),
  };
}
