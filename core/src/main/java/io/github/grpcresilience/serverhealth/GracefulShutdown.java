package io.github.grpcresilience.serverhealth;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Takes a server out of service in the order load balancers and health-checking clients need:
 * every health status NOT_SERVING, a drain delay while calls are still served (so they move
 * away), then GOAWAY ({@code shutdown()}), a grace period for running calls, and only then
 * {@code shutdownNow()}, reporting how many calls it cut. Health watch streams are closed right
 * after GOAWAY: they would otherwise hold every shutdown for the whole grace period.
 *
 * <p>Thread-safety: runs once, on the thread that closes the application (the JVM's shutdown hook
 * on SIGTERM); blocks it for at most drain delay + grace period.
 */
public final class GracefulShutdown {

    /** Waits; a seam for tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Receives one line per step, for the log; {@code cut} marks the line that reports cut calls. */
    @FunctionalInterface
    public interface StepLog {
        void step(String line, boolean cut);
    }

    /**
     * @param drained whether every running call finished within the grace period
     * @param cutCalls calls still running when the grace period ended
     */
    public record Result(boolean drained, int cutCalls) {
    }

    private final Duration drainDelay;
    private final Duration gracePeriod;
    private final Sleeper sleeper;
    private final StepLog steps;

    public GracefulShutdown(Duration drainDelay, Duration gracePeriod, Sleeper sleeper, StepLog steps) {
        this.drainDelay = drainDelay;
        this.gracePeriod = gracePeriod;
        this.sleeper = sleeper;
        this.steps = steps;
    }

    public Result run(Server server, HealthStatusManager health, InFlightCalls calls) throws InterruptedException {
        health.enterTerminalState();
        steps.step("every health status is NOT_SERVING; still serving calls for the drain delay of "
                + drainDelay.toMillis() + " ms so that load balancers and clients move away", false);
        sleeper.sleep(drainDelay);
        server.shutdown();
        int watches = calls.healthWatches();
        calls.closeHealthWatches(Status.UNAVAILABLE.withDescription("server shutting down"));
        steps.step("GOAWAY sent, new calls are refused; closed " + watches + " health watch stream(s);"
                + " waiting up to " + gracePeriod.toMillis() + " ms for " + calls.count() + " running call(s)", false);
        if (server.awaitTermination(gracePeriod.toNanos(), TimeUnit.NANOSECONDS)) {
            steps.step("every running call finished; server stopped", false);
            return new Result(true, 0);
        }
        int cut = calls.count();
        server.shutdownNow();
        steps.step("grace period over: cut " + cut + " running call(s)", true);
        return new Result(false, cut);
    }
}
