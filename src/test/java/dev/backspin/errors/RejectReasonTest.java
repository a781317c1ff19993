package dev.backspin.errors;



import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class RejectReasonTest {

  @Test
  void onlyTlsFailuresCountAsFailedHandshakes() {
    assertThat(RejectReason.beforeServed(new SSLHandshakeException("Empty client certificate chain"))).isEqualTo(RejectReason.TLS_HANDSHAKE);
    assertThat(RejectReason.beforeServed(new DecoderException(new NotSslRecordException("not an SSL/TLS record")))).isEqualTo(RejectReason.TLS_HANDSHAKE);
    assertThat(RejectReason.beforeServed(new IOException("Connection reset by peer"))).isEqualTo(RejectReason.CONNECTION_ERROR);
    assertThat(RejectReason.beforeServed(new IllegalStateException("anything else"))).isEqualTo(RejectReason.CONNECTION_ERROR);
  }

  @Test
  void onlyARefusalTheClientHearsOfIsWorded() {
    assertThat(RejectReason.TOO_MANY_CONNECTIONS.reason()).isEqualTo("too many connections");
    assertThat(RejectReason.TLS_HANDSHAKE.reason()).isNull();
    assertThat(RejectReason.TOO_MANY_CONNECTIONS.label()).isEqualTo("too_many_connections");
  }
}
