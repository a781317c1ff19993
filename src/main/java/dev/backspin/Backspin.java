package dev.backspin;

import dev.backspin.config.BackspinConfig;
import dev.backspin.config.ConfigException;
import dev.backspin.metrics.Metrics;
import dev.backspin.tools.BenchCommand;
import dev.backspin.tools.ClientCommand;
import dev.backspin.tools.FloodCommand;
import dev.backspin.transport.Transports;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import com.hazelcast.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.util.Arrays;

/**
 * The launcher: Vert.x's own ({@code -conf}, {@code -cluster}, {@code -instances}, VERTX_* env),
 * with hooks that build Vert.x on the transport the config asks for.
 */
public class Backspin extends VertxApplication implements VertxApplicationHooks {

  private static final Logger log = LoggerFactory.getLogger(Backspin.class);

  private BackspinConfig config;

  public Backspin(String[] args) {
    super(args);
  }

  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("client") || args[0].equals("bench") || args[0].equals("flood"))) {
      Object tool = switch (args[0]) {
        case "client" -> new ClientCommand();
        case "bench" -> new BenchCommand();
        default -> new FloodCommand();
      };
      int code = new CommandLine(tool).setCaseInsensitiveEnumValuesAllowed(true)
        .execute(Arrays.copyOfRange(args, 1, args.length));
      System.exit(code);
    }
    new Backspin(args).launch();
  }

  // A hook that throws makes the launcher exit 1 without a word: each one logs first.

  @Override
  public JsonObject afterConfigParsed(JsonObject conf) {
    try {
      config = BackspinConfig.fromJson(conf);
      return conf;
    } catch (ConfigException e) {
      log.error("invalid config: {}", e.getMessage());
      throw e;
    }
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    try {
      // used only with -cluster: Vert.x builds a standalone instance without it
      Config hazelcast = ConfigUtil.loadConfig();
      hazelcast.setClusterName(config.clusterName());
      VertxBuilder builder = config.http() != null ? Metrics.enable(Vertx.builder(), options) : Vertx.builder().with(options);
      return builder
        .withTransport(Transports.select(config.transport()))
        .withClusterManager(new HazelcastClusterManager(hazelcast));
    } catch (ConfigException e) {
      log.error("cannot start: {}", e.getMessage());
      throw e;
    }
  }

  /**
   * SIGTERM and SIGINT run the launcher's shutdown hook, which closes Vert.x: the fronts drain
   * (see FrontVerticle#stop). A JVM stopped by a signal exits 143 even after a clean stop, so a
   * completed drain ends the process with 0 itself.
   */
  @Override
  public void afterVertxStopped(HookContext context) {
    log.info("stopped");
    Runtime.getRuntime().halt(0);
  }

  @Override
  public void afterFailureToStopVertx(HookContext context, Throwable cause) {
    log.error("stop did not complete{}", cause == null ? " within the launcher's 2 minutes" : ": " + cause);
    Runtime.getRuntime().halt(1);
  }

  /**
   * {@code -instances N} would deploy N copies of the whole server, each with its own worker
   * shards. Here it means N front instances for every service instead.
   */
  @Override
  public void beforeDeployingVerticle(HookContext context) {
    DeploymentOptions d = context.deploymentOptions();
    if (d.getInstances() > 1) {
      log.info("-instances {}: running {} front instances for each service", d.getInstances(), d.getInstances());
      d.setConfig(config.withFrontInstances(d.getInstances()).toJson());
      d.setInstances(1);
    }
  }
}
