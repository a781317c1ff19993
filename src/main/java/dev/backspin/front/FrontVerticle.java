package dev.backspin.front;

import dev.backspin.bus.Addresses;
import dev.backspin.config.ListenOptions;
import dev.backspin.config.ServiceConfig;
import dev.backspin.memory.BudgetLedger;
import dev.backspin.memory.MemoryBudget;
import dev.backspin.errors.RejectReason;
import dev.backspin.metrics.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A service's front: a NetServer on the event loop, shared by every instance of the service.
 * It accepts, frames, bounds and closes connections; what happens to the frames is the
 * service's {@link ServiceRoute}.
 */
public final class FrontVerticle extends VerticleBase implements Front, ConnectionOwner {

  private static final Logger log = LoggerFactory.getLogger(FrontVerticle.class);
  // past the drain time, Vert.x closes what is left: time for the last answers to go out
  private static final Duration FORCE_AFTER_DRAIN = Duration.ofSeconds(5);
  private static final long LEDGER_TICK_MILLIS = 100;
  private static final Duration CLOSE_HANDLERS_WAIT = Duration.ofSeconds(2);
  private static final long WATCHDOG_MILLIS = 1000;

  private final ServiceConfig cfg;
  private final ServiceRoute route;
  private final ConnectionLimit limit;
  private final ServiceDrain drain;
  private final int drainSeconds;
  private final ServiceMetrics metrics;
  private final String id;
  private final Map<Long, Connection> connections = new HashMap<>();
  // a random start spreads the instances' connections over the worker shards
  private long nextId = ThreadLocalRandom.current().nextInt(1 << 20);
  private NetServer server;
  private final MemoryBudget budget;
  private BudgetLedger ledger;
  private long ledgerTimer = -1;
  private long watchdogTimer = -1;
  // a flood of failed handshakes must not flood the log
  private static final long FAILURE_LOG_NANOS = 10_000_000_000L;
  private long lastFailureLog;
  private long unloggedFailures;
  // connections whose outbox is handed to the socket at the end of this cycle; two lists, swapped
  private List<Connection> toFlush = new ArrayList<>();
  private List<Connection> flushing = new ArrayList<>();
  private boolean flushScheduled;
  private Promise<Void> allClosed; // set once the server has shut

  public FrontVerticle(ServiceConfig cfg, ServiceRoute route, ConnectionLimit limit, ServiceDrain drain, int drainSeconds, ServiceMetrics metrics, MemoryBudget budget) {
    this.cfg = cfg;
    this.budget = budget;
    this.route = route;
    this.limit = limit;
    this.drain = drain;
    this.drainSeconds = drainSeconds;
    this.metrics = metrics;
    this.id = Addresses.newFront(cfg.kind().id());
  }

  @Override
  public Future<?> start() {
    server = vertx.createNetServer(ListenOptions.of(cfg, route.writeHandlers(cfg))).connectHandler(this::accept)
      // errors before a connection reaches accept(): a failed TLS handshake, a reset during it
      .exceptionHandler(this::failedBeforeServed);
    ledger = budget.ledger(task -> context.runOnContext(v -> task.run()));
    // the ledger folds in what it has not yet, and lets waiting connections look again (the share moves)
    ledgerTimer = vertx.setPeriodic(LEDGER_TICK_MILLIS, t -> ledger.tick());
    long bound = cfg.answerTimeoutSeconds() * 1000L;
    watchdogTimer = vertx.setPeriodic(Math.min(WATCHDOG_MILLIS, bound), t -> watch(bound));
    return route.start(this).compose(v -> server.listen());
  }

  /**
   * The graceful drain: stop accepting at once, serve open connections until they close or the
   * drain time runs out, answer every frame already read, then let the workers stop.
   */
  @Override
  public Future<?> stop() {
    drain.frontDraining(drainSeconds);
    return server.shutdown(Duration.ofSeconds(drainSeconds).plus(FORCE_AFTER_DRAIN))
      // the server is shut once its channels are; each connection's own account comes after, in its close handler
      .eventually(this::connectionsClosed)
      .eventually(route::stop)
      .andThen(ar -> {
        vertx.cancelTimer(ledgerTimer);
        vertx.cancelTimer(watchdogTimer);
        ledger.close();
        drain.frontStopped();
      });
  }

  /** Every connection whose frames have gone unanswered for {@code boundMillis} gets ERR and is closed. */
  private void watch(long boundMillis) {
    long now = System.nanoTime() / 1_000_000;
    // a copy: the watchdog may close a connection as it goes
    for (Connection c : connections.isEmpty() ? List.<Connection>of() : new ArrayList<>(connections.values())) {
      c.watch(now, boundMillis);
    }
  }

