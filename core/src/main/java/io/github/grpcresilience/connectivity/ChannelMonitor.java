package io.github.grpcresilience.connectivity;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Follows one channel's connectivity state without ever asking it to connect
 * ({@code getState(false)}), and keeps what an operator needs: current state and since when,
 * the number of transitions, the last time the channel was healthy (READY or IDLE), and the last
 * RPC failure seen on it.
 *
 * <p>{@link ManagedChannel#notifyWhenStateChanged} is one-shot and may skip states, so the
 * callback re-reads the state and registers again every time.
 *
 * <p>Thread-safety: callbacks run on the channel's executor, {@link #recordFailure} on any call's
 * thread, {@link #snapshot} on any reader's thread. All mutable state is guarded by {@code lock};
 * listeners are called after the lock is released.
 */
public final class ChannelMonitor {

    /** Receives each state change of a monitored channel. */
    @FunctionalInterface
    public interface Listener {
        void onTransition(String channel, ConnectivityState from, ConnectivityState to);
    }

    /**
     * An RPC failure seen on the channel.
     *
     * @param code the status code
     * @param description the status description (never a payload), possibly {@code null}
     * @param at when it was seen
     */
    public record Failure(Status.Code code, String description, Instant at) {
    }

    /**
     * The channel's record at one moment.
     *
     * @param state current state
     * @param since when the channel entered it
     * @param transitions state changes since the monitor started
     * @param lastHealthy the last time the channel was READY or IDLE, or its creation
     * @param lastFailure the last RPC failure seen, or {@code null}
     */
    public record Snapshot(ConnectivityState state, Instant since, long transitions, Instant lastHealthy,
            Failure lastFailure) {
    }

    private static final int MAX_DESCRIPTION_LENGTH = 200;

    private final String name;
    private final ManagedChannel channel;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    @GuardedBy("lock")
    private ConnectivityState state;
    @GuardedBy("lock")
    private Instant since;
    @GuardedBy("lock")
    private long transitions;
    @GuardedBy("lock")
    private Instant lastHealthy;
    @GuardedBy("lock")
    private Failure lastFailure;

    public ChannelMonitor(String name, ManagedChannel channel, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds a listener for transitions seen from now on. */
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Reads the initial state and starts following changes. */
    public void start() {
        ConnectivityState initial = channel.getState(false);
        Instant now = clock.instant();
        synchronized (lock) {
            state = initial;
            since = now;
            lastHealthy = now;
        }
        watch(initial);
    }

    public String name() {
        return name;
    }

    public ManagedChannel channel() {
        return channel;
    }

    private void watch(ConnectivityState current) {
        if (current != ConnectivityState.SHUTDOWN) {
            channel.notifyWhenStateChanged(current, this::onStateChanged);
        }
    }

    private void onStateChanged() {
        ConnectivityState now = channel.getState(false);
        Instant at = clock.instant();
        ConnectivityState from;
        synchronized (lock) {
            from = state;
            if (from != now) {
                if (isHealthy(from)) {
                    lastHealthy = at;
                }
                state = now;
                since = at;
                transitions++;
            }
        }
        if (from != now) {
            for (Listener listener : listeners) {
                listener.onTransition(name, from, now);
            }
        }
        watch(now);
    }

    /** Records an RPC that failed on this channel; the description is cut to 200 characters. */
    public void recordFailure(Status status) {
        String description = description(status);
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            description = description.substring(0, MAX_DESCRIPTION_LENGTH);
        }
        Failure failure = new Failure(status.getCode(), description, clock.instant());
        synchronized (lock) {
            lastFailure = failure;
        }
    }

    /**
     * What a status says about its cause: the root cause's message where the status has a cause
     * ({@code Connection refused: /127.0.0.1:9091} rather than grpc-java's {@code io exception}),
     * else its description; {@code null} when it has neither.
     *
     * <p>The innermost cause is taken, unless an outer one repeats its message with more detail
     * (Netty's connect exception adds the address to the JDK's {@code Connection refused}).
     */
    public static String description(Status status) {
        Throwable cause = status.getCause();
        if (cause == null) {
            return status.getDescription();
        }
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = cause; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        String best = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            String message = chain.get(i).getMessage();
            if (message == null || message.isBlank()) {
                continue;
            }
            if (best == null || message.contains(best)) {
                best = message;
            } else {
                break;
            }
        }
        if (best == null) {
            best = chain.get(chain.size() - 1).getClass().getSimpleName();
        }
        return best;
    }

    /** The current record. While the channel is healthy, {@code lastHealthy} is now. */
    public Snapshot snapshot() {
        Instant now = clock.instant();
        synchronized (lock) {
            return new Snapshot(state, since, transitions, isHealthy(state) ? now : lastHealthy, lastFailure);
        }
    }

    private static boolean isHealthy(ConnectivityState state) {
        return state == ConnectivityState.READY || state == ConnectivityState.IDLE;
    }
}
