package io.github.grpcresilience.pool;

/**
 * The size a pool should have for the peak load it saw, following gax's {@code ChannelPool}: grow
 * when the peak in-flight calls per member exceed {@code maxCallsPerConnection}, shrink when they
 * fall below {@code minCallsPerConnection}, by at most {@code maxResizeStep}, within
 * [{@code minSize}, {@code maxSize}].
 */
final class PoolSizer {

    private PoolSizer() {
    }

    static int nextSize(int current, int peakCalls, PoolSettings settings) {
        int needed = ceilDiv(peakCalls, settings.maxCallsPerConnection());
        int target = current;
        if (current < needed) {
            target = Math.min(needed, current + settings.maxResizeStep());
        } else if (settings.minCallsPerConnection() > 0
                && peakCalls < (long) current * settings.minCallsPerConnection()) {
            int enough = Math.max(needed, peakCalls / settings.minCallsPerConnection());
            target = Math.max(enough, current - settings.maxResizeStep());
        }
        return Math.max(settings.minSize(), Math.min(settings.maxSize(), target));
    }

    private static int ceilDiv(int dividend, int divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
