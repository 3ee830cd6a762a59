package io.github.grpcresilience.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolSizerTest {

    /** 1..8 members, grow above 10 calls per member, shrink below 3, 2 members per step. */
    private static final PoolSettings SETTINGS = new PoolSettings(1, 8, 10, 3, Duration.ofSeconds(10), 2, null);

    @Test
    void growsWhenTheAverageExceedsTheThresholdByAtMostOneStep() {
        assertThat(PoolSizer.nextSize(1, 10, SETTINGS)).as("exactly at the threshold").isEqualTo(1);
        assertThat(PoolSizer.nextSize(1, 11, SETTINGS)).isEqualTo(2);
        assertThat(PoolSizer.nextSize(1, 50, SETTINGS)).as("needs 5, one step is 2").isEqualTo(3);
        assertThat(PoolSizer.nextSize(3, 50, SETTINGS)).isEqualTo(5);
        assertThat(PoolSizer.nextSize(5, 50, SETTINGS)).isEqualTo(5);
    }

    @Test
    void shrinksWhenTheAverageFallsBelowTheMinimumButKeepsWhatTheLoadNeeds() {
        assertThat(PoolSizer.nextSize(5, 15, SETTINGS)).as("3 per member is not below 3").isEqualTo(5);
        assertThat(PoolSizer.nextSize(5, 14, SETTINGS)).as("one step down").isEqualTo(4);
        assertThat(PoolSizer.nextSize(8, 9, SETTINGS)).as("3 members carry 9 calls at 3 each; one step is 2")
                .isEqualTo(6);
        assertThat(PoolSizer.nextSize(4, 0, SETTINGS)).isEqualTo(2);
        assertThat(PoolSizer.nextSize(2, 0, SETTINGS)).isEqualTo(1);
    }

    @Test
    void staysWithinMinAndMax() {
        PoolSettings bounded = new PoolSettings(2, 4, 10, 3, Duration.ofSeconds(10), 8, null);
        assertThat(PoolSizer.nextSize(2, 0, bounded)).isEqualTo(2);
        assertThat(PoolSizer.nextSize(2, 1_000, bounded)).isEqualTo(4);
    }

    @Test
    void aMinimumOfZeroNeverShrinks() {
        PoolSettings noShrink = new PoolSettings(1, 8, 10, 0, Duration.ofSeconds(10), 2, null);
        assertThat(PoolSizer.nextSize(6, 0, noShrink)).isEqualTo(6);
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PoolSettings(3, 2, 10, 3, Duration.ofSeconds(10), 2, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PoolSettings(1, 2, 10, 10, Duration.ofSeconds(10), 2, null));
        assertThatIllegalArgumentException().isThrownBy(() -> new PoolSettings(1, 2, 10, 3, Duration.ZERO, 2, null));
    }
}
