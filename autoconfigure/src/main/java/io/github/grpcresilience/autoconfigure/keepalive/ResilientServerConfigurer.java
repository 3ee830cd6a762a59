package io.github.grpcresilience.autoconfigure.keepalive;

import io.github.grpcresilience.autoconfigure.adapter.ServerBuilderCustomizer;
import io.grpc.ServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;

/** Applies the server keepalive, permit and connection-age settings after net.devh's own properties. */
public final class ResilientServerConfigurer implements ServerBuilderCustomizer, Ordered {

    private static final String IN_PROCESS_BUILDER = "io.grpc.inprocess.InProcessServerBuilder";
    private static final Logger log = LoggerFactory.getLogger(ResilientServerConfigurer.class);

    private final ServerKeepAliveSettings server;

    public ResilientServerConfigurer(ServerKeepAliveSettings server) {
        this.server = server;
    }

    @Override
    public void customize(ServerBuilder<?> builder) {
        if (builder.getClass().getName().equals(IN_PROCESS_BUILDER)) {
            log.debug("gRPC server is in-process: keepalive does not apply");
            return;
        }
        for (String overlap : server.overlaps()) {
            log.warn("gRPC server: {}", overlap);
        }
        server.policy().applyTo(builder);
    }

    @Override
    public int getOrder() {
        return ResilientChannelConfigurer.ORDER;
    }
}
