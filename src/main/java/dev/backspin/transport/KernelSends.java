package dev.backspin.transport;

import io.netty.channel.Channel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * When the kernel last sent a connection new data, from TCP_INFO ({@code tcpi_last_data_sent}):
 * Netty's epoll channel reads it, the other transports do not. A client that takes its bytes
 * slowly through a small window drains the kernel's send buffer slowly, and epoll wakes a writer
 * only once a good part of it is free, so Netty may hand the kernel nothing for seconds while
 * the client reads on; the kernel's own sends say it does. Zero-window probes carry no data: a
 * client that reads nothing does not count. Epoll's classes are runtime-only here, as in
 * {@link EpollInterest}: reached by reflection, once.
 */
public final class KernelSends {

  private static final String CHANNEL = "io.netty.channel.epoll.EpollSocketChannel";

  private KernelSends() {
  }

  private static final class Netty {
    static final Class<?> TYPE;
    static final MethodHandle TCP_INFO;
    static final MethodHandle LAST_DATA_SENT;

    static {
      Class<?> type = null;
      MethodHandle info = null;
      MethodHandle last = null;
      try {
        type = Class.forName(CHANNEL);
        Class<?> tcpInfo = Class.forName("io.netty.channel.epoll.EpollTcpInfo");
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        info = lookup.findVirtual(type, "tcpInfo", MethodType.methodType(tcpInfo)).asType(MethodType.methodType(Object.class, Channel.class));
        last = lookup.findVirtual(tcpInfo, "lastDataSent", MethodType.methodType(long.class)).asType(MethodType.methodType(long.class, Object.class));
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        type = null; // without epoll's classes: nothing to read
      }
      TYPE = type;
      TCP_INFO = info;
      LAST_DATA_SENT = last;
    }
  }

  /** Whether the kernel sent {@code ch} new data within the last {@code millis}; false where it cannot tell. */
  public static boolean within(Channel ch, long millis) {
    if (!ch.getClass().getName().equals(CHANNEL) || Netty.TYPE == null || !ch.isActive()) {
      return false;
    }
    try {
      return (long) Netty.LAST_DATA_SENT.invokeExact(Netty.TCP_INFO.invokeExact(ch)) < millis;
    } catch (Throwable e) {
      return false; // the socket went meanwhile
    }
  }
}
