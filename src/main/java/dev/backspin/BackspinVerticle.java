package dev.backspin;

import dev.backspin.bus.Codecs;
import dev.backspin.config.BackspinConfig;
import dev.backspin.config.ConfigException;
import dev.backspin.config.HttpConfig;
import dev.backspin.config.ServiceConfig;
import dev.backspin.config.ServiceKind;
import dev.backspin.config.WorkerConfig;
import dev.backspin.front.ConnectionLimit;
import dev.backspin.front.DrainSummary;
import dev.backspin.front.ServiceDrain;
import dev.backspin.front.FrontVerticle;
import dev.backspin.front.ServiceRoute;
import dev.backspin.memory.MemoryBudget;
import dev.backspin.metrics.BudgetMetrics;
import dev.backspin.metrics.Metrics;
import dev.backspin.metrics.ServiceMetrics;
import dev.backspin.ops.OpsVerticle;
import dev.backspin.ops.Readiness;
import dev.backspin.service.BroadcastCodec;
import dev.backspin.service.BroadcastRoute;
import dev.backspin.service.EchoRoute;
import dev.backspin.service.ReverseRoute;
import dev.backspin.transport.Transports;
import dev.backspin.work.ReverseWorker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxException;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The main verticle: reads the config once, checks the transport, starts the operations endpoint
 * (if configured), then deploys each configured service's worker shards and, once they listen on
 * the bus, its front instances. Ready when all of that is up. The launcher deploys it by name with
 * the config as JSON; an application embeds it through {@link BackspinServer}.
 */
