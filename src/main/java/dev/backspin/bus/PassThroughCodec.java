package dev.backspin.bus;

import dev.backspin.errors.ErrorKind;

import dev.backspin.errors.Failure;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * A codec whose local delivery hands the object itself over, without a copy. The sender must not
 * touch an object after sending it. Remote (clustered) delivery uses the wire encoding.
 */
public abstract class PassThroughCodec<T> implements MessageCodec<T, T> {

  private final String name;

  protected PassThroughCodec(String name) {
    this.name = name;
  }

  @Override
  public final T transform(T t) {
    return t;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }

  protected static void appendString(Buffer b, String s) {
    if (s == null) {
      b.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    b.appendInt(bytes.length).appendBytes(bytes);
  }

  /** A failure, or null, as its kind's name and its reason. */
  protected static void appendFailure(Buffer b, Failure f) {
    appendString(b, f == null ? null : f.kind().name());
    if (f != null) {
      appendString(b, f.reason());
    }
  }

  protected static Failure readFailure(Buffer b, int[] pos) {
    String kind = readString(b, pos);
    if (kind == null) {
      return null;
    }
    String reason = readString(b, pos);
    // a kind this build does not know still reaches the client with its reason
    return new Failure(known(kind), reason);
  }

  private static ErrorKind known(String kind) {
    for (ErrorKind k : ErrorKind.values()) {
      if (k.name().equals(kind)) {
        return k;
      }
    }
    return ErrorKind.OTHER;
  }

  protected static String readString(Buffer b, int[] pos) {
    int n = b.getInt(pos[0]);
    pos[0] += 4;
    if (n < 0) {
      return null;
    }
    String s = b.getString(pos[0], pos[0] + n, "UTF-8");
    pos[0] += n;
    return s;
  }
}
