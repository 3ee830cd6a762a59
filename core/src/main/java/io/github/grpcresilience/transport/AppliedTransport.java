package io.github.grpcresilience.transport;

import java.util.List;
import java.util.Map;

/**
 * What a transport hook did to one channel builder, for logs and the actuator endpoint.
 *
 * @param flavour {@code grpc-netty} or {@code grpc-netty-shaded}
 * @param socket {@code epoll} or {@code nio}
 * @param socketOptions the TCP options set, by their Linux names, with values in the kernel's units
 * @param unsupported TCP options this socket type cannot set (empty when all could be applied)
 */
public record AppliedTransport(String flavour, String socket, Map<String, Object> socketOptions,
        List<String> unsupported) {
}
