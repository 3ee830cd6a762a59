package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.serverhealth.ServerWatcher;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A client pinging every 10 s (grpc-java's smallest keepalive time, as a grpc-js client with
 * keepalive 10 s does) on a quiet stream: Spring Boot's server permits one ping per 5 minutes and
 * sends GOAWAY too_many_pings after the third (about 30 s); with the starter's permit-keepalive
 * the same client gets no GOAWAY. Both applications run side by side, so the test takes one
 * detection window plus one more ping (about 40 s), as net.devh's TooManyPingsDetectionTest does.
 */
class SpringGrpcServerPermitKeepAliveTest {

    /** Three pings at 10 s each, plus scheduling slack. */
    private static final Duration DETECTION_WINDOW = Duration.ofSeconds(45);

    @Test
    void theStartersPermitLetsAClientPingEveryTenSecondsWhereSpringBootsDefaultSendsGoAway() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            ConfigurableApplicationContext withStarter = SpringGrpcServerTestApp.start(
                    "grpc.resilience.server.permit-keepalive.time=10s");
            open.add(withStarter);
            ConfigurableApplicationContext bootOnly = SpringGrpcServerTestApp.start("grpc.resilience.enabled=false");
            open.add(bootOnly);
            ServerWatcher toStarter = pinging(SpringGrpcServerTestApp.port(withStarter));
            open.add(toStarter);
            ServerWatcher toBootOnly = pinging(SpringGrpcServerTestApp.port(bootOnly));
            open.add(toBootOnly);
            // a Watch is a quiet stream: the pings run while a call is open
            toStarter.watch("");
            toBootOnly.watch("");
            assertThat(toStarter.next(Duration.ofSeconds(10)).what()).isEqualTo("SERVING");
            assertThat(toBootOnly.next(Duration.ofSeconds(10)).what()).isEqualTo("SERVING");

            List<String> bootOnlyEvents = new ArrayList<>();
            await().atMost(DETECTION_WINDOW).until(() -> {
                bootOnlyEvents.add(toBootOnly.next(DETECTION_WINDOW).what());
                return bootOnlyEvents.contains("GOAWAY");
            });
            // the client to the starter's server pinged as often, and goes on for one more ping and slack
            await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
                    .until(() -> toStarter.pending() == 0);
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    private static ServerWatcher pinging(int port) {
        return new ServerWatcher(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(5, TimeUnit.SECONDS));
    }
}
