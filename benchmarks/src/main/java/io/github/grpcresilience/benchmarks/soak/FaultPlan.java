package io.github.grpcresilience.benchmarks.soak;

import java.time.Duration;
import java.util.Random;

/**
 * The soak's seeded schedule: which fault comes next, on which pair of agents, how long it lasts
 * (20–60 s where it lasts) and the quiet gap before it (10–30 s). The same seed gives the same
 * sequence, so a run can be repeated.
 */
final class FaultPlan {

    static final Duration MIN_GAP = Duration.ofSeconds(10);
    static final Duration MAX_GAP = Duration.ofSeconds(30);
    static final Duration MIN_FAULT = Duration.ofSeconds(20);
    static final Duration MAX_FAULT = Duration.ofSeconds(60);

    /** One planned fault; {@code duration} is zero for instantaneous ones. */
    record Fault(int number, FaultKind kind, int pair, Duration gapBefore, Duration duration) {
        String describe() {
            return "#" + number + " " + kind.label + (kind.pair ? " on pair " + pair : "")
                    + (kind.lasting ? " for " + duration.toSeconds() + " s" : "");
        }
    }

    private final Random random;
    private final int pairs;
    private int number;

    FaultPlan(long seed, int pairs) {
        this.random = new Random(seed);
        this.pairs = pairs;
    }

    Fault next() {
        FaultKind kind = FaultKind.values()[random.nextInt(FaultKind.values().length)];
        int pair = random.nextInt(pairs) + 1;
        Duration gap = between(MIN_GAP, MAX_GAP);
        Duration duration = between(MIN_FAULT, MAX_FAULT);
        return new Fault(++number, kind, pair, gap, kind.lasting ? duration : Duration.ZERO);
    }

    private Duration between(Duration min, Duration max) {
        return min.plusMillis(random.nextLong(max.toMillis() - min.toMillis() + 1));
    }
}
