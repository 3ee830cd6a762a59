package io.github.grpcresilience.pool;

import java.time.Duration;

/**
 * How a {@link ChannelPool} sizes itself.
 *
 * @param minSize members the pool never goes below (at least 1)
 * @param maxSize members the pool never goes above
 * @param maxCallsPerConnection grow when the peak in-flight calls per member exceed this
 * @param minCallsPerConnection shrink when the peak in-flight calls per member fall below this
 *        (0: never shrink below the size the load needs)
 * @param resizeInterval how often the size is reconsidered
 * @param maxResizeStep members added or removed per resize at most
 * @param refreshInterval replace a member once it is this old, one per resize; {@code null}: never
 */
public record PoolSettings(int minSize, int maxSize, int maxCallsPerConnection, int minCallsPerConnection,
        Duration resizeInterval, int maxResizeStep, Duration refreshInterval) {

    public PoolSettings {
        if (minSize < 1 || maxSize < minSize || maxCallsPerConnection < 1 || minCallsPerConnection < 0
                || minCallsPerConnection >= maxCallsPerConnection || maxResizeStep < 1 || resizeInterval == null
                || resizeInterval.isNegative() || resizeInterval.isZero()
                || (refreshInterval != null && (refreshInterval.isNegative() || refreshInterval.isZero()))) {
            throw new IllegalArgumentException("invalid pool settings " + this);
        }
    }
}
