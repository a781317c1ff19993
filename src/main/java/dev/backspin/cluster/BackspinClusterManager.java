package dev.backspin.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import com.hazelcast.core.LifecycleEvent;
import dev.backspin.config.ClusterConfig;
import dev.backspin.config.ConfigException;
import dev.backspin.config.HazelcastSettings;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's Hazelcast cluster manager with its config built from the {@code cluster} section
 * ({@link HazelcastSettings}), and the membership changes an operator needs to see logged: a
 * member joined or left (with how many remain), and a split cluster merging back. Hazelcast
 * logs these too, but at length and under its own names.
 */
public final class BackspinClusterManager extends HazelcastClusterManager {

  private static final Logger log = LoggerFactory.getLogger(BackspinClusterManager.class);

  private final ClusterConfig cluster;

  public BackspinClusterManager(ClusterConfig cluster) {
    this.cluster = cluster;
  }

  /** Called by Vert.x only with {@code -cluster}: a standalone node neither reads the cluster keys nor warns about them. */
  @Override
  public Config loadConfig() {
    try {
      return HazelcastSettings.build(cluster, System.getProperty(HazelcastSettings.XML_PROPERTY), log::warn);
    } catch (ConfigException e) {
      log.error("cannot join the cluster: {}", e.getMessage());
      throw e;
    }
  }

  @Override
  public synchronized void memberAdded(MembershipEvent event) {
    super.memberAdded(event);
    log.info("cluster: member {} joined; {} member(s) now", event.getMember().getAddress(), event.getMembers().size());
  }

  @Override
  public synchronized void memberRemoved(MembershipEvent event) {
    super.memberRemoved(event);
    log.warn("cluster: member {} left; {} member(s) now", event.getMember().getAddress(), event.getMembers().size());
  }

  @Override
  public synchronized void stateChanged(LifecycleEvent event) {
    super.stateChanged(event);
    switch (event.getState()) {
      case MERGING -> log.warn("cluster: this node found the rest of a split cluster and is merging into it");
      case MERGED -> log.info("cluster: merged back; {} member(s) now", getNodes().size());
      case MERGE_FAILED -> log.error("cluster: merging back into the rest of the cluster failed");
      default -> { }
    }
  }
}
