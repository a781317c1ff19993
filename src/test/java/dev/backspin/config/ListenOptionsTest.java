package dev.backspin.config;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ListenOptionsTest {

  private static ServiceConfig service(ServiceKind kind, String json) {
    return BackspinConfig.fromJson(new JsonObject().put(kind.id(), new JsonObject(json))).services().get(kind);
  }

  @Test
  void theSectionsSocketKeysBecomeTheServersOptions() {
    NetServerOptions o = ListenOptions.of(service(ServiceKind.ECHO,
      "{\"host\": \"127.0.0.2\", \"port\": 7001, \"acceptBacklog\": 77, \"idleTimeoutSeconds\": 9}"), false);
    assertThat(o.getHost()).isEqualTo("127.0.0.2");
    assertThat(o.getPort()).isEqualTo(7001);
    assertThat(o.getAcceptBacklog()).isEqualTo(77);
    assertThat(o.getIdleTimeout()).isEqualTo(9);
    assertThat(o.getIdleTimeoutUnit()).isEqualTo(TimeUnit.SECONDS);
    assertThat(o.isTcpNoDelay()).isTrue();
    assertThat(o.isRegisterWriteHandler()).isFalse();
    assertThat(o.isSsl()).isFalse();
    assertThat(ListenOptions.of(service(ServiceKind.ECHO, "{}"), true).isRegisterWriteHandler()).isTrue();
  }

  @Test
  void portZeroIsOneFreePortPerServiceSharedByItsInstances() {
    List<Integer> tokens = Arrays.stream(ServiceKind.values())
      .map(k -> ListenOptions.of(service(k, "{\"port\": 0}"), false).getPort()).toList();
    // Vert.x shares a free port among servers given the same negative port
    assertThat(tokens).allMatch(p -> p < 0).doesNotHaveDuplicates();
    assertThat(ListenOptions.of(service(ServiceKind.REVERSE, "{\"port\": 0}"), false).getPort())
      .as("the same service, again: the same token").isEqualTo(tokens.get(0));
  }

  @Test
  void tlsWithAClientCaAsksForClientCertificates(@TempDir Path dir) throws Exception {
    Path pem = Files.writeString(dir.resolve("x.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    String tls = "{\"tls\": {\"certPath\": \"" + pem + "\", \"keyPath\": \"" + pem + "\", \"clientCaPath\": \"" + pem + "\"}}";
    NetServerOptions o = ListenOptions.of(service(ServiceKind.REVERSE, tls), false);
    assertThat(o.isSsl()).isTrue();
    assertThat(((PemKeyCertOptions) o.getKeyCertOptions()).getCertPaths()).containsExactly(pem.toString());
    assertThat(((PemKeyCertOptions) o.getKeyCertOptions()).getKeyPaths()).containsExactly(pem.toString());
    assertThat(((PemTrustOptions) o.getTrustOptions()).getCertPaths()).containsExactly(pem.toString());
    assertThat(o.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    String noCa = "{\"tls\": {\"certPath\": \"" + pem + "\", \"keyPath\": \"" + pem + "\"}}";
    NetServerOptions plain = ListenOptions.of(service(ServiceKind.REVERSE, noCa), false);
    assertThat(plain.getTrustOptions()).isNull();
    assertThat(plain.getClientAuth()).isEqualTo(ClientAuth.NONE);
  }
}
