package io.github.grpcresilience.serverhealth;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Counts the server's running calls, so that a shutdown can report how many it had to cut, and
 * keeps the open health {@code Watch} streams apart: once the server is NOT_SERVING for good they
 * have nothing more to say, so a shutdown closes them instead of waiting for them (every
 * health-checking client holds one open forever).
 *
 * <p>Thread-safety: calls start and end on grpc-java's executor threads; the count is atomic and
 * each call is counted down once. {@link #closeHealthWatches} runs on the shutdown thread while the
 * health service may still write to the same call, so each watch call's writes and close are
 * serialized by the call's own lock, and writes after the close are dropped.
 */
public final class InFlightCalls implements ServerInterceptor {

    private static final String WATCH = HealthGrpc.getWatchMethod().getFullMethodName();

    private final AtomicInteger running = new AtomicInteger();
    private final Set<ClosableCall<?, ?>> watches = ConcurrentHashMap.newKeySet();

    /** Calls running now, health watches not included. */
    public int count() {
        return running.get();
    }

    /** Health watch streams open now. */
    public int healthWatches() {
        return watches.size();
    }

    /** Ends every open health watch stream with {@code status}. */
    public void closeHealthWatches(Status status) {
        for (ClosableCall<?, ?> watch : watches) {
            watch.closeOnce(status);
        }
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        if (WATCH.equals(call.getMethodDescriptor().getFullMethodName())) {
            ClosableCall<ReqT, RespT> watch = new ClosableCall<>(call);
            watches.add(watch);
            return whenDone(() -> watches.remove(watch), () -> next.startCall(watch, headers));
        }
        running.incrementAndGet();
        return whenDone(running::decrementAndGet, () -> next.startCall(call, headers));
    }

    /** Starts the call and runs {@code end} once when it completes, is cancelled or fails to start. */
    private static <ReqT> ServerCall.Listener<ReqT> whenDone(Runnable end,
            Supplier<ServerCall.Listener<ReqT>> start) {
        AtomicBoolean ended = new AtomicBoolean();
        Runnable once = () -> {
            if (ended.compareAndSet(false, true)) {
                end.run();
            }
        };
        ServerCall.Listener<ReqT> listener;
        try {
            listener = start.get();
        } catch (RuntimeException e) {
            once.run();
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    once.run();
                }
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    once.run();
                }
            }
        };
    }

    /** A server call that another thread may close; writes after the close are dropped. */
    private static final class ClosableCall<ReqT, RespT>
            extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {

        private boolean closed;

        ClosableCall(ServerCall<ReqT, RespT> delegate) {
            super(delegate);
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (!closed) {
                super.sendHeaders(headers);
            }
        }

        @Override
        public synchronized void sendMessage(RespT message) {
            if (!closed) {
                super.sendMessage(message);
            }
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                super.close(status, trailers);
            }
        }

        synchronized void closeOnce(Status status) {
            close(status, new Metadata());
        }
    }
}
