package io.github.grpcresilience.autoconfigure.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.testing.QuietStream;
import io.github.grpcresilience.tls.TlsCase;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A client that pings faster than the server permits gets GOAWAY {@code too_many_pings}; over
 * TLS and mutual TLS, on both Netty flavours, the starter detects it on a connection with an open
 * stream and on an idle one (keepalive without calls), counts it and logs the ERROR line naming
 * the property to change. The channels are configured by the starter's own channel configurer,
 * as net.devh would apply it. grpc-java clamps keepalive to 10 s and the server strikes out on
 * the third early ping, so detection takes about 30 s: all eight connections run at once.
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsTooManyPingsTest {

    /** Three pings at 10 s, plus scheduling slack. */
    private static final Duration DETECTION_WINDOW = Duration.ofSeconds(45);

    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        for (Server server : servers) {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static String name(TlsCase tls, String connection) {
        return (tls.shaded() ? "shaded-" : "netty-") + (tls.mutual() ? "mtls-" : "tls-") + connection;
    }

    @Test
    void detectedOnAnActiveStreamAndOnAnIdleConnection(CapturedOutput output) throws Exception {
        List<TlsCase> cases = TlsCase.all().toList();
        List<String> properties = new ArrayList<>(List.of("grpc.resilience.client.defaults.keepalive.time=10s",
                "grpc.resilience.client.defaults.keepalive.timeout=5s"));
        for (TlsCase tls : cases) {
            // a server with grpc-java's defaults: one ping per 5 minutes, none without calls
            servers.add(tls.serverBuilder(0).addService(new TestServers.QuietService()).build().start());
            properties.add("grpc.resilience.client.channels." + name(tls, "idle") + ".keepalive.without-calls=true");
        }
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    NetDevhSettingsAutoConfiguration.class))
                .withPropertyValues(properties.toArray(String[]::new))
                .run(context -> {
                    ResilientChannelConfigurer configurer = context.getBean(ResilientChannelConfigurer.class);
                    GoAwayRegistry goAways = context.getBean(GoAwayRegistry.class);
                    Map<TlsCase, CompletableFuture<Status>> streams = new LinkedHashMap<>();
                    for (int i = 0; i < cases.size(); i++) {
                        TlsCase tls = cases.get(i);
                        int port = servers.get(i).getPort();
                        streams.put(tls, QuietStream.open(channel(configurer, tls.channelBuilder(port),
                                name(tls, "active"))));
                        SimpleServiceGrpc.newBlockingStub(channel(configurer, tls.channelBuilder(port),
                                name(tls, "idle"))).withDeadlineAfter(10, TimeUnit.SECONDS)
                                .unaryRpc(SimpleRequest.getDefaultInstance());
                    }

                    for (TlsCase tls : cases) {
                        Status status = streams.get(tls).get(DETECTION_WINDOW.toSeconds(), TimeUnit.SECONDS);
                        assertThat(status.getCode()).as(tls + " stream").isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(status.getDescription()).as(tls + " stream").contains("too_many_pings");
                        await().atMost(DETECTION_WINDOW).until(
                                () -> goAways.count(name(tls, "idle"), GoAwayReason.TOO_MANY_PINGS) == 1);
                        assertThat(goAways.count(name(tls, "active"), GoAwayReason.TOO_MANY_PINGS))
                                .as(tls + " active").isEqualTo(1);
                    }
                });
        for (TlsCase tls : cases) {
            String active = name(tls, "active");
            String idle = name(tls, "idle");
            assertThat(output.getAll()).contains("ERROR", "gRPC channel '" + active + "': server sent GOAWAY "
                    + "too_many_pings: it permits fewer pings than this channel's HTTP/2 keepalive time 10s sends, "
                    + "and grpc-java now doubles that time for the channel's new connections. Raise "
                    + "grpc.resilience.client.channels." + active + ".keepalive.time to the server's "
                    + "permit-keepalive time (5m for servers with default settings)");
            assertThat(output.getAll()).contains("gRPC channel '" + idle + "': server sent GOAWAY too_many_pings: "
                    + "it permits fewer pings than this channel's HTTP/2 keepalive time 10s (without calls) sends, "
                    + "and grpc-java now doubles that time for the channel's new connections. Raise "
                    + "grpc.resilience.client.channels." + idle + ".keepalive.time to the server's "
                    + "permit-keepalive time (5m for servers with default settings) or set "
                    + "keepalive.without-calls to false");
        }
    }

    /** A channel configured as net.devh would: the starter's configurer applied to the builder. */
    private ManagedChannel channel(ResilientChannelConfigurer configurer, ManagedChannelBuilder<?> builder,
            String name) {
        configurer.customize(name, builder);
        assertThat(configurer.applied().get(name).socket()).isEqualTo("epoll");
        ManagedChannel channel = builder.build();
        channels.add(channel);
        return channel;
    }
}
