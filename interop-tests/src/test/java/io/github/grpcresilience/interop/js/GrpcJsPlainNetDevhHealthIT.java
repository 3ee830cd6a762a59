package io.github.grpcresilience.interop.js;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The control of {@link GrpcJsHealthIT}: the same application without the starter
 * ({@code grpc.resilience.enabled=false}, net.devh as it is). grpc-js {@code Check} finds only
 * {@code ""}, SERVING; every other name is NOT_FOUND. When the application closes, a {@code Watch}
 * of {@code ""} never sees NOT_SERVING: it is held until net.devh's shutdown grace period (30 s)
 * ends, then cut (CANCELLED). It mostly waits, so it runs beside the module's other tests.
 */
@Execution(ExecutionMode.CONCURRENT)
class GrpcJsPlainNetDevhHealthIT {

    /** net.devh's {@code grpc.server.shutdown-grace-period} default. */
    private static final Duration NET_DEVH_GRACE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void onlyTheWholeServerIsServingAndAWatchNeverSeesNotServingWhenTheApplicationCloses() {
        try (ServerUnderTest plain = ServerUnderTest.plainNetDevh()) {
            List<String> names = GrpcJsHealthIT.names(plain);
            Map<String, String> answers = GrpcJsHealthIT.checkAll(plain, null, names);

            assertThat(answers).as("answers by name").containsEntry("", "SERVING");
            names.stream().filter(name -> !name.isEmpty()).forEach(name ->
                    assertThat(answers).as("answers by name").containsEntry(name, "NOT_FOUND"));

            try (GrpcJsClient watch = GrpcJsClient.watch(plain.port(), null, List.of(""))) {
                watch.await("SERVING", event -> event.is("status", "") && event.text("status").equals("SERVING"), WAIT);

                ServerUnderTest.Shutdown shutdown = plain.beginShutdown();
                GrpcJsClient.Event end = watch.await("the end of the Watch", event -> event.is("end", ""),
                        NET_DEVH_GRACE.plus(WAIT));

                assertThat(watch.events()).as("no NOT_SERVING before the Watch ended")
                        .noneMatch(event -> event.is("status") && !event.text("status").equals("SERVING"));
                Duration afterShutdown = Duration.between(shutdown.began(), end.at());
                assertThat(afterShutdown).as("the Watch held until net.devh's grace ends; events %s", watch.events())
                        .isGreaterThanOrEqualTo(NET_DEVH_GRACE);
                assertThat(end.text("code")).as("cut by shutdownNow").isEqualTo("CANCELLED");
                System.out.printf("plain net.devh: the Watch of \"\" ended %s after %d ms; events %s%n",
                        end.text("code"), afterShutdown.toMillis(), watch.events());
                shutdown.done().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            }
        }
    }
}
