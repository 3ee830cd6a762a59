package io.github.grpcresilience.stream;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Creates resilient streams and brings them back after a break. A stream that breaks with a
 * retryable status puts a reconnect event into one bounded queue; the scheduler drains it, waits
 * each stream's backoff and re-opens it, or re-opens it at once when its channel becomes READY
 * again. While streams wait on a channel that is not READY, the supervisor resets that channel's
 * connect backoff (or asks an IDLE channel to connect) once per check interval, with jitter, so a
 * server that comes back is used within about one interval rather than after grpc-java's own
 * backoff, which grows to 120 s. No thread per stream: 10,000 streams share the one scheduler.
 *
 * <p>Threads: every decision (draining, timers, channel watches, forgetting a stream) runs in one
 * {@link SynchronizationContext}, so decisions never overlap on any scheduler, single-threaded or
 * not (the scheduler bean can be replaced), and the wait lists need no lock: they are confined to
 * that context. Work arriving from gRPC's executor, the channel's executor or application threads
 * is queued there and drained on the scheduler, so re-opens never run on those threads.
 */
public final class StreamSupervisor implements AutoCloseable {

    private static final Logger log = Logger.getLogger(StreamSupervisor.class.getName());

    private final Function<String, StreamSettings> settings;
    private final Function<String, Optional<ManagedChannel>> channels;
    private final ScheduledExecutorService scheduler;
    private final DoubleSupplier random;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final BlockingQueue<ReconnectEvent> queue;
    private final List<StreamListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ResilientStream<?, ?>> streams = new ConcurrentHashMap<>();
    private final SynchronizationContext syncContext = new SynchronizationContext((thread, error) -> log.log(
            Level.SEVERE, "Stream supervisor task failed; streams of this supervisor may not reconnect", error));

    // Confined to syncContext.
    private final Map<String, Set<ResilientStream<?, ?>>> waitingByChannel = new HashMap<>();
    private final Map<ResilientStream<?, ?>, SynchronizationContext.ScheduledHandle> scheduled = new HashMap<>();
    /**
     * Streams whose re-open is under way, by channel, each with its channel's {@link #readyTurns}
     * when the attempt began: an attempt that fails after its channel turned READY is retried at
     * once (the turn found no stream waiting to re-open).
     */
    private final Map<String, Map<ResilientStream<?, ?>, Long>> reopeningByChannel = new HashMap<>();
    /** How often each watched channel was seen turning READY. */
    private final Map<String, Long> readyTurns = new HashMap<>();
    /** Channels being watched, with the generation of their current watch (older chains stop). */
    private final Map<String, Integer> watchedChannels = new HashMap<>();
    private int generations;
    /** Channels with a check chain running. */
    private final Set<String> checking = new HashSet<>();

    private volatile boolean closed;

    private record ReconnectEvent(ResilientStream<?, ?> stream, int attempt) {
    }

    /**
     * @param settings the settings of each stream, by stream name
     * @param channels the managed channel behind each channel name, when known (for watching
     *        connectivity and resetting its backoff)
     * @param scheduler runs the supervisor's work and timers, any number of threads; owned by the
     *        caller
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
        closed = true;
        syncContext.execute(() -> {
            scheduled.values().forEach(SynchronizationContext.ScheduledHandle::cancel);
            scheduled.clear();
            waitingByChannel.clear();
            reopeningByChannel.clear();
        });
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
        if (closed) {
            throw new IllegalStateException("The stream supervisor is closed");
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
        runSerially(() -> {
            SynchronizationContext.ScheduledHandle timer = scheduled.remove(stream);
            if (timer != null) {
                timer.cancel();
            }
            Set<ResilientStream<?, ?>> waiting = waitingByChannel.get(stream.channel());
            if (waiting != null) {
                waiting.remove(stream);
            }
            reopened(stream);
        });
    }

    /** The stream is HEALTHY: its re-open is over. */
    void healthy(ResilientStream<?, ?> stream) {
        runSerially(() -> reopened(stream));
    }

    /** Queues a broken stream for its next attempt ({@code attempt} counts from 0 after a break). */
    void scheduleReconnect(ResilientStream<?, ?> stream, int attempt) {
        if (!queue.offer(new ReconnectEvent(stream, attempt))) {
            stream.failUnqueued(Status.UNAVAILABLE.withDescription("The reconnect queue is full ("
                    + (queue.size() + queue.remainingCapacity()) + " events): raise reconnect.queue-capacity"));
            return;
        }
        runSerially(this::drain);
    }

