package io.github.grpcresilience.connectivity;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.function.Consumer;

/**
 * Records the failures of one channel's calls in its {@link ChannelMonitor} and reports those that
 * mean the connection itself failed: UNAVAILABLE; RESOURCE_EXHAUSTED raised by the HTTP/2
 * transport (GOAWAY {@code too_many_pings}), not by the server's application code; and CANCELLED
 * that neither the application nor its {@link Context} asked for (an RST_STREAM from the peer or a
 * server shutdown).
 *
 * <p>Thread-safety: stateless apart from one flag per call, written by the application's thread
 * and read by the call's listener thread (volatile).
 */
public final class ChannelFailureInterceptor implements ClientInterceptor {

    /** grpc-java puts this into the description of every status it derives from an HTTP/2 error. */
    private static final String HTTP2_ERROR_MARKER = "HTTP/2 error code";

    private final ChannelMonitor monitor;
    private final Consumer<Status.Code> transportFailures;

    /**
     * @param monitor the channel's monitor
     * @param transportFailures told the code of every failure that means the connection failed
     */
    public ChannelFailureInterceptor(ChannelMonitor monitor, Consumer<Status.Code> transportFailures) {
        this.monitor = monitor;
        this.transportFailures = transportFailures;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions callOptions, Channel next) {
        Context context = Context.current();
        return new SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
            private volatile boolean cancelledByApplication;

            @Override
            public void start(Listener<RespT> responseListener, Metadata headers) {
                super.start(new SimpleForwardingClientCallListener<>(responseListener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        if (!status.isOk()) {
                            monitor.recordFailure(status);
                            if (isTransportFailure(status,
                                    cancelledByApplication || context.isCancelled())) {
                                    transportFailures.accept(status.getCode());
                            }
                        }
                        super.onClose(status, trailers);
                    }
                }, headers);
            }

            @Override
            public void cancel(String message, Throwable cause) {
                cancelledByApplication = true;
                super.cancel(message, cause);
            }
        };
    }

    static boolean isTransportFailure(Status status, boolean cancelledLocally) {
        return switch (status.getCode()) {
            case UNAVAILABLE -> true;
            case RESOURCE_EXHAUSTED -> status.getDescription() != null
                    && status.getDescription().contains(HTTP2_ERROR_MARKER);
            case CANCELLED -> !cancelledLocally;
            default -> false;
        };
    }
}
