package io.github.grpcresilience.autoconfigure.pool;

import io.github.grpcresilience.autoconfigure.adapter.ConfiguredChannels;
import io.github.grpcresilience.autoconfigure.adapter.ManagedChannelAssembler;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.pool.ChannelPool;
import io.github.grpcresilience.pool.PoolSettings;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Builds a {@link ChannelPool} for each channel whose {@code pool.max-size} is above 1, logs what
 * each pool does (one line per resize, replacement and saturation change, naming the channel) and
 * keeps a short record of it for the {@code grpc} endpoint.
 *
 * <p>Threads: pools are built on the thread that first asks the adapter for the channel; their
 * resizes and events run on the one shared scheduler. Records are written by that scheduler and
 * read by actuator threads: their fields are atomic or volatile.
 */
public final class ChannelPools implements ManagedChannelAssembler, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ChannelPools.class);

    /** A pool and what it has done, for the endpoint. */
    public static final class Record implements ChannelPool.Events {
        private final String channel;
        private final ChannelPool.Events log;
        private final Clock clock;
        private final AtomicInteger resizes = new AtomicInteger();
        private final AtomicInteger replacements = new AtomicInteger();
        private volatile boolean saturated;
        private volatile String lastEvent;
        private volatile Instant lastEventAt;
        private volatile ChannelPool pool;

        Record(String channel, ChannelPool.Events log, Clock clock) {
            this.channel = channel;
            this.log = log;
            this.clock = clock;
        }

        public String channel() {
            return channel;
        }

        public ChannelPool pool() {
            return pool;
        }

        public int resizes() {
            return resizes.get();
        }

        public int replacements() {
            return replacements.get();
        }

        public boolean saturated() {
            return saturated;
        }

        public Optional<String> lastEvent() {
            return Optional.ofNullable(lastEvent);
        }

        public Optional<Instant> lastEventAt() {
            return Optional.ofNullable(lastEventAt);
        }

        private void event(String text) {
            lastEvent = text;
            lastEventAt = clock.instant();
        }

        @Override
        public void resized(int from, int to, int peakCalls) {
            resizes.incrementAndGet();
            event((to > from ? "grew" : "shrank") + " from " + from + " to " + to + " (peak " + peakCalls
                    + " calls in flight)");
            log.resized(from, to, peakCalls);
        }

        @Override
        public void replaced(int memberId, String reason) {
            replacements.incrementAndGet();
            event("replaced connection #" + memberId + " (" + reason + ")");
            log.replaced(memberId, reason);
        }

        @Override
        public void saturated(boolean saturated, int size, int peakCalls) {
            this.saturated = saturated;
            event((saturated ? "saturated at " : "no longer saturated at ") + size + " (peak " + peakCalls
                    + " calls in flight)");
            log.saturated(saturated, size, peakCalls);
        }

        @Override
        public void resizeFailed(RuntimeException failure) {
            event("resize failed: " + failure);
            log.resizeFailed(failure);
        }
    }

    private final ChannelSettingsResolver settings;
    private final ConfiguredChannels channels;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Map<String, Record> records = new ConcurrentHashMap<>();

    ChannelPools(ChannelSettingsResolver settings, ConfiguredChannels channels, ScheduledExecutorService scheduler,
            Clock clock) {
        this.settings = settings;
        this.channels = channels;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public Optional<ManagedChannel> assemble(String name, Supplier<ManagedChannel> newChannel) {
        Optional<PoolSettings> pool = settings.channel(name).pool();
        if (pool.isEmpty()) {
            return Optional.empty();
        }
        Record record = new Record(name, new PoolLog(name, pool.get()), clock);
        ChannelPool channel = ChannelPool.create(pool.get(), newChannel, scheduler, System::nanoTime, record);
        record.pool = channel;
        records.put(name, record);
        forgetOnShutdown(record, channel.getState(false));
        connectOnStartup(name, channel);
        log.info("gRPC channel '{}': pool of {} to {} connections, growing above {} calls in flight per connection",
                name, pool.get().minSize(), pool.get().maxSize(), pool.get().maxCallsPerConnection());
        return Optional.of(channel);
    }

    private void forgetOnShutdown(Record record, ConnectivityState state) {
        if (state == ConnectivityState.SHUTDOWN) {
            records.remove(record.channel(), record);
        } else {
            record.pool().notifyWhenStateChanged(state, () -> forgetOnShutdown(record, record.pool().getState(false)));
        }
    }

    /** The integration's startup connect wait (net.devh's {@code immediate-connect-timeout}), kept for a pool. */
    private void connectOnStartup(String name, ChannelPool pool) {
        Duration timeout = channels.immediateConnectTimeout(name);
        if (timeout.isZero()) {
            return;
        }
        boolean ready;
        try {
            ready = pool.connect(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ready = false;
        }
        if (!ready) {
            pool.shutdownNow();
            throw new IllegalStateException("Can't connect to channel " + name); // net.devh's message
        }
    }

    /** The record of a pooled channel. */
    public Optional<Record> record(String channel) {
        return Optional.ofNullable(records.get(channel));
    }

    /** Every pooled channel built so far, by name. */
    public Map<String, Record> records() {
        return Map.copyOf(records);
    }

    /** Shuts the pools down (the adapter's factory does too; the first call counts) before their scheduler stops. */
    @Override
    public void destroy() {
        records.values().forEach(record -> record.pool().shutdown());
    }

    /** The operator's log lines of one pool. */
    private static final class PoolLog implements ChannelPool.Events {
        private final String channel;
        private final PoolSettings settings;

        PoolLog(String channel, PoolSettings settings) {
            this.channel = channel;
            this.settings = settings;
        }

        @Override
        public void resized(int from, int to, int peakCalls) {
            log.info("gRPC channel '{}': pool {} from {} to {} connections ({} calls in flight at the peak; grows above"
                    + " {} and shrinks below {} per connection)", channel, to > from ? "grew" : "shrank", from, to,
                    peakCalls, settings.maxCallsPerConnection(), settings.minCallsPerConnection());
        }

        @Override
        public void replaced(int memberId, String reason) {
            log.info("gRPC channel '{}': pool connection #{} replaced ({}); its running calls finish on it", channel,
                    memberId, reason);
        }

        @Override
        public void saturated(boolean saturated, int size, int peakCalls) {
            String prefix = ChannelSettingsResolver.channelPrefix(channel) + ".pool.";
            if (saturated) {
                log.warn("gRPC channel '{}': pool is at max-size {} with {} calls in flight (more than {} per"
                        + " connection): calls beyond the server's MAX_CONCURRENT_STREAMS queue; raise {}max-size",
                        channel, size, peakCalls, settings.maxCallsPerConnection(), prefix);
            } else {
                log.info("gRPC channel '{}': pool below its limit again ({} calls in flight at the peak on {}"
                        + " connections)", channel, peakCalls, size);
            }
        }

        @Override
        public void resizeFailed(RuntimeException failure) {
            log.warn("gRPC channel '{}': pool resize failed, size unchanged; the next one in {} tries again: {}",
                    channel, Durations.format(settings.resizeInterval()), failure.toString());
        }
    }
}
