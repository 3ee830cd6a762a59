package io.github.grpcresilience.interop.js;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.testing.TestCertificates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * grpc-js {@code Check} and {@code Watch} on the starter's server, in plaintext and over mutual
 * TLS: {@code ""}, {@code liveness}, {@code readiness} and every registered service SERVING; when
 * the application closes (what SIGTERM does) every Watch sees NOT_SERVING within 1 s, a Check
 * during the drain delay is still answered (NOT_SERVING), and the Watches end only after the drain
 * delay (the starter's default, 5 s), when the server sends GOAWAY. The control, the same
 * application without the starter, is {@link GrpcJsPlainNetDevhHealthIT}.
 */
class GrpcJsHealthIT {

    /** {@code grpc.resilience.server.shutdown.drain-delay}'s default: left as it is. */
    private static final Duration DRAIN_DELAY = Duration.ofSeconds(5);
    private static final Duration NOT_SERVING_WITHIN = Duration.ofSeconds(1);
    /** Node's start and a loaded 2-core machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** From the drain delay's end to the Watch's end: GOAWAY, the stream closed, node reading it. */
    private static final Duration END_SLACK = Duration.ofSeconds(5);
    private static final List<String> NAMES = List.of("", "liveness", "readiness");

    @Test
    void inPlaintextEveryNameIsServingThenNotServingWithin1sOfShutdownAndTheWatchEndsAfterTheDrainDelay() {
        try (ServerUnderTest server = ServerUnderTest.withStarter()) {
            assertServingThenDrained(server, null);
        }
    }

    @Test
    void overMutualTlsEveryNameIsServingThenNotServingWithin1sOfShutdownAndTheWatchEndsAfterTheDrainDelay() {
        TestCertificates certificates = TestCertificates.generate();
        try (ServerUnderTest server = ServerUnderTest.withStarterOverMutualTls(certificates)) {
            assertServingThenDrained(server, GrpcJsClient.MutualTls.of(certificates));
        }
    }

    private static void assertServingThenDrained(ServerUnderTest server, GrpcJsClient.MutualTls tls) {
        List<String> names = names(server);
        assertThat(names).as("the application's own service").contains("grpc.testing.SimpleService");
        assertThat(checkAll(server, tls, names)).as("Check by name")
                .isEqualTo(names.stream().collect(Collectors.toMap(Function.identity(), name -> "SERVING")));

        try (GrpcJsClient watch = GrpcJsClient.watch(server.port(), tls, names)) {
            for (String name : names) {
                watch.await("SERVING for '" + name + "'", event -> event.is("status", name)
                        && event.text("status").equals("SERVING"), WAIT);
            }

            ServerUnderTest.Shutdown shutdown = server.beginShutdown();
            Map<String, Long> notServingMillis = new LinkedHashMap<>();
            for (String name : names) {
                GrpcJsClient.Event notServing = watch.await("NOT_SERVING for '" + name + "'",
                        event -> event.is("status", name) && event.text("status").equals("NOT_SERVING"), WAIT);
                Duration afterShutdown = Duration.between(shutdown.began(), notServing.at());
                assertThat(afterShutdown).as("shutdown to NOT_SERVING for '%s'; events %s", name, watch.events())
                        .isLessThanOrEqualTo(NOT_SERVING_WITHIN);
                notServingMillis.put(name, afterShutdown.toMillis());
            }
            Map<String, String> duringDrain = checkAll(server, tls, names);
            assertThat(watch.first(event -> event.is("end"))).as("no Watch ended during the drain delay; events %s",
                    watch.events()).isEmpty();
            assertThat(duringDrain).as("Check during the drain delay")
                    .isEqualTo(names.stream().collect(Collectors.toMap(Function.identity(), name -> "NOT_SERVING")));

            Map<String, Long> endMillis = new LinkedHashMap<>();
            for (String name : names) {
                GrpcJsClient.Event end = watch.await("the end of the Watch for '" + name + "'",
                        event -> event.is("end", name), DRAIN_DELAY.plus(WAIT));
                Duration afterShutdown = Duration.between(shutdown.began(), end.at());
                assertThat(afterShutdown).as("shutdown to the end of the Watch for '%s'; events %s", name,
                        watch.events()).isGreaterThanOrEqualTo(DRAIN_DELAY)
                        .isLessThanOrEqualTo(DRAIN_DELAY.plus(END_SLACK));
                assertThat(end.text("code")).as("how the Watch for '%s' ended", name).isEqualTo("UNAVAILABLE");
                endMillis.put(name, afterShutdown.toMillis());
            }
            System.out.printf("%s: ms from the shutdown to NOT_SERVING %s, to the Watch's end %s%n", server,
                    notServingMillis, endMillis);
            shutdown.done().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }
    }

    /** {@code ""}, {@code liveness}, {@code readiness} and every registered service. */
    static List<String> names(ServerUnderTest server) {
        List<String> names = new ArrayList<>(NAMES);
        names.addAll(server.services());
        return names;
    }

    /** One grpc-js Check per name: its status, or the code it failed with. */
    static Map<String, String> checkAll(ServerUnderTest server, GrpcJsClient.MutualTls tls, List<String> names) {
        try (GrpcJsClient check = GrpcJsClient.check(server.port(), tls, names)) {
            return names.stream().collect(Collectors.toMap(Function.identity(), name -> {
                GrpcJsClient.Event answer = check.await("the answer for '" + name + "'",
                        event -> event.is("check", name), WAIT);
                return answer.fields().has("status") ? answer.text("status") : answer.text("code");
            }));
        }
    }
}
