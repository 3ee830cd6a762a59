package io.github.grpcresilience.autoconfigure.channel;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.PropertyChecks;
import io.github.grpcresilience.keepalive.Durations;
import java.util.List;

/** A channel's {@code pool} values; a bad one names the level that sets it. */
final class PoolChecks {

    private final List<String> levels;
    private final ConfiguredProperties configured;

    private PoolChecks(List<String> levels, ConfiguredProperties configured) {
        this.levels = levels;
        this.configured = configured;
    }

    static void check(ChannelProperties.Pool pool, List<String> levels, ConfiguredProperties configured) {
        new PoolChecks(levels, configured).check(pool);
    }

    private void check(ChannelProperties.Pool pool) {
        PropertyChecks.atLeast(where("min-size"), pool.getMinSize(), 1, "1");
        PropertyChecks.atLeast(where("max-size"), pool.getMaxSize(), 1,
                "1 (no pool) or the most connections the target needs");
        if (pool.getMaxSize() < pool.getMinSize()) {
            String property = where("max-size");
            throw new InvalidGrpcResiliencePropertyException(property, pool.getMaxSize(),
                    "it is below min-size " + pool.getMinSize(),
                    "Set " + property + " to " + pool.getMinSize() + " or more, or lower " + where("min-size") + ".");
        }
        PropertyChecks.atLeast(where("max-concurrent-calls-per-connection"), pool.getMaxConcurrentCallsPerConnection(),
                1, "a value below the server's MAX_CONCURRENT_STREAMS, e.g. 80 for 100");
        PropertyChecks.atLeast(where("min-calls-per-connection"), pool.effectiveMinCallsPerConnection(), 0,
                "0 (never shrink) or about a quarter of max-concurrent-calls-per-connection");
        if (pool.effectiveMinCallsPerConnection() >= pool.getMaxConcurrentCallsPerConnection()) {
            String property = where("min-calls-per-connection");
            throw new InvalidGrpcResiliencePropertyException(property, pool.effectiveMinCallsPerConnection(),
                    "it must be below max-concurrent-calls-per-connection "
                            + pool.getMaxConcurrentCallsPerConnection() + ", or the pool would grow and shrink at once",
                    "Set " + property + " to about a quarter of max-concurrent-calls-per-connection (e.g. "
                            + pool.getMaxConcurrentCallsPerConnection() / 4 + "), 0 never to shrink, or remove it.");
        }
        PropertyChecks.positive(where("resize-interval"), pool.getResizeInterval(), "10s");
        PropertyChecks.atLeast(where("max-resize-step"), pool.getMaxResizeStep(), 1, "2");
        if (pool.getRefreshInterval() != null) {
            PropertyChecks.positive(where("refresh-interval"), pool.getRefreshInterval(), "30m");
            if (pool.getRefreshInterval().compareTo(pool.getResizeInterval()) < 0) {
                String property = where("refresh-interval");
                throw new InvalidGrpcResiliencePropertyException(property,
                        Durations.format(pool.getRefreshInterval()),
                        "members are replaced at resizes, so it cannot be shorter than resize-interval "
                                + Durations.format(pool.getResizeInterval()),
                        "Set " + property + " to resize-interval or more (e.g. 30m), or remove it.");
            }
        }
    }

    private String where(String key) {
        return configured.whereSet(levels, "pool." + key);
    }
}
