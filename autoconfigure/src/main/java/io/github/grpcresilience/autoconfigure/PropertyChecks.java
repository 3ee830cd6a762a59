package io.github.grpcresilience.autoconfigure;

import io.github.grpcresilience.keepalive.Durations;
import java.time.Duration;

/** The bounds checks every capability's validation shares; each failure names the property and the fix. */
public final class PropertyChecks {

    private PropertyChecks() {
    }

    /**
     * @param example a sensible value to suggest, e.g. {@code 20s}
     * @throws InvalidGrpcResiliencePropertyException if the duration is missing, zero or negative
     */
    public static void positive(String property, Duration value, String example) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidGrpcResiliencePropertyException(property, value == null ? "" : Durations.format(value),
                    "it must be a positive duration", "Set " + property + " to a positive duration such as "
                            + example + ", or remove it to use the default.");
        }
    }

    /**
     * @param example a sensible value to suggest, e.g. {@code 5s}
     * @throws InvalidGrpcResiliencePropertyException if the duration is missing or negative
     */
    public static void notNegative(String property, Duration value, String example) {
        if (value == null || value.isNegative()) {
            throw new InvalidGrpcResiliencePropertyException(property, value == null ? "" : Durations.format(value),
                    "it must be zero or a positive duration", "Set " + property + " to a duration such as "
                            + example + ", or remove it to use the default.");
        }
    }

    /**
     * @param example a sensible value to suggest, e.g. {@code 5s}
     * @throws InvalidGrpcResiliencePropertyException if the duration is not a positive whole number
     *         of seconds (kernel socket options take seconds)
     */
    public static void wholeSeconds(String property, Duration value, String example) {
        positive(property, value, example);
        if (value.toNanos() % 1_000_000_000L != 0) {
            throw new InvalidGrpcResiliencePropertyException(property, Durations.format(value),
                    "the kernel takes this option in whole seconds",
                    "Set " + property + " to a whole number of seconds, e.g. " + Math.max(1, value.toSeconds()) + "s.");
        }
    }

    /**
     * @param suggestion what to set instead, e.g. {@code 2} or {@code 1 (no pool)}
     * @throws InvalidGrpcResiliencePropertyException if the value is below the minimum
     */
    public static void atLeast(String property, long value, long minimum, String suggestion) {
        if (value < minimum) {
            throw new InvalidGrpcResiliencePropertyException(property, value, "it must be at least " + minimum,
                    "Set " + property + " to " + suggestion + ".");
        }
    }

    /**
     * @param example what to set instead, e.g. {@code a fraction such as 0.2}
     * @throws InvalidGrpcResiliencePropertyException if the value is outside [min, max]
     */
    public static void between(String property, double value, double min, double max, String example) {
        if (value < min || value > max) {
            throw new InvalidGrpcResiliencePropertyException(property, format(value),
                    "it must be between " + format(min) + " and " + format(max),
                    "Set " + property + " to " + example + ".");
        }
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
