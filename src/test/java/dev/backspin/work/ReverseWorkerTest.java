package dev.backspin.work;

import dev.backspin.bus.Rejections;

import dev.backspin.bus.BatchCodec;

import dev.backspin.bus.Addresses;
import dev.backspin.bus.Batch;

import dev.backspin.bus.Codecs;
import dev.backspin.framing.Framing;
import dev.backspin.config.ReverseUnit;
import dev.backspin.config.ServiceKind;
import dev.backspin.config.WorkerConfig;
import dev.backspin.config.WriteBack;
import dev.backspin.framing.Framers;
import dev.backspin.framing.Frames;
import dev.backspin.metrics.ServiceMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker shard on the event bus, without sockets: a fault while answering one connection's read
 * answers every other read of the drain, and ends that connection with {@code ERR internal error}.
 */
@ExtendWith(VertxExtension.class)
class ReverseWorkerTest {

  private static Frames lines(String s) throws Exception {
    return Framers.create(Framing.LINE, 1024).feed(Buffer.buffer(s, "US-ASCII"));
  }

  @Test
  void aFaultAnswersTheRestAndRejectsOnlyItsConnection(Vertx vertx) throws Exception {
    Codecs.register(vertx.eventBus());
    Map<String, StringBuilder> replies = new ConcurrentHashMap<>();
    List<String> rejections = new CopyOnWriteArrayList<>();
    CountDownLatch answered = new CountDownLatch(2); // s1 (its two reads joined) and s3
    CountDownLatch rejected = new CountDownLatch(2); // s2, in each batch
    for (String socket : List.of("s1", "s2", "s3")) {
      vertx.eventBus().<Buffer>localConsumer(socket).handler(m -> {
        replies.computeIfAbsent(socket, k -> new StringBuilder()).append(m.body().toString(StandardCharsets.US_ASCII));
        answered.countDown();
      });
    }
    vertx.eventBus().<Rejections>localConsumer("front").handler(m -> {
      for (int i = 0; i < m.body().size(); i++) {
        rejections.add(m.body().connectionId(i) + ":" + m.body().unansweredBytes(i) + ":" + m.body().failure(i).reason());
        rejected.countDown();
      }
    });
    FrameTransform faulty = frames -> {
      if (new String(frames.data(), 0, frames.length(), StandardCharsets.US_ASCII).contains("boom")) {
        throw new IllegalStateException("a bug");
      }
      return FrameTransform.reverse(ReverseUnit.BYTE).apply(frames);
    };
    ServiceMetrics metrics = new ServiceMetrics(new SimpleMeterRegistry(), ServiceKind.REVERSE, () -> 0);
    WorkerConfig cfg = new WorkerConfig(ServiceKind.REVERSE, 0, ReverseUnit.BYTE, 16, WriteBack.SOCKET);
    vertx.deployVerticle(new ReverseWorker(Future.succeededFuture(), metrics, cfg, faulty), new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER))
      .await(10, TimeUnit.SECONDS);

    Batch first = new Batch("front");
    first.add(1, "s1", lines("abc\n"));
    first.add(2, "s2", lines("boom\n"));
    first.add(3, "s3", lines("xyz\n"));
    first.add(1, "s1", lines("def\n"));
    DeliveryOptions batch = new DeliveryOptions().setCodecName(BatchCodec.NAME).setLocalOnly(true);
    vertx.eventBus().send(Addresses.shard("reverse", 0), first, batch);
    // a later read of the failed connection, already on its way: not answered either
    Batch second = new Batch("front");
    second.add(2, "s2", lines("after\n"));
    vertx.eventBus().send(Addresses.shard("reverse", 0), second, batch);
    assertThat(answered.await(10, TimeUnit.SECONDS)).as("replies to s1 and s3").isTrue();
    assertThat(rejected.await(10, TimeUnit.SECONDS)).as("s2's two reads rejected").isTrue();

    assertThat(replies.get("s1")).as("s1's two reads, in one reply").hasToString("cba\nfed\n");
    assertThat(replies.get("s3")).hasToString("zyx\n");
    assertThat(rejections).containsExactly("2:5:internal error", "2:6:internal error");
    assertThat(replies).doesNotContainKey("s2");
  }
}
