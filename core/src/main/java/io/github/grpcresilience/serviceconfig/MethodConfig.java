package io.github.grpcresilience.serviceconfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What grpc-java applies to the calls of the methods named here.
 *
 * @param name the methods
 * @param retry the retry policy, or null for none (grpc-java still retries transparently calls that
 *        never reached the server)
 * @param hedging the hedging policy, or null; never together with {@code retry}
 * @param timeout the default deadline of a call, or null for none
 * @param waitForReady whether calls wait for a connection instead of failing fast while there is none
 */
public record MethodConfig(MethodName name, RetryPolicy retry, HedgingPolicy hedging, Duration timeout,
        boolean waitForReady) {

    public MethodConfig {
        Objects.requireNonNull(name, "name");
        if (retry != null && hedging != null) {
            throw new IllegalArgumentException(name + ": retry and hedging are exclusive");
        }
        if (timeout != null) {
            RetryPolicy.requirePositive("timeout", timeout);
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", List.of(name.toMap()));
        if (retry != null) {
            map.put("retryPolicy", retry.toMap());
        }
        if (hedging != null) {
            map.put("hedgingPolicy", hedging.toMap());
        }
        if (timeout != null) {
            map.put("timeout", ConfigValues.seconds(timeout));
        }
        if (waitForReady) {
            map.put("waitForReady", true);
        }
        return map;
    }
}
