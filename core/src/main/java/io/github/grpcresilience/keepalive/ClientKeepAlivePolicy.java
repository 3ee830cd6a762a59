package io.github.grpcresilience.keepalive;

import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the starter sets on one client channel. A {@code null} component is left to the lower
 * layer (net.devh's properties or grpc-java's default); the kernel layer is applied by the
 * transport hook, the rest through the portable {@link ManagedChannelBuilder} methods.
 *
 * @param tcp kernel TCP keepalive
 * @param time HTTP/2 keepalive time, or {@code null} to leave it
 * @param timeout HTTP/2 keepalive timeout, or {@code null} to leave it
 * @param withoutCalls whether to ping without active calls, or {@code null} to leave it
 * @param idleTimeout channel idle timeout, or {@code null} to leave it
 */
public record ClientKeepAlivePolicy(TcpKeepAlive tcp, Duration time, Duration timeout,
        Boolean withoutCalls, Duration idleTimeout) {

    /** Applies the HTTP/2 and idle settings; throws what the builder throws for in-process channels. */
    public void applyTo(ManagedChannelBuilder<?> builder) {
        if (time != null) {
            builder.keepAliveTime(time.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (timeout != null) {
            builder.keepAliveTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (withoutCalls != null) {
            builder.keepAliveWithoutCalls(withoutCalls);
        }
        if (idleTimeout != null) {
            builder.idleTimeout(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
