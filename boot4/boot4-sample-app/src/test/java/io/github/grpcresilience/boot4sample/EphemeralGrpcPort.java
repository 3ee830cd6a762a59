package io.github.grpcresilience.boot4sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Picks a free loopback port for the gRPC server and points the agent's channel at it, so the test
 * runs over real Netty on an ephemeral port (the channel's target is read before the server binds,
 * so port 0 would not be known to it).
 */
class EphemeralGrpcPort implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        int port = freePort();
        TestPropertyValues.of("spring.grpc.server.address=127.0.0.1", "spring.grpc.server.port=" + port,
                "spring.grpc.client.channel.control-plane.target=static://127.0.0.1:" + port).applyTo(context);
    }

    /** A port free on 127.0.0.1 now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
