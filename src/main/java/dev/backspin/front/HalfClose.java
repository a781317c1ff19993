package dev.backspin.front;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.net.NetSocket;

/**
 * Half-closed connections, both ways. A client may shut down its sending side and still read
 * every reply ({@code printf ... | nc -N}); the server half-closes its own side when it is done,
 * so that closing never resets a connection whose replies the client has not read yet.
 *
 * <p>
 * Netty closes the whole connection at end of input unless ALLOW_HALF_CLOSURE is set, and Vert.x
 * exposes neither that option nor the event, so this reaches the channel through Vert.x's
 * internal API. The end of input is passed on in band, as an empty read just before Vert.x's
 * handler, so it reaches the connection after every byte read before it, even when the socket
 * was paused. A real read is never empty.
 */
final class HalfClose {

  private static final ChannelHandler MARKER = new EndOfInputMarker();

  private HalfClose() {
  }

  static void enable(NetSocket socket) {
    Channel ch = ((StreamChannelInternal) socket).channelHandlerContext().channel();
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    ch.pipeline().addBefore("handler", "backspin-end-of-input", MARKER);
  }

  static boolean isEndOfInput(Buffer chunk) {
    return chunk.length() == 0;
  }

  /**
   * Sends FIN once every write queued so far has gone out; the connection can still read.
   * Netty's shutdownOutput drops writes not yet flushed, so it waits for an empty write, whose
   * promise completes after all that came before it.
   */
  static void shutdownOutputAfterWrites(NetSocket socket, Runnable onFailure) {
    Channel ch = ((StreamChannelInternal) socket).channelHandlerContext().channel();
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
      if (f.isSuccess()) {
        ((DuplexChannel) ch).shutdownOutput();
      } else {
        onFailure.run();
      }
    });
  }

  @ChannelHandler.Sharable
  private static final class EndOfInputMarker extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == ChannelInputShutdownEvent.INSTANCE) {
        ctx.fireChannelRead(Unpooled.EMPTY_BUFFER);
      }
      ctx.fireUserEventTriggered(evt);
    }
  }
}
