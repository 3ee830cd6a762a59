package io.github.grpcresilience.interop.js;

import io.github.grpcresilience.interop.js.app.PlainGrpcApplication;
import io.github.grpcresilience.testing.TestCertificates;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link PlainGrpcApplication} run in the test JVM on an ephemeral loopback port (real shaded
 * Netty): with the starter and its defaults, or as plain net.devh (the starter switched off with
 * {@code grpc.resilience.enabled=false}, the control), in plaintext or with mutual TLS.
 */
final class ServerUnderTest implements AutoCloseable {

    /** A shutdown begun on another thread, as SIGTERM's hook would: when it began, and its end. */
    record Shutdown(Instant began, CompletableFuture<Void> done) {
    }

    /**
     * One application starts at a time: each start re-initialises Spring Boot's logging system,
     * which is one per JVM, and starts that overlap (tests run side by side) duplicate log lines.
     */
    private static final Object STARTS = new Object();

    private final String name;
    private final ConfigurableApplicationContext context;
    private final Server server;
    /** Kept: a terminated server no longer tells its port. */
    private final int port;

    private ServerUnderTest(String name, ConfigurableApplicationContext context, Server server) {
        this.name = name;
        this.context = context;
        this.server = server;
        this.port = server.getPort();
    }

    /** The application with the starter on its class path and nothing set beyond the port. */
    static ServerUnderTest withStarter() {
        return start("starter", List.of());
    }

    /** The same application, the starter switched off: net.devh's server as it is without it. */
    static ServerUnderTest plainNetDevh() {
        return start("plain-net-devh", List.of("grpc.resilience.enabled=false"));
    }

    /** The application with the starter, serving mutual TLS (net.devh's {@code grpc.server.security.*}). */
    static ServerUnderTest withStarterOverMutualTls(TestCertificates certificates) {
        return start("starter-mtls", List.of("grpc.server.security.enabled=true",
                "grpc.server.security.certificate-chain=" + file(certificates.serverCertificateChain()),
                "grpc.server.security.private-key=" + file(certificates.serverPrivateKey()),
                "grpc.server.security.trust-cert-collection=" + file(certificates.caCertificate()),
                "grpc.server.security.client-auth=REQUIRE"));
    }

    private static ServerUnderTest start(String name, List<String> properties) {
        AtomicReference<Server> started = new AtomicReference<>();
        List<String> all = new ArrayList<>(List.of("spring.application.name=" + name, "spring.main.banner-mode=off",
                "grpc.server.address=127.0.0.1", "grpc.server.port=0"));
        all.addAll(properties);
        ConfigurableApplicationContext context;
        synchronized (STARTS) {
            context = new SpringApplicationBuilder(PlainGrpcApplication.class)
                    .main(PlainGrpcApplication.class)
                    .web(WebApplicationType.NONE)
                    .listeners(new ServerStarted(started))
                    .properties(all.toArray(String[]::new))
                    .run();
        }
        return new ServerUnderTest(name, context, started.get());
    }

    int port() {
        return port;
    }

    /** Every service the server registered, e.g. {@code grpc.testing.SimpleService}, {@code grpc.health.v1.Health}. */
    List<String> services() {
        return server.getServices().stream().map(ServerServiceDefinition::getServiceDescriptor)
                .map(descriptor -> descriptor.getName()).toList();
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    /** Closes the application on a thread of its own (what SIGTERM's shutdown hook does). */
    Shutdown beginShutdown() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                context.close();
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        }, name + "-shutdown");
        // Node's clock has milliseconds: so has the moment the shutdown began.
        Instant began = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        closer.start();
        return new Shutdown(began, done);
    }

    @Override
    public void close() {
        context.close();
    }

    @Override
    public String toString() {
        return name + " on 127.0.0.1:" + port();
    }

    private static String file(Path path) {
        return "file:" + path.toAbsolutePath();
    }

    /** Keeps the network server net.devh started (never an in-process one: none is configured). */
    private static final class ServerStarted implements ApplicationListener<GrpcServerStartedEvent> {

        private final AtomicReference<Server> started;

        ServerStarted(AtomicReference<Server> started) {
            this.started = started;
        }

        @Override
        public void onApplicationEvent(GrpcServerStartedEvent event) {
            started.set(event.getServer());
        }
    }
}
