package dev.backspin.transport;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.transport.Transport;

/**
 * Vert.x's builder, plus the one part its public builder does not take: the worker pools'
 * executors ({@link SpinningWorkers}). It does what {@code Vertx.builder()} does, on Vert.x's
 * internal bootstrap.
 */
final class SpinningBuilder implements VertxBuilder {

  private final SpinningWorkers workers;
  private VertxOptions options;
  private VertxMetricsFactory metrics;
  private VertxTracerFactory tracer;
  private Transport transport = Transport.NIO;
  private ClusterManager clusterManager;

  SpinningBuilder(SpinningWorkers workers) {
    this.workers = workers;
  }

  @Override
  public VertxBuilder with(VertxOptions options) {
    this.options = options;
    return this;
  }

  @Override
  public VertxBuilder withMetrics(VertxMetricsFactory factory) {
    this.metrics = factory;
    return this;
  }

  @Override
  public VertxBuilder withTracer(VertxTracerFactory factory) {
    this.tracer = factory;
    return this;
  }

  @Override
  public VertxBuilder withTransport(Transport transport) {
    this.transport = transport;
    return this;
  }

  @Override
  public VertxBuilder withClusterManager(ClusterManager clusterManager) {
    this.clusterManager = clusterManager;
    return this;
  }

  @Override
  public Vertx build() {
    return bootstrap().init().vertx();
  }

  @Override
  public Future<Vertx> buildClustered() {
    return bootstrap().clusterManager(clusterManager).init().clusteredVertx();
  }

  private VertxBootstrap bootstrap() {
    VertxBootstrap b = VertxBootstrap.create();
    if (options != null) {
      b.options(options);
    }
    return b.metricsFactory(metrics).tracerFactory(tracer).transport(transport.implementation()).executorServiceFactory(workers);
  }
}
