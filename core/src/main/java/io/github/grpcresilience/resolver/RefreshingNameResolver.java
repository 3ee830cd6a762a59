package io.github.grpcresilience.resolver;

import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A resolver that looks its target up again every interval plus up to 20 % jitter (so that many
 * clients started together do not resolve in step), and never twice within one interval.
 *
 * <p>Each lookup is made by a new resolver from the delegate provider, started with the channel's
 * listener, and the previous one is shut down. Calling {@code refresh()} on grpc-java's DNS
 * resolver would not do: it ignores {@code refresh()} for 30 s after each answer (its own cache,
 * the {@code networkaddress.cache.ttl} system property), so with any interval the refresh could be
 * dropped and a new address wait up to two intervals more. A new resolver has no cache, so each
 * lookup reaches the JVM's {@code InetAddress} cache, the only cache left below the interval.
 *
 * <p>A refresh the channel asks for (a connection closed) is a lookup too if the last one started
 * at least an interval ago; otherwise the timer's next lookup answers it. A lookup whose answer has
 * not come yet is never doubled: a slow name server gets one query at a time. So a channel looks up
 * its target at most once per interval.
 *
 * <p>Thread-safety: grpc-java calls {@code start}, {@code refresh} and {@code shutdown} in the
 * channel's synchronization context, and the timer and the answers run there too, so all mutable
 * fields are only touched from that context.
 */
final class RefreshingNameResolver extends NameResolver {

    private static final double MAX_JITTER = 0.2;

    private final Supplier<NameResolver> newResolver;
    private final String authority;
    private final long intervalNanos;
    private final SynchronizationContext syncContext;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    /** Uniform in [0, 1): the share of the maximum jitter added to each interval. */
    private final DoubleSupplier jitter;

    // Only touched in syncContext.
    private NameResolver current;
    private Listener2 listener;
    /** Whether {@link #current} has not answered yet. */
    private boolean lookingUp;
    private long lastLookupNanos;
    private SynchronizationContext.ScheduledHandle timer;
    private boolean shutdown;

    /**
     * @param first the resolver for the first lookup
     * @param newResolver a new resolver for the same target, one per later lookup
     */
    RefreshingNameResolver(NameResolver first, Supplier<NameResolver> newResolver, Duration interval,
            SynchronizationContext syncContext, ScheduledExecutorService scheduler) {
        this(first, newResolver, interval, syncContext, scheduler, System::nanoTime,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With the clock and the jitter source given, so that tests know each delay. */
    RefreshingNameResolver(NameResolver first, Supplier<NameResolver> newResolver, Duration interval,
            SynchronizationContext syncContext, ScheduledExecutorService scheduler, LongSupplier nanoTime,
            DoubleSupplier jitter) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("refresh interval must be positive: " + interval);
        }
        this.current = first;
        this.newResolver = newResolver;
        this.authority = first.getServiceAuthority();
        this.intervalNanos = interval.toNanos();
        this.syncContext = syncContext;
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
        this.jitter = jitter;
    }

    @Override
    public String getServiceAuthority() {
        return authority;
    }

    @Override
    public void start(Listener2 listener) {
        this.listener = listener;
        lookUp(current);
    }

    /** The channel asks (a connection closed): look up now unless the last lookup is recent. */
    @Override
    public void refresh() {
        if (nanoTime.getAsLong() - lastLookupNanos >= intervalNanos) {
            lookUpAgain();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        if (timer != null) {
            timer.cancel();
        }
        current.shutdown();
    }

    private void onTimer() {
        if (lookingUp) {
            // the name server has not answered the last lookup yet: one query at a time
            scheduleNext();
        } else {
            lookUpAgain();
        }
    }

    private void lookUpAgain() {
        if (shutdown || lookingUp) {
            return;
        }
        NameResolver next = newResolver.get();
        if (next == null) {
            // the provider no longer serves the target: keep the resolver there is
            scheduleNext();
            return;
        }
        NameResolver previous = current;
        current = next;
        previous.shutdown();
        lookUp(next);
    }

    private void lookUp(NameResolver resolver) {
        lookingUp = true;
        lastLookupNanos = nanoTime.getAsLong();
        resolver.start(new AnswerOf(resolver));
        scheduleNext();
    }

    private void scheduleNext() {
        if (shutdown) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        long delay = intervalNanos + (long) (intervalNanos * MAX_JITTER * jitter.getAsDouble());
        timer = syncContext.schedule(this::onTimer, delay, TimeUnit.NANOSECONDS, scheduler);
    }

    /** Passes one resolver's answers to the channel while that resolver is the current one. */
    private final class AnswerOf extends Listener2 {
        private final NameResolver resolver;

        AnswerOf(NameResolver resolver) {
            this.resolver = resolver;
        }

        private boolean isCurrent() {
            return resolver == current && !shutdown;
        }

        /** In the synchronization context, as grpc-java requires of {@code onResult2}. */
        @Override
        public Status onResult2(ResolutionResult result) {
            if (!isCurrent()) {
                return Status.OK;
            }
            lookingUp = false;
            return listener.onResult2(result);
        }

        @Override
        public void onResult(ResolutionResult result) {
            syncContext.execute(() -> onResult2(result));
        }

        @Override
        public void onError(Status error) {
            syncContext.execute(() -> {
                if (isCurrent()) {
                    lookingUp = false;
                    listener.onError(error);
                }
            });
        }
    }

    @Override
    public String toString() {
        return "RefreshingNameResolver[" + current + ", every " + Duration.ofNanos(intervalNanos) + "]";
    }
}
