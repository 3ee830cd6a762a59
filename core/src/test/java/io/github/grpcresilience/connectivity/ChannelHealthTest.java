package io.github.grpcresilience.connectivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ConnectivityState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Health verdicts on exact instants. */
class ChannelHealthTest {

    private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
    private final ChannelHealth rules = new ChannelHealth(Duration.ofSeconds(30), Duration.ofSeconds(15));

    private static ChannelMonitor.Snapshot snapshot(ConnectivityState state, Instant since, Instant lastHealthy) {
        return new ChannelMonitor.Snapshot(state, since, 1, lastHealthy, null);
    }

    @Test
    void readyAndIdleAreUp() {
        assertThat(rules.evaluate(snapshot(ConnectivityState.READY, T0, T0), T0.plusSeconds(3600)))
                .isEqualTo(ChannelHealth.Verdict.UP);
        assertThat(rules.evaluate(snapshot(ConnectivityState.IDLE, T0, T0), T0.plusSeconds(3600)))
                .isEqualTo(ChannelHealth.Verdict.UP);
    }

    @Test
    void transientFailureIsUpDuringItsGraceAndDownAfter() {
        ChannelMonitor.Snapshot failing = snapshot(ConnectivityState.TRANSIENT_FAILURE, T0, T0);
        assertThat(rules.evaluate(failing, T0.plusSeconds(15))).isEqualTo(ChannelHealth.Verdict.UP);
        assertThat(rules.inGrace(failing, T0.plusSeconds(15))).isTrue();
        assertThat(rules.evaluate(failing, T0.plusSeconds(15).plusMillis(1))).isEqualTo(ChannelHealth.Verdict.DOWN);
        assertThat(rules.inGrace(failing, T0.plusSeconds(16))).isFalse();
        assertThat(rules.graceEnd(failing)).isEqualTo(T0.plusSeconds(15));
        assertThat(rules.graceEnd(snapshot(ConnectivityState.CONNECTING, T0, T0))).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void connectingIsUpDuringItsGraceAndDownAfter() {
        ChannelMonitor.Snapshot connecting = snapshot(ConnectivityState.CONNECTING, T0, T0);
        assertThat(rules.evaluate(connecting, T0.plusSeconds(30))).isEqualTo(ChannelHealth.Verdict.UP);
        assertThat(rules.evaluate(connecting, T0.plusSeconds(31))).isEqualTo(ChannelHealth.Verdict.DOWN);
    }

    @Test
    void cyclingUnderBackoffStillTurnsDownBecauseGraceCountsFromLastHealthy() {
        // The channel left READY at T0 and has cycled CONNECTING <-> TRANSIENT_FAILURE since;
        // its latest transition was a moment ago, but the grace counts from T0.
        Instant now = T0.plusSeconds(40);
        ChannelMonitor.Snapshot cycling = snapshot(ConnectivityState.CONNECTING, now.minusMillis(10), T0);
        assertThat(rules.evaluate(cycling, now)).isEqualTo(ChannelHealth.Verdict.DOWN);
        ChannelMonitor.Snapshot failing = snapshot(ConnectivityState.TRANSIENT_FAILURE, now.minusMillis(10), T0);
        assertThat(rules.evaluate(failing, now)).isEqualTo(ChannelHealth.Verdict.DOWN);
    }

    @Test
    void shutdownIsOutOfService() {
        assertThat(rules.evaluate(snapshot(ConnectivityState.SHUTDOWN, T0, T0), T0))
                .isEqualTo(ChannelHealth.Verdict.OUT_OF_SERVICE);
    }
}
