package dev.backspin.config;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hazelcast's config for {@code -cluster}, from the {@code cluster} section: pure, no sockets.
 * The base is the jar's {@code cluster.xml} (heartbeats, the maps Vert.x uses); the section's keys
 * replace its network. An XML named by {@code -Dvertx.hazelcast.config} wins instead: only
 * {@code cluster.name} is applied to it, and any other cluster key is ignored with a warning.
 */
public final class HazelcastSettings {

  /** The system property vertx-hazelcast's {@code ConfigUtil} reads: a file, or {@code classpath:name}. */
  public static final String XML_PROPERTY = "vertx.hazelcast.config";
  static final String BUILT_IN = "cluster.xml";
  /** Ports a node tries from {@code cluster.port} on, as the built-in XML does. */
  static final int PORT_COUNT = 20;
  static final String LOOPBACK = "127.0.0.1";

  private HazelcastSettings() {
  }

  /** The config for this process: {@code xmlPath} is the value of {@link #XML_PROPERTY}, or null. */
  public static Config build(ClusterConfig cluster, String xmlPath, Consumer<String> warnings) {
    if (xmlPath != null) {
      Config given = load(xmlPath);
      if (cluster.setsNetwork()) {
        warnings.accept("-D" + XML_PROPERTY + "=" + xmlPath + " is used as given: cluster.members, cluster.interface, "
          + "cluster.port and cluster.kubernetes are ignored (only cluster.name applies)");
      }
      return given.setClusterName(cluster.name());
    }
    Config config = load("classpath:" + BUILT_IN).setClusterName(cluster.name());
    NetworkConfig net = config.getNetworkConfig();
    if (cluster.port() != null) {
      net.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
    }
    JoinConfig join = net.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    if (cluster.kubernetesServiceDns() != null) {
      join.getTcpIpConfig().setEnabled(false).clear();
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.kubernetesServiceDns());
    } else {
      join.getKubernetesConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members().isEmpty() ? List.of(LOOPBACK) : cluster.members());
    }
    // no members listed and no discovery: one machine, as the built-in XML; otherwise Hazelcast
    // picks this host's address, unless cluster.interface names it
    String iface = cluster.iface() != null ? cluster.iface()
      : cluster.members().isEmpty() && cluster.kubernetesServiceDns() == null ? LOOPBACK : null;
    net.getInterfaces().clear();
    if (iface != null) {
      net.getInterfaces().setEnabled(true).addInterface(iface);
    } else {
      net.getInterfaces().setEnabled(false);
    }
    return config;
  }

  /**
   * Read as vertx-hazelcast's ConfigUtil reads it, with an XmlConfigBuilder on a stream:
   * Hazelcast's ClasspathXmlConfig and FileSystemXmlConfig log through java.util.logging to
   * stderr before the XML's {@code hazelcast.logging.type} applies.
   */
  private static Config load(String xmlPath) {
    boolean classpath = xmlPath.startsWith("classpath:");
    String name = classpath ? xmlPath.substring("classpath:".length()) : xmlPath;
    try (InputStream in = classpath ? HazelcastSettings.class.getClassLoader().getResourceAsStream(name) : new FileInputStream(name)) {
      if (in == null) {
        throw new ConfigException("-D" + XML_PROPERTY + ": no such resource on the class path: " + name);
      }
      return new XmlConfigBuilder(new BufferedInputStream(in)).build();
    } catch (FileNotFoundException e) {
      throw new ConfigException("-D" + XML_PROPERTY + ": no such file: " + xmlPath);
    } catch (IOException e) {
      throw new ConfigException("-D" + XML_PROPERTY + "=" + xmlPath + ": " + e.getMessage());
    } catch (InvalidConfigurationException e) {
      // XML that Hazelcast rejects
      throw new ConfigException("-D" + XML_PROPERTY + "=" + xmlPath + ": " + e.getMessage());
    }
  }
}
