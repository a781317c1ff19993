package dev.backspin.bus;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AddressesTest {

  @Test
  void eachShardOfAServiceHasItsOwnAddress() {
    assertThat(Addresses.shard("reverse", 0)).isEqualTo("backspin.reverse.worker.0");
    assertThat(Addresses.shard("reverse", 12)).isEqualTo("backspin.reverse.worker.12");
    assertThat(Addresses.shard("echo", 0)).isEqualTo("backspin.echo.worker.0");
  }

  @Test
  void theClusterWideAddressIsNoShardOfIt() {
    assertThat(Addresses.workers("reverse")).isEqualTo("backspin.reverse.workers");
  }

  @Test
  void aFrontHearsRejectionsOnItsOwnAddressAndRepliesBesideIt() {
    String front = Addresses.newFront("reverse");
    assertThat(front).startsWith("backspin.reverse.front.").hasSize("backspin.reverse.front.".length() + 36);
    assertThat(Addresses.rejections(front)).isEqualTo(front);
    assertThat(Addresses.replies(front)).isEqualTo(front + ".replies");
  }

  @Test
  void noTwoAddressesMeet() {
    String a = Addresses.newFront("reverse");
    String b = Addresses.newFront("reverse");
    assertThat(a).isNotEqualTo(b);
    Set<String> all = new HashSet<>();
    for (int k = 0; k < 100; k++) {
      all.add(Addresses.shard("reverse", k));
    }
    all.addAll(List.of(Addresses.workers("reverse"), a, b, Addresses.replies(a), Addresses.replies(b), Addresses.shard("echo", 0)));
    assertThat(all).hasSize(106);
  }
}
