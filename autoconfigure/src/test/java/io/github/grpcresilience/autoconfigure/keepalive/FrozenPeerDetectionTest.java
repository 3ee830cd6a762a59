package io.github.grpcresilience.autoconfigure.keepalive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.testing.FaultInjectingProxy;
import io.github.grpcresilience.testing.QuietStream;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.Server;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A peer whose kernel still answers while its process hangs (a frozen in-JVM proxy): only the
 * HTTP/2 layer finds it. With keepalive 10 s / 5 s a quiet stream fails within 17 s; with the
 * kernel layer alone the same stream is still open after that window.
 */
class FrozenPeerDetectionTest {

    /** keepalive time + timeout + 2 s for scheduling. */
    private static final Duration WINDOW = Duration.ofSeconds(17);

    @Test
    void onlyHttp2KeepAliveFindsAHungPeer() throws Exception {
        Server server = TestServers.start(builder -> builder.permitKeepAliveTime(10, TimeUnit.SECONDS));
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start("127.0.0.1", server.getPort())) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class))
                    .withConfiguration(NetDevhTesting.client())
                    .withPropertyValues("grpc.client.GLOBAL.address=static://127.0.0.1:" + proxy.port(),
                            "grpc.client.GLOBAL.negotiation-type=plaintext",
                            "grpc.client.GLOBAL.shutdown-grace-period=0s",
                            "grpc.resilience.client.channels.http2.keepalive.time=10s",
                            "grpc.resilience.client.channels.http2.keepalive.timeout=5s",
                            "grpc.resilience.client.channels.kernel.keepalive.enabled=false")
                    .run(context -> {
                        CompletableFuture<Status> http2 =
                                QuietStream.open(NetDevhTesting.channel(context, "http2"));
                        CompletableFuture<Status> kernel =
                                QuietStream.open(NetDevhTesting.channel(context, "kernel"));

                        proxy.freeze();
                        long frozen = System.nanoTime();

                        Status status = http2.get(WINDOW.toNanos(), TimeUnit.NANOSECONDS);
                        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(status.getDescription()).contains("Keepalive failed");

                        long remaining = WINDOW.toNanos() - (System.nanoTime() - frozen);
                        await().pollDelay(Duration.ofNanos(Math.max(0, remaining))).atMost(WINDOW).until(() -> true);
                        assertThat(kernel).as("stream with TCP keepalive only, after %s", WINDOW).isNotDone();
                    });
        } finally {
            server.shutdownNow();
        }
    }
}
