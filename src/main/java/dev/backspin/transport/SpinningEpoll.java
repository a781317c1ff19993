package dev.backspin.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollIoHandler;
import io.vertx.core.impl.transports.EpollTransport;
import io.vertx.core.transport.Transport;

/** Vert.x's epoll transport with event loops that spin briefly before they block ({@link SpinThenBlock}). */
final class SpinningEpoll extends EpollTransport {

  private final long spinNanos;

  private SpinningEpoll(long spinNanos) {
    this.spinNanos = spinNanos;
  }

  /** The public face Vert.x's builder takes; {@code epoll} as far as anyone asks. */
  static Transport of(Transport epoll, int spinMicros) {
    SpinningEpoll impl = new SpinningEpoll(spinMicros * 1000L);
    return new Transport() {
      @Override public String name() { return epoll.name(); }
      @Override public boolean available() { return epoll.available(); }
      @Override public Throwable unavailabilityCause() { return epoll.unavailabilityCause(); }
      @Override public io.vertx.core.spi.transport.Transport implementation() { return impl; }
    };
  }

  int spinMicros() {
    return (int) (spinNanos / 1000);
  }

  @Override
  public IoHandlerFactory ioHandlerFactory() {
    return EpollIoHandler.newFactory(0, () -> new SpinThenBlock(spinNanos));
  }
}
