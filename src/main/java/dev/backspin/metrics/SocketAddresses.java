package dev.backspin.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyFailure;
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
 * Shows the event-bus traffic to sockets' write handlers, where every reverse reply goes. Vert.x's
 * Micrometer metrics leave out every address that starts with {@code __vertx.} (5.2.3,
 * {@code VertxEventBusMetrics.isNotInternal}), a socket's {@code writeHandlerID}
 * ({@code __vertx.net.<uuid>}) among them, so the reply path would be invisible. Here those
 * addresses reach the meters as {@code vertx.net.<uuid>}, and {@link Metrics}' label match folds
 * them into the one value {@link #FOLDED}: one series for all sockets, however many connect.
 * Other {@code __vertx.} addresses (request-reply in a cluster) stay left out.
 */
final class SocketAddresses implements VertxMetricsFactory {

  static final String PREFIX = "__vertx.net.";
  static final String SHOWN = "vertx.net.";
  /** The label value of every socket's write-handler address. */
  static final String FOLDED = "vertx.net.*";

  private final VertxMetricsFactory delegate;

  SocketAddresses(VertxMetricsFactory delegate) {
    this.delegate = delegate;
  }

  static String shown(String address) {
    return address != null && address.startsWith(PREFIX) ? address.substring(2) : address;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    VertxMetrics m = delegate.metrics(options);
    return m == null ? null : new Shown(m);
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

    Shown(VertxMetrics d) {
      this.d = d;
    }

    @Override
    public EventBusMetrics createEventBusMetrics() {
      @SuppressWarnings("unchecked")
      EventBusMetrics<Object> bus = d.createEventBusMetrics();
      return bus == null ? null : new ShownBus(bus);
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

  /** The event bus's meters, with sockets' addresses shown. */
  private static final class ShownBus implements EventBusMetrics<Object> {

    private final EventBusMetrics<Object> d;

    ShownBus(EventBusMetrics<Object> d) {
      this.d = d;
    }

    @Override
    public Object handlerRegistered(String address) {
      return d.handlerRegistered(shown(address));
    }

    @Override
    public void handlerUnregistered(Object handler) {
      d.handlerUnregistered(handler);
    }

    @Override
    public void scheduleMessage(Object handler, boolean local) {
      d.scheduleMessage(handler, local);
    }

    @Override
    public void discardMessage(Object handler, boolean local, Message<?> msg) {
      d.discardMessage(handler, local, msg);
    }

    @Override
    public void messageDelivered(Object handler, boolean local) {
      d.messageDelivered(handler, local);
    }

    @Override
    public void messageSent(String address, boolean publish, boolean local, boolean remote) {
      d.messageSent(shown(address), publish, local, remote);
    }

    @Override
    public void messageReceived(String address, boolean publish, boolean local, int handlers) {
      d.messageReceived(shown(address), publish, local, handlers);
    }

    @Override
    public void messageWritten(String address, int numberOfBytes) {
      d.messageWritten(shown(address), numberOfBytes);
    }

    @Override
    public void messageRead(String address, int numberOfBytes) {
      d.messageRead(shown(address), numberOfBytes);
    }

    @Override
    public void replyFailure(String address, ReplyFailure failure) {
      d.replyFailure(shown(address), failure);
    }

    @Override
    public void close() {
      d.close();
    }
  }
}
