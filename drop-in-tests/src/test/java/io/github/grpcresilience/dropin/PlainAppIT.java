package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * plain-app: a non-web gRPC service without actuator, on unshaded grpc-netty only. What the user
 * adds (see its pom): {@code <exclusion>io.grpc:grpc-netty-shaded</exclusion>} on both net.devh's
 * starter and the grpc-resilience starter, {@code io.grpc:grpc-netty} (version from the grpc-bom
 * import) and {@code io.netty:netty-transport-native-epoll:linux-x86_64} (version from Spring Boot:
 * Netty 4.1.x, under grpc-netty 1.85.1 which is built against Netty 4.2). Its own client calls its
 * own server once at startup. Without actuator there is no health to read: the application must
 * start, serve, apply the starter's keepalive to its channel and stop without a warning.
 */
class PlainAppIT {

    private AppProcess app;

    @AfterEach
    void kill() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void startsServesAndStopsOnUnshadedNettyWithoutActuator() {
        int grpcPort = AppProcess.freePort();
        app = AppProcess.start("plain-app", List.of("--grpc.server.port=" + grpcPort,
                "--grpc.client.greeter.address=static://127.0.0.1:" + grpcPort)).awaitStarted();

        app.awaitLog(Pattern.compile("greeter said: Hello plain"));
        String log = app.log();
        assertThat(log).contains("Detected grpc-netty: Creating NettyGrpcServerFactory");
        // The starter's transport hook set every kernel keepalive option on the unshaded epoll channel.
        assertThat(log).contains("gRPC channel 'greeter': tcp-keepalive 20s + 3 x 5s, HTTP/2 keepalive 5m")
                .doesNotContain("cannot set").doesNotContain("is not a Netty channel builder");

        assertThat(Calls.healthCheck(grpcPort)).isEqualTo(ServingStatus.SERVING);
        assertThat(Calls.sayHello(grpcPort, "unshaded")).isEqualTo("Hello unshaded");

        app.stopCleanly();
    }
}
