package io.github.grpcresilience.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The soak's accounting on exact times (nanos passed in, as the log readers do). */
class SoakLedgerTest {

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private final SoakLedger ledger = new SoakLedger();

    @Test
    void anAgentIsCurrentWithTheLatestVersionOnceItsDeliveryTimeHasPassed() {
        ledger.controlPlaneStarted();
        ledger.published(1, ms(1000));
        ledger.received("a", 1, ms(1002));
        ledger.published(2, ms(2000));

        assertThat(ledger.current("a", ms(2000 + 249), Long.MIN_VALUE)).as("version 2 may still be in flight").isTrue();
        assertThat(ledger.current("a", ms(2000 + 250), Long.MIN_VALUE)).as("version 2 is due").isFalse();
        ledger.received("a", 2, ms(2300));
        assertThat(ledger.current("a", ms(2300), Long.MIN_VALUE)).isTrue();
        assertThat(ledger.current("never-heard-of", ms(2300), Long.MIN_VALUE)).isFalse();
    }

    @Test
    void aRestartedControlPlaneCountsFromZeroSoOldHighVersionsAreNotCurrent() {
        ledger.controlPlaneStarted();
        ledger.published(500, ms(1000));
        ledger.received("a", 500, ms(1001));

        ledger.controlPlaneStarted();
        ledger.published(1, ms(5000));
        assertThat(ledger.current("a", ms(6000), Long.MIN_VALUE)).isFalse();

        ledger.received("a", 1, ms(6100));
        assertThat(ledger.current("a", ms(6100), Long.MIN_VALUE)).isTrue();
    }

    @Test
    void anAgentHitByAFaultNeedsAnUpdateFromAfterTheFaultStarted() {
        ledger.controlPlaneStarted();
        ledger.published(7, ms(1000));
        ledger.received("a", 7, ms(1001));

        assertThat(ledger.current("a", ms(1100), ms(1050))).as("RST at 1050 ms: no update since").isFalse();
        ledger.received("a", 7, ms(1400));
        assertThat(ledger.current("a", ms(1400), ms(1050))).as("the re-subscribe snapshot").isTrue();
    }

    @Test
    void failuresBeforeTheMeasurementStartsAreLabelledStartUp() {
        assertThat(ledger.isMeasuring()).isFalse();
        assertThat(ledger.unaryFailed("a", ms(1000), ms(2000)).lastFault()).isEqualTo(SoakLedger.START_UP);
        ledger.measuring();
        assertThat(ledger.isMeasuring()).isTrue();
        assertThat(ledger.unaryFailed("a", ms(5000), ms(2000)).lastFault()).isEqualTo("none yet");
    }

    @Test
    void aFailedCallCountsAsOutsideOnlyWhenItsSpanTouchesNoOutageOfItsAgent() {
        ledger.outageStarted("a", ms(10_000));
        assertThat(ledger.inOutage("a", ms(10_000))).isTrue();
        assertThat(ledger.inOutage("a", ms(9_999))).isFalse();
        ledger.faultStarted("kernel black hole");
        assertThat(ledger.unaryFailed("a", ms(20_000), ms(2000)).inOutage()).as("while the window is open").isTrue();
        assertThat(ledger.unaryFailed("b", ms(20_000), ms(2000)).inOutage()).as("another agent's window").isFalse();
        ledger.outageEnded("a", ms(40_000));
        assertThat(ledger.inOutage("a", ms(40_001))).isFalse();

        assertThat(ledger.unaryFailed("a", ms(41_000), ms(2000)).inOutage()).as("started in the window").isTrue();
        SoakLedger.UnaryFailure late = ledger.unaryFailed("a", ms(43_000), ms(2000));
        assertThat(late.inOutage()).isFalse();
        assertThat(late.lastFault()).isEqualTo("kernel black hole");
        assertThat(ledger.unaryFailed("a", ms(9_000), ms(500)).inOutage()).as("before the window").isFalse();
        assertThat(ledger.failures()).hasSize(5);
    }

    @Test
    void acksNeitherReceivedNorHandedBackAreUnaccountedDuplicatesDoNotHideThem() {
        for (long sequence = 1; sequence <= 7; sequence++) {
            ledger.ackReceived("a", sequence);
        }
        ledger.ackReceived("a", 6); // written again after a break: received twice
        ledger.ackReceived("a", 7);
        ledger.acksHandedBack("a", List.of(7L, 8L, 9L)); // 7 had arrived, its confirmation had not
        ledger.ackReceived("b", 1);
        ledger.acksReported("a", 10); // 10: never received, never handed back
        ledger.acksReported("b", 1);

        assertThat(ledger.acks().get("a")).isEqualTo(new SoakLedger.Acks(10, 7, 2, 3, 1, 1));
        assertThat(ledger.acks().get("b").unaccounted()).isZero();
    }

    @Test
    void convergenceIsTheLastAgentOfTheGroupBecomingCurrentAfterTheFaultsEnd() {
        ledger.controlPlaneStarted();
        ledger.published(1, ms(0));
        ledger.received("hit", 1, ms(1));
        ledger.received("other", 1, ms(1));
        Convergence convergence = new Convergence(ms(500), ms(10_500), Set.of("hit"));
        for (long t = 1000; t <= 10_500; t += 1000) {
            ledger.published(t / 1000 + 1, ms(t));
            ledger.received("other", t / 1000 + 1, ms(t + 2));
        }

        convergence.poll(ledger, java.util.List.of("hit", "other"), ms(10_500));
        assertThat(convergence.nanosUntilAll(java.util.List.of("other"))).hasValue(0);
        assertThat(convergence.nanosUntilAll(java.util.List.of("hit", "other"))).isEmpty();

        ledger.received("hit", 11, ms(12_700));
        convergence.poll(ledger, java.util.List.of("hit", "other"), ms(12_750));
        assertThat(convergence.nanosUntilAll(java.util.List.of("hit", "other"))).hasValue(ms(2250));
    }
}
