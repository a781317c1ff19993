package dev.backspin.launch;

import dev.backspin.cluster.BackspinClusterManager;
import dev.backspin.config.BackspinConfig;
import dev.backspin.config.ConfigException;
import dev.backspin.config.ConfigOverrides;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.cli.annotations.Name;
import io.vertx.core.cli.annotations.Summary;
import io.vertx.core.impl.launcher.commands.RunCommand;
import io.vertx.core.spi.launcher.DefaultCommandFactory;
import io.vertx.launcher.application.ExitCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code run} command of the legacy launcher ({@code java -cp backspin.jar io.vertx.core.Launcher
 * run dev.backspin.BackspinVerticle ...}, vertx-launcher-legacy-cli), made to end the process as
 * {@code java -jar} does. The stock command's deployment failure only closes Vert.x (the stock
 * {@code Launcher#handleDeployFailed}), so a failed start exited 0; and a JVM stopped by SIGTERM
 * exits 143 even after a completed drain. This one:
 * <ul>
 *   <li>logs why a start failed once (the stock deployer logs it with a stack trace, and Backspin
 *   would again) and exits 15, the launchers' code for a failed deployment;</li>
 *   <li>exits 0 once a stop after a good start has undeployed everything (the drain completed), 1
 *   when the launcher's 2 minutes ran out first.</li>
 * </ul>
 * It replaces the stock {@code run} through the legacy launcher's own extension point: a
 * {@code CommandFactory} in {@code META-INF/services} whose command has the same name and a higher
 * priority. Options and arguments are the stock command's.
 */
@Name(value = "run", priority = 1)
@Summary("Runs a verticle called <main-verticle> in its own instance of vert.x.")
public class LegacyRunCommand extends RunCommand {

  /** Whether the main verticle deployed: only then may a stop end the process with 0. */
  private volatile boolean started;

  /** Registered in {@code META-INF/services/io.vertx.core.spi.launcher.CommandFactory}. */
  public static final class Factory extends DefaultCommandFactory<LegacyRunCommand> {
    public Factory() {
      super(LegacyRunCommand.class, LegacyRunCommand::new);
    }
  }

  /**
   * With {@code -cluster}, the cluster manager that builds Hazelcast's config from the JSON's
   * {@code cluster} section, as {@code java -jar}'s does; the stock command would find vertx-hazelcast's
   * own through the service loader, which reads only {@code cluster.xml}. A config that does not
   * parse is left to {@link #deploy}, which reports it and exits 15.
   */
  @Override
  protected VertxBuilder createVertxBuilder(VertxOptions options) {
    VertxBuilder builder = super.createVertxBuilder(options);
    if (!isClustered()) {
      return builder;
    }
    try {
      JsonObject conf = getConfiguration();
      BackspinConfig cfg = ConfigOverrides.apply(conf == null ? new JsonObject() : conf, System.getenv(),
        ConfigOverrides.properties(System.getProperties())).config(); // logged once, by deploy
      return builder.withClusterManager(new BackspinClusterManager(cfg.cluster()));
    } catch (ConfigException e) {
      return builder;
    }
  }

  @Override
  protected void deploy() {
    try {
      // the same overrides as java -jar's (Backspin#afterConfigParsed), over -conf
      deploymentOptions.setConfig(Backspin.applyOverrides(deploymentOptions.getConfig()).json());
    } catch (ConfigException e) {
      Backspin.logStartFailure(e);
      new Thread(() -> System.exit(ExitCodes.VERTX_DEPLOYMENT), "backspin-exit").start();
      return;
    }
    Handler<AsyncResult<String>> done = ar -> {
      if (ar.succeeded()) {
        started = true;
        return;
      }
      Backspin.logStartFailure(ar.cause());
      // not on this event-loop thread: exit runs the shutdown hook, which waits for Vert.x to
      // close, and Vert.x needs this thread to close
      new Thread(() -> System.exit(ExitCodes.VERTX_DEPLOYMENT), "backspin-exit").start();
    };
    if (classpath != null && !classpath.isEmpty()) {
      // the stock command's isolated class loader (-cp): its deployer logs a failure too
      deploy(mainVerticle, vertx, deploymentOptions, done);
    } else {
      vertx.deployVerticle(mainVerticle, deploymentOptions).onComplete(done);
    }
  }

  /** Runs in the launcher's shutdown hook, after Vert.x closed or the 2 minutes it waits ran out. */
  @Override
  protected void afterStoppingVertx() {
    super.afterStoppingVertx();
    if (!started) {
      return; // a failed start: the status of its exit stands
    }
    // not a static logger: this class loads before Vert.x, whose first look-up of SLF4J (with
    // System.err muted) keeps logback's start-up status off the console
    Logger logger = LoggerFactory.getLogger(LegacyRunCommand.class);
    if (vertx.deploymentIDs().isEmpty()) {
      logger.info("stopped");
      Runtime.getRuntime().halt(0);
    }
    logger.error("stop did not complete within the launcher's 2 minutes");
    Runtime.getRuntime().halt(1);
  }
}
