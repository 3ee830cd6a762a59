package io.github.grpcresilience.serviceconfig;

import io.grpc.Status;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A gRPC hedging policy: another copy of the call is sent every {@code delay} until one answers,
 * up to {@code maxAttempts} copies; only for idempotent methods.
 *
 * @param maxAttempts copies in total, including the first (at least 2)
 * @param delay time between copies (grpc-java requires it)
 * @param nonFatalStatusCodes codes that do not cancel the other copies
 */
public record HedgingPolicy(int maxAttempts, Duration delay, Set<Status.Code> nonFatalStatusCodes) {

    public HedgingPolicy {
        if (maxAttempts < 2) {
            throw new IllegalArgumentException("maxAttempts must be at least 2: " + maxAttempts);
        }
        RetryPolicy.requirePositive("delay", delay);
        nonFatalStatusCodes = Set.copyOf(nonFatalStatusCodes);
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("maxAttempts", ConfigValues.number(maxAttempts));
        map.put("hedgingDelay", ConfigValues.seconds(delay));
        map.put("nonFatalStatusCodes", ConfigValues.codes(nonFatalStatusCodes));
        return map;
    }
}