    /**
     * Queues a decision in the context and drains it on the scheduler (not on the caller's thread,
     * which may be gRPC's). After the scheduler's shutdown (the application is stopping) nothing
     * runs any more.
     */
    private void runSerially(Runnable task) {
        syncContext.executeLater(task);
        try {
            scheduler.execute(syncContext::drain);
        } catch (RejectedExecutionException stopping) {
            // the supervisor's owner shut the scheduler down: nothing is to be re-opened any more
        }
    }

    /** In the context: a timer that runs {@code task} in the context after {@code delayNanos}, or null when stopping. */
    private SynchronizationContext.ScheduledHandle schedule(Runnable task, long delayNanos) {
        try {
            return syncContext.schedule(task, delayNanos, TimeUnit.NANOSECONDS, scheduler);
        } catch (RejectedExecutionException stopping) {
            return null;
        }
    }

    /** In the context: moves queued events to their timers and wait lists. */
    private void drain() {
        List<ReconnectEvent> events = new ArrayList<>();
        queue.drainTo(events);
        if (closed) {
            return;
        }
        for (ReconnectEvent event : events) {
            ResilientStream<?, ?> stream = event.stream();
            Long turnsWhenReopened = reopened(stream);
            if (stream.state() != StreamState.UNHEALTHY) {
                continue; // closed meanwhile
            }
            String channel = stream.channel();
            long delay = turnedReadySince(channel, turnsWhenReopened) ? 0
                    : stream.settings().backoff().delayNanos(event.attempt(), random);
            SynchronizationContext.ScheduledHandle timer = schedule(() -> attemptNow(stream), delay);
            if (timer == null) {
                return;
            }
            waitingByChannel.computeIfAbsent(channel, name -> new LinkedHashSet<>()).add(stream);
            scheduled.put(stream, timer);
            if (!watchedChannels.containsKey(channel)) {
                int generation = ++generations;
                watchedChannels.put(channel, generation);
                channels.apply(channel).ifPresentOrElse(
                        managed -> watch(channel, generation, managed, managed.getState(false), false),
                        () -> watchedChannels.remove(channel, generation));
            }
            if (checking.add(channel)) {
                channels.apply(channel).ifPresentOrElse(managed -> scheduleCheck(channel, managed),
                        () -> checking.remove(channel));
            }
        }
    }

    /**
     * In the context: whether the channel turned READY after the attempt that counted
     * {@code turnsWhenReopened}, and is READY now. That turn re-opened nothing (the stream was not
     * waiting then), so the stream owes its failed attempt to the moment, not to the server.
     */
    private boolean turnedReadySince(String channel, Long turnsWhenReopened) {
        return turnsWhenReopened != null && readyTurns.getOrDefault(channel, 0L) > turnsWhenReopened
                && channels.apply(channel).map(managed -> managed.getState(false) == ConnectivityState.READY)
                        .orElse(false);
    }

    /** In the context: re-opens one stream now, if it is still waiting. */
    private void attemptNow(ResilientStream<?, ?> stream) {
        if (scheduled.remove(stream) == null) {
            return;
        }
        Set<ResilientStream<?, ?>> waiting = waitingByChannel.get(stream.channel());
        if (waiting != null) {
            waiting.remove(stream);
        }
        reopen(stream);
    }

    /** In the context: re-opens a stream that no longer waits, noting the channel's READY turns. */
    private void reopen(ResilientStream<?, ?> stream) {
        String channel = stream.channel();
        reopeningByChannel.computeIfAbsent(channel, name -> new HashMap<>())
                .put(stream, readyTurns.getOrDefault(channel, 0L));
        stream.reopen();
    }

    /** In the context: forgets a stream's re-open; returns the READY turns it noted, or null. */
    private Long reopened(ResilientStream<?, ?> stream) {
        Map<ResilientStream<?, ?>, Long> reopening = reopeningByChannel.get(stream.channel());
        return reopening == null ? null : reopening.remove(stream);
    }

    /** In the context: re-opens every stream waiting on the channel at once (it just became READY). */
    private void attemptAllOn(String channel) {
        Set<ResilientStream<?, ?>> waiting = waitingByChannel.get(channel);
        if (waiting == null || waiting.isEmpty()) {
            return;
        }
        List<ResilientStream<?, ?>> due = new ArrayList<>(waiting);
        waiting.clear();
        for (ResilientStream<?, ?> stream : due) {
            SynchronizationContext.ScheduledHandle timer = scheduled.remove(stream);
            if (timer != null) {
                timer.cancel();
            }
        }
        due.forEach(this::reopen);
    }

