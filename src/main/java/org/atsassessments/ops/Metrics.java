package org.atsassessments.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.atsassessments.config.ServiceConfig;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Prometheus metrics, off unless {@code metrics_port} is set: Vert.x's own (HTTP server requests by route
 * template, method and status with latency histograms, event-bus messages and failures, pool usage) through
 * vertx-micrometer-metrics, and ours (auth cache hits and misses, rate-limit and login-lockout refusals).
 * Served as {@code GET /metrics} on their own listener ({@code metrics_host}, default 127.0.0.1), never on
 * the API's port.
 */
public final class Metrics {

  private static final Map<Vertx, PrometheusMeterRegistry> REGISTRIES = new WeakHashMap<>();

  private Metrics() {
  }

  /**
   * When the configuration asks for metrics: a registry, and {@code options} set to report into it (give it
   * to the builder with {@link MicrometerMetricsFactory}); else null and nothing changes.
   */
  public static PrometheusMeterRegistry prepare(ServiceConfig config, VertxOptions options) {
    if (config.metricsPort() <= 0) return null;
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // latency histograms (Prometheus buckets) for HTTP answers and event-bus round trips
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        return id.getType() == Meter.Type.TIMER
          ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config) : config;
      }
    });
    io.micrometer.core.instrument.Metrics.addRegistry(registry);  // our counters (below) reach it too
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      .addLabels(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_FAILURE, Label.POOL_NAME));
    return registry;
  }

  /** Remembers which registry a Vert.x instance reports to (for {@link #serve}). */
  public static Vertx remember(Vertx vertx, PrometheusMeterRegistry registry) {
    if (registry != null) {
      synchronized (REGISTRIES) {
        REGISTRIES.put(vertx, registry);
      }
    }
    return vertx;
  }

  /** Starts the /metrics listener of this Vert.x instance, if it has metrics. */
  public static Future<Void> serve(Vertx vertx, ServiceConfig config) {
    PrometheusMeterRegistry registry;
    synchronized (REGISTRIES) {
      registry = REGISTRIES.get(vertx);
    }
    if (registry == null) return Future.succeededFuture();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/metrics")) {
        request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
      } else {
        request.response().setStatusCode(404).end();
      }
    });
    return server.listen(config.metricsPort(), config.metricsHost()).mapEmpty();
  }

  /** Counters of this service (no-ops while no registry is configured). */
  public static Counter counter(String name, String... tags) {
    return io.micrometer.core.instrument.Metrics.counter(name, tags);
  }

  /** Timers of this service (histograms once a registry is configured). */
  public static io.micrometer.core.instrument.Timer timer(String name, String... tags) {
    return io.micrometer.core.instrument.Metrics.timer(name, tags);
  }

  /** A gauge reading {@code value} (kept by the caller). */
  public static <T extends Number> T gauge(String name, T value) {
    return io.micrometer.core.instrument.Metrics.gauge(name, value);
  }
}
