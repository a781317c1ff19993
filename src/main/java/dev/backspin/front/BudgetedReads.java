package dev.backspin.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

import java.util.function.IntSupplier;

/**
 * Sizes one connection's socket reads to what the memory budget leaves it. A read is taken
 * before anyone can look at what it brings: with 1,500 connections each reading its 64 KiB at
 * the moment memory runs short, that is 96 MiB on top of any budget. So while the budget is under pressure,
 * a read is at most what the connection's share leaves (at least {@link #MIN_READ}); otherwise
 * Netty's own sizing stands. Wraps the channel's allocator, whose handle does everything else.
 */
final class BudgetedReads implements RecvByteBufAllocator {

  /** The smallest read: a short line, so a connection under its share is never starved. */
  static final int MIN_READ = 2048;

  private final RecvByteBufAllocator delegate;
  private final IntSupplier limit;

  /** @param limit the largest read this connection may take now ({@code Integer.MAX_VALUE}: no limit) */
  BudgetedReads(RecvByteBufAllocator delegate, IntSupplier limit) {
    this.delegate = delegate;
    this.limit = limit;
  }

  @Override
  public Handle newHandle() {
    return new Capped((ExtendedHandle) delegate.newHandle());
  }

  private final class Capped implements ExtendedHandle {

    private final ExtendedHandle d;

    Capped(ExtendedHandle d) {
      this.d = d;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      return alloc.ioBuffer(guess());
    }

    @Override
    public int guess() {
      return Math.min(d.guess(), Math.max(MIN_READ, limit.getAsInt()));
    }

    @Override
    public void reset(ChannelConfig config) {
      d.reset(config);
    }

    @Override
    public void incMessagesRead(int numMessages) {
      d.incMessagesRead(numMessages);
    }

    @Override
    public void lastBytesRead(int bytes) {
      d.lastBytesRead(bytes);
    }

    @Override
    public int lastBytesRead() {
      return d.lastBytesRead();
    }

    @Override
    public void attemptedBytesRead(int bytes) {
      d.attemptedBytesRead(bytes);
    }

    @Override
    public int attemptedBytesRead() {
      return d.attemptedBytesRead();
    }

    @Override
    public boolean continueReading() {
      return d.continueReading();
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return d.continueReading(maybeMoreDataSupplier);
    }

    @Override
    public void readComplete() {
      d.readComplete();
    }
  }
}
