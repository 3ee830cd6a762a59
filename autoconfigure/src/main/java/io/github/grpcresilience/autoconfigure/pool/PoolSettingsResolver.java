package io.github.grpcresilience.autoconfigure.pool;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.PropertyChecks;
import io.github.grpcresilience.autoconfigure.keepalive.KeepAliveSettings;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.pool.PoolSettings;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Each channel's {@code pool} settings (the client defaults with the channel's own keys on top),
 * checked at startup so that a bad value fails with the property that holds it and the fix.
 */
public final class PoolSettingsResolver {

    private final KeepAliveSettings settings;
    private final ConfiguredProperties configured;

    PoolSettingsResolver(KeepAliveSettings settings, ConfiguredProperties configured) {
        this.settings = settings;
        this.configured = configured;
    }

    /** The pool of {@code channel}, or empty when its max-size is 1 (no pool). */
    public Optional<PoolSettings> pool(String channel) {
        ChannelProperties.Pool pool = settings.client(channel).properties().getPool();
        if (pool.getMaxSize() <= 1) {
            return Optional.empty();
        }
        return Optional.of(new PoolSettings(pool.getMinSize(), pool.getMaxSize(),
                pool.getMaxConcurrentCallsPerConnection(), pool.effectiveMinCallsPerConnection(), pool.getResizeInterval(),
                pool.getMaxResizeStep(), pool.getRefreshInterval()));
    }

    /** Checks the client defaults and each named channel; throws on the first problem. */
    void validate(Set<String> channels) {
        check(settings.properties().getClient().getDefaults().getPool(), List.of(KeepAliveSettings.CLIENT_DEFAULTS));
        for (String channel : channels) {
            check(settings.client(channel).properties().getPool(), KeepAliveSettings.clientLevels(channel));
        }
    }

    private void check(ChannelProperties.Pool pool, List<String> levels) {
        atLeast(levels, "min-size", pool.getMinSize(), 1, "1");
        atLeast(levels, "max-size", pool.getMaxSize(), 1, "1 (no pool) or the most connections the target needs");
        if (pool.getMaxSize() < pool.getMinSize()) {
            String property = where(levels, "max-size");
            throw new InvalidGrpcResiliencePropertyException(property, pool.getMaxSize(),
                    "it is below min-size " + pool.getMinSize(),
                    "Set " + property + " to " + pool.getMinSize() + " or more, or lower "
                            + where(levels, "min-size") + ".");
        }
        atLeast(levels, "max-concurrent-calls-per-connection", pool.getMaxConcurrentCallsPerConnection(), 1,
                "a value below the server's MAX_CONCURRENT_STREAMS, e.g. 80 for 100");
        atLeast(levels, "min-calls-per-connection", pool.effectiveMinCallsPerConnection(), 0,
                "0 (never shrink) or about a quarter of max-concurrent-calls-per-connection");
        if (pool.effectiveMinCallsPerConnection() >= pool.getMaxConcurrentCallsPerConnection()) {
            String property = where(levels, "min-calls-per-connection");
            throw new InvalidGrpcResiliencePropertyException(property, pool.effectiveMinCallsPerConnection(),
                    "it must be below max-concurrent-calls-per-connection "
                            + pool.getMaxConcurrentCallsPerConnection() + ", or the pool would grow and shrink at once",
                    "Set " + property + " to about a quarter of max-concurrent-calls-per-connection (e.g. "
                            + pool.getMaxConcurrentCallsPerConnection() / 4 + "), 0 never to shrink, or remove it.");
        }
        PropertyChecks.positive(where(levels, "resize-interval"), pool.getResizeInterval(), "10s");
        atLeast(levels, "max-resize-step", pool.getMaxResizeStep(), 1, "2");
        if (pool.getRefreshInterval() != null) {
            PropertyChecks.positive(where(levels, "refresh-interval"), pool.getRefreshInterval(), "30m");
            if (pool.getRefreshInterval().compareTo(pool.getResizeInterval()) < 0) {
                String property = where(levels, "refresh-interval");
                throw new InvalidGrpcResiliencePropertyException(property,
                        Durations.format(pool.getRefreshInterval()),
                        "members are replaced at resizes, so it cannot be shorter than resize-interval "
                                + Durations.format(pool.getResizeInterval()),
                        "Set " + property + " to resize-interval or more (e.g. 30m), or remove it.");
            }
        }
    }

    private void atLeast(List<String> levels, String key, int value, int minimum, String suggestion) {
        if (value < minimum) {
            String property = where(levels, key);
            throw new InvalidGrpcResiliencePropertyException(property, value, "it must be at least " + minimum,
                    "Set " + property + " to " + suggestion + ".");
        }
    }

    private String where(List<String> levels, String key) {
        return configured.whereSet(levels, "pool." + key);
    }
}
