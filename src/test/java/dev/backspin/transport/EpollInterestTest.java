package dev.backspin.transport;

import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The workaround reaches into Netty's epoll classes by name: a Netty upgrade that renames what it
 * reaches must fail here, not only log a warning in production. Whether the fix is still needed
 * after such an upgrade is HalfCloseSlowReaderIT's question.
 */
class EpollInterestTest {

  @Test
  void thisNettyHasWhatTheWorkaroundReaches() {
    assumeTrue(Transport.EPOLL != null && Transport.EPOLL.available(), "epoll is not available on this machine");
    assertThat(EpollInterest.available()).as("AbstractEpollChannel.setFlag(int) and Native.EPOLLERR found").isTrue();
  }
}
