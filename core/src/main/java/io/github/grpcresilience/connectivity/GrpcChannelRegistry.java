package io.github.grpcresilience.connectivity;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every managed channel the application created, by name, with its target, the effective
 * resilience settings it was built with and its {@link ChannelMonitor}. A channel leaves the
 * registry when it reaches SHUTDOWN; subscribers hear about both ends of its life.
 *
 * <p>Thread-safety: channels may be registered from any thread (net.devh creates them lazily);
 * entries live in a concurrent map and subscribers in a copy-on-write list. Subscribers are
 * called on the registering thread and on the channel's executor, outside any lock.
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

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public GrpcChannelRegistry(Clock clock) {
        this.clock = clock;
    }

    public void subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
    }

    /**
     * Registers a channel and starts its monitor.
     *
     * @throws IllegalStateException if a live channel of that name is registered already
     */
    public Entry register(String name, String target, ManagedChannel channel, Object settings) {
        ChannelMonitor monitor = new ChannelMonitor(name, channel, clock);
        Entry entry = new Entry(name, target, channel, monitor, Objects.requireNonNull(settings, "settings"));
        Entry previous = entries.putIfAbsent(name, entry);
        if (previous != null) {
            throw new IllegalStateException("A channel named '" + name + "' is registered already");
        }
        monitor.addListener((channelName, from, to) -> {
            if (to == ConnectivityState.SHUTDOWN && entries.remove(channelName, entry)) {
                subscribers.forEach(subscriber -> subscriber.onShutdown(entry));
            }
        });
        subscribers.forEach(subscriber -> subscriber.onRegistered(entry));
        monitor.start();
        return entry;
    }

    public Optional<Entry> get(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** The live channels, in no particular order. */
    public Collection<Entry> all() {
        return List.copyOf(entries.values());
    }
}
