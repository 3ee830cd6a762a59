package io.github.grpcresilience.stream;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter for re-opening a stream: attempt {@code n} (from 0) waits
 * {@code min(initial x multiplier^n, max)}, spread by {@code +/- jitter} so a fleet of clients does
 * not reconnect in lock-step. The random source is injected so a schedule can be tested exactly.
 *
 * @param initial the delay before the first attempt
 * @param max the longest delay
 * @param multiplier growth per attempt (at least 1)
 * @param jitter relative spread, from 0 (none) to 1
 */
public record ReconnectBackoff(Duration initial, Duration max, double multiplier, double jitter) {

    public ReconnectBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be at least 1, got " + multiplier);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within [0, 1], got " + jitter);
        }
    }

    /**
     * The delay before attempt {@code attempt}.
     *
     * @param attempt 0 for the first reconnect attempt after a failure
     * @param random a source of uniform values in [0, 1)
     */
    public long delayNanos(int attempt, DoubleSupplier random) {
        double base = initial.toNanos() * Math.pow(multiplier, attempt);
        double capped = Math.min(base, max.toNanos());
        double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Math.round(capped * spread);
    }
}
