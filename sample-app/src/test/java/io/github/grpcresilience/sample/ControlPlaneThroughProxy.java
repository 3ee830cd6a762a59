package io.github.grpcresilience.sample;

import io.github.grpcresilience.testing.FaultInjectingProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The control plane on a free loopback port, the agent's channel through a fault-injecting proxy
 * to it. The proxy is a bean of the test's context (inject {@link FaultInjectingProxy}) and is
 * closed with it.
 */
class ControlPlaneThroughProxy implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = socket.getLocalPort();
            socket.close();
            FaultInjectingProxy proxy = FaultInjectingProxy.start("127.0.0.1", port);
            context.getBeanFactory().registerSingleton("faultInjectingProxy", proxy);
            context.addApplicationListener(event -> {
                if (event instanceof ContextClosedEvent) {
                    proxy.close();
                }
            });
            TestPropertyValues.of("grpc.server.port=" + port,
                    "grpc.client.control-plane.address=static://127.0.0.1:" + proxy.port()).applyTo(context);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
