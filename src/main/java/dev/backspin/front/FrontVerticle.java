package dev.backspin.front;

import dev.backspin.ServiceDrain;
import dev.backspin.config.ServiceConfig;
import dev.backspin.framing.Framers;
import dev.backspin.framing.Frames;
import dev.backspin.work.Rejections;
import dev.backspin.work.Batch;
import dev.backspin.work.BatchCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A service's front: a NetServer on the event loop. Every instance of one service shares the
 * port. Each connection is pinned to one worker shard, so its frames stay in order whatever the
 * number of front and worker instances; its batches travel to that shard over the event bus. The
 * replies come back through the socket's writeHandlerID; rejections come to this instance's
 * own address.
 */
public final class FrontVerticle extends VerticleBase implements FrameRoute, ConnectionOwner {

  private static final Logger log = LoggerFactory.getLogger(FrontVerticle.class);
  private static final DeliveryOptions TO_WORKER = new DeliveryOptions().setCodecName(BatchCodec.NAME);

  // past the drain time, Vert.x closes what is left: time for the last answers to go out
  private static final Duration FORCE_AFTER_DRAIN = Duration.ofSeconds(5);

  private final ServiceConfig cfg;
  private final ConnectionLimit limit;
  private final ServiceDrain drain;
  private final int drainSeconds;
  private final String address;
  private final Map<Long, Connection> connections = new HashMap<>();
  // a random start spreads the instances' connections over the shards
  private long nextId = ThreadLocalRandom.current().nextInt(1 << 20);
  private NetServer server;
  private MessageConsumer<Rejections> rejections;

  public FrontVerticle(ServiceConfig cfg, ConnectionLimit limit, ServiceDrain drain, int drainSeconds) {
    this.cfg = cfg;
    this.limit = limit;
    this.drain = drain;
    this.drainSeconds = drainSeconds;
    this.address = "backspin." + cfg.kind().id() + ".front." + UUID.randomUUID();
  }

  /** The address of worker shard {@code k} of a service. */
  public static String shardAddress(String service, int k) {
    return "backspin." + service + ".worker." + k;
  }

  @Override
  public Future<?> start() {
    NetServerOptions options = new NetServerOptions()
      .setHost(cfg.host())
      // port 0: one free port that every instance of this service shares (Vert.x's negative-port rule)
      .setPort(cfg.port() == 0 ? -(cfg.kind().ordinal() + 1) : cfg.port())
      .setAcceptBacklog(cfg.acceptBacklog())
      .setRegisterWriteHandler(true)
      .setTcpNoDelay(true)
      .setIdleTimeout(cfg.idleTimeoutSeconds())
      .setIdleTimeoutUnit(TimeUnit.SECONDS);
    server = vertx.createNetServer(options).connectHandler(this::accept);
    rejections = vertx.eventBus().<Rejections>localConsumer(address).handler(msg -> onRejections(msg.body()));
    return rejections.completion().compose(v -> server.listen());
  }

  /**
   * The graceful drain: stop accepting at once, serve open connections until they close or the
   * drain time runs out, answer every frame already read, then let the workers stop.
   */
  @Override
  public Future<?> stop() {
    drain.frontDraining(drainSeconds);
    return server.shutdown(Duration.ofSeconds(drainSeconds).plus(FORCE_AFTER_DRAIN))
      .eventually(() -> rejections.unregister())
      .andThen(ar -> drain.frontStopped());
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void closed(Connection c) {
    connections.remove(c.id());
    limit.release();
  }

  @Override
  public long drainMillis() {
    return drainSeconds * 1000L;
  }

  @Override
  public void closedAtDeadline(Connection c) {
    drain.closedAtDeadline();
  }

  /** The port this front is bound to. */
  public int actualPort() {
    return server.actualPort();
  }

  private void accept(NetSocket socket) {
    if (!limit.tryAcquire()) {
      log.warn("{}: refusing connection from {}: too many connections (max {})", cfg.kind().id(), socket.remoteAddress(), cfg.maxConnections());
      socket.end(Framers.create(cfg.framing(), cfg.maxFrameBytes()).errorReply("too many connections"));
      return;
    }
    long id = nextId++;
    Connection c = new Connection(id, socket, Framers.create(cfg.framing(), cfg.maxFrameBytes()), cfg.framing(), this,
      cfg.maxInFlightBytes(), this);
    connections.put(id, c);
    log.debug("{}: connection {} from {} opened", cfg.kind().id(), id, socket.remoteAddress());
    c.start();
  }

  @Override
  public void send(Connection c, Frames frames) {
    String shard = shardAddress(cfg.kind().id(), (int) Math.floorMod(c.id(), (long) cfg.workers()));
    vertx.eventBus().send(shard, new Batch(c.id(), c.socket().writeHandlerID(), address, frames), TO_WORKER);
  }

  private void onRejections(Rejections r) {
    for (int i = 0; i < r.size(); i++) {
      Connection c = connections.get(r.connectionId(i));
      if (c != null) { // null: it closed while its frames were in flight
        c.rejected(r.unansweredBytes(i), r.reason(i));
      }
    }
  }
}
