package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Readiness and liveness of an application whose greeter channel (named "greeter", behind
 * {@code GET /hello}) points where nothing listens.
 */
final class Probes {

    /** The one WARN the dead channel gives: the channel, the root cause, and what readiness says. */
    static final Pattern DEAD_GREETER_WARN = Pattern.compile(" WARN .*gRPC channel 'greeter' \\(static://"
            + "127\\.0\\.0\\.1:\\d+\\) is DOWN: .*Connection refused.*readiness where probes are on, "
            + "now report DOWN \\(HTTP 503\\)");

    private Probes() {
    }

    /**
     * Boot's probe groups never show their members, so membership is checked by its effect: while
     * the greeter channel is healthy (IDLE) readiness and liveness are UP; once the application's
     * calls keep failing beyond the channel's grace (transient-failure-grace, 15 s by default)
     * readiness is DOWN (503) and liveness stays UP.
     */
    static void assertReadinessFollowsTheGreeterAndLivenessDoesNot(int httpPort) {
        assertThat(Calls.get(httpPort, "/actuator/health/readiness")).isEqualTo(new Calls.Http(200, "{\"status\":\"UP\"}"));
        assertThat(Calls.get(httpPort, "/actuator/health/liveness")).isEqualTo(new Calls.Http(200, "{\"status\":\"UP\"}"));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Calls.Http readiness;
        do {
            assertThat(Calls.get(httpPort, "/hello?name=nobody")).isEqualTo(new Calls.Http(503, "UNAVAILABLE"));
            readiness = Calls.get(httpPort, "/actuator/health/readiness");
            if (readiness.status() != 200 || System.nanoTime() > deadline) {
                break;
            }
            AppProcess.sleep(500);
        } while (true);

        assertThat(readiness).as("readiness while the greeter channel is down; health: %s",
                Calls.get(httpPort, "/actuator/health").body()).isEqualTo(new Calls.Http(503, "{\"status\":\"DOWN\"}"));
        Calls.Http health = Calls.get(httpPort, "/actuator/health");
        assertThat(Calls.status(health, "$.components.grpcChannels.components.greeter")).isEqualTo("DOWN");
        assertThat(Calls.get(httpPort, "/actuator/health/liveness")).isEqualTo(new Calls.Http(200, "{\"status\":\"UP\"}"));
    }
}
