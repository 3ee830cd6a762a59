package io.github.grpcresilience.pool;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * A call of a pool that picks its member when it starts (so the pick sees the load of the calls
 * started before it) and stays on it until it closes.
 *
 * <p>Thread-safety: as any {@link ClientCall}, driven by one thread at a time, except that
 * {@link #cancel} may come from another thread: the member's call is published under the call's
 * lock once started; a cancel before that is recorded there and applied right after the start (a
 * cancel before {@code start} makes {@code start} fail, as grpc-java's calls do).
 */
final class PooledCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {

    /** Hands out members to starting calls and takes them back when the calls end. */
    interface Leases {
        PoolMember acquire();

        void release(PoolMember member);
    }

    private final Leases leases;
    private final MethodDescriptor<ReqT, RespT> method;
    private final CallOptions options;
    private volatile ClientCall<ReqT, RespT> delegate;
    /** A cancel that came before the member's call was published. */
    @GuardedBy("this")
    private boolean cancelled;
    @GuardedBy("this")
    private String cancelMessage;
    @GuardedBy("this")
    private Throwable cancelCause;

    PooledCall(Leases leases, MethodDescriptor<ReqT, RespT> method, CallOptions options) {
        this.leases = leases;
        this.method = method;
        this.options = options;
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
        synchronized (this) {
            if (cancelled) {
                throw new IllegalStateException("call was cancelled"); // as grpc-java's own calls do
            }
        }
        PoolMember member = leases.acquire();
        ClientCall<ReqT, RespT> call;
        try {
            call = member.channel.newCall(method, options);
            call.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                @Override
                public void onClose(Status status, Metadata trailers) {
                    try {
                        super.onClose(status, trailers);
                    } finally {
                        leases.release(member);
                    }
                }
            }, headers);
        } catch (RuntimeException e) {
            leases.release(member);
            throw e;
        }
        boolean cancelNow;
        String message;
        Throwable cause;
        synchronized (this) {
            delegate = call;
            cancelNow = cancelled;
            message = cancelMessage;
            cause = cancelCause;
        }
        if (cancelNow) {
            call.cancel(message, cause);
        }
    }

    @Override
    public void cancel(String message, Throwable cause) {
        ClientCall<ReqT, RespT> call;
        synchronized (this) {
            call = delegate;
            if (call == null) {
                cancelled = true;
                cancelMessage = message;
                cancelCause = cause;
                return;
            }
        }
        call.cancel(message, cause);
    }

    private ClientCall<ReqT, RespT> started() {
        ClientCall<ReqT, RespT> call = delegate;
        if (call == null) {
            throw new IllegalStateException("Not started");
        }
        return call;
    }

    @Override
    public void request(int numMessages) {
        started().request(numMessages);
    }

    @Override
    public void halfClose() {
        started().halfClose();
    }

    @Override
    public void sendMessage(ReqT message) {
        started().sendMessage(message);
    }

    @Override
    public boolean isReady() {
        ClientCall<ReqT, RespT> call = delegate;
        return call != null && call.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
        started().setMessageCompression(enabled);
    }

    @Override
    public Attributes getAttributes() {
        ClientCall<ReqT, RespT> call = delegate;
        return call == null ? Attributes.EMPTY : call.getAttributes();
    }
}
