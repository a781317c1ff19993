package dev.backspin.config;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code cluster} section, parsed and turned into Hazelcast's config: one test per shape. */
class HazelcastSettingsTest {

  @TempDir
  Path dir;

  private final List<String> warnings = new ArrayList<>();

  private static BackspinConfig parse(String json) {
    return BackspinConfig.fromJson(new JsonObject(json));
  }

  private Config build(String json) {
    return HazelcastSettings.build(parse(json).cluster(), null, warnings::add);
  }

  private static void rejected(String json, String message) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void noKeysGiveTheShapeOfTheBuiltInXml() {
    Config c = build("{}");
    NetworkConfig net = c.getNetworkConfig();
    JoinConfig join = net.getJoin();
    assertThat(c.getClusterName()).isEqualTo("backspin");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
    assertThat(net.getInterfaces().isEnabled()).isTrue();
    assertThat(net.getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(net.getPort()).isEqualTo(5701);
    assertThat(net.isPortAutoIncrement()).isTrue();
    assertThat(net.getPortCount()).isEqualTo(20);
    // the rest of the built-in XML is kept: fast failure detection, the maps Vert.x uses
    assertThat(c.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("6");
    assertThat(c.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(warnings).isEmpty();
  }

  @Test
  void membersInterfaceAndPort() {
    Config c = build("{\"cluster\": {\"name\": \"blue\", \"members\": [\"198.18.0.1\", \"198.18.0.2:5801\", \"node-3.example\"], "
      + "\"interface\": \"198.18.0.*\", \"port\": 5801}}");
    NetworkConfig net = c.getNetworkConfig();
    JoinConfig join = net.getJoin();
    assertThat(c.getClusterName()).isEqualTo("blue");
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("198.18.0.1", "198.18.0.2:5801", "node-3.example");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(net.getInterfaces().isEnabled()).isTrue();
    assertThat(net.getInterfaces().getInterfaces()).containsExactly("198.18.0.*");
    assertThat(net.getPort()).isEqualTo(5801);
    assertThat(net.isPortAutoIncrement()).isTrue();
  }

  @Test
  void theReadmesTwoMachineRecipe() {
    BackspinConfig parsed = parse("""
      { "cluster": { "name": "prod", "members": ["10.0.0.11", "10.0.0.12"], "interface": "10.0.0.*" },
        "http": {}, "reverse": {}, "echo": {}, "broadcast": {} }
      """);
    assertThat(parsed.warnings()).isEmpty();
    assertThat(parsed.services()).hasSize(3);
    Config c = HazelcastSettings.build(parsed.cluster(), null, warnings::add);
    assertThat(c.getClusterName()).isEqualTo("prod");
    assertThat(c.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("10.0.0.11", "10.0.0.12");
    assertThat(c.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.*");
  }

  @Test
  void membersWithoutInterfaceLetHazelcastPickTheAddress() {
    Config c = build("{\"cluster\": {\"members\": [\"10.0.0.11\", \"10.0.0.12\"]}}");
    // 127.0.0.1 would be unreachable from the other members
    assertThat(c.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
    assertThat(c.getNetworkConfig().getInterfaces().getInterfaces()).isEmpty();
  }

  @Test
  void kubernetesServiceDns() {
    Config c = build("{\"cluster\": {\"kubernetes\": {\"serviceDns\": \"backspin.prod.svc.cluster.local\"}}}");
    JoinConfig join = c.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("backspin.prod.svc.cluster.local");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().getMembers()).isEmpty();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    // the pod's own address, not loopback
    assertThat(c.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
  }

  @Test
  void anXmlGivenByThePropertyWinsOverTheKeysButTakesTheName() throws Exception {
    Path xml = dir.resolve("cluster.xml");
    Files.writeString(xml, """
      <hazelcast xmlns="http://www.hazelcast.com/schema/config">
        <cluster-name>from-xml</cluster-name>
        <network>
          <port auto-increment="false">6000</port>
          <join><multicast enabled="false"/><tcp-ip enabled="true"><member>10.9.9.9</member></tcp-ip></join>
        </network>
      </hazelcast>
      """);
    ClusterConfig cluster = parse("{\"cluster\": {\"name\": \"blue\", \"members\": [\"127.0.0.1\"], \"port\": 5801}}").cluster();
    Config c = HazelcastSettings.build(cluster, xml.toString(), warnings::add);
    assertThat(c.getClusterName()).isEqualTo("blue");
    assertThat(c.getNetworkConfig().getPort()).isEqualTo(6000);
    assertThat(c.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("10.9.9.9");
    assertThat(warnings).singleElement().asString()
      .contains("-Dvertx.hazelcast.config=" + xml)
      .contains("cluster.members, cluster.interface, cluster.port and cluster.kubernetes are ignored");

    // the name alone: nothing is ignored, nothing to warn about
    warnings.clear();
    HazelcastSettings.build(parse("{\"cluster\": {\"name\": \"blue\"}}").cluster(), xml.toString(), warnings::add);
    assertThat(warnings).isEmpty();
  }

  @Test
  void aMissingOrBrokenXmlIsAnError() throws Exception {
    assertThatThrownBy(() -> HazelcastSettings.build(ClusterConfig.DEFAULT, dir.resolve("nope.xml").toString(), warnings::add))
      .isInstanceOf(ConfigException.class).hasMessage("-Dvertx.hazelcast.config: no such file: " + dir.resolve("nope.xml"));
    Path broken = Files.writeString(dir.resolve("broken.xml"), "<hazelcast><network>");
    assertThatThrownBy(() -> HazelcastSettings.build(ClusterConfig.DEFAULT, broken.toString(), warnings::add))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("-Dvertx.hazelcast.config=" + broken + ": ");
  }

  @Test
  void badValuesNameTheKey() {
    rejected("{\"cluster\": {\"port\": 0}}", "cluster.port must be 1..65535, got 0");
    rejected("{\"cluster\": {\"port\": 65536}}", "cluster.port must be 1..65535, got 65536");
    rejected("{\"cluster\": {\"port\": \"5701\"}}", "cluster.port must be an integer 1..65535, got \"5701\"");
    rejected("{\"cluster\": {\"members\": \"10.0.0.1\"}}", "cluster.members must be a non-empty list of \"host\" or \"host:port\" strings, got \"10.0.0.1\"");
    rejected("{\"cluster\": {\"members\": []}}", "cluster.members must be a non-empty list of \"host\" or \"host:port\" strings, got []");
    rejected("{\"cluster\": {\"members\": [\"10.0.0.1\", 5]}}", "cluster.members[1] must be \"host\" or \"host:port\" (one port, no range), got 5");
    rejected("{\"cluster\": {\"members\": [\"10.0.0.1:5701-5703\"]}}", "cluster.members[0] must be \"host\" or \"host:port\" (one port, no range), got \"10.0.0.1:5701-5703\"");
    rejected("{\"cluster\": {\"members\": [\"10.0.0.1 10.0.0.2\"]}}", "cluster.members[0] must be \"host\" or \"host:port\" (one port, no range), got \"10.0.0.1 10.0.0.2\"");
    rejected("{\"cluster\": {\"members\": [\"10.0.0.1:0\"]}}", "cluster.members[0] port must be 1..65535, got 0");
    rejected("{\"cluster\": {\"interface\": \"eth0\"}}", "cluster.interface must be an IPv4 address or pattern such as \"10.0.0.*\" or \"10.0.0.10-20\", got \"eth0\"");
    rejected("{\"cluster\": {\"interface\": \"10.0.0.256\"}}", "cluster.interface must be an IPv4 address or pattern such as \"10.0.0.*\" or \"10.0.0.10-20\", got \"10.0.0.256\"");
    rejected("{\"cluster\": {\"interface\": 5}}", "cluster.interface must be a non-empty string, got 5");
    rejected("{\"cluster\": {\"kubernetes\": \"svc\"}}", "cluster.kubernetes must be an object, got \"svc\"");
    rejected("{\"cluster\": {\"kubernetes\": {}}}", "cluster.kubernetes.serviceDns is required in cluster.kubernetes (the headless service's DNS name, e.g. \"backspin.default.svc.cluster.local\")");
    rejected("{\"cluster\": {\"kubernetes\": {\"serviceDns\": \"\"}}}", "cluster.kubernetes.serviceDns must be a non-empty string, got \"\"");
    rejected("{\"cluster\": {\"members\": [\"10.0.0.1\"], \"kubernetes\": {\"serviceDns\": \"svc\"}}}",
      "cluster.members and cluster.kubernetes are mutually exclusive: members are listed, or discovered by DNS, not both");
    rejected("{\"cluster\": {\"minMembers\": 0}}", "cluster.minMembers must be 1..1000, got 0");
    rejected("{\"cluster\": {\"minMembers\": \"2\"}}", "cluster.minMembers must be an integer 1..1000, got \"2\"");
  }

  @Test
  void goodValuesAreAccepted() {
    ClusterConfig c = parse("{\"cluster\": {\"members\": [\"[::1]:5701\", \"a.b\"], \"interface\": \"10.0.0.10-20\", \"port\": 65535}}").cluster();
    assertThat(c.members()).containsExactly("[::1]:5701", "a.b");
    assertThat(c.iface()).isEqualTo("10.0.0.10-20");
    assertThat(c.port()).isEqualTo(65535);
    assertThat(c.minMembers()).isEqualTo(1); // the default: any number of members is enough
    assertThat(parse("{\"cluster\": {\"minMembers\": 2}}").cluster().minMembers()).isEqualTo(2);
  }

  @Test
  void unknownKeysAreWarnedAbout() {
    BackspinConfig c = parse("{\"cluster\": {\"member\": [\"x\"], \"kubernetes\": {\"serviceDns\": \"svc\", \"namespace\": \"n\"}}}");
    assertThat(c.warnings()).containsExactly(
      "unknown config key 'cluster.member' is ignored (known keys: name, members, interface, port, kubernetes, minMembers)",
      "unknown config key 'cluster.kubernetes.namespace' is ignored (known keys: serviceDns)");
  }

  @Test
  void theKeysSurviveToJson() {
    String json = "{\"cluster\": {\"name\": \"blue\", \"members\": [\"10.0.0.1\"], \"interface\": \"10.0.0.*\", \"port\": 5801, \"minMembers\": 2}}";
    BackspinConfig back = BackspinConfig.fromJson(parse(json).toJson());
    assertThat(back.cluster()).isEqualTo(parse(json).cluster());
    String k8s = "{\"cluster\": {\"kubernetes\": {\"serviceDns\": \"svc\"}}}";
    assertThat(BackspinConfig.fromJson(parse(k8s).toJson()).cluster()).isEqualTo(parse(k8s).cluster());
  }
}