    /**
     * In the context: follows the channel while streams wait on it or re-open (callbacks are
     * one-shot, so re-registered each time). Only a change into READY re-opens streams at once: a
     * channel that was READY all along broke nothing, so its streams keep their backoff (a server
     * answering UNAVAILABLE is not hammered).
     */
    private void watch(String channel, int generation, ManagedChannel managed, ConnectivityState seen,
            boolean changed) {
        if (!Integer.valueOf(generation).equals(watchedChannels.get(channel))) {
            return;
        }
        if (changed && seen == ConnectivityState.READY) {
            readyTurns.merge(channel, 1L, Long::sum);
            attemptAllOn(channel);
        }
        if (seen == ConnectivityState.SHUTDOWN || !hasPending(channel)) {
            watchedChannels.remove(channel, generation);
            return;
        }
        managed.notifyWhenStateChanged(seen, () -> runSerially(() -> {
            ConnectivityState now = managed.getState(false);
            watch(channel, generation, managed, now, now != seen);
        }));
    }

    /** In the context: once per check interval (with jitter) while streams wait, push the channel to reconnect now. */
    private void scheduleCheck(String channel, ManagedChannel managed) {
        StreamSettings any = settingsOfPending(channel);
        if (any == null) {
            checking.remove(channel);
            return;
        }
        double jitter = any.backoff().jitter();
        long delay = Math.round(any.checkInterval().toNanos() * (1 + jitter * (2 * random.getAsDouble() - 1)));
        SynchronizationContext.ScheduledHandle timer = schedule(() -> {
            if (!hasPending(channel)) {
                checking.remove(channel);
                return;
            }
            ConnectivityState state = managed.getState(false);
            if (state == ConnectivityState.TRANSIENT_FAILURE) {
                managed.resetConnectBackoff();
            } else if (state == ConnectivityState.IDLE) {
                managed.getState(true);
            }
            scheduleCheck(channel, managed);
        }, delay);
        if (timer == null) {
            checking.remove(channel);
        }
    }

    /** Whether streams wait on the channel or re-open on it. */
    private boolean hasPending(String channel) {
        return !closed && settingsOfPending(channel) != null;
    }

    private StreamSettings settingsOfPending(String channel) {
        Set<ResilientStream<?, ?>> waiting = waitingByChannel.get(channel);
        if (waiting != null && !waiting.isEmpty()) {
            return waiting.iterator().next().settings();
        }
        Map<ResilientStream<?, ?>, Long> reopening = reopeningByChannel.get(channel);
        return reopening == null || reopening.isEmpty() ? null : reopening.keySet().iterator().next().settings();
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
        private BiPredicate<RespT, ReqT> confirms;

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
         * after {@code onFailure}/{@code onCompleted}); with {@link #confirmedBy}, written messages
         * never confirmed come first. With this hook nothing accepted is lost without the
         * application knowing; without it they are discarded (listeners hear the count).
         */
        public BidiBuilder<ReqT, RespT> onUnsent(Consumer<List<ReqT>> onUnsent) {
            this.onUnsent = onUnsent;
            return this;
        }

        /**
         * Turns on confirmed delivery for a protocol whose responses confirm what the server
         * received, cumulatively: {@code confirms.test(response, message)} is true when the
         * response confirms that written message (e.g. {@code message.getSeq() <=
         * response.getAckedThrough()}). It runs on gRPC's executor for the oldest unconfirmed
         * messages, before {@code onMessage}. Unconfirmed messages are written again after a
         * reconnect, or handed to {@code onUnsent} when the stream ends: nothing accepted is lost
         * unknown, at the price of an occasional duplicate. Every message {@code send} takes must
         * be confirmable, or it holds back the confirmation of all later ones.
         */
        public BidiBuilder<ReqT, RespT> confirmedBy(BiPredicate<RespT, ReqT> confirms) {
            this.confirms = confirms;
            return this;
        }

        /** Registers the stream without opening it: call {@link ResilientStream#start()} when ready. */
        public ResilientStream<ReqT, RespT> build() {
            return register(new ResilientStream<>(name, channel, settings.apply(name), StreamSupervisor.this,
                    opener, onMessage, onReconnect, onFailure, onCompleted, onUnsent, confirms, true));
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
                    opener, onMessage, null, onFailure, onCompleted, null, null, false)).start();
        }
    }
}
