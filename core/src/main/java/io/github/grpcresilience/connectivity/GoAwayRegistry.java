package io.github.grpcresilience.connectivity;

import io.github.grpcresilience.transport.GoAwayListener;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the GOAWAY frames each client channel received, by {@link GoAwayReason}, and tells
 * subscribers (logging, metrics, health) about each one.
 *
 * <p>Thread-safety: {@link #listenerFor} listeners run on Netty event loops, concurrently for
 * different connections; counts are atomic and subscribers are a copy-on-write list, so
 * {@link #count} and {@link #counts} may be read from any thread. Subscribers are called on the
 * event loop and must not block.
 */
public final class GoAwayRegistry {

    /** Receives each recorded GOAWAY. */
    @FunctionalInterface
    public interface Subscriber {
        void onGoAway(String channel, GoAwayReason reason, long http2ErrorCode, String debugData);
    }

    private static final GoAwayReason[] REASONS = GoAwayReason.values();

    private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    /** Adds a subscriber; it sees every GOAWAY recorded from now on. */
    public void subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
    }

    /** The listener to give the transport hook of the named channel. */
    public GoAwayListener listenerFor(String channel) {
        return (errorCode, debugData) -> record(channel, errorCode, debugData);
    }

    void record(String channel, long http2ErrorCode, String debugData) {
        GoAwayReason reason = GoAwayReason.of(http2ErrorCode, debugData);
        counters(channel).incrementAndGet(reason.ordinal());
        for (Subscriber subscriber : subscribers) {
            subscriber.onGoAway(channel, reason, http2ErrorCode, debugData);
        }
    }

    /** How many GOAWAY frames of that reason the channel has received. */
    public long count(String channel, GoAwayReason reason) {
        AtomicLongArray values = counts.get(channel);
        return values == null ? 0 : values.get(reason.ordinal());
    }

    /** All counts of a channel, by reason (zero counts included). */
    public Map<GoAwayReason, Long> counts(String channel) {
        Map<GoAwayReason, Long> result = new EnumMap<>(GoAwayReason.class);
        for (GoAwayReason reason : REASONS) {
            result.put(reason, count(channel, reason));
        }
        return result;
    }

    /** Forgets a channel, e.g. when it shuts down. */
    public void remove(String channel) {
        counts.remove(channel);
    }

    private AtomicLongArray counters(String channel) {
        return counts.computeIfAbsent(channel, name -> new AtomicLongArray(REASONS.length));
    }
}
