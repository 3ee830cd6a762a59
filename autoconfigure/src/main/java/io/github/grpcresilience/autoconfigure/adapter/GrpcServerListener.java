package io.github.grpcresilience.autoconfigure.adapter;

import io.grpc.Server;

/**
 * Hears of the gRPC server's lifecycle. A bean; the adapter calls every one synchronously on the
 * thread where the integration reports the event (for net.devh, from its {@code
 * GrpcServerStartedEvent} and {@code GrpcServerTerminatedEvent}), so a listener sees a started
 * server before anything that follows the start in the integration's lifecycle.
 */
public interface GrpcServerListener {

    /** {@code server} has started and listens (an in-process server reports a port of -1). */
    default void serverStarted(Server server) {
    }

    /** {@code server} has terminated. */
    default void serverStopped(Server server) {
    }
}