public final class BackspinVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(BackspinVerticle.class);

  private final Map<ServiceKind, List<FrontVerticle>> fronts = new ConcurrentHashMap<>();
  private final Map<ServiceKind, ServiceDrain> drains = new ConcurrentHashMap<>();
  private int drainSeconds;
  private OpsVerticle ops;

  /** A configured service and what its fronts and workers share. */
  private record Service(ServiceConfig cfg, ConnectionLimit limit, ServiceDrain drain, ServiceMetrics metrics) {
  }

  private MemoryBudget budget;
  private final BackspinConfig given;

  /** For the launcher: the config comes as the deployment's JSON. */
  public BackspinVerticle() {
    this(null);
  }

  BackspinVerticle(BackspinConfig config) {
    this.given = config;
  }

  @Override
  public Future<?> start() {
    BackspinConfig cfg;
    try {
      cfg = given != null ? given : BackspinConfig.fromJson(config());
      cfg.warnings().forEach(log::warn);
      cfg.checkRunnable(vertx.isClustered());
      Transports.verify(vertx, cfg.transport());
    } catch (ConfigException e) {
      // the launcher logs why a start failed (Backspin#logStartFailure), once
      return Future.failedFuture(e);
    }
    log.info("transport in use: {}", Transports.inUse(vertx));
    spinWait(cfg.spinWaitMicros(), cfg.workerSpinMicros());
    Codecs.register(vertx.eventBus());
    Codecs.register(vertx.eventBus(), new BroadcastCodec());
    drainSeconds = cfg.drainSeconds();
    PrometheusMeterRegistry prometheus = cfg.http() == null ? null : prometheus();
    MeterRegistry registry = prometheus != null ? prometheus : Metrics.none();
    Readiness readiness = new Readiness(vertx, cfg.cluster().minMembers());
    List<Service> services = services(cfg, registry, readiness);
    budget = budget(cfg, services);
    BudgetMetrics.register(registry, budget);
    Future<?> all = cfg.http() == null ? Future.succeededFuture() : deployOps(cfg.http(), prometheus, readiness, services);
    for (Service s : services) {
      all = all.compose(v -> deploy(s));
    }
    return all
      .onSuccess(v -> readiness.deployed())
      // what never started will not drain: nothing may wait for it
      .onFailure(e -> services.forEach(s -> s.drain().frontsFailed()));
  }

  /** The spins are the launcher's to set, as it builds Vert.x: say whether they took. */
  private void spinWait(int loopsAsked, int workersAsked) {
    int loops = Transports.spinWaitMicros(vertx);
    if (loops > 0) {
      log.info("event loops poll {} µs for work before they block (spinWaitMicros)", loops);
    } else if (loopsAsked > 0) {
      log.warn("spinWaitMicros is {}, but this Vert.x's event loops do not spin: only java -jar on epoll builds them so", loopsAsked);
    }
    int workers = Transports.workerSpinMicros(vertx);
    if (workers > 0) {
      log.info("one idle worker thread polls {} µs for a task before it parks (workerSpinMicros)", workers);
    } else if (workersAsked == BackspinConfig.DEFAULT_WORKER_SPIN_MICROS) {
      // embedded (a test, an application): the default is not worth a warning
      log.debug("this Vert.x's worker pool parks at once: only java -jar builds it to spin (workerSpinMicros)");
    } else if (workersAsked > 0) {
      log.warn("workerSpinMicros is {}, but this Vert.x's worker pool does not spin: only java -jar builds it so", workersAsked);
    }
  }

  /** Each configured service with what its fronts and workers share; each counts in readiness. */
  private List<Service> services(BackspinConfig cfg, MeterRegistry registry, Readiness readiness) {
    List<Service> services = new ArrayList<>();
    for (ServiceConfig svc : cfg.services().values()) {
      ConnectionLimit limit = new ConnectionLimit(svc.maxConnections());
      ServiceDrain drain = new ServiceDrain(svc.kind().id(), svc.instances(), limit::open);
      drains.put(svc.kind(), drain);
      services.add(new Service(svc, limit, drain, new ServiceMetrics(registry, svc.kind(), limit::open)));
      readiness.add(svc.kind().id(), drain, limit::open);
    }
    return services;
  }

  /** One budget for what all connections of all services hold, shared by the open connections. */
  private static MemoryBudget budget(BackspinConfig cfg, List<Service> services) {
    ConnectionLimit[] limits = services.stream().map(Service::limit).toArray(ConnectionLimit[]::new);
    MemoryBudget budget = new MemoryBudget(cfg.maxBufferedBytes() != null ? cfg.maxBufferedBytes() : MemoryBudget.defaultLimit(), () -> {
      int open = 0;
      for (ConnectionLimit l : limits) {
        open += l.open();
      }
      return open;
    });
    log.info("memory budget: {} MiB ({} bytes) for what all connections hold ({})", budget.limit() >> 20, budget.limit(),
      cfg.maxBufferedBytes() != null ? "maxBufferedBytes"
        : "default: a quarter of the " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap; set maxBufferedBytes to change it");
    return budget;
  }

  /** The registry Vert.x was built with (the launcher does so when there is an http section), or Backspin's own. */
  private PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry r = Metrics.of(vertx);
    if (r == null) {
      log.info("Vert.x runs without metrics: /metrics gives Backspin's own meters only, not the event bus's");
      r = Metrics.own();
    }
    // heap and pools, what an operator first looks at beside the budget (gauges: binding twice is harmless)
    new JvmMemoryMetrics().bindTo(r);
    return r;
  }

  private Future<?> deployOps(HttpConfig http, PrometheusMeterRegistry registry, Readiness readiness, List<Service> services) {
    Future<?> drained = Future.all(services.stream().map(s -> s.drain().frontsDrained()).toList());
    ops = new OpsVerticle(http, registry, readiness, drained);
    return vertx.deployVerticle(ops);
  }

  private Future<?> deploy(Service s) {
    ServiceConfig svc = s.cfg();
    ServiceDrain drain = s.drain();
    String id = svc.kind().id();
    List<Future<String>> workers = new ArrayList<>();
    for (int k = 0; k < svc.workers(); k++) {
      workers.add(vertx.deployVerticle(new ReverseWorker(drain.frontsDrained(), s.metrics(), WorkerConfig.of(svc, k)), new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        // a thread of its own: blocking work in the shared worker pool cannot hold a shard up
        .setWorkerPoolName("backspin-" + id + "-worker-" + k).setWorkerPoolSize(1)));
    }
    List<FrontVerticle> mine = new CopyOnWriteArrayList<>();
    fronts.put(svc.kind(), mine);
    return Future.all(workers).compose(v -> svc.instances() == 0
        ? Future.succeededFuture()
        : vertx.deployVerticle(() -> {
            FrontVerticle f = new FrontVerticle(svc, route(svc), s.limit(), drain, drainSeconds, s.metrics(), budget);
            mine.add(f);
            return f;
          }, new DeploymentOptions().setInstances(svc.instances())).onFailure(e -> drain.frontsFailed())
          // the reason names the service and where: a port in use, a TLS file that is not PEM
          .recover(e -> Future.failedFuture(new VertxException(id + " on " + svc.host() + ":" + svc.port() + ": " + e.getMessage(), e))))
      .onSuccess(v -> log.info("{}: {}", id, describe(svc)));
  }

  private String describe(ServiceConfig svc) {
    String where = svc.instances() > 0
      ? "listening on " + svc.host() + ":" + port(svc.kind()) + ", " + svc.instances() + " front instance(s)"
      : "no front on this node";
    String framing = ", framing " + svc.framing().name().toLowerCase(java.util.Locale.ROOT) + ", max frame " + svc.maxFrameBytes() + " bytes";
    return switch (svc.kind()) {
      case REVERSE -> where + ", " + svc.workers() + " worker(s)" + (svc.workers() == 0 ? " (workers elsewhere in the cluster)" : "")
        + framing + ", unit " + svc.unit().name().toLowerCase(java.util.Locale.ROOT)
        + ", replies written back per " + svc.writeBack().name().toLowerCase(java.util.Locale.ROOT);
      case ECHO -> where + framing;
      case BROADCAST -> where + framing + ", max " + svc.maxQueuedBytes() + " bytes queued per receiver";
    };
  }

  private static ServiceRoute route(ServiceConfig svc) {
    return switch (svc.kind()) {
      case REVERSE -> new ReverseRoute();
      case ECHO -> new EchoRoute();
      case BROADCAST -> new BroadcastRoute();
    };
  }

  /** The port of the operations endpoint, or -1 when none runs. */
  int httpPort() {
    return ops == null ? -1 : ops.actualPort();
  }

  /** The front instances of a service on this node (none when it runs no front here). */
  List<FrontVerticle> fronts(ServiceKind kind) {
    List<FrontVerticle> f = fronts.get(kind);
    return f == null ? List.of() : List.copyOf(f);
  }

  /** What a service's drain did, once it has drained (never completes for a service that is not configured or never drains). */
  Future<DrainSummary> drainSummary(ServiceKind kind) {
    ServiceDrain d = drains.get(kind);
    return d == null ? Future.failedFuture(new IllegalStateException(kind.id() + " is not configured")) : d.summary();
  }

  /** The port a service's fronts are bound to, or -1 when it runs no front here. */
  int port(ServiceKind kind) {
    List<FrontVerticle> f = fronts.get(kind);
    return f == null || f.isEmpty() ? -1 : f.get(0).actualPort();
  }
}
