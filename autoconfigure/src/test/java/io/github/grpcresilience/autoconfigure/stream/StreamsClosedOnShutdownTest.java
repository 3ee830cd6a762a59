package io.github.grpcresilience.autoconfigure.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.netdevh.ServedGrpcService;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamState;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The combined shape (the sample's default): an application that serves a subscription and holds
 * one to itself through the stream supervisor. When it stops, the stream is closed first: it is
 * not re-opened, and the server's drain does not wait for it and does not report it as a cut call.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamsClosedOnShutdownTest {

    @ServedGrpcService
    static class Subscriptions extends TestServers.QuietService {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Subscriptions subscriptions() {
            return new Subscriptions();
        }
    }

    @Test
    void theApplicationsOwnStreamsAreClosedBeforeItsServerDrains(CapturedOutput output) {
        int port = freePort();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("grpc.server.port=" + port, "grpc.server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "grpc.client.self.address=static://127.0.0.1:" + port,
                        "grpc.client.self.negotiation-type=plaintext",
                        "grpc.resilience.server.shutdown.drain-delay=0s",
                        "grpc.resilience.server.shutdown.grace-period=5s")
                .run();
        ResilientStream<SimpleRequest, SimpleResponse> stream;
        try {
            SimpleServiceGrpc.SimpleServiceStub stub = SimpleServiceGrpc.newStub(
                    NetDevhTesting.channel(context, "self"));
            stream = context.getBean(StreamSupervisor.class)
                    .<SimpleRequest, SimpleResponse>serverStream("subscription", "self")
                    .open(stub::serverStreamingRpc).request(SimpleRequest.getDefaultInstance())
                    .onMessage(response -> { }).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.HEALTHY);
        } finally {
            context.close();
        }

        assertThat(stream.state()).isEqualTo(StreamState.CLOSED);
        assertThat(output.getOut())
                .contains("gRPC streams: closed 1 supervised stream(s) as the application stops")
                .contains("gRPC server: every running call finished; server stopped")
                .doesNotContain("gRPC stream 'subscription' on channel 'self' broke")
                .doesNotContain("cut 1 running call(s)");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
