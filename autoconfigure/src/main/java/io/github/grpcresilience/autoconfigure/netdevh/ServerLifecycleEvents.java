package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import net.devh.boot.grpc.server.event.GrpcServerTerminatedEvent;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;

/**
 * Tells every {@link GrpcServerListener} of net.devh's server lifecycle events, synchronously, on
 * the thread that publishes them: the listeners learn of the server exactly when they did when they
 * listened to net.devh's events themselves. Calling them directly, rather than publishing events
 * of the starter's own, keeps a context hierarchy from delivering one start twice to a parent.
 */
final class ServerLifecycleEvents {

    private final ObjectProvider<GrpcServerListener> listeners;

    ServerLifecycleEvents(ObjectProvider<GrpcServerListener> listeners) {
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
