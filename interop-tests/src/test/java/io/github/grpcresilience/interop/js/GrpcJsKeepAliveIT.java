package io.github.grpcresilience.interop.js;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A grpc-js client pinging every 10 s ({@code grpc.keepalive_time_ms=10000},
 * {@code grpc.keepalive_permit_without_calls=1}), as grpc-js users configure it, once with an open
 * health {@code Watch} and once on a connected channel with no call at all. Against the starter's
 * server (its default permit: 10 s, without calls) neither sees a GOAWAY in 45 s; against the same
 * application without the starter (net.devh's server as it is: grpc-java's permit of 5 min, no
 * pings without calls, 2 strikes) both get GOAWAY {@code too_many_pings}, which proves the test
 * measures something (its open Watch dies RESOURCE_EXHAUSTED). All four run side by side, so the
 * test takes the 45 s once, and the test runs beside the module's other tests (it waits, it does
 * not compute).
 */
@Execution(ExecutionMode.CONCURRENT)
class GrpcJsKeepAliveIT {

    private static final Duration RUN = Duration.ofSeconds(45);
    /** Node's start, npm ci where it has not run yet, and a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(60);
    /** Pings at 10, 20, 30 and 40 s after the channel is READY; the summary comes 45 s after it. */
    private static final int PINGS_IN_45_S = 4;
    /** grpc-java's KeepAliveEnforcer: 2 strikes allowed, the third ping too soon gets GOAWAY. */
    private static final int PINGS_TO_GOAWAY = 3;
    private static final long ENHANCE_YOUR_CALM = 0xb;

    @Test
    void grpcJsPingingEvery10sWithAndWithoutCallsGetsNoGoawayFromTheStarterAndTooManyPingsFromPlainNetDevh() {
        try (ServerUnderTest starter = ServerUnderTest.withStarter();
                ServerUnderTest plain = ServerUnderTest.plainNetDevh();
                GrpcJsClient starterWatch = GrpcJsClient.pingingWatch(starter.port(), "", RUN);
                GrpcJsClient starterIdle = GrpcJsClient.pingingIdle(starter.port(), RUN);
                GrpcJsClient plainWatch = GrpcJsClient.pingingWatch(plain.port(), "", RUN);
                GrpcJsClient plainIdle = GrpcJsClient.pingingIdle(plain.port(), RUN)) {
            assertThat(starterBeans(plain)).as("the control runs without any of the starter's beans").isEmpty();
            assertThat(starterBeans(starter)).as("the starter's beans").isNotEmpty();

            for (GrpcJsClient client : List.of(starterWatch, plainWatch)) {
                client.await("SERVING", event -> event.is("status", "") && event.text("status").equals("SERVING"),
                        SLACK);
            }
            for (GrpcJsClient client : List.of(starterIdle, plainIdle)) {
                client.await("the channel READY without a call", event -> event.is("ready"), SLACK);
            }
            List<GrpcJsClient.Event> summaries = List.of(starterWatch, starterIdle, plainWatch, plainIdle).stream()
                    .map(client -> client.await("the summary", event -> event.is("summary"), RUN.plus(SLACK)))
                    .toList();

            assertNoGoawayAndEveryPingAnswered(starterWatch, summaries.get(0));
            assertThat(summaries.get(0).fields().path("streamOpen").asBoolean()).as("the Watch is still open")
                    .isTrue();
            assertNoGoawayAndEveryPingAnswered(starterIdle, summaries.get(1));
            assertThat(summaries.get(1).text("channelState")).as("the idle channel").isEqualTo("READY");

            report("open Watch", plainWatch, assertTooManyPings(plainWatch));
            assertThat(plainWatch.first(event -> event.is("end"))).as("the Watch ended by the GOAWAY; events %s",
                    plainWatch.events())
                    .hasValueSatisfying(end -> assertThat(end.text("code")).isEqualTo("RESOURCE_EXHAUSTED"));
            report("idle channel", plainIdle, assertTooManyPings(plainIdle));
        }
    }

    private static List<String> starterBeans(ServerUnderTest server) {
        return Arrays.stream(server.context().getBeanDefinitionNames())
                .filter(name -> {
                    Class<?> type = server.context().getType(name);
                    return type != null && type.getName().startsWith("io.github.grpcresilience.")
                            && !type.getName().startsWith("io.github.grpcresilience.interop.");
                })
                .toList();
    }

    private static void assertNoGoawayAndEveryPingAnswered(GrpcJsClient client, GrpcJsClient.Event summary) {
        assertThat(client.events()).as("%s: no GOAWAY", client).noneMatch(event -> event.is("goaway"));
        assertThat(summary.number("goaways")).isZero();
        assertThat(summary.number("pingsAcked")).as("%s: pings answered (the client really pinged); events %s",
                client, client.events()).isGreaterThanOrEqualTo(PINGS_IN_45_S);
        System.out.printf("the starter, %s: %s%n", client, summary.fields());
    }

    /** Asserts GOAWAY too_many_pings after the third ping; returns the time from the channel's READY to it. */
    private static Duration assertTooManyPings(GrpcJsClient client) {
        List<GrpcJsClient.Event> events = client.events();
        GrpcJsClient.Event goaway = client.first(event -> event.is("goaway")).orElseThrow(
                () -> new AssertionError(client + ": no GOAWAY from plain net.devh; events " + events));
        assertThat(goaway.fields().path("errorCode").asLong()).as("ENHANCE_YOUR_CALM; %s", goaway.fields())
                .isEqualTo(ENHANCE_YOUR_CALM);
        assertThat(goaway.text("data")).isEqualTo("too_many_pings");
        long pingsBefore = events.stream()
                .filter(event -> event.is("ping") && !event.at().isAfter(goaway.at())).count();
        assertThat(pingsBefore).as("pings before the GOAWAY; events %s", events)
                .isGreaterThanOrEqualTo(PINGS_TO_GOAWAY);
        GrpcJsClient.Event ready = client.first(event -> event.is("ready")).orElseThrow();
        return Duration.between(ready.at(), goaway.at());
    }

    private static void report(String what, GrpcJsClient client, Duration toGoaway) {
        System.out.printf("plain net.devh, grpc-js %s: GOAWAY too_many_pings %d ms after connecting; events %s%n",
                what, toGoaway.toMillis(), client.events());
    }
}
