package io.github.grpcresilience.keepalive;

import java.time.Duration;

/** Formats durations the way a user writes them in {@code application.yml}. */
public final class Durations {

    private static final long NANOS_PER_MINUTE = 60_000_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Durations() {
    }

    /** {@code 5m}, {@code 30s} or {@code 1500ms}. */
    public static String format(Duration value) {
        if (!value.isZero() && value.toNanos() % NANOS_PER_MINUTE == 0) {
            return value.toMinutes() + "m";
        }
        if (value.toNanos() % NANOS_PER_SECOND == 0) {
            return value.toSeconds() + "s";
        }
        return value.toMillis() + "ms";
    }
}
