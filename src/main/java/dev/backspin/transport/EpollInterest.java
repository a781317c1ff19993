package dev.backspin.transport;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Works around a bug in Netty 4.2.18's epoll transport that loses replies to a client that has
 * half-closed. When a channel's epoll interest becomes empty, {@code EpollIoHandler} removes the
 * fd from epoll (EPOLL_CTL_DEL) but still takes it as registered, so the next interest it asks
 * for is an EPOLL_CTL_MOD that fails with ENOENT, and the channel closes with its output unsent.
 * The interest only becomes empty once the client has sent FIN: Netty then drops EPOLLIN and
 * EPOLLRDHUP, and EPOLLOUT goes whenever the send buffer has room; the next full send buffer
 * (a slow reader, a large reply) is fatal.
 *
 * <p>Adding EPOLLERR to the interest keeps it from ever being empty. epoll reports errors
 * whether asked or not, so nothing else changes. Netty's {@code setFlag} is not public: it is
 * reached once, by reflection, and if a later Netty lacks it the server runs without the fix.
 */
public final class EpollInterest {

  private static final Logger log = LoggerFactory.getLogger(EpollInterest.class);
  private static final String PACKAGE = "io.netty.channel.epoll.";

  private EpollInterest() {
  }

  /** Looked up on the first epoll channel, when epoll's native library is loaded already. */
  private static final class Netty {
    static final MethodHandle SET_FLAG;
    static final int EPOLLERR;

    static {
      MethodHandle setFlag = null;
      int err = 0;
      try {
        var m = Class.forName(PACKAGE + "AbstractEpollChannel").getDeclaredMethod("setFlag", int.class);
        m.setAccessible(true);
        err = Class.forName(PACKAGE + "Native").getField("EPOLLERR").getInt(null);
        setFlag = MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(void.class, Channel.class, int.class));
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        log.warn("epoll: cannot keep the epoll interest of connections from going empty ({}); a client that half-closes may lose replies on epoll", e.toString());
      }
      SET_FLAG = setFlag;
      EPOLLERR = err;
    }
  }

  /** Whether this Netty has what the workaround reaches; looks it up if not done yet. */
  static boolean available() {
    return Netty.SET_FLAG != null;
  }

  /** Keeps {@code ch}'s epoll interest from ever being empty; nothing for other transports. On its event loop. */
  public static void keepNonEmpty(Channel ch) {
    if (!ch.getClass().getName().startsWith(PACKAGE) || Netty.SET_FLAG == null) {
      return;
    }
    try {
      Netty.SET_FLAG.invokeExact(ch, Netty.EPOLLERR);
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      // the fd is gone already: the channel is closing, and Netty says so itself
      log.debug("epoll: could not add EPOLLERR to the interest of {}: {}", ch, e.toString());
    }
  }
}
