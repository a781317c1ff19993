package dev.backspin.config;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.util.concurrent.TimeUnit;

/**
 * How a service's front listens: the socket options from its config section, in one place, as
 * {@code MqttServerOptions} is for vertx-mqtt.
 */
public final class ListenOptions {

  private ListenOptions() {
  }

  /**
   * @param registerWriteHandler whether each socket gets an event-bus write handler (workers write
   *                             replies straight to it)
   */
  public static NetServerOptions of(ServiceConfig cfg, boolean registerWriteHandler) {
    NetServerOptions options = new NetServerOptions()
      .setHost(cfg.host())
      .setPort(cfg.port() == 0 ? sharedFreePort(cfg.kind()) : cfg.port())
      .setAcceptBacklog(cfg.acceptBacklog())
      // replies are whole frames, written as soon as they are ready: Nagle would only delay them
      .setTcpNoDelay(true)
      .setRegisterWriteHandler(registerWriteHandler)
      .setIdleTimeout(cfg.idleTimeoutSeconds())
      .setIdleTimeoutUnit(TimeUnit.SECONDS);
    TlsConfig tls = cfg.tls();
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()));
      if (tls.clientCaPath() != null) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(tls.clientCaPath())).setClientAuth(ClientAuth.REQUIRED);
      }
    }
    return options;
  }

  /**
   * Port 0 for a service means one free port that all its front instances share. Vert.x shares a
   * free port among servers given the same negative port, so each service needs a token of its own.
   */
  static int sharedFreePort(ServiceKind kind) {
    return switch (kind) {
      case REVERSE -> -1;
      case ECHO -> -2;
      case BROADCAST -> -3;
    };
  }
}
