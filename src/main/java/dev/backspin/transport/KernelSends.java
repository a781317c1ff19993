package dev.backspin.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;

/**
 * When the kernel last sent a connection new data, from TCP_INFO ({@code tcpi_last_data_sent}):
 * Netty's epoll channel reads it, the other transports do not. A client that takes its bytes
 * slowly through a small window drains the kernel's send buffer slowly, and epoll wakes a writer
 * only once a good part of it is free, so Netty may hand the kernel nothing for seconds while
 * the client reads on; the kernel's own sends say it does. Zero-window probes carry no data: a
 * client that reads nothing does not count.
 */
public final class KernelSends {

  private KernelSends() {
  }

  /** Whether the kernel sent {@code ch} new data within the last {@code millis}; false where it cannot tell. */
  public static boolean within(Channel ch, long millis) {
    if (!(ch instanceof EpollSocketChannel epoll) || !ch.isActive()) {
      return false;
    }
    try {
      return epoll.tcpInfo().lastDataSent() < millis;
    } catch (RuntimeException e) {
      return false; // the socket went meanwhile
    }
  }
}
