package io.github.grpcresilience.serviceconfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops retries and hedges when too many calls of the channel fail: each failure costs a token,
 * each success returns {@code tokenRatio}; below half of {@code maxTokens} nothing is retried.
 *
 * @param maxTokens size of the bucket, in (0, 1000]
 * @param tokenRatio tokens a success returns, positive
 */
public record RetryThrottling(double maxTokens, double tokenRatio) {

    /** grpc-java's upper bound for {@code maxTokens}. */
    public static final double MAX_TOKENS_LIMIT = 1000;

    public RetryThrottling {
        if (!(maxTokens > 0 && maxTokens <= MAX_TOKENS_LIMIT)) {
            throw new IllegalArgumentException("maxTokens must be in (0, 1000]: " + maxTokens);
        }
        if (!(tokenRatio > 0)) {
            throw new IllegalArgumentException("tokenRatio must be positive: " + tokenRatio);
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("maxTokens", ConfigValues.number(maxTokens));
        map.put("tokenRatio", ConfigValues.number(tokenRatio));
        return map;
    }
}
