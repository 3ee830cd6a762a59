package io.github.grpcresilience.autoconfigure;

import io.github.grpcresilience.keepalive.Durations;
import java.time.Duration;

/** Checks shared by the capabilities' validators; each failure names the property and the fix. */
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
}
