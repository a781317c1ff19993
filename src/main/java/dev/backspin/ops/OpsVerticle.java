package dev.backspin.ops;

import dev.backspin.config.HttpConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint: {@code GET /metrics} (Prometheus text), {@code /health} (alive) and
 * {@code /ready} (200 when ready, 503 when not). It outlives the services' drain, so a load
 * balancer sees {@code /ready} turn 503 while the open connections are still being served.
 */
public final class OpsVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(OpsVerticle.class);

  private final HttpConfig cfg;
  private final PrometheusMeterRegistry registry;
  private final Readiness readiness;
  private final Future<?> servicesDrained;
  private HttpServer server;

  /** @param servicesDrained completes when every service has drained: then the endpoint may close */
  public OpsVerticle(HttpConfig cfg, PrometheusMeterRegistry registry, Readiness readiness, Future<?> servicesDrained) {
    this.cfg = cfg;
    this.registry = registry;
    this.readiness = readiness;
    this.servicesDrained = servicesDrained;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(readiness.liveness()));
    router.get("/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness.readiness()));
    // HTTP/1.1 only, as scrapers and probes speak it: an h2c upgrade (Java's HttpClient asks for
    // one) now and then left a /metrics response hanging in the tests
    server = vertx.createHttpServer(new HttpServerOptions().setHost(cfg.host()).setPort(cfg.port()).setHttp2ClearTextEnabled(false))
      .requestHandler(router);
    return server.listen()
      .onSuccess(s -> log.info("operations endpoint on http://{}:{}/ (metrics, health, ready)", cfg.host(), s.actualPort()))
      // the launcher logs why a start failed (Backspin#logStartFailure), once
      .recover(e -> Future.failedFuture(new VertxException("the operations endpoint on " + cfg.host() + ":" + cfg.port() + ": " + e.getMessage(), e)));
  }

  @Override
  public Future<?> stop() {
    return servicesDrained;
  }

  /** The port the endpoint is bound to. */
  public int actualPort() {
    return server.actualPort();
  }
}
