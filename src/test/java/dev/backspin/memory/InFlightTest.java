package dev.backspin.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightTest {

  @Test
  void aReadCostsItsWholeArrayAndItsObjects() {
    InFlight f = new InFlight();
    assertThat(f.add(10, 64)).isEqualTo(64 + Costs.READ);
    assertThat(f.cost()).isEqualTo(64 + Costs.READ);
  }

  @Test
  void aWholeAnswerFreesTheWholeCost() {
    InFlight f = new InFlight();
    f.add(10, 10);
    f.add(20, 40);
    assertThat(f.answered(30)).isEqualTo(10 + Costs.READ + 40 + Costs.READ);
    assertThat(f.cost()).isZero();
  }

  @Test
  void aPartAnswerFreesItsBytesAndTheRestWhenTheReadIsDone() {
    InFlight f = new InFlight();
    f.add(10, 16);
    f.add(20, 20);
    assertThat(f.answered(5)).isEqualTo(5);
    // the first read's other 5 bytes and its extra, then 5 bytes of the second
    assertThat(f.answered(10)).isEqualTo(5 + 6 + Costs.READ + 5);
    assertThat(f.answered(15)).isEqualTo(15 + Costs.READ);
    assertThat(f.cost()).isZero();
  }

  @Test
  void answersOfAnyGrainGiveBackExactlyWhatWasCounted() {
    InFlight f = new InFlight();
    long counted = 0;
    for (int i = 1; i <= 50; i++) {
      counted += f.add(i, i + i % 7);
    }
    long freed = 0;
    for (int i = 0; i < 50 * 51 / 2; i += 3) {
      freed += f.answered(Math.min(3, 50 * 51 / 2 - i));
    }
    assertThat(freed).isEqualTo(counted);
    assertThat(f.cost()).isZero();
  }

  @Test
  void itsBytesAreTheCreditsInUse() {
    InFlight f = new InFlight();
    f.add(10, 64);
    f.add(20, 20);
    assertThat(f.bytes()).isEqualTo(30);
    f.answered(15);
    assertThat(f.bytes()).isEqualTo(15);
    f.answered(15);
    assertThat(f.bytes()).isZero();
    f.add(5, 5);
    f.clear();
    assertThat(f.bytes()).isZero();
  }

  @Test
  void clearGivesBackWhatIsLeft() {
    InFlight f = new InFlight();
    f.add(10, 10);
    f.answered(4);
    assertThat(f.clear()).isEqualTo(6 + Costs.READ);
    assertThat(f.cost()).isZero();
    assertThat(f.answered(10)).isZero(); // nothing was on its way
  }
}
