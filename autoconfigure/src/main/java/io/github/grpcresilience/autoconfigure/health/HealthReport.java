package io.github.grpcresilience.autoconfigure.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A health verdict and its details, as either Spring Boot version's {@code Health} carries them.
 *
 * @param status the verdict
 * @param details what an operator reads beside it, in the order given; values are strings, numbers,
 *        booleans or maps of them
 */
public record HealthReport(Status status, Map<String, Object> details) {

    /** Spring Boot's four standard statuses, by the same codes. */
    public enum Status {
        UP, DOWN, OUT_OF_SERVICE, UNKNOWN
    }

    public HealthReport {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
}
