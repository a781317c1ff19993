package dev.backspin.transport;

import dev.backspin.config.ConfigException;
import dev.backspin.config.TransportKind;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;

import java.util.concurrent.ThreadPoolExecutor;

/**
 * Chooses the transport a config asks for, and checks the one a Vert.x instance really runs on.
 * Vert.x falls back to NIO without a word when a native transport cannot load; Backspin never
 * does, unless the config says {@code "auto"}.
 */
public final class Transports {

  private Transports() {
  }

  /**
   * The transport to build Vert.x with.
   *
   * @throws ConfigException when a native transport is asked for and cannot load here
   */
  public static Transport select(TransportKind kind) {
    return select(kind, 0);
  }

  /**
   * As {@link #select(TransportKind)}; on epoll, with {@code spinWaitMicros} above 0, the event
   * loops poll that long before they block.
   */
  public static Transport select(TransportKind kind, int spinWaitMicros) {
    if (kind == TransportKind.EPOLL && spinWaitMicros > 0) {
      return SpinningEpoll.of(available(Transport.EPOLL, "epoll"), spinWaitMicros);
    }
    return switch (kind) {
      case NIO -> Transport.NIO;
      case EPOLL -> available(Transport.EPOLL, "epoll");
      case IO_URING -> available(Transport.IO_URING, "io_uring");
      case AUTO -> {
        Transport t = Transport.nativeTransport();
        yield t != null && t.available() ? t : Transport.NIO;
      }
    };
  }

  private static Transport available(Transport t, String name) {
    if (t == null) {
      throw new ConfigException("transport \"" + name + "\" is not available: its Netty classes are not on the class path");
    }
    if (!t.available()) {
      Throwable cause = t.unavailabilityCause();
      throw new ConfigException("transport \"" + name + "\" is not available on this machine: "
        + (cause == null ? "unknown cause" : cause.toString()) + " (use \"nio\" or \"auto\")");
    }
    return t;
  }

  /**
   * The name of the transport this Vert.x runs on: epoll, io_uring, kqueue or nio. Vert.x's public
   * API only says whether it is native, so this reads the internal instance once, at start.
   */
  public static String inUse(Vertx vertx) {
    io.vertx.core.spi.transport.Transport impl = ((VertxInternal) vertx).transport();
    if (impl instanceof SpinningEpoll) {
      return Transport.EPOLL.name();
    }
    for (Transport t : new Transport[] {Transport.EPOLL, Transport.IO_URING, Transport.KQUEUE}) {
      if (t != null && t.implementation() == impl) {
        return t.name();
      }
    }
    return Transport.NIO.name();
  }

  /**
   * The builder to start Vert.x with: Vert.x's own, or with {@code workerSpinMicros} above 0 one
   * whose worker pools let one idle thread poll that long for a task before it parks.
   */
  public static VertxBuilder builder(int workerSpinMicros) {
    return workerSpinMicros > 0 ? new SpinningBuilder(new SpinningWorkers(workerSpinMicros * 1000L)) : Vertx.builder();
  }

  /** How long an idle thread of this Vert.x's worker pool polls for a task before it parks, or 0. */
  public static int workerSpinMicros(Vertx vertx) {
    return ((VertxInternal) vertx).workerPool().executor() instanceof ThreadPoolExecutor pool
      && pool.getQueue() instanceof SpinThenPark q ? (int) (q.spinNanos() / 1000) : 0;
  }

  /** How long this Vert.x's event loops spin before they block: {@code spinWaitMicros}, or 0. */
  public static int spinWaitMicros(Vertx vertx) {
    return ((VertxInternal) vertx).transport() instanceof SpinningEpoll s ? s.spinMicros() : 0;
  }

  /**
   * Fails when Vert.x does not run on the transport the config asks for (for example when a
   * launcher built it without Backspin's hooks).
   */
  public static void verify(Vertx vertx, TransportKind wanted) {
    String actual = inUse(vertx);
    if (wanted == TransportKind.AUTO || actual.equals(wanted.id())) {
      return;
    }
    Throwable cause = vertx.unavailableNativeTransportCause();
    throw new ConfigException("transport \"" + wanted.id() + "\" was asked for, but Vert.x runs on "
      + actual + (cause != null ? " (" + cause + ")" : "")
      + ". Start it with Backspin's launcher (java -jar backspin.jar), or give Vert.x "
      + "-options '{\"preferNativeTransport\":true}', or set \"transport\": \"auto\"");
  }
}
