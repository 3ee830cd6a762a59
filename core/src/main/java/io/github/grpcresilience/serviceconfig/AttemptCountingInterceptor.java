package io.github.grpcresilience.serviceconfig;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Reports every retry and hedge grpc-java makes, per method. Installed on the channel builder, so
 * the stream tracer it adds to each call sees every attempt (grpc-java creates one tracer per
 * attempt); attempts grpc-java makes transparently (the server never saw the previous one) are not
 * counted, as they are not the service config's doing.
 *
 * <p>Thread-safety: the listener is called on the thread that starts the attempt (the caller's
 * thread or a grpc-java executor), possibly concurrently; it must be thread-safe.
 */
public final class AttemptCountingInterceptor implements ClientInterceptor {

    /** Receives each counted attempt. */
    @FunctionalInterface
    public interface AttemptListener {
        void onAttempt(String fullMethodName, AttemptKind kind);
    }

    private final AttemptListener listener;

    public AttemptCountingInterceptor(AttemptListener listener) {
        this.listener = listener;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions callOptions, Channel next) {
        return next.newCall(method, callOptions.withStreamTracerFactory(new TracerFactory(method.getFullMethodName())));
    }

    private final class TracerFactory extends ClientStreamTracer.Factory {
        private final String fullMethodName;

        TracerFactory(String fullMethodName) {
            this.fullMethodName = fullMethodName;
        }

        @Override
        public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
            if (info.getPreviousAttempts() > 0 && !info.isTransparentRetry()) {
                listener.onAttempt(fullMethodName, info.isHedging() ? AttemptKind.HEDGE : AttemptKind.RETRY);
            }
            return NOOP_TRACER;
        }
    }

    private static final ClientStreamTracer NOOP_TRACER = new ClientStreamTracer() {
    };
}
