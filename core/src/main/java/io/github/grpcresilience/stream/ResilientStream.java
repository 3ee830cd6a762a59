package io.github.grpcresilience.stream;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A long-lived gRPC stream that re-opens itself after a retryable break. When a new call is
 * confirmed (ready on a live transport, or its first message arrived) the application's
 * {@code onReconnect} hook writes first (to resubscribe, replaying from the application's own
 * checkpoint), then the messages {@link #send sent} while the stream was down flow, in order and
 * respecting flow control. The hook runs once per successful (re)open, the first open included;
 * attempts that fail before the call is confirmed do not run it.
 *
 * <p>Delivery: every message given to {@link #send} has exactly one of three fates. It is written
 * to a call; or {@code send} throws and the message was never accepted; or it is handed back to
 * the application's {@code onUnsent} hook: the oldest one that {@code DROP_OLDEST} pushed out, and
 * those still buffered when the stream ends (closed by the application, completed by the server,
 * FAILED). A message accepted while the stream is down is written once, after the next reconnect.
 * A message written to a call that then broke may or may not have reached the server (at most
 * once): gRPC never retries a stream that has received a response.
 *
 * <p>Confirmed delivery (opt-in, {@code confirmedBy}): when the application's protocol lets the
 * server confirm what it received (a cumulative ack in its responses), the stream keeps every
 * written message until a response confirms it. When the call breaks, the unconfirmed ones are
 * written again, first, after the next reconnect (at least once: the server may see one twice);
 * when the stream ends they are handed to {@code onUnsent} with the buffered ones. So every
 * accepted message is confirmed by the server or handed back. At most a buffer capacity of
 * messages is unconfirmed at a time; beyond it {@code send} buffers (a window, as in TCP).
 * Messages the reconnect hook writes are not tracked: it writes them again on every open.
 *
 * <p>Threads: gRPC's executor runs the call callbacks (and the reconnect hook), the supervisor's
 * scheduler runs re-opens, application threads call {@code send} and {@code close}. State is
 * guarded by {@code lock}; writes to a call are serialised by that call's {@code writeLock} (a
 * {@link StreamObserver} is not thread-safe), always taken before {@code lock}; the buffer's own
 * lock is innermost. Application code (hooks, listeners) runs outside all of them.
 *
 * @param <ReqT> messages the client sends (for server-streaming calls, the request re-sent on every open)
 * @param <RespT> messages the server sends
 */
public final class ResilientStream<ReqT, RespT> {

    /** Opens one call and returns its request side (bidi). */
    @FunctionalInterface
    public interface Opener<ReqT, RespT> {
        StreamObserver<ReqT> open(StreamObserver<RespT> responses);
    }

    /** The new call's request side, for the reconnect hook: writes go before any buffered message. */
    @FunctionalInterface
    public interface Outbound<ReqT> {
        void send(ReqT message);
    }

    /**
     * A point-in-time view for health, metrics and the endpoint.
     *
     * @param state current state
     * @param since when it entered that state
     * @param attempts reconnect attempts in the current (or last) outage; back to 0 once healthy long enough
     * @param reconnects successful reconnects since start
     * @param lastStatus the status that ended the last call, or {@code null}
     * @param buffered messages waiting for the next reconnect
     * @param dropped messages dropped by {@link OverflowPolicy#DROP_OLDEST}
     * @param downSince when the stream last left HEALTHY (or first failed to open), or {@code null} while up
     */
    public record Snapshot(StreamState state, Instant since, int attempts, long reconnects, Status lastStatus,
            int buffered, long dropped, Instant downSince) {
    }

    private final String name;
    private final String channel;
    private final StreamSettings settings;
    private final StreamSupervisor supervisor;
    private final Opener<ReqT, RespT> opener;
    private final Consumer<RespT> onMessage;
    private final Consumer<Outbound<ReqT>> onReconnect;
    private final Consumer<Status> onFailure;
    private final Runnable onCompleted;
    private final Consumer<List<ReqT>> onUnsent;
    private final BiPredicate<RespT, ReqT> confirms;
    private final boolean acceptsMessages;
    private final OutboundBuffer<ReqT> buffer;
    private final LongSupplier nanoTime;
    private final java.time.Clock clock;

    private final Object lock = new Object();
    @GuardedBy("lock")
    private StreamState state = StreamState.CONNECTING;
    @GuardedBy("lock")
    private Instant since;
    @GuardedBy("lock")
    private Attempt current;
    @GuardedBy("lock")
    private int attempts;
    @GuardedBy("lock")
    private long reconnects;
    @GuardedBy("lock")
    private long healthySinceNanos;
    @GuardedBy("lock")
    private long downSinceNanos = -1;
    @GuardedBy("lock")
    private Instant downSince;
    @GuardedBy("lock")
    private Status lastStatus;
    @GuardedBy("lock")
    private boolean started;

    ResilientStream(String name, String channel, StreamSettings settings, StreamSupervisor supervisor,
            Opener<ReqT, RespT> opener, Consumer<RespT> onMessage, Consumer<Outbound<ReqT>> onReconnect,
            Consumer<Status> onFailure, Runnable onCompleted, Consumer<List<ReqT>> onUnsent,
            BiPredicate<RespT, ReqT> confirms, boolean acceptsMessages) {
        this.name = Objects.requireNonNull(name, "name");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.settings = settings;
        this.supervisor = supervisor;
        this.opener = Objects.requireNonNull(opener, "open(...) is required");
        this.onMessage = Objects.requireNonNull(onMessage, "onMessage(...) is required");
        this.onReconnect = onReconnect;
        this.onFailure = onFailure;
        this.onCompleted = onCompleted;
        this.onUnsent = onUnsent;
        this.confirms = confirms;
        this.acceptsMessages = acceptsMessages;
        this.buffer = new OutboundBuffer<>(name, settings.bufferCapacity(), settings.overflow(),
                settings.blockTimeout());
        this.nanoTime = supervisor.nanoTime();
        this.clock = supervisor.clock();
        this.since = clock.instant();
    }

    public String name() {
        return name;
    }

    /** The name of the channel the stream runs on (the net.devh client name). */
    public String channel() {
        return channel;
    }

    public StreamSettings settings() {
        return settings;
    }

    /** Opens the stream for the first time. */
    public ResilientStream<ReqT, RespT> start() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("Stream '" + name + "' is started already");
            }
            started = true;
        }
        open();
        return this;
    }

    /**
     * Sends a message: at once when the stream is healthy and ready, else into the outbound buffer
     * until the next reconnect. When this returns normally the message was written or accepted;
     * an accepted message that is never written is handed to {@code onUnsent} (see the class
     * javadoc). When it throws, the message was not accepted.
     *
     * @throws OutboundBufferFullException when the buffer is full (policy FAIL, or BLOCK timed out)
     * @throws StreamEndedException when the stream is closed or failed, also while waiting under BLOCK
     * @throws IllegalStateException when interrupted while waiting under BLOCK
     * @throws UnsupportedOperationException for a server-streaming call
     */
    public void send(ReqT message) {
        Objects.requireNonNull(message, "message");
        if (!acceptsMessages) {
            throw new UnsupportedOperationException("Stream '" + name + "' is server-streaming: it takes no messages");
        }
        Attempt healthy = healthyAttempt();
        if (healthy != null && healthy.writeIfDirect(message)) {
            return;
        }
        ReqT dropped;
        try {
            dropped = buffer.add(message);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for room in stream '" + name + "'", ex);
        }
        if (dropped != null) {
            supervisor.listeners().forEach(listener -> listener.onDropped(this));
            handBack(List.of(dropped));
        }
        Attempt now = healthyAttempt();
        if (now != null) {
            now.flush();
        }
    }

    /**
     * Closes the stream for good: cancels the current call and never reconnects. Messages still
     * buffered go to {@code onUnsent} before this returns; a {@code send} racing this either
     * throws {@link StreamEndedException} or its message is among them (or was written).
     */
    public void close() {
        Attempt toCancel;
        StreamState from;
        synchronized (lock) {
            if (state.isTerminal()) {
                return;
            }
            from = state;
            state = StreamState.CLOSED;
            since = clock.instant();
            toCancel = current;
            current = null;
        }
        List<ReqT> unsent = new ArrayList<>();
        if (toCancel != null) {
            toCancel.cancel();
            unsent.addAll(toCancel.endAndTakeUnconfirmed());
        }
        unsent.addAll(buffer.close());
        supervisor.forget(this);
        notifyStateChange(from, StreamState.CLOSED, null);
        handBack(unsent);
    }

    /** Gives accepted-but-unwritten messages back to the application; listeners hear the count. */
    private void handBack(List<ReqT> unsent) {
        if (unsent.isEmpty()) {
            return;
        }
        supervisor.listeners().forEach(listener -> listener.onUnsent(this, unsent.size(), onUnsent != null));
        if (onUnsent != null) {
            onUnsent.accept(unsent);
        }
    }

    public StreamState state() {
        synchronized (lock) {
            return state;
        }
    }

    public Snapshot snapshot() {
        synchronized (lock) {
            return new Snapshot(state, since, attempts, reconnects, lastStatus, buffer.bufferedCount(), buffer.dropped(),
                    downSince);
        }
    }

    /** Called by the supervisor when the stream's next attempt is due. */
    void reopen() {
        StreamState from;
        synchronized (lock) {
            if (state != StreamState.UNHEALTHY) {
                return;
            }
            from = state;
            state = StreamState.RECONNECTING;
            since = clock.instant();
        }
        notifyStateChange(from, StreamState.RECONNECTING, null);
        open();
    }

    private void open() {
        Attempt attempt = new Attempt();
        synchronized (lock) {
            if (state.isTerminal()) {
                return;
            }
            current = attempt;
        }
        try {
            opener.open(attempt);
        } catch (RuntimeException ex) {
            attempt.onError(Status.INTERNAL.withDescription("open(...) threw").withCause(ex).asRuntimeException());
        }
    }

    private Attempt healthyAttempt() {
        synchronized (lock) {
            return state == StreamState.HEALTHY ? current : null;
        }
    }

    /**
     * The call showed a sign of life (ready on a transport, or a message): the stream is HEALTHY,
     * the reconnect hook writes first, then buffered messages flow. The hook is application code,
     * so it runs with no lock held; its order is kept by the call's gate instead: until the hook
     * returns, {@code send} buffers (behind the hook's writes) and nothing flushes. gRPC runs one
     * call's callbacks one at a time, so the hook never runs twice for one call.
     */
    private void markHealthy(Attempt attempt) {
        StreamState from;
        long downtime = -1;
        synchronized (lock) {
            if (attempt != current || state == StreamState.HEALTHY || state.isTerminal()) {
                return;
            }
            from = state;
            state = StreamState.HEALTHY;
            since = clock.instant();
            healthySinceNanos = nanoTime.getAsLong();
            if (downSinceNanos >= 0) {
                downtime = healthySinceNanos - downSinceNanos;
                downSinceNanos = -1;
                downSince = null;
                reconnects++;
            }
        }
        if (onReconnect != null) {
            onReconnect.accept(attempt::writeDirect);
        }
        attempt.openGate();
        attempt.flush();
        supervisor.healthy(this);
        notifyStateChange(from, StreamState.HEALTHY, null);
        if (downtime >= 0) {
            long downtimeNanos = downtime;
            supervisor.listeners().forEach(listener -> listener.onReconnected(this, downtimeNanos));
        }
    }

    /** The call ended: decide between reconnecting, failing and nothing (a stale or closed call). */
    private void ended(Attempt attempt, Status status) {
        StreamState from;
        StreamState to;
        int nextAttempt;
        synchronized (lock) {
            if (attempt != current || state.isTerminal()) {
                return;
            }
            current = null;
            lastStatus = status;
            from = state;
            long now = nanoTime.getAsLong();
            if (from == StreamState.HEALTHY) {
                downSinceNanos = now;
                downSince = clock.instant();
                if (now - healthySinceNanos >= settings.healthyReset().toNanos()) {
                    attempts = 0;
                }
            } else if (downSinceNanos < 0) {
                downSinceNanos = now;
                downSince = clock.instant();
            }
            if (status.isOk()) {
                to = StreamState.CLOSED;
            } else if (!settings.isRetryable(status, attempt.cancelledByUs)) {
                to = StreamState.FAILED;
            } else if (settings.maxAttempts() > 0 && attempts >= settings.maxAttempts()) {
                to = StreamState.FAILED;
            } else {
                to = StreamState.UNHEALTHY;
            }
            state = to;
            since = clock.instant();
            nextAttempt = attempts;
            if (to == StreamState.UNHEALTHY) {
                attempts++;
            }
        }
        List<ReqT> unconfirmed = attempt.endAndTakeUnconfirmed();
        if (from != StreamState.HEALTHY && from != StreamState.CONNECTING) {
            supervisor.listeners().forEach(listener -> listener.onAttemptFailed(this, status));
        }
        notifyStateChange(from, to, status);
        if (to == StreamState.UNHEALTHY) {
            if (!buffer.requeue(unconfirmed)) {
                handBack(unconfirmed); // close() won the race and emptied the buffer already
            }
            supervisor.scheduleReconnect(this, nextAttempt);
        } else {
            List<ReqT> unsent = new ArrayList<>(unconfirmed);
            unsent.addAll(buffer.close());
            supervisor.forget(this);
            if (to == StreamState.CLOSED && onCompleted != null) {
                onCompleted.run();
            } else if (to == StreamState.FAILED && onFailure != null) {
                onFailure.accept(status);
            }
            handBack(unsent);
        }
    }

    /** The supervisor could not queue the reconnect (queue full): the stream fails with that reason. */
    void failUnqueued(Status status) {
        StreamState from;
        synchronized (lock) {
            if (state.isTerminal()) {
                return;
            }
            from = state;
            state = StreamState.FAILED;
            since = clock.instant();
            lastStatus = status;
        }
        List<ReqT> unsent = buffer.close();
        notifyStateChange(from, StreamState.FAILED, status);
        if (onFailure != null) {
            onFailure.accept(status);
        }
        handBack(unsent);
    }

    private void notifyStateChange(StreamState from, StreamState to, Status status) {
        supervisor.listeners().forEach(listener -> listener.onStateChange(this, from, to, status));
    }

    /** One call of the stream. */
    private final class Attempt implements ClientResponseObserver<ReqT, RespT> {
        private final Object writeLock = new Object();
        @GuardedBy("writeLock")
        private ClientCallStreamObserver<ReqT> requests;
        /** Opened once the reconnect hook returned: until then only the hook writes. */
        @GuardedBy("writeLock")
        private boolean gateOpen;
        /** Set before the call is cancelled: no write may follow (gRPC would throw). */
        @GuardedBy("writeLock")
        private boolean cancelled;
        /** With {@code confirmedBy}: written and not yet confirmed, oldest first; created on the first write. */
        @GuardedBy("writeLock")
        private ArrayDeque<ReqT> unconfirmed;
        /** Set when the call ended and its unconfirmed messages were taken: nothing is written or tracked after. */
        @GuardedBy("writeLock")
        private boolean ended;
        private volatile boolean cancelledByUs;

        @Override
        public void beforeStart(ClientCallStreamObserver<ReqT> requestStream) {
            boolean cancelNow;
            synchronized (writeLock) {
                requests = requestStream;
                cancelNow = cancelled;
            }
            if (cancelNow) {
                // closed while open(...) ran: the call must not outlive the stream
                requestStream.cancel("stream '" + name + "' closed by the application", null);
                return;
            }
            requestStream.setOnReadyHandler(() -> {
                markHealthy(this);
                flush();
            });
        }

        @Override
        public void onNext(RespT value) {
            markHealthy(this);
            if (confirms != null && confirm(value)) {
                flush();
            }
            onMessage.accept(value);
        }

        /**
         * Drops, oldest first, the written messages the response confirms. Only this call's
         * callbacks (one at a time) remove from the head, so the head checked outside the lock is
         * still the head unless the call ended. The predicate is application code: no lock held.
         *
         * @return whether any was confirmed (the window has room again)
         */
        private boolean confirm(RespT response) {
            boolean confirmed = false;
            while (true) {
                ReqT oldest;
                synchronized (writeLock) {
                    oldest = ended || unconfirmed == null ? null : unconfirmed.peekFirst();
                }
                if (oldest == null || !confirms.test(response, oldest)) {
                    return confirmed;
                }
                synchronized (writeLock) {
                    if (ended || unconfirmed.peekFirst() != oldest) {
                        return confirmed;
                    }
                    unconfirmed.pollFirst();
                    confirmed = true;
                }
            }
        }

        @GuardedBy("writeLock")
        private boolean windowOpen() {
            return confirms == null || unconfirmed == null || unconfirmed.size() < settings.bufferCapacity();
        }

        @GuardedBy("writeLock")
        private void write(ClientCallStreamObserver<ReqT> call, ReqT message) {
            call.onNext(message);
            if (confirms != null) {
                if (unconfirmed == null) {
                    unconfirmed = new ArrayDeque<>();
                }
                unconfirmed.addLast(message);
            }
        }

        /** The call ended: no write follows; returns what was written and never confirmed, oldest first. */
        List<ReqT> endAndTakeUnconfirmed() {
            synchronized (writeLock) {
                ended = true;
                if (unconfirmed == null || unconfirmed.isEmpty()) {
                    return List.of();
                }
                List<ReqT> taken = List.copyOf(unconfirmed);
                unconfirmed.clear();
                return taken;
            }
        }

        @Override
        public void onError(Throwable error) {
            ended(this, Status.fromThrowable(error));
        }

        @Override
        public void onCompleted() {
            ended(this, Status.OK);
        }

        /** Writes now if the gate is open, nothing is buffered and the call can take it; else the caller buffers. */
        boolean writeIfDirect(ReqT message) {
            synchronized (writeLock) {
                ClientCallStreamObserver<ReqT> call = requests;
                if (call != null && gateOpen && !cancelled && !ended && windowOpen() && buffer.isEmpty()
                        && call.isReady()) {
                    write(call, message);
                    return true;
                }
                return false;
            }
        }

        /** For the reconnect hook: ahead of the buffer, whatever the flow-control state (gRPC queues it). */
        void writeDirect(ReqT message) {
            synchronized (writeLock) {
                ClientCallStreamObserver<ReqT> call = requests;
                if (call != null && !cancelled) {
                    call.onNext(message);
                }
            }
        }

        void openGate() {
            synchronized (writeLock) {
                gateOpen = true;
            }
        }

        /** Writes buffered messages in order while this call is current, open and ready. */
        void flush() {
            synchronized (writeLock) {
                ClientCallStreamObserver<ReqT> call = requests;
                while (call != null && gateOpen && !cancelled && !ended && windowOpen() && call.isReady()
                        && isCurrent(this)) {
                    ReqT next = buffer.poll();
                    if (next == null) {
                        return;
                    }
                    write(call, next);
                }
            }
        }

        /** Cancels the call; waits for a write in progress, and no write follows. */
        void cancel() {
            cancelledByUs = true;
            ClientCallStreamObserver<ReqT> call;
            synchronized (writeLock) {
                cancelled = true;
                call = requests;
            }
            if (call != null) {
                call.cancel("stream '" + name + "' closed by the application", null);
            }
        }
    }

    private boolean isCurrent(Attempt attempt) {
        synchronized (lock) {
            return current == attempt && state == StreamState.HEALTHY;
        }
    }
}
