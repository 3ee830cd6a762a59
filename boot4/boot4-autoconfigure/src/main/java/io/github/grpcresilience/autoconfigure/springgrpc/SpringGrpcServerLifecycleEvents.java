package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import org.springframework.grpc.server.lifecycle.GrpcServerTerminatedEvent;

/**
 * Tells every {@link GrpcServerListener} of Spring gRPC's server lifecycle events, synchronously,
 * on the thread that publishes them ({@code GrpcServerLifecycle}'s start, during the context
 * refresh): listeners see a started server before the application is ready.
 *
 * <p>{@code GrpcServerLifecycle} publishes {@link GrpcServerTerminatedEvent} only when it stops a
 * server that is still running; after the starter's drain (on {@code ContextClosedEvent}) has
 * terminated it, the lifecycle is no longer running and is not stopped, so no listener hears of
 * the stop, as on net.devh.
 */
final class SpringGrpcServerLifecycleEvents {

    private final ObjectProvider<GrpcServerListener> listeners;

    SpringGrpcServerLifecycleEvents(ObjectProvider<GrpcServerListener> listeners) {
        this.listeners = listeners;
    }

    @EventListener
    void onStarted(GrpcServerStartedEvent event) {
        listeners.orderedStream().forEach(listener -> listener.serverStarted(event.getServer()));
    }

    @EventListener
    void onTerminated(GrpcServerTerminatedEvent event) {
        listeners.orderedStream().forEach(listener -> listener.serverStopped(event.getServer()));
    }
}
