package io.github.grpcresilience.connectivity;

import io.grpc.Status;

/**
 * Hears about calls that failed because their connection failed (see
 * {@link ChannelFailureInterceptor}). Called on the call's listener thread; must not block.
 */
@FunctionalInterface
public interface TransportFailureListener {
    void onTransportFailure(String channel, Status.Code code);
}
