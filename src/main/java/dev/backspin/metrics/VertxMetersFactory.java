package dev.backspin.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientConfig;
import io.vertx.core.http.HttpServerConfig;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.QuicEndpointConfig;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TcpClientConfig;
import io.vertx.core.net.TcpServerConfig;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TransportMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;

/**
 * Vert.x's Micrometer meters as they are, but for the event bus's, which are {@link EventBusMeters}:
 * the same series, without a registry look-up on every message.
 */
final class VertxMetersFactory implements VertxMetricsFactory {

  private final VertxMetricsFactory delegate;
  private final MeterRegistry registry;

  VertxMetersFactory(VertxMetricsFactory delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    VertxMetrics m = delegate.metrics(options);
    return m == null ? null : new Shown(m, new EventBusMeters(registry));
  }

  @Override
  public MetricsOptions newOptions() {
    return delegate.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return delegate.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(io.vertx.core.json.JsonObject json) {
    return delegate.newOptions(json);
  }

  /** The Vert.x meters as they are, but for the event bus's. */
  private static final class Shown implements VertxMetrics {

    private final VertxMetrics d;
    private final EventBusMeters bus;

    Shown(VertxMetrics d, EventBusMeters bus) {
      this.d = d;
      this.bus = bus;
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return bus;
    }

    @Override
    public HttpServerMetrics<?, ?> createHttpServerMetrics(HttpServerConfig config, SocketAddress tcpLocal, SocketAddress quicLocal) {
      return d.createHttpServerMetrics(config, tcpLocal, quicLocal);
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remote, String type, String namespace) {
      return d.createClientMetrics(remote, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?> createHttpClientMetrics(HttpClientConfig config) {
      return d.createHttpClientMetrics(config);
    }

    @Override
    public TransportMetrics<?> createTcpServerMetrics(TcpServerConfig config, String protocol, SocketAddress local) {
      return d.createTcpServerMetrics(config, protocol, local);
    }

    @Override
    public TransportMetrics<?> createTcpClientMetrics(TcpClientConfig config, String protocol) {
      return d.createTcpClientMetrics(config, protocol);
    }

    @Override
    public TransportMetrics<?> createQuicEndpointMetrics(QuicEndpointConfig config, String protocol, SocketAddress local) {
      return d.createQuicEndpointMetrics(config, protocol, local);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return d.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return d.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(Vertx vertx) {
      d.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
      return d.isMetricsEnabled();
    }

    @Override
    public void close() {
      d.close();
    }
  }
}
