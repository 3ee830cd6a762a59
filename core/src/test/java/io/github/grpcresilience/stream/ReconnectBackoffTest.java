package io.github.grpcresilience.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The schedule, exactly, with the random source pinned. */
class ReconnectBackoffTest {

    private final ReconnectBackoff defaults = StreamSettings.DEFAULT.backoff();

    @Test
    void defaultScheduleWithoutJitterGrowsBy1Point6UpTo30Seconds() {
        List<Long> millis = IntStream.range(0, 10)
                .mapToObj(attempt -> Math.round(defaults.delayNanos(attempt, () -> 0.5) / 1e6)).toList();
        assertThat(millis).containsExactly(1000L, 1600L, 2560L, 4096L, 6554L, 10486L, 16777L, 26844L, 30000L, 30000L);
    }

    @Test
    void jitterSpreadsPlusMinusTwentyPercent() {
        assertThat(defaults.delayNanos(0, () -> 0.0)).isEqualTo(800_000_000L);
        assertThat(defaults.delayNanos(0, () -> 0.999_999_999)).isBetween(1_199_999_000L, 1_200_000_000L);
        assertThat(defaults.delayNanos(20, () -> 0.0)).isEqualTo(24_000_000_000L);
        assertThat(defaults.delayNanos(20, () -> 0.999_999_999)).isBetween(35_999_000_000L, 36_000_000_000L);
    }

    @Test
    void rejectsImpossibleSettings() {
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