  /** The port this front is bound to. */
  public int actualPort() {
    return server.actualPort();
  }

  /** Counted by what failed it; logged at most once per {@link #FAILURE_LOG_NANOS}, with how many were not. */
  private void failedBeforeServed(Throwable e) {
    RejectReason why = RejectReason.beforeServed(e);
    metrics.rejected(why);
    long now = System.nanoTime();
    if (lastFailureLog != 0 && now - lastFailureLog < FAILURE_LOG_NANOS) {
      unloggedFailures++;
      log.debug("{}: connection failed before it was served ({}): {}", cfg.kind().id(), why.label(), e.toString());
      return;
    }
    log.info("{}: connection failed before it was served ({}): {}{}", cfg.kind().id(), why.label(), e.toString(),
      unloggedFailures == 0 ? "" : " (and " + unloggedFailures + " more since the last such line, counted in backspin_connections_rejected_total)");
    lastFailureLog = now;
    unloggedFailures = 0;
  }

  private void accept(NetSocket socket) {
    if (!limit.tryAcquire()) {
      metrics.rejected(RejectReason.TOO_MANY_CONNECTIONS);
      if (!limit.tryRefuse()) {
        // as many are being turned away already: this one costs no more than its socket
        log.debug("{}: closing connection from {} at once: too many connections, and {} being turned away", cfg.kind().id(), socket.remoteAddress(), limit.refusing());
        socket.close().onFailure(e -> log.debug("{}: closing a refused connection: {}", cfg.kind().id(), e.toString()));
        return;
      }
      log.warn("{}: refusing connection from {}: too many connections (max {})", cfg.kind().id(), socket.remoteAddress(), cfg.maxConnections());
      // closed like any other, so whatever the client already sent cannot turn the ERR into a reset
      new Connection(nextId++, socket, cfg, route, this).refuse(RejectReason.TOO_MANY_CONNECTIONS);
      return;
    }
    Connection c = new Connection(nextId++, socket, cfg, route, this);
    metrics.accepted();
    connections.put(c.id(), c);
    log.debug("{}: connection {} from {} opened", cfg.kind().id(), c.id(), socket.remoteAddress());
    c.start();
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public ServiceMetrics metrics() {
    return metrics;
  }

  @Override
  public ServiceConfig service() {
    return cfg;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Connection connection(long connectionId) {
    return connections.get(connectionId);
  }

  @Override
  public Collection<Connection> connections() {
    return Collections.unmodifiableCollection(connections.values());
  }

  @Override
  public void closed(Connection c) {
    if (connections.remove(c.id()) != null) {
      limit.release();
    } else {
      limit.refused(); // it was turned away: never counted as open
    }
    route.closed(c);
    if (allClosed != null && connections.isEmpty()) {
      allClosed.tryComplete();
    }
  }

  /** Completes once every connection's close handler has run, or after {@link #CLOSE_HANDLERS_WAIT}. */
  private Future<Void> connectionsClosed() {
    allClosed = Promise.promise();
    if (connections.isEmpty()) {
      allClosed.complete();
    } else {
      long t = vertx.setTimer(CLOSE_HANDLERS_WAIT.toMillis(), x -> {
        if (allClosed.tryComplete()) {
          log.warn("{}: {} connection(s) not yet closed {} ms after the server shut: their losses are not in the drain's account",
            cfg.kind().id(), connections.size(), CLOSE_HANDLERS_WAIT.toMillis());
        }
      });
      allClosed.future().onComplete(x -> vertx.cancelTimer(t));
    }
    return allClosed.future();
  }

  @Override
  public BudgetLedger ledger() {
    return ledger;
  }

  @Override
  public void flushSoon(Connection c) {
    toFlush.add(c);
    if (!flushScheduled) {
      // queued from the event loop itself: it runs after this cycle's I/O, with no wake-up
      flushScheduled = true;
      context.runOnContext(v -> flushOutboxes());
    }
  }

  private void flushOutboxes() {
    flushScheduled = false;
    List<Connection> now = toFlush;
    toFlush = flushing;
    flushing = now;
    for (Connection c : now) {
      c.flushOutbox();
    }
    now.clear();
  }

  @Override
  public long drainMillis() {
    return drainSeconds * 1000L;
  }

  @Override
  public void closedAtDeadline(Connection c) {
    drain.closedAtDeadline();
  }

  @Override
  public void closedWith(long unanswered, long dropped) {
    drain.closed(unanswered, dropped);
  }
}
