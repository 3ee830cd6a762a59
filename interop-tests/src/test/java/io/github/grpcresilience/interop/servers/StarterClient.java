package io.github.grpcresilience.interop.servers;

import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.testing.TestCertificates;
import io.grpc.Channel;
import io.grpc.ConnectivityState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter's client as a user gets it: a Spring Boot application with net.devh's client and
 * the starter on the class path, configured only by properties ({@code grpc.client.<name>.*} and,
 * where a test says so, {@code grpc.resilience.*}); everything else is the starter's default.
 * It serves no gRPC itself ({@code grpc.server.port=-1}).
 */
final class StarterClient implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private StarterClient(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * The net.devh properties of channel {@code name} to reach the servers (one address, or net.devh's
     * multi-address {@code static://h1:p1,h2:p2}), plaintext or, with certificates, TLS trusting their CA.
     */
    static Map<String, String> channel(String name, TestCertificates tls, PeerServer... servers) {
        List<String> addresses = new ArrayList<>();
        for (PeerServer server : servers) {
            addresses.add(server.address());
        }
        Map<String, String> properties = new LinkedHashMap<>();
        // net.devh's documented form; the starter hands a multi-address one to grpc-java as static:///
        properties.put("grpc.client." + name + ".address", "static://" + String.join(",", addresses));
        if (tls == null) {
            properties.put("grpc.client." + name + ".negotiation-type", "plaintext");
        } else {
            properties.put("grpc.client." + name + ".negotiation-type", "tls");
            properties.put("grpc.client." + name + ".security.trust-cert-collection",
                    "file:" + tls.caCertificate());
        }
        return properties;
    }

    /** Starts the application with these properties on top of the starter's defaults. */
    static StarterClient start(Map<String, String> properties) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("grpc.server.port", "-1");
        defaults.putAll(properties);
        return new StarterClient(new SpringApplicationBuilder(ClientApplication.class)
                .web(WebApplicationType.NONE)
                .properties(defaults)
                .run());
    }

    /** The channel net.devh hands out for {@code name}, as {@code @GrpcClient(name)} injects it. */
    Channel channel(String name) {
        return context.getBean(GrpcChannelFactory.class).createChannel(name);
    }

    /** The channel's state as net.devh's factory last saw it (may lag the channel a little). */
    ConnectivityState state(String name) {
        return context.getBean(GrpcChannelFactory.class).getConnectivityState().get(name);
    }

    /** The starter's count of GOAWAY frames per channel. */
    GoAwayRegistry goAways() {
        return context.getBean(GoAwayRegistry.class);
    }

    @Override
    public void close() {
        context.close();
    }

    /** An application with nothing of its own: only auto-configuration. */
    @SpringBootApplication
    static class ClientApplication {
    }
}
