package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * boot4-plain-app: a non-web gRPC service on Spring Boot 4.1 without actuator, with Spring Boot's
 * own gRPC server and client; its client asks {@code GrpcChannelFactory} for the channel named
 * "greeter" and calls its own server once at startup. Without actuator there is no health to read:
 * the application must start, serve, get the starter's keepalive on the channel Boot builds and
 * stop without a warning.
 */
class Boot4PlainAppIT {

    /** What the starter's transport hook logs once it has set the kernel keepalive on a channel. */
    private static final Pattern GREETER_KEEPALIVE =
            Pattern.compile("gRPC channel 'greeter': tcp-keepalive 20s \\+ 3 x 5s, HTTP/2 keepalive \\S+");

    private AppProcess app;

    @AfterEach
    void kill() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void startsServesAndStopsWithoutActuator() {
        int grpcPort = AppProcess.freePort();
        app = AppProcess.start("boot4-plain-app", List.of("--spring.grpc.server.port=" + grpcPort,
                "--spring.grpc.client.channel.greeter.target=static://127.0.0.1:" + grpcPort)).awaitStarted();

        app.awaitLog(Pattern.compile("greeter said: Hello plain"));
        assertThat(Calls.healthCheck(grpcPort)).isEqualTo(ServingStatus.SERVING);
        assertThat(Calls.sayHello(grpcPort, "boot4")).isEqualTo("Hello boot4");
        // The channel GrpcChannelFactory built went through the starter's transport hook (native epoll:
        // grpc-netty brings it), with nothing it could not set.
        assertThat(app.log()).containsPattern(GREETER_KEEPALIVE)
                .doesNotContain("cannot set").doesNotContain("is not a Netty channel builder");

        app.stopCleanly();
    }
}
