package dev.backspin.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.EnumSet;

/**
 * Where the meters live. With an {@code http} section, Vert.x is built with Micrometer on a
 * Prometheus registry, so its own meters (event bus, sockets) sit beside Backspin's; without one,
 * Backspin's meters go to an empty composite registry, whose meters do nothing.
 */
public final class Metrics {

  private Metrics() {
  }

  /** Builds Vert.x with Micrometer metrics on a new Prometheus registry. */
  public static VertxBuilder enable(VertxBuilder builder, VertxOptions options) {
    options.setMetricsOptions(options());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return builder.with(options).withMetrics(new VertxMetersFactory(new MicrometerMetricsFactory(registry), registry));
  }

  static MicrometerMetricsOptions options() {
    // the event bus's meters are EventBusMeters, which choose their own addresses and labels
    return new MicrometerMetricsOptions().setEnabled(true)
      .setLabels(EnumSet.of(Label.HTTP_CODE, Label.HTTP_METHOD, Label.POOL_TYPE, Label.POOL_NAME));
  }

  /** The registry of a Vert.x built by {@link #enable}, or null if it was built without metrics. */
  public static PrometheusMeterRegistry of(Vertx vertx) {
    if (!vertx.isMetricsEnabled()) {
      return null;
    }
    MeterRegistry r = BackendRegistries.getDefaultNow();
    return r instanceof PrometheusMeterRegistry p ? p : null;
  }

  /** A registry whose meters do nothing: the cost of metrics nobody reads is a virtual call. */
  public static MeterRegistry none() {
    return new CompositeMeterRegistry();
  }

  /** A registry for Backspin's own meters only, when Vert.x was built without metrics. */
  public static PrometheusMeterRegistry own() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
