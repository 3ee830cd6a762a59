package io.github.grpcresilience.autoconfigure.springgrpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.concurrent.TimeUnit;

/**
 * A managed channel with an interceptor outermost on every call, its lifecycle forwarded. Spring
 * gRPC hands out {@link ManagedChannel}s (net.devh hands out plain {@link Channel}s, which
 * {@code ClientInterceptors.intercept} can wrap), so the failure interceptor needs this view.
 */
final class ObservedManagedChannel extends ManagedChannel {

    private final ManagedChannel delegate;
    private final Channel intercepted;

    ObservedManagedChannel(ManagedChannel delegate, ClientInterceptor interceptor) {
        this.delegate = delegate;
        this.intercepted = ClientInterceptors.intercept(delegate, interceptor);
    }

    /** The channel this one forwards to, as registered. */
    ManagedChannel delegate() {
        return delegate;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions callOptions) {
        return intercepted.newCall(method, callOptions);
    }

    @Override
    public String authority() {
        return delegate.authority();
    }

    @Override
    public ManagedChannel shutdown() {
        delegate.shutdown();
        return this;
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public ManagedChannel shutdownNow() {
        delegate.shutdownNow();
        return this;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public ConnectivityState getState(boolean requestConnection) {
        return delegate.getState(requestConnection);
    }

    @Override
    public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
        delegate.notifyWhenStateChanged(source, callback);
    }

    @Override
    public void resetConnectBackoff() {
        delegate.resetConnectBackoff();
    }

    @Override
    public void enterIdle() {
        delegate.enterIdle();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
