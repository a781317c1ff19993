package dev.backspin.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code cluster} section: how a node joins the Hazelcast cluster with {@code -cluster}.
 * {@link HazelcastSettings} turns it into Hazelcast's config. Absent keys keep the shape of the
 * checked-in {@code cluster.xml}: TCP-IP on 127.0.0.1 from port 5701, no multicast.
 *
 * @param members TCP-IP members, {@code host} or {@code host:port}; empty: 127.0.0.1, unless
 *                {@code kubernetesServiceDns} is set
 * @param iface   the address Hazelcast announces and the event bus uses (an IPv4 address or pattern such as
 *                {@code 10.0.0.*}), or null: 127.0.0.1 when no members are listed, else Hazelcast's choice
 * @param port    the first port Hazelcast tries (auto-increment, 20 ports), or null: 5701
 * @param kubernetesServiceDns the headless service to discover members by DNS, or null
 * @param minMembers the fewest members, this node among them, that this node must see to be ready
 *                (1: any); a majority makes a node cut off from the others say 503 on {@code /ready}
 */
public record ClusterConfig(String name, List<String> members, String iface, Integer port, String kubernetesServiceDns, int minMembers) {

  public static final String DEFAULT_NAME = BackspinConfig.DEFAULT_CLUSTER_NAME;
  public static final ClusterConfig DEFAULT = new ClusterConfig(DEFAULT_NAME, List.of(), null, null, null, 1);
  /** More members than this is no cluster one config file lists. */
  static final int MAX_MIN_MEMBERS = 1000;

  /** An IPv4 address whose parts may be {@code *} or a range {@code a-b}, as Hazelcast's interfaces allow. */
  private static final Pattern IPV4_PART = Pattern.compile("\\*|(\\d{1,3})(?:-(\\d{1,3}))?");
  /** A member: a host name or IPv4 address, {@code [IPv6]}, or bare IPv6; then an optional {@code :port}. */
  private static final Pattern MEMBER = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(?::(\\d{1,5}))?");

  public ClusterConfig {
    members = List.copyOf(members);
  }

  static ClusterConfig fromJson(JsonObject json, Consumer<String> warnings) {
    if (json == null) {
      return DEFAULT;
    }
    JsonFields c = new JsonFields(json, "cluster");
    c.warnUnknown(new LinkedHashSet<>(List.of("name", "members", "interface", "port", "kubernetes", "minMembers")), warnings);
    String name = c.string("name", DEFAULT_NAME);
    List<String> members = members(c, json.getValue("members"));
    String iface = c.string("interface", null);
    if (iface != null && !isInterface(iface)) {
      throw new ConfigException(c.key("interface"), "must be an IPv4 address or pattern such as \"10.0.0.*\" or \"10.0.0.10-20\", got \"" + iface + "\"");
    }
    Integer port = json.getValue("port") == null ? null : c.intIn("port", 0, 1, 65535);
    String serviceDns = null;
    JsonObject k8s = c.object("kubernetes");
    if (k8s != null) {
      JsonFields k = new JsonFields(k8s, "cluster.kubernetes");
      k.warnUnknown(Set.of("serviceDns"), warnings);
      serviceDns = k.string("serviceDns", null);
      if (serviceDns == null) {
        throw new ConfigException("cluster.kubernetes.serviceDns", "is required in cluster.kubernetes (the headless service's DNS name, e.g. \"backspin.default.svc.cluster.local\")");
      }
      if (!members.isEmpty()) {
        throw new ConfigException("cluster.members and cluster.kubernetes are mutually exclusive: members are listed, or discovered by DNS, not both");
      }
    }
    int minMembers = c.intIn("minMembers", 1, 1, MAX_MIN_MEMBERS);
    return new ClusterConfig(name, members, iface, port, serviceDns, minMembers);
  }

  private static List<String> members(JsonFields c, Object v) {
    if (v == null) {
      return List.of();
    }
    String key = c.key("members");
    if (!(v instanceof JsonArray array) || array.isEmpty()) {
      throw new ConfigException(key, "must be a non-empty list of \"host\" or \"host:port\" strings, got " + show(v));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object m = array.getValue(i);
      Matcher match = m instanceof String s ? MEMBER.matcher(s) : null;
      if (match == null || !match.matches()) {
        throw new ConfigException(key + "[" + i + "] must be \"host\" or \"host:port\" (one port, no range), got " + show(m));
      }
      if (match.group(2) != null) {
        int p = Integer.parseInt(match.group(2));
        if (p < 1 || p > 65535) {
          throw new ConfigException(key + "[" + i + "] port must be 1..65535, got " + p);
        }
      }
      out.add((String) m);
    }
    return out;
  }

  static boolean isInterface(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      Matcher m = IPV4_PART.matcher(part);
      if (!m.matches()) {
        return false;
      }
      if (m.group(1) != null) {
        int lo = Integer.parseInt(m.group(1));
        int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
        if (lo > 255 || hi > 255 || hi < lo) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether any key beyond {@code name} is set: those shape the network, which a given XML owns. */
  public boolean setsNetwork() {
    return !members.isEmpty() || iface != null || port != null || kubernetesServiceDns != null;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name);
    if (!members.isEmpty()) {
      json.put("members", new JsonArray(new ArrayList<>(members)));
    }
    if (iface != null) {
      json.put("interface", iface);
    }
    if (port != null) {
      json.put("port", port);
    }
    if (kubernetesServiceDns != null) {
      json.put("kubernetes", new JsonObject().put("serviceDns", kubernetesServiceDns));
    }
    if (minMembers != 1) {
      json.put("minMembers", minMembers);
    }
    return json;
  }

  private static String show(Object v) {
    return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
  }
}
