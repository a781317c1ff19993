package dev.backspin.it;

import dev.backspin.config.ServiceKind;
import dev.backspin.config.TransportKind;
import dev.backspin.support.LineSocket;
import dev.backspin.support.Scrape;
import dev.backspin.support.TestServer;
import dev.backspin.transport.Transports;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import com.hazelcast.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node-local traffic never asks the cluster manager. A clustered node whose cluster manager fails
 * every lookup of a node-local address still answers reverse and delivers broadcast on the node:
 * had a front's batch, a worker's rejection or a local broadcast gone through the cluster's
 * subscription map, the failed lookup would have dropped it, and the client would wait forever.
 * About the event bus, not the transport: run on epoll only.
 */
class LocalOnlyIT {

  /** Fails every lookup but those of the addresses meant for other nodes. */
  static final class FailingLookups extends HazelcastClusterManager {
    private static final Set<String> CLUSTER_WIDE = Set.of("backspin.reverse.workers", "backspin.broadcast.frames", "backspin.broadcast.frames.acks");
    final Set<String> failed = ConcurrentHashMap.newKeySet();

    FailingLookups(Config config) {
      super(config);
    }

    @Override
    public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
      if (address.startsWith("backspin.") && !CLUSTER_WIDE.contains(address)) {
        failed.add(address);
        promise.fail(new IllegalStateException("lookup of " + address + " failed (test)"));
        return;
      }
      super.getRegistrations(address, promise);
    }
  }

  private Vertx vertx;

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void nodeLocalTrafficSurvivesAFailingClusterManager() throws Exception {
    Config hz = ConfigUtil.loadConfig().setClusterName("backspin-local-only-" + UUID.randomUUID());
    FailingLookups cm = new FailingLookups(hz);
    vertx = Vertx.builder().withTransport(Transports.select(TransportKind.EPOLL)).withClusterManager(cm)
      .buildClustered().await(60, TimeUnit.SECONDS);
    JsonObject config = TestServer.reverseConfig(TransportKind.EPOLL, new JsonObject().put("workers", 1).put("instances", 1).put("unit", "codepoint"))
      .put("broadcast", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    TestServer server = TestServer.deploy(vertx, config).await(60, TimeUnit.SECONDS);

    try (LineSocket s = new LineSocket(server.port(), 10_000)) {
      s.send("hello\n");
      assertThat(s.readLine()).isEqualTo("olleh\n");
    }
    // a rejection goes from the worker to the front: also node-local
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(new byte[] {'o', 'k', '\n', (byte) 0xC3, 0x28, '\n'});
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ko\nERR invalid UTF-8\n");
    }
    try (LineSocket a = new LineSocket(server.port(ServiceKind.BROADCAST), 10_000);
         LineSocket b = new LineSocket(server.port(ServiceKind.BROADCAST), 10_000)) {
      String open = "backspin_connections_open{service=\"broadcast\"}";
      new Scrape(server.httpPort()).metricsWhen(t -> Scrape.value(t, open) == 2);
      a.send("to everyone\n");
      assertThat(b.readLine()).isEqualTo("to everyone\n");
    }
    assertThat(cm.failed).as("node-local addresses looked up in the cluster").isEmpty();
  }
}
