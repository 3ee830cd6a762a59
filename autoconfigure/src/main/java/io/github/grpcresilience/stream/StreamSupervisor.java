package io.github.grpcresilience.stream;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Creates resilient streams and brings them back after a break. A stream that breaks with a
 * retryable status puts a reconnect event into one bounded queue; one scheduler thread drains it,
 * waits each stream's backoff and re-opens it, or re-opens it at once when its channel becomes
 * READY again. While streams wait on a channel that is not READY, the supervisor resets that channel's
 * connect backoff (or asks an IDLE channel to connect) once per check interval, with jitter, so a
 * server that comes back is used within about one interval rather than after grpc-java's own
 * backoff, which grows to 120 s. No thread per stream: 10,000 streams share the one scheduler.
 *
 * <p>Threads: {@link #scheduleReconnect} runs on gRPC's executor and only queues; everything else
 * (draining, timers, channel watches, which hand over from the channel's executor) runs on the one
 * scheduler thread, so decisions about a channel never race. The wait lists are still guarded by
 * {@code lock}, because streams leave them from application threads ({@code close}).
 */
public final class StreamSupervisor implements AutoCloseable {

    private final Function<String, StreamSettings> settings;
    private final Function<String, Optional<ManagedChannel>> channels;
    private final ScheduledExecutorService scheduler;
    private final DoubleSupplier random;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final BlockingQueue<ReconnectEvent> queue;
    private final List<StreamListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ResilientStream<?, ?>> streams = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    @GuardedBy("lock")
    private final Map<String, Set<ResilientStream<?, ?>>> waitingByChannel = new HashMap<>();
    @GuardedBy("lock")
    private final Map<ResilientStream<?, ?>, ScheduledFuture<?>> scheduled = new HashMap<>();
    /** Channels being watched, with the generation of their current watch (older chains stop). */
    @GuardedBy("lock")
    private final Map<String, Integer> watchedChannels = new HashMap<>();
    @GuardedBy("lock")
    private int generations;
    /** Channels with a check chain running. */
    @GuardedBy("lock")
    private final Set<String> checking = new LinkedHashSet<>();
    @GuardedBy("lock")
    private boolean closed;

    private record ReconnectEvent(ResilientStream<?, ?> stream, int attempt) {
    }

    /**
     * @param settings the settings of each stream, by stream name
     * @param channels the managed channel behind each channel name, when known (for watching
     *        connectivity and resetting its backoff)
     * @param scheduler a single-threaded scheduler that drains the queue and re-opens streams; owned
     *        by the caller
     * @param queueCapacity reconnect events that may wait at once; a stream whose event does not
     *        fit FAILS with a status naming the setting
     * @param random uniform values in [0, 1) for jitter
     * @param nanoTime a monotonic clock for downtimes and backoff resets ({@code System::nanoTime})
     * @param clock the wall clock for the {@code since} times shown to operators
     */
    public StreamSupervisor(Function<String, StreamSettings> settings,
            Function<String, Optional<ManagedChannel>> channels, ScheduledExecutorService scheduler,
            int queueCapacity, DoubleSupplier random, LongSupplier nanoTime, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.channels = Objects.requireNonNull(channels, "channels");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.random = random;
        this.nanoTime = nanoTime;
        this.clock = clock;
    }

    public void addListener(StreamListener listener) {
        listeners.add(listener);
    }

    /** A bidirectional stream on the named channel. */
    public <ReqT, RespT> BidiBuilder<ReqT, RespT> bidi(String name, String channel) {
        return new BidiBuilder<>(name, channel);
    }

    /** A server-streaming call on the named channel; its request is sent again on every reconnect. */
    public <ReqT, RespT> ServerStreamBuilder<ReqT, RespT> serverStream(String name, String channel) {
        return new ServerStreamBuilder<>(name, channel);
    }

    /** The started streams that were not closed: live ones and FAILED ones (for health). */
    public Collection<ResilientStream<?, ?>> streams() {
        return List.copyOf(streams.values());
    }

    public Optional<ResilientStream<?, ?>> stream(String name) {
        return Optional.ofNullable(streams.get(name));
    }

    /** Closes every stream; the scheduler stays the caller's to shut down. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            scheduled.values().forEach(future -> future.cancel(false));
            scheduled.clear();
            waitingByChannel.clear();
        }
        streams.values().forEach(ResilientStream::close);
        queue.clear();
    }

    List<StreamListener> listeners() {
        return listeners;
    }

    LongSupplier nanoTime() {
        return nanoTime;
    }

    Clock clock() {
        return clock;
    }

    private <ReqT, RespT> ResilientStream<ReqT, RespT> register(ResilientStream<ReqT, RespT> stream) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("The stream supervisor is closed");
            }
        }
        ResilientStream<?, ?> existing = streams.compute(stream.name(),
                (name, previous) -> previous == null || previous.state().isTerminal() ? stream : previous);
        if (existing != stream) {
            throw new IllegalStateException("A stream named '" + stream.name() + "' exists already");
        }
        return stream;
    }

    /** Stops scheduling a stream that closed or failed; a closed one is forgotten entirely. */
    void forget(ResilientStream<?, ?> stream) {
        if (stream.state() == StreamState.CLOSED) {
            streams.remove(stream.name(), stream);
        }
        synchronized (lock) {
            ScheduledFuture<?> future = scheduled.remove(stream);
            if (future != null) {
                future.cancel(false);
            }
            Set<ResilientStream<?, ?>> waiting = waitingByChannel.get(stream.channel());
            if (waiting != null) {
                waiting.remove(stream);
            }
        }
    }

    /** Queues a broken stream for its next attempt ({@code attempt} counts from 0 after a break). */
    void scheduleReconnect(ResilientStream<?, ?> stream, int attempt) {
        if (!queue.offer(new ReconnectEvent(stream, attempt))) {
            stream.failUnqueued(Status.UNAVAILABLE.withDescription("The reconnect queue is full ("
                    + (queue.size() + queue.remainingCapacity()) + " events): raise reconnect.queue-capacity"));
            return;
        }
        runOnScheduler(this::drain);
    }

    /** Hands work to the scheduler; after shutdown (the application is stopping) it is dropped. */
    private void runOnScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the supervisor's owner shut the scheduler down: nothing is to be re-opened any more
        }
    }

    /** Scheduler thread: moves queued events to their timers and wait lists. */
    private void drain() {
        List<ReconnectEvent> events = new ArrayList<>();
        queue.drainTo(events);
        Map<String, Integer> toWatch = new HashMap<>();
        Set<String> toCheck = new LinkedHashSet<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (ReconnectEvent event : events) {
                ResilientStream<?, ?> stream = event.stream();
                long delay = stream.settings().backoff().delayNanos(event.attempt(), random);
                waitingByChannel.computeIfAbsent(stream.channel(), name -> new LinkedHashSet<>()).add(stream);
                scheduled.put(stream, scheduler.schedule(() -> attemptNow(stream), delay, TimeUnit.NANOSECONDS));
                if (!watchedChannels.containsKey(stream.channel())) {
                    int generation = ++generations;
                    watchedChannels.put(stream.channel(), generation);
                    toWatch.put(stream.channel(), generation);
                }
                if (checking.add(stream.channel())) {
                    toCheck.add(stream.channel());
                }
            }
        }
        toWatch.forEach((channel, generation) -> channels.apply(channel).ifPresentOrElse(
                managed -> watch(channel, generation, managed, managed.getState(false), false),
                () -> unwatch(channel, generation)));
        for (String channel : toCheck) {
            channels.apply(channel).ifPresentOrElse(managed -> scheduleCheck(channel, managed),
                    () -> stopChecking(channel));
        }
    }

    /** Scheduler thread: re-opens one stream now, if it is still waiting. */
    private void attemptNow(ResilientStream<?, ?> stream) {
        synchronized (lock) {
            if (scheduled.remove(stream) == null) {
                return;
            }
            Set<ResilientStream<?, ?>> waiting = waitingByChannel.get(stream.channel());
            if (waiting != null) {
                waiting.remove(stream);
            }
        }
        stream.reopen();
    }

    /** Re-opens every stream waiting on the channel at once (it just became READY). */
    private void attemptAllOn(String channel) {
        List<ResilientStream<?, ?>> due;
        synchronized (lock) {
            Set<ResilientStream<?, ?>> waiting = waitingByChannel.get(channel);
            if (waiting == null || waiting.isEmpty()) {
                return;
            }
            due = new ArrayList<>(waiting);
            waiting.clear();
            for (ResilientStream<?, ?> stream : due) {
                ScheduledFuture<?> future = scheduled.remove(stream);
                if (future != null) {
                    future.cancel(false);
                }
            }
        }
        due.forEach(ResilientStream::reopen);
    }

    /**
     * Follows the channel while streams wait on it (callbacks are one-shot, so re-registered each
     * time). Only a change into READY re-opens streams at once: a channel that was READY all along
     * broke nothing, so its streams keep their backoff (a server answering UNAVAILABLE is not
     * hammered).
     */
    private void watch(String channel, int generation, ManagedChannel managed, ConnectivityState seen,
            boolean changed) {
        if (!isCurrentWatch(channel, generation)) {
            return;
        }
        if (changed && seen == ConnectivityState.READY) {
            attemptAllOn(channel);
        }
        if (seen == ConnectivityState.SHUTDOWN || !hasWaiting(channel)) {
            unwatch(channel, generation);
            return;
        }
        managed.notifyWhenStateChanged(seen, () -> runOnScheduler(() -> {
            ConnectivityState now = managed.getState(false);
            watch(channel, generation, managed, now, now != seen);
        }));
    }

    /** Once per check interval (with jitter) while streams wait: push the channel to reconnect now. */
    private void scheduleCheck(String channel, ManagedChannel managed) {
        StreamSettings any = settingsOfWaiting(channel);
        if (any == null) {
            stopChecking(channel);
            return;
        }
        double jitter = any.backoff().jitter();
        long delay = Math.round(any.checkInterval().toNanos() * (1 + jitter * (2 * random.getAsDouble() - 1)));
        scheduler.schedule(() -> {
            if (!hasWaiting(channel)) {
                stopChecking(channel);
                return;
            }
            ConnectivityState state = managed.getState(false);
            if (state == ConnectivityState.TRANSIENT_FAILURE) {
                managed.resetConnectBackoff();
            } else if (state == ConnectivityState.IDLE) {
                managed.getState(true);
            }
            scheduleCheck(channel, managed);
        }, delay, TimeUnit.NANOSECONDS);
    }

    private boolean hasWaiting(String channel) {
        synchronized (lock) {
            Set<ResilientStream<?, ?>> waiting = waitingByChannel.get(channel);
            return !closed && waiting != null && !waiting.isEmpty();
        }
    }

    private StreamSettings settingsOfWaiting(String channel) {
        synchronized (lock) {
            Set<ResilientStream<?, ?>> waiting = waitingByChannel.get(channel);
            return waiting == null || waiting.isEmpty() ? null : waiting.iterator().next().settings();
        }
    }

    private void unwatch(String channel, int generation) {
        synchronized (lock) {
            watchedChannels.remove(channel, generation);
        }
    }

    private void stopChecking(String channel) {
        synchronized (lock) {
            checking.remove(channel);
        }
    }

    private boolean isCurrentWatch(String channel, int generation) {
        synchronized (lock) {
            return Integer.valueOf(generation).equals(watchedChannels.get(channel));
        }
    }

    /** Builds a bidirectional resilient stream. */
    public final class BidiBuilder<ReqT, RespT> {
        private final String name;
        private final String channel;
        private ResilientStream.Opener<ReqT, RespT> opener;
        private Consumer<RespT> onMessage;
        private Consumer<ResilientStream.Outbound<ReqT>> onReconnect;
        private Consumer<Status> onFailure;
        private Runnable onCompleted;
        private Consumer<List<ReqT>> onUnsent;

        private BidiBuilder(String name, String channel) {
            this.name = name;
            this.channel = channel;
        }

        /** How to open one call, e.g. {@code responses -> stub.subscribe(responses)}. */
        public BidiBuilder<ReqT, RespT> open(ResilientStream.Opener<ReqT, RespT> opener) {
            this.opener = opener;
            return this;
        }

        /** Receives every response message, on gRPC's executor. */
        public BidiBuilder<ReqT, RespT> onMessage(Consumer<RespT> onMessage) {
            this.onMessage = onMessage;
            return this;
        }

        /**
         * Runs once per successful (re)open, the first included, on gRPC's executor, before
         * buffered messages flow: resubscribe here, replaying from the application's own checkpoint.
         * No lock of the stream is held while it runs; what it writes through its argument goes
         * first, and a {@code send} made meanwhile (from any thread) is buffered behind it.
         */
        public BidiBuilder<ReqT, RespT> onReconnect(Consumer<ResilientStream.Outbound<ReqT>> onReconnect) {
            this.onReconnect = onReconnect;
            return this;
        }

        /** Told the status when the stream fails for good (non-retryable, or out of attempts). */
        public BidiBuilder<ReqT, RespT> onFailure(Consumer<Status> onFailure) {
            this.onFailure = onFailure;
            return this;
        }

        /** Told when the server completes the stream normally (it is then CLOSED). */
        public BidiBuilder<ReqT, RespT> onCompleted(Runnable onCompleted) {
            this.onCompleted = onCompleted;
            return this;
        }

        /**
         * Receives, in send order, messages {@code send} accepted that will never be written: the
         * one {@code DROP_OLDEST} pushed out (on the sending thread), and those still buffered when
         * the stream ends (closed, completed by the server, or FAILED; on the thread that ended it,
         * after {@code onFailure}/{@code onCompleted}). With this hook nothing accepted is lost
         * without the application knowing; without it they are discarded (listeners hear the count).
         */
        public BidiBuilder<ReqT, RespT> onUnsent(Consumer<List<ReqT>> onUnsent) {
            this.onUnsent = onUnsent;
            return this;
        }

        /** Registers the stream without opening it: call {@link ResilientStream#start()} when ready. */
        public ResilientStream<ReqT, RespT> build() {
            return register(new ResilientStream<>(name, channel, settings.apply(name), StreamSupervisor.this,
                    opener, onMessage, onReconnect, onFailure, onCompleted, onUnsent, true));
        }

        /** Registers and opens the stream. */
        public ResilientStream<ReqT, RespT> start() {
            return build().start();
        }
    }

    /** Builds a resilient server-streaming call. */
    public final class ServerStreamBuilder<ReqT, RespT> {
        private final String name;
        private final String channel;
        private BiConsumer<ReqT, StreamObserver<RespT>> call;
        private ReqT request;
        private Consumer<RespT> onMessage;
        private Consumer<Status> onFailure;
        private Runnable onCompleted;

        private ServerStreamBuilder(String name, String channel) {
            this.name = name;
            this.channel = channel;
        }

        /** How to make the call, e.g. {@code stub::watch}. */
        public ServerStreamBuilder<ReqT, RespT> open(BiConsumer<ReqT, StreamObserver<RespT>> call) {
            this.call = call;
            return this;
        }

        /** The request sent on the first call and again on every reconnect. */
        public ServerStreamBuilder<ReqT, RespT> request(ReqT request) {
            this.request = request;
            return this;
        }

        public ServerStreamBuilder<ReqT, RespT> onMessage(Consumer<RespT> onMessage) {
            this.onMessage = onMessage;
            return this;
        }

        public ServerStreamBuilder<ReqT, RespT> onFailure(Consumer<Status> onFailure) {
            this.onFailure = onFailure;
            return this;
        }

        public ServerStreamBuilder<ReqT, RespT> onCompleted(Runnable onCompleted) {
            this.onCompleted = onCompleted;
            return this;
        }

        public ResilientStream<ReqT, RespT> start() {
            Objects.requireNonNull(call, "open(...) is required");
            Objects.requireNonNull(request, "request(...) is required");
            ReqT sent = request;
            BiConsumer<ReqT, StreamObserver<RespT>> caller = call;
            ResilientStream.Opener<ReqT, RespT> opener = responses -> {
                caller.accept(sent, responses);
                return null;
            };
            return register(new ResilientStream<>(name, channel, settings.apply(name), StreamSupervisor.this,
                    opener, onMessage, null, onFailure, onCompleted, null, false)).start();
        }
    }
}
