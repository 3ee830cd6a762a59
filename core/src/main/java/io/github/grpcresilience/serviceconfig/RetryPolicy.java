package io.github.grpcresilience.serviceconfig;

import io.grpc.Status;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A gRPC retry policy: failed attempts with one of the retryable codes are tried again after an
 * exponential, jittered backoff, as long as the call is not committed (no response headers yet).
 *
 * @param maxAttempts attempts in total, including the first (at least 2)
 * @param initialBackoff upper bound of the first backoff
 * @param maxBackoff cap of the backoff
 * @param backoffMultiplier growth of the backoff bound per attempt
 * @param retryableStatusCodes codes that lead to another attempt
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double backoffMultiplier,
        Set<Status.Code> retryableStatusCodes) {

    public RetryPolicy {
        if (maxAttempts < 2) {
            throw new IllegalArgumentException("maxAttempts must be at least 2: " + maxAttempts);
        }
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        if (!(backoffMultiplier > 0)) {
            throw new IllegalArgumentException("backoffMultiplier must be positive: " + backoffMultiplier);
        }
        if (retryableStatusCodes.isEmpty()) {
            throw new IllegalArgumentException("retryableStatusCodes must not be empty");
        }
        retryableStatusCodes = Set.copyOf(retryableStatusCodes);
    }

    static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("maxAttempts", ConfigValues.number(maxAttempts));
        map.put("initialBackoff", ConfigValues.seconds(initialBackoff));
        map.put("maxBackoff", ConfigValues.seconds(maxBackoff));
        map.put("backoffMultiplier", ConfigValues.number(backoffMultiplier));
        map.put("retryableStatusCodes", ConfigValues.codes(retryableStatusCodes));
        return map;
    }
}
