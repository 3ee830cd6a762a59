package io.github.grpcresilience.resolver;

import io.grpc.NameResolver;
import io.grpc.SynchronizationContext;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * A resolver that calls its delegate's {@code refresh()} every interval plus up to 20 % jitter, so
 * that many clients started together do not resolve in step, and never more often than the
 * interval.
 *
 * <p>Thread-safety: grpc-java calls {@code start}, {@code refresh} and {@code shutdown} in the
 * channel's synchronization context, and the timer runs there too, so {@link #timer} and
 * {@link #shutdown} are only touched from that context.
 */
final class RefreshingNameResolver extends NameResolver {

    private static final double MAX_JITTER = 0.2;

    private final NameResolver delegate;
    private final long intervalNanos;
    private final SynchronizationContext syncContext;
    private final ScheduledExecutorService scheduler;
    /** Uniform in [0, 1): the share of the maximum jitter added to each interval. */
    private final DoubleSupplier jitter;
    private SynchronizationContext.ScheduledHandle timer;
    private boolean shutdown;

    RefreshingNameResolver(NameResolver delegate, Duration interval, SynchronizationContext syncContext,
            ScheduledExecutorService scheduler) {
        this(delegate, interval, syncContext, scheduler, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With the jitter source given, so that tests know each delay. */
    RefreshingNameResolver(NameResolver delegate, Duration interval, SynchronizationContext syncContext,
            ScheduledExecutorService scheduler, DoubleSupplier jitter) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("refresh interval must be positive: " + interval);
        }
        this.delegate = delegate;
        this.intervalNanos = interval.toNanos();
        this.syncContext = syncContext;
        this.scheduler = scheduler;
        this.jitter = jitter;
    }

    @Override
    public String getServiceAuthority() {
        return delegate.getServiceAuthority();
    }

    @Override
    public void start(Listener2 listener) {
        delegate.start(listener);
        scheduleNext();
    }

    @Override
    public void refresh() {
        delegate.refresh();
    }

    @Override
    public void shutdown() {
        shutdown = true;
        if (timer != null) {
            timer.cancel();
        }
        delegate.shutdown();
    }

    private void scheduleNext() {
        if (shutdown) {
            return;
        }
        long delay = intervalNanos + (long) (intervalNanos * MAX_JITTER * jitter.getAsDouble());
        timer = syncContext.schedule(this::onTimer, delay, TimeUnit.NANOSECONDS, scheduler);
    }

    private void onTimer() {
        if (!shutdown) {
            delegate.refresh();
            scheduleNext();
        }
    }

    @Override
    public String toString() {
        return "RefreshingNameResolver[" + delegate + ", every " + Duration.ofNanos(intervalNanos) + "]";
    }
}
