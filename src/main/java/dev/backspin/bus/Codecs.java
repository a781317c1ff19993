package dev.backspin.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/** Registers Backspin's event-bus codecs once per Vert.x instance. */
public final class Codecs {

  private Codecs() {
  }

  public static void register(EventBus bus) {
    register(bus, new BatchCodec());
    register(bus, new RejectionsCodec());
    register(bus, new BufferCodec());
    register(bus, new RepliesCodec());
    register(bus, new RemoteReplyCodec());
  }

  /** Registers one codec; a service registers its own messages' codecs through this. */
  public static void register(EventBus bus, MessageCodec<?, ?> codec) {
    try {
      bus.registerCodec(codec);
    } catch (IllegalStateException alreadyRegistered) {
      // another Backspin deployment in this Vert.x registered it: the same codec, keep it
    }
  }
}
