package dev.backspin.launch;

import dev.backspin.cluster.BackspinClusterManager;
import dev.backspin.config.BackspinConfig;
import dev.backspin.config.ConfigException;
import dev.backspin.config.ConfigOverrides;
import dev.backspin.metrics.Metrics;
import dev.backspin.tools.BenchCommand;
import dev.backspin.tools.ClientCommand;
import dev.backspin.tools.FanoutCommand;
import dev.backspin.tools.FloodCommand;
import dev.backspin.transport.Transports;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxException;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.ExitCodes;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.launcher.application.impl.CommandException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The launcher: Vert.x's own ({@code -conf}, {@code -cluster}, {@code -instances}, VERTX_* env),
 * with hooks that build Vert.x on the transport the config asks for.
 */
public class Backspin extends VertxApplication implements VertxApplicationHooks {

  private static final Logger log = LoggerFactory.getLogger(Backspin.class);

  /** The jar's commands beside the server, by the name that runs them, in the order --help lists them. */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("client", ClientCommand::new);
    COMMANDS.put("bench", BenchCommand::new);
    COMMANDS.put("flood", FloodCommand::new);
    COMMANDS.put("fanout", FanoutCommand::new);
  }

  private BackspinConfig config;

  /** Whether the main verticle deployed: only then may a stop end the process with 0. */
  private volatile boolean started;

  public Backspin(String[] args) {
    super(args);
  }

  public static void main(String[] args) {
    Supplier<Object> tool = args.length > 0 ? COMMANDS.get(args[0]) : null;
    if (tool != null) {
      int code = new CommandLine(tool.get()).setCaseInsensitiveEnumValuesAllowed(true)
        .execute(Arrays.copyOfRange(args, 1, args.length));
      System.exit(code);
    }
    if (Usage.asked(args)) {
      // the CLI's own help, on stdout: the server has not started
      System.out.print(Usage.text(COMMANDS));
      return;
    }
    new Backspin(args).launch();
  }

  // A hook that throws makes the launcher exit 1 without a word: each one logs first.

  /**
   * The overrides from BACKSPIN_* variables and backspin.* properties are merged here, before
   * Vert.x is built (they may name its transport or cluster), and the merged JSON is what the
   * verticle gets: {@link #beforeDeployingVerticle}'s {@code -instances} then applies over them.
   */
  @Override
  public JsonObject afterConfigParsed(JsonObject conf) {
    try {
      ConfigOverrides.Result merged = applyOverrides(conf);
      config = merged.config();
      return merged.json();
    } catch (ConfigException e) {
      log.error("invalid config: {}", e.getMessage());
      throw e;
    }
  }

  /**
   * The -conf JSON with the environment's and the system properties' overrides, validated; what
   * they did is logged. Both launchers call it (see LegacyRunCommand); the verticle itself reads
   * only its config(), so that a test deploying it is not swayed by its JVM's environment.
   */
  static ConfigOverrides.Result applyOverrides(JsonObject conf) {
    ConfigOverrides.Result merged = ConfigOverrides.apply(conf, System.getenv(), ConfigOverrides.properties(System.getProperties()));
    Logger logger = LoggerFactory.getLogger(Backspin.class);
    merged.applied().forEach(a -> logger.info("config override: {}", a));
    merged.warnings().forEach(logger::warn);
    return merged;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    try {
      // Vert.x joins only with -cluster, and the cluster manager loads its config only then: a
      // standalone node neither reads the cluster keys nor warns about them
      BackspinClusterManager clusterManager = new BackspinClusterManager(config.cluster());
      VertxBuilder builder = Transports.builder(config.workerSpinMicros());
      builder = config.http() != null ? Metrics.enable(builder, options) : builder.with(options);
      return builder
        .withTransport(Transports.select(config.transport(), config.spinWaitMicros()))
        .withClusterManager(clusterManager);
    } catch (ConfigException e) {
      log.error("cannot start: {}", e.getMessage());
      throw e;
    }
  }

  @Override
  public void afterVerticleDeployed(HookContext context) {
    started = true;
  }

  /**
   * The launcher calls this before it logs the failure itself, with a stack trace. Thrown, the
   * launcher's own {@link CommandException} with the exit code the launcher would use (15) ends
   * the start here and skips that log: the reason is logged once, by Backspin.
   */
  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable cause) {
    if (alreadyLogged(cause)) {
      return;
    }
    logStartFailure(cause);
    throw new CommandException(ExitCodes.VERTX_DEPLOYMENT);
  }

  /**
   * Vert.x did not start (a cluster that did not form): the launcher has logged why ("Failed to
   * form cluster") and would log it again after this hook; thrown, its exception (exit 11) skips
   * the repeat.
   */
  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable cause) {
    if (!alreadyLogged(cause)) {
      throw new CommandException(ExitCodes.VERTX_INITIALIZATION);
    }
  }

  /** A timeout (no cause) and an interrupt are logged by the launcher before it calls the hook. */
  private static boolean alreadyLogged(Throwable cause) {
    return cause == null || cause instanceof InterruptedException;
  }

  /**
   * Logs why the start failed, once: the message alone for a failure Backspin describes (a bad
   * config value, a port in use, a TLS file that is not PEM), with the stack trace otherwise.
   * Both launchers call it (see LegacyRunCommand).
   */
  static void logStartFailure(Throwable cause) {
    if (cause instanceof ConfigException || cause instanceof VertxException) {
      log.error("cannot start: {}", cause.getMessage());
      log.debug("cannot start", cause);
    } else {
      log.error("cannot start: {}", cause.toString(), cause);
    }
  }

  /**
   * SIGTERM and SIGINT run the launcher's shutdown hook, which closes Vert.x: the fronts drain
   * (see FrontVerticle#stop). A JVM stopped by a signal exits 143 even after a clean stop, so a
   * completed drain ends the process with 0 itself. After a failed start the same hook runs
   * inside the launcher's {@code System.exit} with the failure's code: that status stands.
   */
  @Override
  public void afterVertxStopped(HookContext context) {
    log.info("stopped");
    if (started) {
      Runtime.getRuntime().halt(0);
    }
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
      try {
        d.setConfig(config.withFrontInstances(d.getInstances()).toJson());
      } catch (ConfigException e) {
        // thrown from this hook, the launcher would exit without a word of why
        log.error("invalid -instances: {}", e.getMessage());
        throw e;
      }
      // that JSON holds only known keys: the verticle, parsing it, has no unknown key left to warn of
      config.warnings().forEach(log::warn);
      d.setInstances(1);
    }
  }
}
