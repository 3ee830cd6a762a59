package io.github.grpcresilience.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test moves it: wall time for {@link Clock} users, and {@link #nanoTime()}. */
public final class ManualClock extends Clock {

    private static final Instant START = Instant.parse("2026-11-24T00:00:00Z");

    private final AtomicLong nanos = new AtomicLong();

    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    /** Nanoseconds since the clock was made, for code that takes a nano ticker. */
    public long nanoTime() {
        return nanos.get();
    }

    void setNanoTime(long value) {
        nanos.set(value);
    }

    @Override
    public Instant instant() {
        return START.plusNanos(nanos.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
