package io.github.grpcresilience.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Picks a free loopback port for the gRPC server and points the agent's channel at it, so the test
 * runs over real Netty on an ephemeral port (net.devh's port 0 is not known to the client).
 */
class EphemeralGrpcPort implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        TestPropertyValues.of("grpc.server.port=" + port,
                "grpc.client.control-plane.address=static://127.0.0.1:" + port).applyTo(context);
    }
}
