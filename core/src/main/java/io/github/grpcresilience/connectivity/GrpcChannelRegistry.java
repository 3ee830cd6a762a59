package io.github.grpcresilience.connectivity;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every managed channel the application created, by name, with its target, the effective
 * resilience settings it was built with and its {@link ChannelMonitor}. A channel leaves the
 * registry when it reaches SHUTDOWN; subscribers hear about both ends of its life.
 *
 * <p>A subscriber hears of every channel exactly once, including those registered before it
 * subscribed: an integration may build channels before the beans that subscribe exist (Spring
 * gRPC builds them while the application's own beans are created).
 *
 * <p>Thread-safety: channels may be registered from any thread (integrations create them lazily).
 * Who is told of what is decided under the lock; subscribers are called after it is released, on
 * the registering or subscribing thread and on the channel's executor.
 */
public final class GrpcChannelRegistry {

    /**
     * One registered channel.
     *
     * @param name the channel name (net.devh client name)
     * @param target the target it was built for
     * @param channel the managed channel
     * @param monitor its connectivity monitor
     * @param settings the effective resilience settings, for display (no credentials): an immutable
     *     value the adapter's endpoint serialises as it is (the registry never looks inside)
     */
    public record Entry(String name, String target, ManagedChannel channel, ChannelMonitor monitor,
            Object settings) {
    }

    /** Hears when channels are registered and when they have shut down. */
    public interface Subscriber {
        void onRegistered(Entry entry);

        void onShutdown(Entry entry);
    }

    private final Object lock = new Object();
    @GuardedBy("lock")
    private final Map<String, Entry> entries = new HashMap<>();
    @GuardedBy("lock")
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final Clock clock;

    public GrpcChannelRegistry(Clock clock) {
        this.clock = clock;
    }

    /** Adds a subscriber and tells it of the channels registered already. */
    public void subscribe(Subscriber subscriber) {
        List<Entry> existing;
        synchronized (lock) {
            subscribers.add(subscriber);
            existing = List.copyOf(entries.values());
        }
        existing.forEach(subscriber::onRegistered);
    }

    /**
     * Registers a channel and starts its monitor.
     *
     * @throws IllegalStateException if a live channel of that name is registered already
     */
    public Entry register(String name, String target, ManagedChannel channel, Object settings) {
        ChannelMonitor monitor = new ChannelMonitor(name, channel, clock);
        Entry entry = new Entry(name, target, channel, monitor, Objects.requireNonNull(settings, "settings"));
        List<Subscriber> told;
        synchronized (lock) {
            if (entries.putIfAbsent(name, entry) != null) {
                throw new IllegalStateException("A channel named '" + name + "' is registered already");
            }
            told = List.copyOf(subscribers);
        }
        monitor.addListener((channelName, from, to) -> {
            if (to == ConnectivityState.SHUTDOWN) {
                shutDown(entry);
            }
        });
        told.forEach(subscriber -> subscriber.onRegistered(entry));
        monitor.start();
        return entry;
    }

    private void shutDown(Entry entry) {
        List<Subscriber> told;
        synchronized (lock) {
            if (!entries.remove(entry.name(), entry)) {
                return;
            }
            told = List.copyOf(subscribers);
        }
        told.forEach(subscriber -> subscriber.onShutdown(entry));
    }

    public Optional<Entry> get(String name) {
        synchronized (lock) {
            return Optional.ofNullable(entries.get(name));
        }
    }

    /** The live channels, in no particular order. */
    public Collection<Entry> all() {
        synchronized (lock) {
            return List.copyOf(entries.values());
        }
    }
}
