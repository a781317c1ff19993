package dev.backspin.transport;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The wait before a block: what it returns for ready sockets, for tasks, and for nothing. */
class SpinThenBlockTest {

  private final DefaultEventLoop loop = new DefaultEventLoop();

  @AfterEach
  void tearDown() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private int onLoop(SpinThenBlock s, io.netty.util.IntSupplier selectNow, boolean hasTasks) throws Exception {
    return loop.submit(() -> s.calculateStrategy(selectNow, hasTasks)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void withTasksWaitingItSelectsNowLikeNettysOwn() throws Exception {
    assertThat(onLoop(new SpinThenBlock(1_000_000), () -> 7, true)).isEqualTo(7);
    assertThat(onLoop(new SpinThenBlock(1_000_000), () -> 0, true)).isZero();
  }

  @Test
  void aSocketReadyWithinTheSpinIsReturnedAtOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    assertThat(onLoop(new SpinThenBlock(5_000_000_000L), () -> calls.incrementAndGet() < 3 ? 0 : 2, false)).isEqualTo(2);
    assertThat(calls).hasValue(3);
  }

  @Test
  void nothingWithinTheSpinBlocks() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    long spin = TimeUnit.MILLISECONDS.toNanos(20);
    long start = System.nanoTime();
    assertThat(onLoop(new SpinThenBlock(spin), () -> { calls.incrementAndGet(); return 0; }, false)).isEqualTo(SelectStrategy.SELECT);
    assertThat(System.nanoTime() - start).as("it spun its time first").isGreaterThanOrEqualTo(spin);
    assertThat(calls.get()).isGreaterThan(1);
  }

  @Test
  void aTaskThatComesDuringTheSpinEndsIt() throws Exception {
    // a spin of 60 s that a task submitted from another thread cuts short: the wait returns 0, run the tasks
    var result = loop.submit(() -> {
      new Thread(() -> loop.execute(() -> { })).start();
      return new SpinThenBlock(TimeUnit.SECONDS.toNanos(60)).calculateStrategy(() -> 0, false);
    });
    assertThat(result.get(30, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void offAnEventLoopItBlocksAsNettyWould() throws Exception {
    assertThat(new SpinThenBlock(1_000_000).calculateStrategy(() -> 5, false)).isEqualTo(SelectStrategy.SELECT);
  }
}
